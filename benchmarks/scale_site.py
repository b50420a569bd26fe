"""The "scale site": every text of ``../shared/corpus/scale/`` imported as a knowledge base.

Benchmarks (build time, search indexing, browser search) need a site of realistic size made
the way content authors make one: through the project's own importer, not a hand-written
shortcut. This module imports the 1,510 texts of ``national-laws.tar.gz`` once, caches the
result under ``benchmarks/out/`` and hands out paths.

API (what other benchmarks import)::

    from benchmarks.scale_site import ensure_scale_docs, ensure_scale_site, scale_config

    docs = ensure_scale_docs()              # Path to out/scale/docs (imported once, then cached)
    cfg = scale_config(kb=True)             # Path to out/scale/mkdocs.yml (kb plugin)
    cfg = scale_config(kb=False)            # Path to out/scale/mkdocs-plain.yml (plain Material twin)
    site = ensure_scale_site(kb=True)       # Path to a built site (cached; rebuild=True forces)
    plain = plain_twin_config(config_file)  # plain Material twin of any kb mkdocs.yml (e.g. the repo's)

    import_scale(docs_dir, paths=None)      # import all (or some) tarball members into docs_dir

The cache is keyed on the tarball's hash and on the source of the importer and parser, so a
fix in ``kb_tools`` re-imports automatically. Delete ``benchmarks/out/`` to start afresh.

What the scale set contains, and how it is imported (see its README):

* several versions of the same law side by side (``公司法(2018-10-26).md`` and
  ``公司法(2023-12-29).md``): the newest text is the current page, older ones are imported with
  ``version_of=`` the newest and land in ``laws/<slug>/<date>.md``;
* three laws stored twice with identical content under two categories: the second copy is
  skipped;
* texts without any ``第…条`` line (amendment decisions, replies): imported as pages all the same;
* 民法典 parts (``民法典/物权编.md`` …): each file's first line is ``# 中华人民共和国民法典``, so
  the part name from ``files.tsv`` becomes the title (``中华人民共和国民法典·物权编``);
* titles whose page names collide after punctuation is removed: later ones get ``-2``, ``-3``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make kb_tools importable from the checkout
    sys.path.insert(0, str(REPO))

from kb_tools.importing.law import front_matter_for, import_lines, law_text_from_lines  # noqa: E402
from kb_tools.importing.sources import decode_text  # noqa: E402
from kb_tools.laws.names import normalise_title, slug_for_title  # noqa: E402
from kb_tools.model import Level  # noqa: E402
from kb_tools.problems import KbError  # noqa: E402

SCALE_DIR = REPO.parent / "shared" / "corpus" / "scale"
TARBALL = SCALE_DIR / "national-laws.tar.gz"
FILES_TSV = SCALE_DIR / "files.tsv"
OUT = REPO / "benchmarks" / "out"
SCALE_ROOT = OUT / "scale"
#: Fixed status date so that every benchmark run builds the same pages.
STATUS_DATE = "2026-11-26"
#: Bump when the import rules below change (the cache key also covers kb_tools' importer).
IMPORT_RULES_VERSION = "1"
#: kb_tools modules whose code decides the imported Markdown (not the plugin: built sites have their own key).
_KEY_SOURCES = ("importing/law.py", "importing/sources.py", "laws/parser.py", "numerals.py")


@dataclasses.dataclass(frozen=True)
class ScaleFile:
    """One row of ``files.tsv``."""

    path: str
    title: str
    level: str
    date: str
    chars: int
    article_lines: int


@dataclasses.dataclass
class Job:
    """One planned import: which tarball member, as which page."""

    member: str
    title: str
    level: str
    lines: list[str]
    version_date: dt.date | None
    file_date: dt.date | None = None
    dates: dict[str, object] = dataclasses.field(default_factory=dict)  # front matter the text lacks
    title_override: str | None = None
    version_of: str | None = None
    slug: str | None = None


@dataclasses.dataclass
class ScaleImport:
    """What :func:`import_scale` did: pages written, copies skipped, importer notes."""

    pages: dict[str, Path] = dataclasses.field(default_factory=dict)  # member -> page file
    duplicates: dict[str, str] = dataclasses.field(default_factory=dict)  # skipped member -> kept member
    versions: int = 0
    notes: int = 0

    def summary(self) -> dict[str, int]:
        return {"pages": len(self.pages), "duplicates": len(self.duplicates), "versions": self.versions,
                "notes": self.notes}


def read_manifest() -> list[ScaleFile]:
    """Every row of ``files.tsv``, in file order."""
    with FILES_TSV.open(encoding="utf-8", newline="") as handle:
        return [
            ScaleFile(r["path"], r["title"], r["level"], r["date_from_filename"], int(r["chars"]),
                      int(r["article_lines"]))
            for r in csv.DictReader(handle, delimiter="\t")
        ]


def read_members(paths: Iterable[str] | None = None) -> dict[str, bytes]:
    """Raw bytes of the tarball's Markdown files (all, or only ``paths``)."""
    wanted = set(paths) if paths is not None else None
    out: dict[str, bytes] = {}
    with tarfile.open(TARBALL, "r:gz") as archive:
        for member in archive:
            if not member.isfile() or (wanted is not None and member.name not in wanted):
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            out[member.name] = handle.read()
    if wanted is not None and wanted - set(out):
        raise KbError(f"{TARBALL} 中没有这些文件：{'、'.join(sorted(wanted - set(out)))}")
    return out


