"""Build benchmarks: full build time and peak memory, kb plugin against plain Material.

Prints (never asserts on time) for ``docs/`` and for the scale site made from the whole of
``../shared/corpus/scale/`` (see ``scale_site.py``), all in the same run:

* full ``mkdocs build`` wall time and peak RSS of the building process, kb and plain twin,
  with the kb/plain and scale/docs ratios;
* the size of the output: pages, median page size, the largest page, total size — a page
  that carried a navigation entry for every regulation would make the median grow with the
  number of laws;
* the rebuild after one regulation or one lecture is edited: a second ``mkdocs build`` in a new process,
  and the ``mkdocs serve`` livereload rebuild (config reloaded, plugin instances kept);
* with ``--search``, the cost of the kb search indexes (``search_index: true`` vs ``false``).

Usage::

    .venv/bin/python benchmarks/build_bench.py            # docs and scale
    .venv/bin/python benchmarks/build_bench.py --quick    # docs only
    .venv/bin/python benchmarks/build_bench.py --scale    # scale only
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import statistics
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import REPO, Measurement, python_command, run_measured
from benchmarks.scale_site import OUT, ensure_scale_docs, mkdocs_build_command, plain_twin_config, scale_config

LOGS = OUT / "logs"


@dataclasses.dataclass(frozen=True)
class SiteStats:
    """What a built site weighs."""

    pages: int
    median_kib: float
    median_law_kib: float
    largest_kib: float
    largest: str
    total_mib: float
    nav_links_median: float


def site_stats(site: Path) -> SiteStats:
    """Page count and sizes of the HTML pages of a built site (``404.html`` excluded)."""
    pages = [p for p in site.rglob("*.html") if p.name != "404.html" and "assets" not in p.parts]
    sizes = {p: p.stat().st_size for p in pages}
    laws = [s for p, s in sizes.items() if p.relative_to(site).parts[:1] == ("laws",)
            and not p.relative_to(site).as_posix().startswith("laws/by-")
            and p.relative_to(site).as_posix() != "laws/index.html"]
    largest = max(sizes, key=sizes.__getitem__)
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    sample = sorted(pages)[:: max(1, len(pages) // 200)]  # nav links: counted on a sample
    nav = [p.read_text(encoding="utf-8", errors="replace").count('class="md-nav__link') for p in sample]
    return SiteStats(
        pages=len(pages),
        median_kib=statistics.median(sizes.values()) / 1024,
        median_law_kib=statistics.median(laws) / 1024 if laws else 0.0,
        largest_kib=sizes[largest] / 1024,
        largest=largest.relative_to(site).as_posix(),
        total_mib=total / 2**20,
        nav_links_median=statistics.median(nav),
    )


def build_once(label: str, config_file: Path, site: Path, *, extra: list[str] | None = None) -> Measurement:
    """A full ``mkdocs build`` of ``config_file`` into ``site``, in a fresh child process."""
    shutil.rmtree(site, ignore_errors=True)
    command = mkdocs_build_command(config_file, site) + (extra or [])
    measured = run_measured(label, command, cwd=config_file.parent, log=LOGS / f"{_slug(label)}.log")
    if measured.returncode != 0:
        print(f"!! {label}: exit {measured.returncode}, see {measured.log}", file=sys.stderr)
    return measured


def _slug(label: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in label).strip("-")


def docs_configs() -> tuple[Path, Path]:
    """The repo's mkdocs.yml and its plain Material twin (same docs/, kb off, search on)."""
    kb = REPO / "mkdocs.yml"
    plain = plain_twin_config(kb, OUT / "docs-plain.yml", OUT / "docs-plain-site")
    return kb, plain


def copy_of_docs() -> Path:
    """A private copy of the repo's docs/ and mkdocs.yml to edit (docs/ itself is shared)."""
    root = OUT / "docs-edit"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "docs", root / "docs")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # mkdocstrings resolves kb_tools relative to mkdocs.yml: point it at the checkout.
    text = text.replace("paths: [.]", f"paths: [{REPO}]")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def copy_of_scale() -> Path:
    """A private copy of the scale docs to edit (other benchmarks read the shared one)."""
    import yaml

    root = OUT / "scale-edit"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(ensure_scale_docs(), root / "docs")
    cfg = yaml.safe_load(scale_config(True).read_text(encoding="utf-8"))
    cfg["docs_dir"] = str(root / "docs")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def rebuilds(label: str, config_file: Path, page: Path) -> dict[str, float]:
    """Rebuild times after ``page`` (a regulation or a lecture) is edited.

    ``mkdocs build`` again: a full build in a new process (MkDocs has no incremental build),
    measured after the edit. ``serve``: what livereload does (see ``rebuild_child.py``).
    """
    original = page.read_bytes()
    site = OUT / "rebuild-site"
    try:
        page.write_bytes(original + "\n\n本款为性能测试临时添加的文字。\n".encode())
        again = build_once(f"{label} rebuild (mkdocs build)", config_file, site)
    finally:
        page.write_bytes(original)
    child = run_measured(
        f"{label} serve rebuild",
        python_command(str(REPO / "benchmarks" / "rebuild_child.py"), str(config_file), str(page),
                       str(OUT / "serve-site")),
        cwd=config_file.parent, log=LOGS / f"{_slug(label)}-serve.log",
    )
    lines = child.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    serve = json.loads(lines[-1]) if child.returncode == 0 and lines else {"first": float("nan"),
                                                                           "rebuild": float("nan")}
    return {"build": again.seconds, "serve_first": serve["first"], "serve_rebuild": serve["rebuild"],
            "serve_peak_mib": child.peak_mib}


