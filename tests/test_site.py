"""Build small real sites and assert on the HTML that comes out."""

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from tests.conftest import BUILDING_LAW, law_page, make_config, read, run_build, write_files


def test_regulation_page_has_article_anchors_badge_and_outline(build_site):
    site = build_site({"laws/建筑法.md": BUILDING_LAW})
    html = read(site, "laws/建筑法/index.html")
    assert '<section class="kb-article" id="article-8" data-article="第八条">' in html
    assert '<p><a class="kb-article-label" href="#article-8" title="本条链接">第八条</a>' in html
    assert 'id="article-8-1"' in html
    assert 'data-cite="《中华人民共和国建筑法》第八条"' in html
    assert '<span class="kb-status kb-status--in-force">有效</span>' in html
    assert 'id="chapter-2-section-1"' in html
    # The chapter outline is the page's table of contents.
    assert 'href="#chapter-2"' in html
    assert "（一）已经办理该建筑工程用地批准手续；" in html


def test_status_is_computed_from_dates(build_site):
    site = build_site({
        "laws/将来法.md": law_page("将来施行的条例", "第一条 甲。", level="行政法规",
                                   promulgated="2026-10-01", effective="2027-01-01"),
        "laws/旧条例.md": law_page("旧条例", "第一条 甲。", level="行政法规", promulgated="2005-01-10",
                                   repealed="2022-05-01", successor="将来施行的条例"),
    })
    assert "kb-status--not-yet-effective" in read(site, "laws/将来法/index.html")
    html = read(site, "laws/旧条例/index.html")
    assert "kb-status--repealed" in html
    assert '<a href="../../laws/将来法/">《将来施行的条例》</a>' in html


def test_older_version_has_own_url_banner_and_version_list(build_site):
    site = build_site({
        "laws/建筑法.md": BUILDING_LAW,
        "laws/建筑法/2011-04-22.md": law_page("中华人民共和国建筑法", "第一条 旧文本。", promulgated="1997-11-01",
                                              amended=["2011-04-22"], version_of="建筑法"),
    })
    old = read(site, "laws/建筑法/2011-04-22/index.html")
    assert "这是历史版本" in old
    assert "kb-status--amended" in old
    assert 'href="../../../laws/建筑法/"' in old
    current = read(site, "laws/建筑法/index.html")
    assert "文本版本" in current and "共 2 个文本" in current
    assert 'href="../../laws/建筑法/2011-04-22/"' in current


def test_index_pages_group_regulations(build_site):
    site = build_site({
        "laws/建筑法.md": BUILDING_LAW,
        "laws/条例.md": law_page("某某条例", "第一条 甲。", level="行政法规", authority="国务院"),
    })
    by_level = read(site, "laws/by-level/index.html")
    assert "法律（1）" in by_level and "行政法规（1）" in by_level
    assert by_level.index("法律（1）") < by_level.index("行政法规（1）")
    assert "国务院（1）" in read(site, "laws/by-authority/index.html")
    assert "有效（2）" in read(site, "laws/by-status/index.html")
    assert "2019（2）" in read(site, "laws/by-year/index.html")
    overview = read(site, "laws/index.html")
    assert "知识库收录法规 <strong>2</strong> 部" in overview


def test_home_page_marker_is_replaced_by_counts(build_site):
    site = build_site({"index.md": "# 首页\n\n<!-- kb:home -->\n", "laws/建筑法.md": BUILDING_LAW})
    html = read(site, "index.html")
    assert "<strong>1</strong> 部法规" in html
    assert "最近修改的法规" in html


def test_public_build_drops_private_pages(build_site):
    site = build_site({
        "laws/建筑法.md": BUILDING_LAW,
        "laws/内部.md": law_page("内部规定", "第一条 甲。", level="规范性文件", public=False),
        "notes/内部通知.md": "---\npublic: false\n---\n# 内部通知\n",
    }, public_build=True)
    assert not (site / "laws/内部").exists()
    assert not (site / "notes/内部通知").exists()
    assert "内部规定" not in read(site, "laws/by-level/index.html")
    assert (site / "laws/建筑法/index.html").exists()


def test_intranet_build_keeps_private_pages(build_site):
    site = build_site({"laws/内部.md": law_page("内部规定", "第一条 甲。", level="规范性文件", public=False)})
    assert (site / "laws/内部/index.html").exists()


def test_failed_strict_build_keeps_previous_site(tmp_path: Path):
    write_files(tmp_path / "docs", {"index.md": "# 首页\n", "laws/建筑法.md": BUILDING_LAW})
    config = make_config(tmp_path)
    site = run_build(config, strict=True)
    before = read(site, "laws/建筑法/index.html")
    write_files(tmp_path / "docs", {"laws/坏.md": "---\ntitle: [坏\n---\n第一条 甲。\n"})
    with pytest.raises(Abort):
        run_build(config, strict=True)
    assert read(site, "laws/建筑法/index.html") == before
    assert not list(tmp_path.glob(".site.kb-staging-*"))


def test_no_external_assets(build_site):
    site = build_site({"laws/建筑法.md": BUILDING_LAW})
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html, page