def _is_part(row: ScaleFile) -> bool:
    return "·" in row.title  # 民法典 parts: files.tsv names them 中华人民共和国民法典·<part>


def file_dates(meta: dict[str, object], file_date: dt.date | None) -> dict[str, object]:
    """Dates for a text that states none, from its file name (as ``kb import --manifest`` does).

    The file name carries the date of the text's last change; when the text says it took
    effect earlier, that date is an amendment (``amended``), not the promulgation.
    """
    if file_date is None or meta.get("promulgated") or meta.get("amended"):
        return {}
    effective = meta.get("effective")
    if isinstance(effective, dt.date) and effective < file_date:
        return {"amended": [file_date]}
    return {"promulgated": file_date}


def _drop_part_heading(lines: list[str]) -> list[str]:
    """民法典 parts repeat ``# <part>`` under ``# 中华人民共和国民法典``; the importer would take
    it for a history line. The part name becomes the title instead (see :func:`import_scale`)."""
    headings = [i for i, line in enumerate(lines[:10]) if line.startswith("# ")]
    return [line for i, line in enumerate(lines) if i not in headings[1:2]]


def plan_imports(rows: list[ScaleFile], data: dict[str, bytes]) -> tuple[list[Job], dict[str, str]]:
    """Decide, for every file, whether and as what page it is imported.

    Returns:
        The jobs, current texts first (versions must point at an existing page), and the
        skipped byte-identical copies ``{skipped member: kept member}``.
    """
    duplicates: dict[str, str] = {}
    seen: dict[str, str] = {}
    groups: dict[str, list[Job]] = defaultdict(list)
    for row in rows:
        if row.path not in data:
            continue
        digest = hashlib.sha256(data[row.path]).hexdigest()
        if digest in seen:
            duplicates[row.path] = seen[digest]
            continue
        seen[digest] = row.path
        lines = decode_text(data[row.path], row.path)[0].split("\n")
        if _is_part(row):
            lines = _drop_part_heading(lines)
        text = law_text_from_lines(lines)
        meta, _ = front_matter_for(text, Level(row.level))
        file_date = dt.date.fromisoformat(row.date) if row.date else None
        dates = meta.get("amended") or [meta.get("promulgated")]
        version_date = dates[-1] or file_date  # type: ignore[index]
        job = Job(row.path, row.title, row.level, lines, version_date, file_date=file_date,
                  dates=file_dates(meta, file_date), title_override=row.title if _is_part(row) else None)
        groups[normalise_title(row.title)].append(job)
    currents: list[Job] = []
    older: list[Job] = []
    taken: dict[str, str] = {}  # slug -> grouping key
    for key, jobs in groups.items():
        # The file name's date tells versions apart best (judicial interpretations keep their
        # history in the body, where the importer does not read dates); the text's date next.
        jobs.sort(key=lambda j: (j.file_date or j.version_date or dt.date.min, j.member), reverse=True)
        current = jobs[0]
        slug = slug_for_title(current.title)
        number = 1
        while slug in taken and taken[slug] != key:
            number += 1
            slug = f"{slug_for_title(current.title)}-{number}"
        taken[slug] = key
        current.slug = slug
        currents.append(current)
        for job in jobs[1:]:
            job.version_of = slug
            older.append(job)
    return currents + older, duplicates


