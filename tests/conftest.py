"""Shared fixtures: build small real sites in tmp_path and read what comes out."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
STATUS_DATE = "2026-11-26"


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write ``{relative path: text}`` below root; text is dedented."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def make_config(tmp_path: Path, plugin_options: dict | None = None, **extra: object) -> Path:
    """Write a minimal mkdocs.yml (Material, language zh, kb plugin) and return its path."""
    options = {"status_date": STATUS_DATE, **(plugin_options or {})}
    config = {
        "site_name": "测试站点",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"kb": options}],
        **extra,
    }
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def run_build(config_file: Path, *, strict: bool = False) -> Path:
    """Build as `mkdocs build` does (startup, build, shutdown) and return the site dir."""
    cfg = load_config(config_file=str(config_file), strict=strict)
    site = Path(cfg["site_dir"])
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return site


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian chromium for every browser test of the session (skips when absent)."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def build_site(tmp_path: Path) -> Callable[..., Path]:
    """``build_site(files, strict=False, **plugin_options)`` -> the built site directory.

    ``files`` maps paths below ``docs/`` to their text; an ``index.md`` is added if missing.
    """

    def _build(files: dict[str, str | bytes], *, strict: bool = False, extra_config: dict | None = None,
               **plugin_options: object) -> Path:
        docs = tmp_path / "docs"
        files = {"index.md": "# 首页\n", **files}
        write_files(docs, files)
        config = make_config(tmp_path, plugin_options, **(extra_config or {}))
        return run_build(config, strict=strict)

    return _build


def read(site: Path, rel: str) -> str:
    """Text of a built file."""
    return (site / rel).read_text(encoding="utf-8")


def read_json(site: Path, rel: str) -> object:
    return json.loads(read(site, rel))


def law_page(title: str, body: str, **meta: object) -> str:
    """A regulation page with front matter; ``meta`` adds or overrides fields."""
    fields = {"title": title, "level": "法律", "promulgated": "2019-04-23", **meta}
    head = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n\n{textwrap.dedent(body).strip()}\n"


BUILDING_LAW = law_page(
    "中华人民共和国建筑法",
    """
    ## 第一章 总 则

    第一条 为了加强对建筑活动的监督管理，制定本法。

    第二条 在中华人民共和国境内从事建筑活动，应当遵守本法。

    本法所称建筑活动，是指各类房屋建筑的建造活动。

    ## 第二章 建筑许可

    ### 第一节 建筑工程施工许可

    第七条 建筑工程开工前，建设单位应当申请领取施工许可证。

    第八条 申请领取施工许可证，应当具备下列条件：

    （一）已经办理该建筑工程用地批准手续；

    （二）有保证工程质量和安全的具体措施。

    第八条之一 本条用于测试“之一”条文。
    """,
    short_title="建筑法",
    promulgated="1997-11-01",
    amended=["2011-04-22", "2019-04-23"],
    effective="1998-03-01",
    category=["建筑市场与工程质量安全"],
)


@pytest.fixture(scope="session")
def repo_docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's docs/ built once per test session (kb plugin, search indexes included):
    the root holding ``docs/``, ``mkdocs.yml``, ``site/`` and the whoosh index ``.kb_cache/index``."""
    import shutil

    root = tmp_path_factory.mktemp("repo-docs-site")
    shutil.copytree(REPO / "docs", root / "docs")
    run_build(make_config(root, {"atomic_output": False}))
    return root
