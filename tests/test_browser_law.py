"""Drive Debian's chromium over a built site: article permalinks scroll the article into view
(below the sticky header), and "复制引用" copies 《法规名称》第N条 with the article's URL."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.browser import serve
from tests.conftest import law_page, make_config, run_build, write_files

pytestmark = pytest.mark.browser

TITLE = "中华人民共和国建筑法"
FILLER = "建设单位应当按照国家有关规定办理相关手续，并对工程质量和施工安全承担相应责任" * 3


def long_law() -> str:
    """Four chapters of ten long articles: article 8 and 35 are far below the first screen."""
    body = []
    for chapter in range(1, 5):
        body.append(f"## 第{'一二三四'[chapter - 1]}章 第{chapter}部分")
        for number in range((chapter - 1) * 10 + 1, chapter * 10 + 1):
            body += [f"第{number}条 第{number}条的内容。{FILLER}。", f"本条第二款。{FILLER}。"]
    from kb_tools.numerals import int_to_cn

    text = "\n\n".join(body)
    for number in range(40, 0, -1):  # Chinese labels, longest first so 第十一 is not hit by 第一
        text = text.replace(f"第{number}条 ", f"第{int_to_cn(number)}条 ")
    return law_page(TITLE, text, short_title="建筑法", promulgated="1997-11-01", effective="1998-03-01")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build a small site once and serve it on 127.0.0.1 (port chosen by the system)."""
    root = tmp_path_factory.mktemp("browser-site")
    write_files(root / "docs", {"index.md": "# 首页\n", "laws/建筑法.md": long_law()})
    site = run_build(make_config(root, {"search_index": False}), strict=True)
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser: object, site_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    yield page
    context.close()


def law_url(site_url: str, fragment: str = "") -> str:
    return f"{site_url}laws/{quote('建筑法')}/{fragment}"


def assert_in_view(page: object, selector: str) -> None:
    """The element's top is on screen and below the sticky header (not hidden under it)."""
    page.wait_for_function(
        """(sel) => { const top = document.querySelector(sel).getBoundingClientRect().top;
                      return top >= 0 && top < window.innerHeight; }""",
        arg=selector, timeout=5000,
    )
    box = page.locator(selector).bounding_box()
    header = page.locator("header.md-header").bounding_box()
    viewport = page.viewport_size
    assert box is not None and header is not None
    assert header["y"] + header["height"] <= box["y"] + 1, (header, box)
    assert box["y"] < viewport["height"] - 40, (box, viewport)
    assert page.evaluate("() => window.scrollY") > 0  # it really scrolled


def test_clicking_a_permalink_scrolls_the_article_into_view(page, site_url):
    page.goto(law_url(site_url))
    label = page.locator("#article-8 a.kb-article-label")
    assert label.inner_text() == "第八条"
    assert label.get_attribute("href") == "#article-8"
    page.evaluate("() => window.scrollTo(0, 0)")
    label.scroll_into_view_if_needed()  # the label must be on screen to be clicked
    page.evaluate("() => window.scrollBy(0, -200)")
    label.click()
    assert page.url.endswith("#article-8")
    assert_in_view(page, "#article-8")
    assert page.locator("#article-8").inner_text().startswith("第八条")


@pytest.mark.parametrize("number", [8, 35])
def test_loading_an_article_url_scrolls_to_it(page, site_url, number):
    page.goto(law_url(site_url, f"#article-{number}"))
    assert_in_view(page, f"#article-{number}")
    # The targeted article is highlighted.
    style = page.evaluate(f"() => getComputedStyle(document.getElementById('article-{number}')).borderLeftColor")
    assert style not in ("rgba(0, 0, 0, 0)", "transparent")


def test_chapter_outline_links_to_chapters(page, site_url):
    page.goto(law_url(site_url))
    outline = page.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link")
    texts = [text.strip() for text in outline.all_inner_texts()]
    assert texts[:4] == ["第一章 第1部分", "第二章 第2部分", "第三章 第3部分", "第四章 第4部分"]
    page.locator('.md-sidebar--secondary a[href="#chapter-3"]').click()
    assert_in_view(page, "#chapter-3")


def test_copy_citation_puts_title_article_and_url_on_the_clipboard(page, site_url):
    page.goto(law_url(site_url, "#article-8"))
    button = page.locator("#article-8 button.kb-copy")
    button.click()
    expected = f"《{TITLE}》第八条 {site_url}laws/建筑法/#article-8"
    assert button.get_attribute("data-copied-text") == expected
    page.wait_for_function("() => document.querySelector('#article-8 .kb-copy').textContent === '已复制'")
    assert page.evaluate("() => navigator.clipboard.readText()") == expected


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_phone_gets_an_outline_with_chapters_and_a_jump_to_article_box(browser, site_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(law_url(site_url))
        outline = page.locator("details.kb-outline")
        if width >= 1220:  # Material's sidebars (and their table of contents) are shown there
            assert not outline.is_visible()
            assert page.locator(".md-sidebar--secondary .md-nav__link", has_text="第三章").count() == 1
            side = page.locator(".md-sidebar--secondary form[data-kb-jump]")  # the jump box, above it
            assert side.is_visible()
            for _ in range(2):  # the second time the address does not change: it still scrolls
                side.get_by_role("textbox").fill("三十五")
                side.get_by_role("textbox").press("Enter")
                assert_in_view(page, "#article-35")
                page.evaluate("() => window.scrollTo(0, 0)")
            side.get_by_role("textbox").fill("九百")
            side.get_by_role("button", name="跳转").click()
            assert side.locator(".kb-jump-message").inner_text() == "本页没有第九百条"
            assert errors == []
            return
        assert outline.is_visible()
        assert outline.locator("a.kb-cite").count() == 0  # its own words are not citations
        outline.locator("summary").click()
        links = outline.locator(".kb-outline-list a")
        assert links.all_inner_texts() == [f"第{n}章 第{i}部分" for i, n in enumerate("一二三四", 1)]
        links.nth(2).click()
        assert_in_view(page, "#chapter-3")
        page.evaluate("() => window.scrollTo(0, 0)")
        for typed, anchor in (("三十五", "#article-35"), ("8", "#article-8"), ("第二十条", "#article-20")):
            outline.evaluate("d => { d.open = true; }")  # the jump closed it
            box = outline.get_by_role("textbox")
            box.fill(typed)
            box.press("Enter")
            assert_in_view(page, anchor)
            assert page.url.endswith(anchor)
            page.evaluate("() => window.scrollTo(0, 0)")
        # the same article again: the address does not change, the page still scrolls there
        outline.evaluate("d => { d.open = true; }")
        box = outline.get_by_role("textbox")
        box.fill("20")
        box.press("Enter")
        assert_in_view(page, "#article-20")
        page.evaluate("() => window.scrollTo(0, 0)")
        outline.evaluate("d => { d.open = true; }")
        box = outline.get_by_role("textbox")
        box.fill("九百")
        outline.get_by_role("button", name="跳转").click()
        assert outline.locator(".kb-jump-message").inner_text() == "本页没有第九百条"
        assert errors == []
    finally:
        context.close()
