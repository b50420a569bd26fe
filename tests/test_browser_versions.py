"""Drive Debian's chromium over a 新旧对照 page: two columns side by side, deletions and insertions
marked and styled, renumbering shown; and a citation on a dated page carries its revision alert."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.browser import serve
from tests.conftest import REPO, make_config, run_build, write_files

pytestmark = pytest.mark.browser

NOTE = """\
---
title: 复议申请期限
date: 2020-05-01
---

# 复议申请期限

申请期限为六十日（《中华人民共和国行政复议法》第九条）。
"""


CURRENT_NOTE = """\
# 复议申请

申请期限见《中华人民共和国行政复议法》第二十条。
"""


def article_start(path: str, label: str) -> str:
    """The first characters of an article as the source text has them (what a preview must show)."""
    text = (REPO / "docs" / "laws" / path).read_text(encoding="utf-8")
    return re.search(rf"^{label} (.{{12}})", text, re.M).group(1)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-versions")
    docs = root / "docs"
    for name in ("行政复议法.md", "行政复议法/2017-09-01.md"):
        target = docs / "laws" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "docs" / "laws" / name, target)
    write_files(docs, {"index.md": "# 首页\n", "notes/期限.md": NOTE, "notes/现行.md": CURRENT_NOTE})
    site = run_build(make_config(root, {"search_index": False}))
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def test_compare_page_renders_two_marked_columns(page, site_url):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{site_url}laws/{quote('行政复议法')}/compare-2017-09-01/")
    heads = page.locator("table.kb-compare thead th")
    assert heads.all_inner_texts() == ["2017-09-01 文本", "2023-09-01 文本"]
    row = page.locator("tr.kb-compare-row", has=page.locator("span.kb-compare-move", has_text="第九条 → 第二十条"))
    assert row.count() == 1
    old, new = row.locator("td.kb-compare-old"), row.locator("td.kb-compare-new")
    old_box, new_box = old.bounding_box(), new.bounding_box()
    assert old_box and new_box
    # Side by side: same row, the new column to the right, each about half the table.
    assert abs(old_box["y"] - new_box["y"]) < 2 and new_box["x"] >= old_box["x"] + old_box["width"] - 1
    assert 0.3 < old_box["width"] / (old_box["width"] + new_box["width"]) < 0.7
    assert "具体" in old.locator("del").all_inner_texts()
    assert any("应当知道" in text for text in new.locator("ins").all_inner_texts())
    # The marks are visible as marks (struck-through red / green background), not plain text.
    deco = old.locator("del").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    ins_bg = new.locator("ins").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert "line-through" in deco and ins_bg not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("tr.kb-compare--added").count() >= 40
    assert errors == []


def test_compare_page_is_reachable_from_the_current_text(page, site_url):
    page.goto(f"{site_url}laws/{quote('行政复议法')}/")
    link = page.locator("p.kb-compare-links a")
    assert link.count() == 1
    link.click()
    page.wait_for_selector("table.kb-compare")
    assert page.url.endswith("/compare-2017-09-01/")


def test_revision_alert_badge_on_a_dated_page(page, site_url):
    page.goto(f"{site_url}notes/{quote('期限')}/")
    cite = page.locator("a.kb-cite")
    assert cite.inner_text() == "《中华人民共和国行政复议法》第九条"
    badge = page.locator("span.kb-cite-alert")
    assert badge.is_visible()
    assert badge.get_attribute("title") == "《中华人民共和国行政复议法》第九条 在 2024-01-01 修订后变为第二十条"
    cite.click()
    page.wait_for_url("**/2017-09-01/#article-9")


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_compare_page_is_full_width_with_a_changes_only_toggle_and_an_outline(browser, site_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{site_url}laws/{quote('行政复议法')}/compare-2017-09-01/")
        table = page.locator("table.kb-compare")
        box = table.bounding_box()
        assert box is not None
        # No empty sidebars: the two columns take nearly the whole window, and nothing scrolls sideways.
        assert box["width"] > width * 0.85, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
        assert page.evaluate("() => document.querySelector('.md-content').scrollWidth") <= width
        if width > 1220:
            for sidebar in ("primary", "secondary"):
                assert not page.locator(f".md-sidebar--{sidebar}").is_visible()
        rows = page.locator("tr.kb-compare-row")
        unchanged = page.locator("tr.kb-compare--unchanged")
        total, same = rows.count(), unchanged.count()
        assert same > 0 and total > same
        assert unchanged.first.is_visible()
        toggle = page.get_by_role("button", name="只看变化")
        toggle.click()
        assert toggle.get_attribute("aria-pressed") == "true"
        assert not unchanged.first.is_visible()
        visible = page.evaluate("() => [...document.querySelectorAll('tr.kb-compare-row')]"
                                ".filter(r => r.offsetParent !== null).length")
        assert visible == total - same
        toggle.click()
        assert unchanged.first.is_visible()
        # The outline lists every changed row and leads to it; a long one starts closed.
        outline = page.locator("details.kb-compare-outline")
        assert not outline.evaluate("d => d.open")
        outline.locator("summary").click()
        links = page.locator(".kb-compare-outline a")
        assert links.count() == total - same
        last = links.last
        target = last.get_attribute("href")
        assert page.locator(f"tr{target}").count() == 1
        last.click()
        page.wait_for_function(
            "(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
            " return r.top >= 0 && r.top < window.innerHeight; }", arg=target, timeout=5000)
        assert page.locator(f"tr{target}").get_attribute("class").find("kb-compare--unchanged") < 0
    finally:
        context.close()


def test_citation_preview_on_hover_and_focus_shows_the_article_and_its_status(page, site_url):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{site_url}notes/{quote('现行')}/")
    assert not any("/assets/kb/articles/" in url for url in fetched)  # fetched only when needed
    link = page.locator("a.kb-cite")
    link.hover()
    preview = page.locator("#kb-cite-preview")
    preview.locator(".kb-cite-preview-text").wait_for(timeout=5000)
    assert preview.is_visible()
    assert preview.locator(".kb-cite-preview-title").inner_text().startswith("《中华人民共和国行政复议法》第二十条")
    assert preview.locator(".kb-status").inner_text() == "有效"
    text = preview.locator(".kb-cite-preview-text").inner_text()
    assert text.startswith("第二十条") and article_start("行政复议法.md", "第二十条") in text
    assert sum("/assets/kb/articles/" in url for url in fetched) == 1
    assert link.get_attribute("aria-describedby") == "kb-cite-preview"
    page.mouse.move(5, 5)
    preview.wait_for(state="hidden", timeout=3000)
    # Keyboard: focus shows it, Esc closes it.
    link.focus()
    preview.wait_for(state="visible", timeout=3000)
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden", timeout=3000)


def test_citation_preview_of_an_older_text_says_the_article_changed(page, site_url):
    page.goto(f"{site_url}notes/{quote('期限')}/")
    page.locator("a.kb-cite").hover()
    preview = page.locator("#kb-cite-preview")
    preview.locator(".kb-cite-preview-text").wait_for(timeout=5000)
    assert preview.locator(".kb-status").inner_text() == "已修改（2017-09-01 文本）"
    assert preview.locator(".kb-cite-preview-alert").inner_text() == (
        "条文已变化：《中华人民共和国行政复议法》第九条 在 2024-01-01 修订后变为第二十条")
    assert article_start("行政复议法/2017-09-01.md", "第九条") in preview.locator(".kb-cite-preview-text").inner_text()


def test_citation_preview_on_a_phone_first_tap_previews_second_tap_follows(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    try:
        url = f"{site_url}notes/{quote('现行')}/"
        page.goto(url)
        link = page.locator("a.kb-cite")
        link.tap()
        preview = page.locator("#kb-cite-preview")
        preview.locator(".kb-cite-preview-text").wait_for(timeout=5000)
        assert page.url == url  # the first tap did not leave the page
        box = preview.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert "再点一次链接打开该条" in preview.inner_text()
        link.tap()
        page.wait_for_url("**/#article-20", timeout=5000)
    finally:
        context.close()
