"""The package layout is the architecture: keep its rules true (see docs/manual/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "kb_tools"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.If) and top_level_only:  # `if TYPE_CHECKING:` imports are not run
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_only_the_site_glue_imports_mkdocs():
    offenders = [
        name for name, path in _modules().items()
        if not name.startswith("kb_tools.site")
        and any(i == "mkdocs" or i.startswith("mkdocs.") for i in _imports(path, top_level_only=False))
    ]
    assert offenders == [], f"only kb_tools/site/ may import mkdocs: {offenders}"


def test_module_level_imports_have_no_cycles():
    modules = _modules()
    graph = {
        name: {i for i in _imports(path, top_level_only=True) if i in modules and i != name}
        for name, path in modules.items()
    }
    # A package's __init__ importing its own submodules is not a cycle of the architecture.
    graph = {n: {d for d in deps if n != d.rsplit(".", 1)[0]} for n, deps in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep):], dep] if dep in stack else [node, dep])
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == [], f"import cycles: {cycles}"


def test_no_module_names_as_strings_and_no_registries():
    """Features are values passed to load_corpus, never lists that modules append to."""
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        assert "__module__" not in text, name
        assert ".append(" not in "".join(
            line for line in text.splitlines() if line.startswith(("LOADERS", "GENERATORS", "CHECKS"))
        ), name
        for registry in ("LOADERS:", "GENERATORS:", "FILE_GENERATORS:", "DATA_DIRS:", "CHECKS:"):
            assert registry not in text, f"{name} keeps a module-level registry {registry}"