def import_scale(docs_dir: Path, paths: Iterable[str] | None = None) -> ScaleImport:
    """Import the scale texts (all, or the tarball members in ``paths``) into ``docs_dir``.

    Pages go through :func:`kb_tools.importing.law.import_lines`, the code behind ``kb import``.
    """
    rows = read_manifest()
    data = read_members(paths)
    jobs, duplicates = plan_imports(rows, data)
    result = ScaleImport(duplicates=duplicates)
    written: set[str] = set()
    for job in jobs:
        extra: dict[str, object] = dict(job.dates)
        if job.title_override:
            extra["title"] = job.title_override
            extra["short_title"] = job.title_override.removeprefix("中华人民共和国")
        slug = job.slug
        version_of = job.version_of
        if version_of is not None:
            date = job.version_date or dt.date.min
            if f"{version_of}/{date}" in written:  # two texts of one law with the same date
                number = 2
                while f"{version_of}/{date}-{number}" in written:
                    number += 1
                slug, version_of = f"{version_of}/{date}-{number}", None
                extra["version_of"] = job.version_of
        imported = import_lines(job.lines, docs_dir, level=Level(job.level), slug=slug, version_of=version_of,
                                extra=extra, overwrite=True)
        page = imported.path.relative_to(docs_dir / "laws").with_suffix("").as_posix()
        written.add(page)
        result.pages[job.member] = imported.path
        result.versions += job.version_of is not None
        result.notes += len(imported.notes)
    return result


HOME_PAGE = """# 法规知识库（规模测试）

本站由 `../shared/corpus/scale/` 的全部法规文本导入生成，用于性能测量。

<!-- kb:home -->
"""


def write_home(docs_dir: Path) -> None:
    """The home page with the marker the plugin fills with counts."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / "index.md").write_text(HOME_PAGE, encoding="utf-8")


def kb_config(docs_dir: Path, site_dir: Path) -> dict[str, object]:
    """The scale site's ``mkdocs.yml``: the repo's theme and extensions, laws out of the nav."""
    repo_cfg = _load_yaml(REPO / "mkdocs.yml")
    return {
        "site_name": "法规知识库（规模测试）",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "theme": repo_cfg["theme"],
        "plugins": [{"kb": {"status_date": STATUS_DATE}}],
        "markdown_extensions": repo_cfg["markdown_extensions"],
        "not_in_nav": "/laws/**\n",
        "validation": repo_cfg.get("validation", {}),
        "nav": [
            {"首页": "index.md"},
            {"法律法规": [
                "laws/index.md",
                {"按效力级别": "laws/by-level.md"},
                {"按分类": "laws/by-category.md"},
                {"按制定机关": "laws/by-authority.md"},
                {"按时效性": "laws/by-status.md"},
                {"按年份": "laws/by-year.md"},
            ]},
        ],
    }


def plain_twin(cfg: dict[str, object]) -> dict[str, object]:
    """A plain Material configuration of the same Markdown: no kb plugin, Material's search on.

    Everything else a stock Material site would not have is dropped too: the explicit nav (it
    names pages only the kb plugin generates) and ``not_in_nav`` — a stock site lists every
    page in its navigation, which is exactly the cost the kb site avoids.
    """
    out = {k: v for k, v in cfg.items() if k not in ("nav", "not_in_nav", "plugins", "validation")}
    plugins: list[object] = ["search"]
    for plugin in cfg.get("plugins", []) or []:  # type: ignore[union-attr]
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name not in ("kb", "search"):
            plugins.append(plugin)
    out["plugins"] = plugins
    # attr_list/md_in_html etc. were added by the kb plugin at runtime; a stock site lists its own.
    return out


def plain_twin_config(config_file: Path, out_file: Path | None = None, site_dir: Path | None = None) -> Path:
    """Write the plain Material twin of an existing ``mkdocs.yml`` and return its path.

    Relative ``docs_dir`` is resolved against the original file, so the twin reads the very
    same Markdown files.
    """
    cfg = _load_yaml(config_file)
    base = config_file.resolve().parent
    cfg["docs_dir"] = str((base / str(cfg.get("docs_dir", "docs"))).resolve())
    out_file = out_file or OUT / f"{config_file.stem}-plain.yml"
    cfg["site_dir"] = str(site_dir or out_file.with_suffix("").with_name(out_file.stem + "-site"))
    twin = plain_twin(cfg)
    if any((isinstance(p, dict) and "mkdocstrings" in p) for p in twin["plugins"]):  # type: ignore[union-attr]
        for plugin in twin["plugins"]:  # type: ignore[union-attr]
            if isinstance(plugin, dict) and "mkdocstrings" in plugin:
                for handler in plugin["mkdocstrings"].get("handlers", {}).values():
                    handler["paths"] = [str(base / p) for p in handler.get("paths", ["."])]
    _dump_yaml(twin, out_file)
    return out_file


def _load_yaml(path: Path) -> dict[str, object]:
    # mkdocs.yml may carry !!python/name tags (Material's emoji); the repo's does not.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump_yaml(data: dict[str, object], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def cache_key() -> str:
    """Changes whenever the tarball, the import rules or the importer/parser code change."""
    digest = hashlib.sha256(IMPORT_RULES_VERSION.encode())
    digest.update(TARBALL.read_bytes())
    digest.update(Path(__file__).read_bytes())
    for name in _KEY_SOURCES:
        digest.update((REPO / "kb_tools" / name).read_bytes())
    return digest.hexdigest()[:16]


def ensure_scale_docs(*, force: bool = False, root: Path = SCALE_ROOT) -> Path:
    """The scale docs directory (``out/scale/docs``), imported now if missing or stale.

    Also writes ``mkdocs.yml`` (kb) and ``mkdocs-plain.yml`` (plain Material twin) beside it.
    """
    docs = root / "docs"
    stamp = root / "import.json"
    key = cache_key()
    if not force and stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")).get("key") == key:
        return docs
    staging = root / "docs.importing"
    shutil.rmtree(staging, ignore_errors=True)
    write_home(staging)
    result = import_scale(staging)
    old = root / "docs.old"
    shutil.rmtree(old, ignore_errors=True)
    if docs.exists():  # two renames: a benchmark reading docs/ meanwhile sees old or new, never half
        docs.rename(old)
    staging.rename(docs)
    shutil.rmtree(old, ignore_errors=True)
    _write_configs(root)
    stamp.write_text(json.dumps({"key": key, **result.summary()}, ensure_ascii=False), encoding="utf-8")
    return docs


def _write_configs(root: Path) -> None:
    cfg = kb_config(root / "docs", root / "site-kb")
    _dump_yaml(cfg, root / "mkdocs.yml")
    plain = plain_twin(cfg)
    plain["site_dir"] = str(root / "site-plain")
    _dump_yaml(plain, root / "mkdocs-plain.yml")


def scale_config(kb: bool = True, *, root: Path = SCALE_ROOT) -> Path:
    """Path of the scale site's ``mkdocs.yml`` (kb) or ``mkdocs-plain.yml`` (plain Material)."""
    ensure_scale_docs(root=root)
    if not (root / "mkdocs.yml").is_file():
        _write_configs(root)
    return root / ("mkdocs.yml" if kb else "mkdocs-plain.yml")


