"""The hostile corpus in Debian's chromium: no page, search result or hover runs a payload.

Every built page of the hostile site is loaded; on each, a payload is typed into the header
search box, a query that finds the hostile pages is typed too, and the pointer is moved over
the results and over the links in the page. A dialog (``alert(1)``) or an element from a payload
fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import serve
from tests.conftest import BUILDING_LAW, make_config, run_build
from tests.hostile import PAYLOADS, make_hostile_docs

pytestmark = pytest.mark.browser

#: Elements a payload would leave behind if it had been parsed as HTML.
INJECTED = ("script:not([src])", "svg[onload]", "img[onerror]", "[onmouseover]", "[ontoggle]", "iframe[srcdoc]",
            "a[href^='javascript:' i]", "[onclick*='alert']")
#: Queries that reach the hostile pages through the static index.
FINDING = ["危险物品", "事项", "alert", "script"]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    root = tmp_path_factory.mktemp("hostile-browser")
    make_hostile_docs(root / "docs", BUILDING_LAW)
    site = run_build(make_config(root, {"atomic_output": False}))
    pages = sorted(str(p.relative_to(site).parent) for p in site.rglob("index.html"))
    with serve(site) as url:
        yield url, [("" if p == "." else p + "/") for p in pages]


def _injected(page: object) -> list[str]:
    return page.evaluate(
        """(selectors) => selectors.flatMap((s) => [...document.querySelectorAll(s)]
               .filter((el) => s !== 'script:not([src])' || el.textContent.includes('alert(1)'))
               .map((el) => s + ' ' + el.outerHTML.slice(0, 80)))""",
        list(INJECTED),
    )


def test_no_dialog_and_no_injected_element_anywhere(browser, hostile_url):
    url, pages = hostile_url
    assert len(pages) > 30  # laws, versions, lecture, power and inspection items, plan, lists, home
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    found: list[str] = []
    try:
        for number, rel in enumerate(pages):
            page.goto(url + rel)
            page.wait_for_load_state("load")
            found += [f"{rel}: {what}" for what in _injected(page)]
            for link in page.locator("article a").all()[:6]:  # hover previews and title tooltips
                if link.is_visible():
                    link.hover(timeout=2000)
            box = page.locator(".kb-search__input")
            if box.count() == 0:
                continue
            for query in (PAYLOADS[number % len(PAYLOADS)], FINDING[number % len(FINDING)]):
                box.fill("")
                box.click()
                page.keyboard.type(query, delay=5)
                page.wait_for_timeout(150)
                for hit in page.locator(".kb-search__hit").all()[:3]:
                    if hit.is_visible():
                        hit.hover(timeout=2000)
                found += [f"{rel} ({query!r}): {what}" for what in _injected(page)]
    finally:
        context.close()
    assert dialogs == []
    assert found == []


def test_search_results_show_hostile_titles_as_text(browser, hostile_url):
    url, _pages = hostile_url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(url)
        page.locator(".kb-search__input").click()
        page.keyboard.type("危险物品管理办法", delay=5)
        page.wait_for_selector(".kb-search__hit", timeout=10000)
        text = page.locator(".kb-search__results").inner_text()
        assert "<script>alert(1)</script>" in text  # shown, not run
        assert _injected(page) == []
    finally:
        context.close()
    assert dialogs == []


def test_the_hostile_site_is_the_one_of_the_corpus(hostile_url):
    """The pages loaded above include each kind (a guard against an empty build)."""
    _url, pages = hostile_url
    joined = " ".join(pages)
    for kind in ("laws/危险物品管理办法/2015-03-01/", "powers/items/H-1/", "powers/inspection-items/J-1/",
                 "study/2026/01/", "classroom/2026/", "laws/by-authority/"):
        assert kind in joined, kind