def search_variant(config_file: Path, enabled: bool) -> Path:
    """A copy of a kb config with the plugin's ``search_index`` option set."""
    import yaml

    cfg = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for plugin in cfg["plugins"]:
        if isinstance(plugin, dict) and "kb" in plugin:
            plugin["kb"] = {**(plugin["kb"] or {}), "search_index": enabled}
    docs = Path(cfg.get("docs_dir", "docs"))
    cfg["docs_dir"] = str(docs if docs.is_absolute() else (config_file.parent / docs).resolve())
    for plugin in cfg["plugins"]:
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            for handler in plugin["mkdocstrings"].get("handlers", {}).values():
                handler["paths"] = [str((config_file.parent / p).resolve()) for p in handler.get("paths", ["."])]
    out = OUT / f"{config_file.stem}-{config_file.parent.name}-search-{'on' if enabled else 'off'}.yml"
    out.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns (CJK counted double-width)."""
    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max(width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - width(c)) if i == 0 else " " * (w - width(c)) + c
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--quick", action="store_true", help="docs/ only")
    scope.add_argument("--scale", action="store_true", help="the scale site only")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the rebuild measurements")
    parser.add_argument("--search", action="store_true", help="also build with search_index: false (index cost)")
    args = parser.parse_args(argv)

    # (name, kb config, plain config, pages to edit, relative to the docs folder)
    targets: list[tuple[str, Path, Path, list[str]]] = []
    if not args.scale:
        kb, plain = docs_configs()
        targets.append(("docs", kb, plain, ["laws/建筑法.md", "classroom/2026/行政处罚程序.md"]))
    if not args.quick:
        ensure_scale_docs()  # imported once (the scale site copy reads it)
        targets.append(("scale", scale_config(True), scale_config(False), ["laws/公司法.md"]))

    results: dict[tuple[str, str], tuple[Measurement, SiteStats]] = {}
    for name, kb, plain, _ in targets:
        for kind, config_file in (("kb", kb), ("plain", plain)):
            site = OUT / f"bench-{name}-{kind}"
            measured = build_once(f"{name} {kind}", config_file, site)
            results[(name, kind)] = (measured, site_stats(site))
            print(f"  {name:5} {kind:5} {measured.seconds:7.1f} s  {measured.peak_mib:6.0f} MiB", flush=True)
        if args.search:
            for enabled in (False,):
                site = OUT / f"bench-{name}-kb-nosearch"
                measured = build_once(f"{name} kb no-search", search_variant(kb, enabled), site)
                results[(name, "kb, search_index off")] = (measured, site_stats(site))

    rows = []
    for (name, kind), (m, s) in results.items():
        plain = results.get((name, "plain"))
        ratio = f"{m.seconds / plain[0].seconds:.2f}" if plain and kind != "plain" else ""
        rows.append([name, kind, f"{m.seconds:.1f}", ratio, f"{m.peak_mib:.0f}", str(s.pages),
                     f"{s.median_kib:.1f}", f"{s.median_law_kib:.1f}", f"{s.nav_links_median:.0f}",
                     f"{s.largest_kib:.0f} ({s.largest})", f"{s.total_mib:.1f}",
                     "ok" if m.returncode == 0 else f"exit {m.returncode}"])
    print()
    print(table(["site", "build", "time s", "÷plain", "peak MiB", "pages", "median KiB", "law median KiB",
                 "nav links", "largest KiB (page)", "site MiB", "status"], rows))
    if ("docs", "kb") in results and ("scale", "kb") in results:
        print()
        for kind in ("kb", "plain"):
            d, s = results[("docs", kind)], results[("scale", kind)]
            print(f"scale ÷ docs ({kind}): time {s[0].seconds / d[0].seconds:.1f}×, "
                  f"pages {s[1].pages / d[1].pages:.1f}×, median page {s[1].median_kib / d[1].median_kib:.2f}×")

    if not args.no_rebuild:
        print()
        rows = []
        for name, _kb, _, pages in targets:
            config_file = copy_of_docs() if name == "docs" else copy_of_scale()
            for page in pages:
                r = rebuilds(name, config_file, config_file.parent / "docs" / page)
                full = results.get((name, "kb"))
                rows.append([name, page, f"{r['build']:.1f}", f"{r['serve_first']:.1f}",
                             f"{r['serve_rebuild']:.1f}", f"{r['serve_rebuild'] / r['serve_first']:.2f}",
                             f"{r['serve_rebuild'] / full[0].seconds:.2f}" if full else "",
                             f"{r['serve_peak_mib']:.0f}"])
        # Targets (issue 一次构建只做一遍): rebuild ≤ 0.30 of a full build on docs/, ≤ 0.20 at scale.
        print(table(["site", "edited page", "mkdocs build s", "serve 1st build s", "serve rebuild s",
                     "÷1st", "÷full kb build", "serve peak MiB"], rows))
    print(f"\nlogs: {LOGS}")


if __name__ == "__main__":
    main()
