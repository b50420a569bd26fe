"""`mkdocs serve` rebuilds: a second build in the same plugin instance after an edit gives the
site a fresh build of the edited sources gives (HTML, static index, whoosh hits).

MkDocs keeps the kb plugin across livereload rebuilds and the plugin reuses what did not
change (page conversions, parsed sources, search documents); these tests are the guard that
nothing stale survives: cited-by lists, citation links of unchanged pages, search results.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import law_page, make_config, write_files

SERVE_URL = "http://127.0.0.1:8000/"

#: One serve-style build in a process of its own: the reference the rebuild must equal.
FRESH_BUILD = textwrap.dedent("""
    import sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2])
    config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = sys.argv[3]
    try:
        build(config, serve_url=sys.argv[3])
    finally:
        config.plugins.on_shutdown()
""")

FIRST_LAW = law_page(
    "甲法",
    """
    ## 第一章 总则

    第一条 为了测试重建，制定本法。

    第二条 建设单位应当办理备案手续。

    第三条 施工单位应当遵守本法。
    """,
    short_title="甲法",
)
SECOND_LAW = law_page(
    "乙法",
    """
    第一条 依照《甲法》第三条的规定，施工单位应当登记。

    第二条 违反《甲法》第二条规定的，责令改正。
    """,
    short_title="乙法",
)
SOURCES: dict[str, str | bytes] = {
    "index.md": "# 首页\n\n见 [笔记](notes.md)。\n",
    "laws/甲法.md": FIRST_LAW,
    "laws/乙法.md": SECOND_LAW,
    "notes.md": "# 办事笔记\n\n依据《甲法》第二条办理备案。\n\n## 登记\n\n见《乙法》第一条。\n",
    "later.md": "# 以后的条文\n\n《甲法》第四条规定了新的义务。\n",
}


def serve_rebuild(config_file: Path, site: Path, *edits: Callable[[], None]) -> object:
    """Build; then per edit: edit, reload the config and build again with the same plugin
    instance, as livereload does; returns the plugin."""
    config = load_config(config_file=str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["kb"]
    try:
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)
        for edit in edits:
            edit()
            config = load_config(config_file=str(config_file), site_dir=str(site))
            assert config.plugins["kb"] is plugin  # MkDocs keeps plugins that have on_startup
            config.site_url = SERVE_URL
            build(config, serve_url=SERVE_URL)
    finally:
        config.plugins.on_shutdown()
    return plugin


def fresh_build(root: Path, site: Path) -> None:
    """The same sources built once, in a new process (no state carried over)."""
    subprocess.run([sys.executable, "-c", FRESH_BUILD, str(root / "mkdocs.yml"), str(site), SERVE_URL],
                   check=True, cwd=root, capture_output=True)


def fresh_copy(serve_root: Path, config_file: Path, fresh_root: Path) -> Path:
    """The serve project's sources as they are now, built once in a new process; its site."""
    shutil.copytree(serve_root / "docs", fresh_root / "docs")
    shutil.copy(config_file, fresh_root / "mkdocs.yml")
    fresh_build(fresh_root, fresh_root / "site")
    return fresh_root / "site"


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site but the binary exports (their zip timestamps are per run)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix not in (".xlsx", ".gz")}


def make_site(root: Path) -> Path:
    write_files(root / "docs", SOURCES)
    return make_config(root)


def assert_same_sites(rebuilt: Path, fresh: Path) -> None:
    a, b = site_files(rebuilt), site_files(fresh)
    assert sorted(a) == sorted(b)
    differing = [rel for rel in a if a[rel] != b[rel]]
    assert differing == []


def edit_sources(docs: Path) -> None:
    """Edit one regulation (new words, a new article) and the page that cites it."""
    law = docs / "laws" / "甲法.md"
    text = law.read_text(encoding="utf-8").replace("办理备案手续", "办理竣工验收备案手续")
    law.write_text(text + "\n第四条 监理单位应当如实报告重建检验事项。\n", encoding="utf-8")
    notes = docs / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("《甲法》第二条", "《甲法》第四条"), encoding="utf-8")


