"""No English text reaches a staff page: the theme's chrome and every generated page speak Chinese.

A small site with every page kind (home, regulation and its older text, 新旧对照, indexes, 引用关系,
学法计划, 讲堂, 权力清单 and item pages, the manual, the 404 page) is built with the theme
features the bureau's site uses; the visible text of each page (and the tooltips and labels a
screen reader speaks) is read outside code blocks. The developer pages of the manual are exempt.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO, make_config, run_build

DOCS = REPO / "docs"
COPIED = [
    "index.md", "laws/建筑法.md", "laws/信访条例.md", "laws/文物保护法.md", "laws/文物保护法/2017-11-04.md",
    "study/2026.yml", "classroom/2026/信访工作实务.md", "classroom/2026/信访工作实务-课件.pdf",
    "powers/示例权力清单.yaml", "manual/index.md", "manual/authors.md", "manual/search.md",
    "manual/architecture.md",
]
#: Pages for the people who maintain the code: English identifiers are their subject.
DEVELOPER_PAGES = ("manual/architecture/", "manual/api/")
#: What Material for MkDocs and Python-Markdown write in English when nothing translates them, as
#: they write it (a file path such as docs/search/ in the manual is not the theme's "Search").
THEME_PHRASES = re.compile(
    r"\b(?:Skip to content|Back to top|Made with|Material for MkDocs|Search|Table of contents|"
    r"Previous|Next|Not found|Permanent link|Initializing search|Type to start searching|Share|"
    r"Copy to clipboard|Copied to clipboard|Navigation|Header|Footer|Close|Clear|Last update|Created|"
    r"Edit this page|View source|Select version|Home)\b",
)
#: Classes of the theme's chrome (header, tabs, drawer, sidebars, footer): no Latin letters at all,
#: except in the table of contents, which repeats the page's own headings.
CHROME = ("md-header", "md-tabs", "md-sidebar", "md-footer", "md-top", "md-skip", "md-search", "md-dialog")
CONTENT_IN_CHROME = "md-nav--secondary"
_SKIP = {"script", "style", "code", "pre", "svg", "kbd", "samp"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SPOKEN = ("title", "aria-label", "placeholder", "alt")


class _Texts(HTMLParser):
    """(text, inside the chrome?) for every text node and spoken attribute outside code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool | None]] = []  # (tag, chrome from here on, or None: inherit)
        self.found: list[tuple[str, bool]] = []

    def _skipped(self) -> bool:
        return any(tag in _SKIP for tag, _ in self.stack)

    def _chrome(self) -> bool:
        return next((chrome for _, chrome in reversed(self.stack) if chrome is not None), False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        chrome: bool | None = None
        if CONTENT_IN_CHROME in classes:
            chrome = False
        elif any(c == name or c.startswith(name + "__") for c in classes for name in CHROME):
            chrome = True
        if not self._skipped():
            inside = self._chrome() if chrome is None else chrome
            for key, value in attrs:
                if value and (key in _SPOKEN or (tag == "input" and key == "value" and dict(attrs).get("type")
                                                 in ("submit", "button", "reset"))):
                    self.found.append((value, inside))
        if tag not in _VOID:
            self.stack.append((tag, chrome))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._skipped() and (not self.stack or self.stack[0][0] != "head"
                                                      or self.stack[-1][0] == "title"):
            self.found.append((data.strip(), self._chrome()))


def english_on(html: str) -> list[str]:
    """The English a staff member would see or hear on a page, as short quotes."""
    parser = _Texts()
    parser.feed(html)
    problems = []
    for text, chrome in parser.found:
        if THEME_PHRASES.search(text):
            problems.append(text[:80])
        elif chrome and re.search(r"[A-Za-z]{2,}", text):
            problems.append(f"（页面框架）{text[:80]}")
    return problems


def test_the_check_finds_the_theme_english_it_looks_for():
    assert english_on('<a class="md-top" title="Back to top">回到顶部</a>') == ["Back to top"]
    assert english_on('<div class="md-header__topic"><span>Docs</span></div>') == ["（页面框架）Docs"]
    assert english_on('<p>第一条</p><a class="headerlink" title="Permanent link">¶</a>') == ["Permanent link"]
    assert english_on('<pre><code>Search(query)</code></pre><p>《建筑法》第七条</p>') == []
    toc = '<div class="md-sidebar"><nav class="md-nav md-nav--secondary"><a>userdict.txt</a></nav><a>Docs</a></div>'
    assert english_on(toc) == ["（页面框架）Docs"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chinese-pages")
    for rel in COPIED:
        target = root / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DOCS / rel, target)
    theme = {"name": "material", "language": "zh", "font": False,
             "features": ["navigation.tabs", "navigation.indexes", "navigation.top", "toc.follow",
                          "content.tooltips"]}
    config = make_config(root, {"search_index": False}, theme=theme,
                         markdown_extensions=["attr_list", "md_in_html", "tables", "admonition",
                                              {"toc": {"permalink": "¶"}}, "pymdownx.details"])
    return run_build(config)


def test_no_english_from_the_theme_on_any_staff_page(site):
    pages = sorted(site.rglob("*.html"))
    kinds = {p.relative_to(site).parts[0] for p in pages}
    assert {"laws", "study", "classroom", "powers", "manual", "index.html", "404.html"} <= kinds
    assert (site / "laws/文物保护法/compare-2017-11-04/index.html").is_file()
    found = {}
    for page in pages:
        rel = page.relative_to(site).as_posix()
        if rel.startswith(DEVELOPER_PAGES):
            continue
        html = page.read_text(encoding="utf-8")
        assert '<html lang="zh"' in html, rel
        problems = english_on(html)
        if problems:
            found[rel] = sorted(set(problems))[:5]
    assert not found, found


def test_staff_pages_point_to_the_manual_instead_of_showing_commands(site):
    """Commands and file paths for maintainers live in the manual; a staff page says who keeps the
    list in one sentence and links the manual's section."""
    command = re.compile(r"\bkb (?:import|import-list|import-powers|import-lecture|check|new)\b|sample: true")
    shown = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith("manual/"):
            continue
        found = command.findall(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        if found:
            shown[rel] = found[:3]
    assert not shown, shown
    overview = (site / "powers/index.html").read_text(encoding="utf-8")
    note = re.search(r'<p class="kb-maintained">[^<]*<a href="([^"]+)">', overview)
    assert note and note.group(1) == "../manual/authors/#lists"
    assert 'id="lists"' in (site / "manual/authors/index.html").read_text(encoding="utf-8")
