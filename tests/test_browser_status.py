"""Status where the eye is: a deep link into a repealed or older text shows that it is not the law
in force, 复制引用 says so in the standard form, and the button never narrows the article's text."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.browser import serve
from tests.conftest import law_page, make_config, run_build, write_files

pytestmark = pytest.mark.browser

FILLER = "信访人应当如实反映情况，有关行政机关应当依法及时处理，并将处理意见告知信访人" * 4


def numbered(count: int, second_paragraph: bool = False) -> str:
    """``count`` long articles under one chapter, so that the last ones are far below the first screen."""
    from kb_tools.numerals import int_to_cn

    body = ["## 第一章 总则"]
    for number in range(1, count + 1):
        body.append(f"第{int_to_cn(number)}条 第{number}条的内容。{FILLER}。")
        if second_paragraph:
            body.append(f"本条第二款。{FILLER}。")
    return "\n\n".join(body)


REPEALED_LAW = law_page("信访条例", numbered(45), level="行政法规", promulgated="2005-01-10",
                        effective="2005-05-01", repealed="2022-05-01")
REVIEW_LAW = law_page("中华人民共和国行政复议法", numbered(40, second_paragraph=True), short_title="行政复议法",
                      promulgated="1999-04-29", amended=["2009-08-27", "2017-09-01", "2023-09-01"])
OLD_REVIEW_LAW = law_page(
    "中华人民共和国行政复议法", numbered(40), short_title="行政复议法", promulgated="1999-04-29",
    amended=["2009-08-27", "2017-09-01"], version_of="行政复议法",
    history=["1999年4月29日 第九届全国人民代表大会常务委员会第九次会议通过",
             "2017年9月1日 第十二届全国人民代表大会常务委员会第二十九次会议第二次修正"],
)

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("status-site")
    write_files(root / "docs", {"index.md": "# 首页\n", "laws/信访条例.md": REPEALED_LAW,
                                "laws/行政复议法.md": REVIEW_LAW, "laws/行政复议法/2017-09-01.md": OLD_REVIEW_LAW})
    site = run_build(make_config(root, {"search_index": False}), strict=True)
    with serve(site) as url:
        yield url


@pytest.fixture(params=sorted(SIZES))
def page(request: pytest.FixtureRequest, browser: object, site_url: str) -> Iterator[object]:
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    yield page
    context.close()


def banner_in_view(page: object) -> bool:
    return page.evaluate("""() => {
        const banner = document.querySelector('.kb-banner');
        if (!banner) return false;
        const box = banner.getBoundingClientRect();
        return box.bottom > 0 && box.top < window.innerHeight && box.height > 0;
    }""")


def test_deep_link_into_a_repealed_text_keeps_its_mark_in_view(page, site_url):
    page.goto(f"{site_url}laws/{quote('信访条例')}/#article-16")
    page.wait_for_function("() => document.querySelector('#article-16').getBoundingClientRect().top < 300")
    assert banner_in_view(page)
    assert "已废止" in page.locator(".kb-banner").inner_text()
    # The landed article is below the sticky banner, not hidden under it.
    page.wait_for_function("""() => document.querySelector('#article-16').getBoundingClientRect().top
                                    >= document.querySelector('.kb-banner').getBoundingClientRect().bottom - 1""",
                           timeout=5000)
    button = page.locator("#article-16 button.kb-copy")
    button.click()
    assert button.get_attribute("data-copied-text").startswith("《信访条例》（已废止）第十六条 ")


def test_older_version_is_cited_in_the_standard_form(page, site_url):
    page.goto(f"{site_url}laws/{quote('行政复议法')}/2017-09-01/#article-9")
    page.wait_for_function("() => document.querySelector('#article-9').getBoundingClientRect().top < 300")
    assert banner_in_view(page)
    assert "历史版本" in page.locator(".kb-banner").inner_text()
    button = page.locator("#article-9 button.kb-copy")
    button.click()
    assert button.get_attribute("data-copied-text").startswith("《中华人民共和国行政复议法》（2017年修正）第九条 ")


def test_the_copy_button_does_not_narrow_the_first_paragraph(page, site_url):
    page.goto(f"{site_url}laws/{quote('行政复议法')}/")
    widths = page.evaluate("""() => [...document.querySelectorAll('.kb-article')]
        .filter(a => a.querySelectorAll('p').length > 1)
        .map(a => [a.querySelector('p:first-child').getBoundingClientRect().width,
                   a.querySelector('p:nth-child(2)').getBoundingClientRect().width])""")
    assert widths, "the fixture needs an article of two paragraphs"
    for first, second in widths:
        assert abs(first - second) < 1, (first, second)