def test_serve_rebuild_equals_fresh_build_after_editing_a_regulation(tmp_path: Path) -> None:
    serve_root, fresh_root = tmp_path / "serve", tmp_path / "fresh"
    config_file = make_site(serve_root)
    plugin = serve_rebuild(config_file, serve_root / "site", lambda: edit_sources(serve_root / "docs"))

    assert_same_sites(serve_root / "site", fresh_copy(serve_root, config_file, fresh_root))

    # The rebuild did reuse work: unchanged pages were not converted again.
    cache = plugin.render_cache  # type: ignore[attr-defined]
    assert cache.hits > 0 and cache.misses > 0
    themed = plugin.template_cache  # type: ignore[attr-defined]  # nor rendered through the theme again
    assert themed.hits > 0 and themed.misses > 0
    # Unchanged static index files were linked from the previous build, the changed ones written.
    store = plugin.shard_store  # type: ignore[attr-defined]
    assert store.reused > 0 and store.written > 0
    assert store.folder is None and not list((serve_root).glob(".kb-index-store-*"))  # removed at shutdown

    law = (serve_root / "site" / "laws" / "甲法" / "index.html").read_text(encoding="utf-8")
    four = law[law.index('id="article-4"'):]
    assert "办事笔记" in four  # the edited page now cites the new article …
    two = law[law.index('id="article-2"'):law.index('id="article-3"')]
    assert "办事笔记" not in two  # … and no longer the old one
    later = (serve_root / "site" / "later" / "index.html").read_text(encoding="utf-8")
    assert "laws/%E7%94%B2%E6%B3%95/#article-4" in later or "laws/甲法/#article-4" in later  # unchanged page, relinked


def test_serve_rebuild_search_matches_fresh_build(tmp_path: Path) -> None:
    from kb_tools.search.engine import search
    from kb_tools.search.whoosh_index import open_index

    serve_root, fresh_root = tmp_path / "serve", tmp_path / "fresh"
    config_file = make_site(serve_root)
    serve_rebuild(config_file, serve_root / "site", lambda: edit_sources(serve_root / "docs"))
    fresh_copy(serve_root, config_file, fresh_root)

    for query in ("竣工验收备案", "监理单位 如实报告", "施工单位 登记", "办理备案手续"):
        hits = []
        for root in (serve_root, fresh_root):
            ix = open_index(root / ".kb_cache" / "index")
            assert ix is not None
            hits.append([(h.url, h.score, h.snippet) for h in search(ix, query)])
        assert hits[0] == hits[1], query
    ix = open_index(serve_root / ".kb_cache" / "index")
    assert ix is not None
    assert [h.url for h in search(ix, "如实报告")][:1] == ["laws/甲法/#article-4"]


def edit_pages_only(docs: Path) -> None:
    """Edit a page that is not a regulation, delete another, add a third."""
    notes = docs / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("办理备案", "办理联合验收"), encoding="utf-8")
    (docs / "later.md").unlink()
    (docs / "new.md").write_text("# 新页面\n\n依据《乙法》第二条责令改正。\n", encoding="utf-8")


def test_serve_rebuild_after_page_edits_equals_fresh_build(tmp_path: Path) -> None:
    serve_root, fresh_root = tmp_path / "serve", tmp_path / "fresh"
    config_file = make_site(serve_root)
    plugin = serve_rebuild(config_file, serve_root / "site", lambda: edit_pages_only(serve_root / "docs"))
    assert_same_sites(serve_root / "site", fresh_copy(serve_root, config_file, fresh_root))
    assert not (serve_root / "site" / "later").exists()
    # The regulations were not parsed again: their parses came from the previous build.
    assert plugin.sources.hits > 0  # type: ignore[attr-defined]
    # No citation target changed: unchanged pages kept their citation links.
    assert plugin.link_cache.hits > 0  # type: ignore[attr-defined]
    law = (serve_root / "site" / "laws" / "乙法" / "index.html").read_text(encoding="utf-8")
    assert "新页面" in law[law.index('id="article-2"'):]  # cited-by of an unchanged regulation updated


