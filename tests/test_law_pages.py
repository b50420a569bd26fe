"""Regulation pages and index pages as a reader meets them: breadcrumbs, banner before the facts,
version list, stable group anchors, tables without the grouped column, count cards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import BUILDING_LAW, law_page, make_config, read, run_build, write_files


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small site shared by every test here (they only read it)."""
    root = tmp_path_factory.mktemp("law-pages")
    write_files(root / "docs", {
        "index.md": "# 首页\n\n<!-- kb:home -->\n",
        "laws/建筑法.md": BUILDING_LAW,
        "laws/建筑法/2011-04-22.md": law_page("中华人民共和国建筑法", "第一条 旧文本。", promulgated="1997-11-01",
                                              amended=["2011-04-22"], version_of="建筑法"),
        "laws/旧条例.md": law_page("旧条例", "第一条 甲。", level="行政法规", promulgated="2005-01-10",
                                   repealed="2022-05-01", authority="国务院"),
    })
    return run_build(make_config(root, {"search_index": False}), strict=True)


def test_breadcrumbs_lead_back_to_the_level_group(site):
    html = read(site, "laws/建筑法/index.html")
    assert ('<nav class="kb-crumbs" aria-label="位置"><a href="../../laws/">法律法规</a> › '
            '<a href="../../laws/by-level/#level-1">法律</a></nav>') in html
    assert 'id="level-1"' in read(site, "laws/by-level/index.html")
    assert 'id="level-2"' in read(site, "laws/by-level/index.html")  # 行政法规


def test_banner_comes_before_the_facts_box(site):
    old = read(site, "laws/建筑法/2011-04-22/index.html")
    assert old.index("这是历史版本") < old.index('<dl class="kb-law-meta">')
    repealed = read(site, "laws/旧条例/index.html")
    assert repealed.index("本法规已于2022年5月1日废止") < repealed.index('<dl class="kb-law-meta">')


def test_version_list_is_in_the_facts_box_and_marks_the_text_being_read(site):
    current = read(site, "laws/建筑法/index.html")
    meta = current[current.index('<dl class="kb-law-meta">'):current.index("</dl>")]
    assert '<dt class="kb-wide">文本版本</dt>' in meta
    assert '<li aria-current="page"><strong>2019年4月23日文本（现行）</strong>' in meta
    assert '<li><a href="../../laws/建筑法/2011-04-22/">2011年4月22日文本</a>' in meta
    old = read(site, "laws/建筑法/2011-04-22/index.html")
    assert '<li aria-current="page"><strong>2011年4月22日文本</strong>' in old
    assert '<li><a href="../../../laws/建筑法/">2019年4月23日文本（现行）</a>' in old
    assert "文本版本" not in read(site, "laws/旧条例/index.html")  # a single text has no list


@pytest.mark.parametrize(("page", "anchor", "dropped"), [
    ("by-level", "level-1", "效力级别"),
    ("by-authority", "group-1", "制定机关"),
    ("by-status", "status-in-force", None),
    ("by-year", "year-2019", None),
])
def test_index_groups_have_stable_anchors_and_no_redundant_column(site, page, anchor, dropped):
    html = read(site, f"laws/{page}/index.html")
    assert f'id="{anchor}"' in html
    assert f'href="#{anchor}"' in html  # the link row at the top
    headers = re.findall(r"<th>([^<]+)</th>", html)
    assert "时效性" in headers  # every list shows the status
    if dropped:
        assert dropped not in headers
    assert "kb-status--" in html


def test_overview_and_home_show_count_cards(site):
    overview = read(site, "laws/index.html")
    assert re.search(r'<a class="kb-card" href="by-level/#level-1"><strong>1</strong> 法律</a>', overview)
    assert re.search(r'<a class="kb-card" href="by-status/#status-repealed"><strong>1</strong> 已废止</a>', overview)
    home = read(site, "index.html")
    assert '<a class="kb-card" href="laws/"><strong>2</strong> 部法规</a>' in home
    assert '<a class="kb-card" href="laws/by-status/#status-in-force"><strong>1</strong> 部现行有效</a>' in home
    assert '<a href="laws/%E5%BB%BA%E7%AD%91%E6%B3%95/">中华人民共和国建筑法</a>' in home or \
        '<a href="laws/建筑法/">中华人民共和国建筑法</a>' in home


def test_doc_number_from_the_header_lines_shows_on_the_page_and_in_the_indexes(build_site):
    site = build_site({
        "laws/建筑法.md": BUILDING_LAW,
        # No doc_number in the front matter: the page shows the one its header lines give.
        "laws/省信访条例.md": law_page("某省信访条例", "第一条 乙。", level="地方性法规", promulgated="2016-07-29",
                                     history=["2016年7月29日 某省第十二届人民代表大会常务委员会第三十一次会议修订",
                                              "2016年7月29日 某省人民代表大会常务委员会公告第44号公布"]),
    }, search_index=False)
    page = read(site, "laws/省信访条例/index.html")
    assert "<dt>文号</dt><dd>某省人民代表大会常务委员会公告第44号</dd>" in page
    for index in ("laws/by-level/index.html", "laws/by-year/index.html", "laws/by-status/index.html"):
        html = read(site, index)
        row = re.search(r"<tr>(?:(?!</tr>).)*某省信访条例.*?</tr>", html, re.S).group(0)
        assert '<span class="kb-docno">某省人民代表大会常务委员会公告第44号</span>' in row, index
    # A law whose header names no number gets none (none is invented).
    building = read(site, "laws/by-level/index.html")
    row = re.search(r"<tr>(?:(?!</tr>).)*中华人民共和国建筑法.*?</tr>", building, re.S).group(0)
    assert "kb-docno" not in row


def test_additions_land_at_the_end_of_each_article_as_the_section_pattern_put_them():
    """``add_to_articles`` against the regular expression it replaced (the reference here)."""
    import re

    from kb_tools.laws.render import add_to_articles

    pattern = re.compile(r'(<section class="kb-article" id="(?P<anchor>article-[0-9-]+)"[^>]*>.*?)(</section>)', re.S)
    html = ('<p>前言</p><section class="kb-article" id="article-1" data-article="第一条"><p>甲</p></section>'
            '<section class="kb-other" id="x"><p>不是条文</p></section>'
            '<section class="kb-article" id="article-2-1"><p>乙\n丙</p></section><p>中间</p>'
            '<section class="kb-article" id="article-3"><p>没有附加</p></section>'
            '<section class="kb-article" id="article-4"><p>未结束')

    def extra(anchor: str) -> str:
        return "" if anchor == "article-3" else f"<div>{anchor}</div>"

    expected = pattern.sub(lambda m: m.group(1) + extra(m.group("anchor")) + m.group(3), html)
    assert add_to_articles(html, extra) == expected
    assert "<div>article-2-1</div></section>" in expected and "article-4</div>" not in expected
