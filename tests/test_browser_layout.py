"""Phone layout in a real browser: no page wider than the screen, the facts box right under the title.

The site is built with this repository's theme and Markdown settings (mkdocs.yml: Material's
features, ``toc`` permalinks), because both faults came from Material's own elements: the page
title the header slides in on scroll, and the ¶ permalink of a title that fills the line.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import yaml

from tests.browser import serve
from tests.conftest import BUILDING_LAW, REPO, law_page, make_config, run_build, write_files

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LONG_TITLE = "国务院办公厅关于进一步加强城市地下管线建设管理和房屋建筑工程施工安全监督工作的若干规定"
LONG_NAME = "房屋建筑和市政基础设施工程施工图设计文件审查合格书及建筑节能专项审查意见备案（含变更）"
#: A regulation of this repository with long penalty headings (第二款 · 县级以上地方人民政府……的).
PENALTY_LAW = "风景名胜区条例"


def long_law() -> str:
    from kb_tools.numerals import int_to_cn

    articles = "\n\n".join(f"第{int_to_cn(n)}条 第{n}条的内容，建设单位应当按照国家有关规定办理相关手续。"
                           for n in range(1, 41))
    return law_page(LONG_TITLE, f"## 第一章 总则\n\n{articles}", level="行政法规", promulgated="2020-01-01")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("layout-site")
    # one item of each type: the 按承办科室 matrix of powers/ then has a column per type (wider than a phone)
    kinds = ["行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认", "行政奖励",
             "行政裁决", "其他行政权力"]
    powers = {"权力事项": [{"事项编码": "BA-1", "事项名称": LONG_NAME, "事项类型": "行政备案",
                           "承办科室": "建筑业管理科", "设定依据": ["《中华人民共和国建筑法》第八条"]}]
              + [{"事项编码": f"BA-{n + 2}", "事项名称": f"{kind}事项", "事项类型": kind,
                  "承办科室": "城市建设管理科（综合执法协调）", "设定依据": ["《中华人民共和国建筑法》第八条"]}
                 for n, kind in enumerate(kinds)]}
    write_files(root / "docs", {
        "index.md": "# 首页\n",
        "laws/建筑法.md": BUILDING_LAW,
        "laws/long.md": long_law(),
        "powers/list.yaml": yaml.safe_dump(powers, allow_unicode=True, sort_keys=False),
    })
    shutil.copy(REPO / "docs" / "laws" / f"{PENALTY_LAW}.md", root / "docs" / "laws" / f"{PENALTY_LAW}.md")
    real = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config = make_config(root, {"search_index": False}, theme=real["theme"],
                         markdown_extensions=real["markdown_extensions"])
    site = run_build(config, strict=True)
    with serve(site) as url:
        yield url


@pytest.fixture(params=list(SIZES))
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


PAGES = {
    "law with a long title": "laws/long/",
    "law with penalty cards": f"laws/{quote(PENALTY_LAW)}/",
    "power item": "powers/items/BA-1/",
    "power list overview (matrix)": "powers/",
    "penalties table": "laws/penalties/",
}


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_no_page_is_wider_than_the_screen(page, site_url, path):
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    width = "document.documentElement.scrollWidth"
    assert page.evaluate(width) <= page.evaluate("innerWidth"), page.evaluate(f"[{width}, innerWidth]")
    if page.evaluate("document.documentElement.scrollHeight < innerHeight + 200"):
        assert path != "laws/long/"  # built long enough to scroll
        return  # a short page: nothing to scroll
    # Scrolled down, the header shows the page title instead of the site name: still no wider.
    page.mouse.wheel(0, 1500)
    page.wait_for_function("window.scrollY > 100")
    page.wait_for_timeout(400)  # Material's title transition
    assert page.evaluate(width) <= page.evaluate("innerWidth")
    if path == "laws/long/":
        title = page.locator(".md-header__topic").nth(1)
        assert LONG_TITLE in title.inner_text()
        clipped = title.locator(".md-ellipsis").evaluate("e => e.scrollWidth > e.clientWidth")
        header = page.locator(".md-header__title").bounding_box()
        assert clipped == (page.viewport_size["width"] < 1000)  # an ellipsis on a phone
        assert header["x"] + header["width"] <= page.viewport_size["width"]


def title_to_facts_gap(page: object) -> float:
    """Pixels from the last line of the title's text (not its box) to the top of the facts box."""
    return page.evaluate("""() => {
        const h1 = document.querySelector('.md-content h1');
        const range = document.createRange();
        range.selectNodeContents(h1.firstChild);  // the title's text, without the ¶ link after it
        const rects = [...range.getClientRects()];
        const textBottom = Math.max(...rects.map(r => r.bottom));
        return document.querySelector('.kb-law-meta').getBoundingClientRect().top - textBottom;
    }""")


@pytest.mark.parametrize("path", ["laws/long/", f"laws/{quote('建筑法')}/"], ids=["long title", "short title"])
def test_facts_box_follows_the_title_without_a_gap(page, site_url, path):
    page.goto(site_url + path)
    gap = title_to_facts_gap(page)
    assert 0 <= gap < 48, gap
    h1 = page.locator(".md-content h1")
    assert h1.locator(".headerlink").count() == 1  # still in the page, only not shown
    assert not h1.locator(".headerlink").is_visible()
    assert page.locator(".md-content h2 .headerlink").count() > 0  # chapters keep their ¶