def mkdocs_build_command(config_file: Path, site_dir: Path | None = None) -> list[str]:
    """The command line of a plain ``mkdocs build`` of a config, with this interpreter."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)]
    if site_dir is not None:
        command += ["-d", str(site_dir)]
    return command


def ensure_scale_site(kb: bool = True, *, rebuild: bool = False, root: Path = SCALE_ROOT) -> Path:
    """A built scale site (``out/scale/site-kb`` or ``site-plain``); built now if missing or stale."""
    config_file = scale_config(kb, root=root)
    site = root / ("site-kb" if kb else "site-plain")
    stamp = site / ".kb-bench-key"
    key = cache_key() + _kb_source_digest()
    if not rebuild and stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        return site
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    subprocess.run(mkdocs_build_command(config_file, site), check=True, cwd=root, env=env)
    stamp.write_text(key, encoding="utf-8")
    return site


def _kb_source_digest() -> str:
    """Any change in kb_tools (plugin, search …) makes a cached built site stale."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "kb_tools").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Import (and optionally build) the scale site.")
    parser.add_argument("--force", action="store_true", help="re-import even when the cache is fresh")
    parser.add_argument("--build", choices=["kb", "plain", "both"], help="also build the site(s)")
    args = parser.parse_args()
    docs = ensure_scale_docs(force=args.force)
    print(f"docs: {docs}")
    print((SCALE_ROOT / "import.json").read_text(encoding="utf-8"))
    if args.build in ("kb", "both"):
        print(f"kb site: {ensure_scale_site(True, rebuild=args.force)}")
    if args.build in ("plain", "both"):
        print(f"plain site: {ensure_scale_site(False, rebuild=args.force)}")
