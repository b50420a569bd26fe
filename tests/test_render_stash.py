"""Articles bypass Python-Markdown (the build's hot spot) without changing the page."""

from __future__ import annotations

import datetime as dt
import logging

from kb_tools.frontmatter import split_front_matter
from kb_tools.laws.model import Law
from kb_tools.laws.parser import parse_body
from kb_tools.laws.render import ARTICLES_MARK, law_markdown, restore_articles
from kb_tools.model import Level, Status
from tests.conftest import BUILDING_LAW, read


def _law() -> Law:
    doc, _ = split_front_matter(BUILDING_LAW, "laws/建筑法.md")
    assert doc is not None
    parsed = parse_body(doc.body)
    return Law(slug="建筑法", src_path="laws/建筑法.md", title="中华人民共和国建筑法", level=Level.LAW,
               divisions=tuple(parsed.divisions), articles=tuple(parsed.articles))


def test_stashed_markdown_restores_to_the_same_text():
    law = _law()
    args = {"status": Status.IN_FORCE, "current": None, "today": dt.date(2026, 1, 1), "base": "../../"}
    stash: list[str] = []
    light = law_markdown(law, stash=stash, **args)
    assert len(stash) == 2  # one run per division holding articles: 第一章, 第二章第一节
    assert 'class="kb-article"' not in light
    assert ARTICLES_MARK.format(0) in light
    assert restore_articles(light, stash) == law_markdown(law, **args)


def test_law_page_has_every_article_and_no_marks(build_site):
    site = build_site({"laws/建筑法.md": BUILDING_LAW})
    html = read(site, "laws/建筑法/index.html")
    assert "kb:articles" not in html
    for anchor in ("article-1", "article-2", "article-7", "article-8", "article-8-1"):
        assert f'<section class="kb-article" id="{anchor}"' in html
    # Headings still go through Markdown: the outline (toc) lists the chapters.
    assert 'href="#chapter-2-section-1"' in html


def test_links_to_article_anchors_are_still_validated(build_site, caplog):
    caplog.set_level(logging.INFO)
    build_site({
        "laws/建筑法.md": BUILDING_LAW,
        "guide.md": "见[第八条](laws/建筑法.md#article-8)和[第九十九条](laws/建筑法.md#article-99)。\n",
    }, extra_config={"validation": {"anchors": "warn"}})
    anchor_warnings = [r.getMessage() for r in caplog.records if "#article-" in r.getMessage()]
    assert any("article-99" in message for message in anchor_warnings)
    assert not any("article-8'" in message or "#article-8 " in message for message in anchor_warnings)
