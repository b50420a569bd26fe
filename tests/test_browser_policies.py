"""The 现行有效规范性文件目录 in chromium: filter by status, year, kind and text, at phone width."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import serve
from tests.conftest import make_config, run_build, write_files
from tests.test_policies import site_files


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("policies-browser")
    write_files(root / "docs", {"index.md": "# 首页\n", **site_files()})
    site = run_build(make_config(root, {"search_index": False}))
    with serve(site) as url:
        yield url


def visible_titles(page) -> list[str]:
    return page.locator("#kb-pl-table tbody tr:not([hidden]) td:nth-child(2)").all_text_contents()


@pytest.mark.browser
def test_catalogue_filters_at_phone_width(served: str, browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served + "policies/")
    # Default: documents in force only (5 of 8).
    page.wait_for_function("document.querySelector('.kb-pl-count').textContent === '显示 5 / 8 件'")
    assert "海州市建筑工地扬尘管理暂行办法" not in visible_titles(page)

    page.select_option('select[data-filter="status"]', "")
    page.wait_for_function("document.querySelector('.kb-pl-count').textContent === '显示 8 / 8 件'")
    page.select_option('select[data-filter="kind"]', "行政规范性文件")
    page.select_option('select[data-filter="year"]', "2019")
    page.wait_for_function("document.querySelector('.kb-pl-count').textContent === '显示 1 / 8 件'")
    assert visible_titles(page) == ["海州市建筑工地扬尘管理暂行办法"]
    assert "year=2019" in page.url

    page.select_option('select[data-filter="year"]', "")
    page.select_option('select[data-filter="kind"]', "")
    page.fill('input[data-filter="q"]', "海应急〔2024〕15号")
    page.wait_for_function("document.querySelector('.kb-pl-count').textContent === '显示 1 / 8 件'")
    assert visible_titles(page) == ["关于开展燃气安全联合检查的通知"]

    # Phone width: no sideways scrolling, the filters stacked and usable.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    box = page.locator('input[data-filter="q"]').bounding_box()
    assert box is not None and box["width"] > 150 and box["x"] + box["width"] <= 390

    # The address carries the filters: a sent link opens the same view.
    page.goto(served + "policies/?status=已废止")
    page.wait_for_function("document.querySelector('.kb-pl-count').textContent === '显示 1 / 8 件'")
    assert visible_titles(page) == ["海州市建筑市场管理办法"]
    assert errors == []