def test_a_restored_page_reports_its_broken_link_again(tmp_path: Path, caplog) -> None:
    # `mkdocs serve --strict` counts warnings per build: a page reused from the previous build
    # must warn about its broken link again, although it was not converted again.
    import logging

    root = tmp_path / "serve"
    config_file = make_site(root)
    (root / "docs" / "broken.md").write_text("# 坏链接\n\n见 [不存在的页面](nowhere.md)。\n", encoding="utf-8")
    caplog.set_level(logging.INFO)

    def edit() -> None:  # content only: the same files, so unchanged pages are restored
        caplog.clear()
        notes = root / "docs" / "notes.md"
        notes.write_text(notes.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")

    plugin = serve_rebuild(config_file, root / "site", edit)
    assert plugin.render_cache.hits > 0  # type: ignore[attr-defined]
    assert plugin.template_cache.hits > 0  # type: ignore[attr-defined]  # same pages: theme output reused
    assert any("nowhere.md" in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


def test_serve_rebuilds_back_and_forth_equal_fresh_builds(tmp_path: Path) -> None:
    """Edit, then undo the edit: the third build's index files must be the first build's again,
    not the kept copies of the second (the store compares bytes, never times)."""
    serve_root, fresh_root = tmp_path / "serve", tmp_path / "fresh"
    config_file = make_site(serve_root)
    docs = serve_root / "docs"
    before = {p: p.read_bytes() for p in docs.rglob("*.md")}

    def undo() -> None:
        for path in docs.rglob("*.md"):
            if path not in before:
                path.unlink()
        for path, data in before.items():
            path.write_bytes(data)

    plugin = serve_rebuild(config_file, serve_root / "site", lambda: edit_sources(docs), undo,
                           lambda: edit_pages_only(docs))
    assert_same_sites(serve_root / "site", fresh_copy(serve_root, config_file, fresh_root))
    assert plugin.shard_store.reused > 0  # type: ignore[attr-defined]
    index = serve_root / "site" / "search" / "kb"
    assert (index / "manifest.json").is_file() and list((index / "terms").glob("*.json"))


def repeal_first_law(docs: Path) -> None:
    """Only the front matter of 甲法 changes: every page that cites it must show the new status."""
    law = docs / "laws" / "甲法.md"
    law.write_text(law.read_text(encoding="utf-8").replace("---\n\n", "repealed: '2020-01-01'\n---\n\n", 1),
                   encoding="utf-8")


def test_serve_rebuild_relinks_unchanged_pages_when_a_cited_status_changes(tmp_path: Path) -> None:
    serve_root, fresh_root = tmp_path / "serve", tmp_path / "fresh"
    config_file = make_site(serve_root)
    notes = serve_root / "site" / "notes" / "index.html"
    plugin = serve_rebuild(config_file, serve_root / "site", lambda: repeal_first_law(serve_root / "docs"))
    assert_same_sites(serve_root / "site", fresh_copy(serve_root, config_file, fresh_root))
    assert "kb-status--repealed" in notes.read_text(encoding="utf-8")  # notes.md itself did not change
    relinked = plugin.link_cache.relinked  # type: ignore[attr-defined]
    assert {"notes.md", "later.md", "laws/乙法.md", "laws/甲法.md"} <= relinked  # they cite 甲法
    assert "index.md" not in relinked and plugin.link_cache.hits > 0  # type: ignore[attr-defined]


VERSIONED: dict[str, str | bytes] = {
    **SOURCES,
    "laws/甲法/2010-01-01.md": law_page("甲法", """
        第一条 为了测试重建，制定本法。

        第二条 建设单位应当办理登记手续。
        """, short_title="甲法", promulgated="2010-01-01", version_of="甲法"),
    "other.md": "# 另一页\n\n依据《乙法》第二条处理。\n",
}


def reword_first_law(docs: Path) -> None:
    """Only the wording of 甲法 changes (it has an older text: revision alerts read its wording)."""
    law = docs / "laws" / "甲法.md"
    law.write_text(law.read_text(encoding="utf-8").replace("办理备案手续", "办理竣工验收备案手续"), encoding="utf-8")


def test_a_reworded_regulation_with_versions_relinks_only_the_pages_citing_it(tmp_path: Path) -> None:
    serve_root, fresh_root = tmp_path / "serve", tmp_path / "fresh"
    write_files(serve_root / "docs", VERSIONED)
    config_file = make_config(serve_root)
    plugin = serve_rebuild(config_file, serve_root / "site", lambda: reword_first_law(serve_root / "docs"))
    assert_same_sites(serve_root / "site", fresh_copy(serve_root, config_file, fresh_root))
    relinked = plugin.link_cache.relinked  # type: ignore[attr-defined]
    assert {"notes.md", "later.md", "laws/乙法.md", "laws/甲法.md", "laws/甲法/2010-01-01.md"} <= relinked
    assert "other.md" not in relinked and "index.md" not in relinked  # they cite only 乙法, or nothing


def test_serve_rebuild_renders_again_after_a_theme_override_is_edited(tmp_path: Path) -> None:
    """The theme output of an unchanged page is reused only while the templates are unchanged."""
    root = tmp_path / "serve"
    write_files(root / "docs", SOURCES)
    write_files(root / "overrides", {"main.html": '{% extends "base.html" %}\n'
                                     '{% block announce %}旧的公告{% endblock %}\n'})
    config_file = make_config(root, theme={"name": "material", "language": "zh", "font": False,
                                           "custom_dir": "overrides"})

    def edit_override() -> None:
        override = root / "overrides" / "main.html"
        override.write_text(override.read_text(encoding="utf-8").replace("旧的公告", "新的公告"), encoding="utf-8")

    plugin = serve_rebuild(config_file, root / "site", edit_override)
    page = (root / "site" / "notes" / "index.html").read_text(encoding="utf-8")
    assert "新的公告" in page and "旧的公告" not in page
    assert plugin.template_cache.hits == 0  # type: ignore[attr-defined]


def test_a_small_edit_leaves_other_pages_impacts_unchanged() -> None:
    """Average field lengths are rounded (ranking.average_length): a sentence more on one page
    leaves the impacts of the terms it does not contain, and so most static index shards,
    byte-identical (unrounded, every impact moved and a serve rebuild rewrote a third of them)."""
    from kb_tools.search.analyzer import default_analyzer
    from kb_tools.search.documents import text_documents
    from kb_tools.search.impacts import impacts

    laws = Path(__file__).parent.parent / "docs" / "laws"
    paragraphs = [p for name in ("建筑法", "城乡规划法", "行政处罚法", "行政许可法", "行政强制法")
                  for p in (laws / f"{name}.md").read_text(encoding="utf-8").split("\n\n")
                  if p.startswith("第") and len(p) > 40]
    analyzer = default_analyzer()

    def scores(markdowns: list[str]) -> dict[str, dict[int, float]]:
        docs = [d for i, m in enumerate(markdowns) for d in text_documents(m, f"p{i}.md")]
        return impacts(docs, analyzer).impact

    def only_the_edited_terms_move(count: int) -> bool:
        pages = [f"# 第{i}页\n\n{p}\n" for i, p in enumerate(paragraphs[:count])]
        edited = [*pages[:-1], pages[-1] + "\n补充说明。\n"]  # a few words on a site of several hundred pages
        before, after = scores(pages), scores(edited)
        changed = {t for t in set(before) & set(after) if before[t] != after[t]}
        added = set(analyzer.analyze("补充说明")) | set(analyzer.analyze(pages[-1]))
        return bool(changed) and changed <= added

    # An edit moves a rounded average only when the average lies within a hair of a rounding step;
    # of a few site sizes, most must leave it (unrounded, none would).
    assert len(paragraphs) > 300
    sizes = range(len(paragraphs), len(paragraphs) - 5, -1)
    assert sum(only_the_edited_terms_move(n) for n in sizes) >= 3


def test_average_lengths_are_rounded_alike_in_both_engines() -> None:
    from kb_tools.search.ranking import average_length

    assert average_length(5730, 100) == average_length(5734, 100) == 57.3
    assert average_length(5736, 100) == 57.4
    assert average_length(0, 0) == average_length(0, 5) == 1.0
