"""A legal basis box in a real browser: its link opens the article, its summary opens the text.

At desktop size with a mouse and at phone size with touch, then with the keyboard alone: the
summary toggles the box (click or Enter), the link inside it opens the article's page (click,
tap or Enter; no citation preview in between), and the cited 款 is marked in the opened text.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, unquote

import pytest
import yaml

from tests.browser import serve
from tests.conftest import BUILDING_LAW, make_config, run_build, write_files

pytestmark = pytest.mark.browser

POWERS = {"权力事项": [{
    "事项编码": "XK-1", "事项名称": "施工许可", "事项类型": "行政许可", "承办科室": "建筑业管理科",
    "设定依据": ["《中华人民共和国建筑法》第二条第二款"],
    "实施依据": ["《中华人民共和国建筑法》第七条、第八条"],
}]}
CONTEXTS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("bases-site")
    write_files(root / "docs", {"index.md": "# 首页\n", "laws/建筑法.md": BUILDING_LAW,
                                "powers/list.yaml": yaml.safe_dump(POWERS, allow_unicode=True, sort_keys=False)})
    site = run_build(make_config(root, {"search_index": False}), strict=True)
    with serve(site) as url:
        yield url


@pytest.fixture(params=list(CONTEXTS))
def page(request: pytest.FixtureRequest, browser: object, site_url: str) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", **CONTEXTS[request.param])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_url + "powers/items/XK-1/")
    yield page
    assert errors == []
    context.close()


def first_box(page: object) -> object:
    return page.locator("details.kb-pw-article").first


def press(page: object, target: object) -> None:
    """Click with a mouse, or tap on a touch screen (where a citation link would first preview)."""
    if page.evaluate("matchMedia('(hover: none)').matches"):
        target.tap()
    else:
        target.click()


def test_summary_toggles_and_shows_the_whole_article_with_the_clause_marked(page):
    box = first_box(page)
    text = box.locator(".kb-pw-article-text")
    assert not text.is_visible()
    summary = box.locator("summary")
    width = summary.bounding_box()["width"]
    summary.click(position={"x": width - 40, "y": 8})  # beside the link, on the summary itself
    assert box.evaluate("d => d.open") and text.is_visible()
    assert "在中华人民共和国境内从事建筑活动" in text.inner_text()  # the whole article, first 款 too
    cited = text.locator(".kb-pw-clause--cited")
    assert cited.count() == 1
    assert cited.locator(".kb-pw-clause-label").inner_text() == "第二款"
    assert "本法所称建筑活动" in cited.inner_text()
    assert cited.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    status = summary.locator(".kb-status")
    assert status.inner_text() == "有效" and status.is_visible()
    summary.click(position={"x": width - 40, "y": 8})
    assert not box.evaluate("d => d.open")


def test_the_link_in_the_summary_opens_the_article(page, site_url):
    box = first_box(page)
    link = box.locator("summary a")
    press(page, link)
    page.wait_for_url("**/laws/**")
    assert unquote(page.url) == f"{site_url}laws/建筑法/#article-2"
    assert page.locator("#article-2").is_visible()
    assert page.locator(".kb-cite-preview:visible").count() == 0


def test_keyboard_toggles_with_enter_on_the_summary_and_follows_the_link(page, site_url):
    box = first_box(page)
    summary = box.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert box.evaluate("d => d.open")
    page.keyboard.press("Enter")
    assert not box.evaluate("d => d.open")
    page.keyboard.press("Tab")  # the link inside the summary is the next stop
    assert page.evaluate("document.activeElement.closest('summary') !== null && "
                         "document.activeElement.tagName === 'A'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/laws/**")
    assert page.url == f"{site_url}laws/{quote('建筑法')}/#article-2"


def test_two_articles_of_one_line_open_together_each_with_its_own_link(page, site_url):
    box = page.locator("details.kb-pw-article").nth(1)
    assert box.locator("summary a").count() == 2  # 第七条、第八条: each linked in the line as written
    box.locator("summary").click(position={"x": box.bounding_box()["width"] - 40, "y": 8})
    heads = box.locator(".kb-pw-cited-head a")
    assert heads.all_inner_texts() == ["《中华人民共和国建筑法》第七条", "《中华人民共和国建筑法》第八条"]
    assert "（二）有保证工程质量和安全的具体措施。" in box.locator(".kb-pw-article-text").inner_text()
    press(page, heads.nth(1))
    page.wait_for_url("**/laws/**")
    assert unquote(page.url).endswith("laws/建筑法/#article-8")
