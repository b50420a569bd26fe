"""A list kind declared only in YAML, in chromium: filters, sorting and exports at 1,000 rows, on a
desktop (1366×900) and on a phone (390×844, rows as cards)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.browser import serve
from tests.conftest import BUILDING_LAW, make_config, run_build, write_files

N_ROWS = 1000
CATEGORIES = ["行政处罚", "行政强制", "行政检查"]
UNITS = ["建筑业管理科", "质量安全监管科", "城市建设科", "房地产市场监管科"]
TOPICS = ["施工许可", "燃气", "排水", "预售", "物业"]
DECLARATION = {
    "title": "音像记录事项清单",
    "columns": [
        {"key": "code", "label": "编号", "role": "code"},
        {"key": "name", "label": "执法环节", "role": "title"},
        {"key": "category", "label": "执法类别", "type": "choice", "choices": CATEGORIES, "filter": True},
        {"key": "unit", "label": "承办科室", "filter": True},
        {"key": "hours", "label": "时长（小时）", "type": "number"},
        {"key": "basis", "label": "依据", "role": "basis"},
    ],
}


def rows(n: int) -> list[dict[str, object]]:
    """A deterministic list of n rows spread over categories, units and topics."""
    return [{
        "编号": f"YX-{i:04d}",
        "执法环节": f"{TOPICS[i % len(TOPICS)]}现场检查第{i}号",
        "执法类别": CATEGORIES[i % len(CATEGORIES)],
        "承办科室": UNITS[i % len(UNITS)],
        "时长（小时）": (i * 7) % 50,
        "依据": ["《中华人民共和国建筑法》第七条" if i % 2 else "《中华人民共和国建筑法》第八条"],
    } for i in range(n)]


def wanted(category: str, word: str) -> list[dict[str, object]]:
    return [r for r in rows(N_ROWS) if r["执法类别"] == category and word in str(r["执法环节"])]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("lists-1000")
    write_files(root / "docs", {
        "index.md": "# 首页\n",
        "laws/建筑法.md": BUILDING_LAW,
        "lists/av/list.yaml": yaml.safe_dump(DECLARATION, allow_unicode=True, sort_keys=False),
        "lists/av/rows.yaml": yaml.safe_dump(rows(N_ROWS), allow_unicode=True, sort_keys=False),
    })
    config = make_config(root, {"search_index": False}, not_in_nav="/laws/**\n/lists/*/items/**\n",
                         nav=[{"首页": "index.md"}, {"清单": ["lists/index.md", "lists/av/index.md"]}])
    with serve(run_build(config)) as url:
        yield url


def count_is(page: object, shown: int) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        f"document.querySelector('.kb-pw-count').textContent === '显示 {shown} / {N_ROWS} 项'")


@pytest.mark.browser
def test_desktop_filter_sort_export_and_open_an_entry(served, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served + "lists/av/")
    count_is(page, N_ROWS)
    page.select_option('select[data-filter="category"]', "行政强制")
    page.fill('input[data-filter="q"]', "燃气")
    want = wanted("行政强制", "燃气")
    count_is(page, len(want))
    codes = page.locator("#kb-list-av tbody tr:not([hidden]) td:first-child").all_text_contents()
    assert codes == [r["编号"] for r in want]
    assert "category=%E8%A1%8C%E6%94%BF%E5%BC%BA%E5%88%B6" in page.url

    # The number column sorts as numbers (9 before 10), descending on the second click.
    header = page.locator('#kb-list-av th[data-sort="hours"]')
    header.click()
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    by_hours = sorted(want, key=lambda r: -int(r["时长（小时）"]))  # stable: ties keep file order
    hours = page.locator("#kb-list-av tbody tr:not([hidden]) td:nth-child(5)").all_text_contents()
    assert hours == [str(r["时长（小时）"]) for r in by_hours]

    with page.expect_download() as download:
        page.click('button[data-action="csv"]')
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").strip().splitlines()
    assert lines[0] == "编号,执法环节,执法类别,承办科室,时长（小时）,依据"
    assert [line.split(",")[0] for line in lines[1:]] == [r["编号"] for r in by_hours]

    # The full exports are real files next to the table.
    with page.expect_download() as download:
        page.click('a.kb-pw-download[href="export/av.csv"]')
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(exported) == N_ROWS + 1 and exported[0].startswith("编号,执法环节,执法类别")

    page.locator("#kb-list-av tbody tr:not([hidden]) a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").text_content().strip() == by_hours[0]["执法环节"]
    details = page.locator("details.kb-pw-article").first
    details.locator("summary").click(position={"x": 2, "y": 2})
    assert "施工许可证" in details.locator(".kb-pw-article-text").text_content()
    assert errors == []


@pytest.mark.browser
def test_phone_shows_rows_as_cards_without_sideways_scrolling(served, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(served + "lists/av/?unit=城市建设科&q=排水")
    want = [r for r in rows(N_ROWS) if r["承办科室"] == "城市建设科" and "排水" in str(r["执法环节"])]
    count_is(page, len(want))
    assert page.locator('select[data-filter="unit"]').input_value() == "城市建设科"
    first = page.locator("#kb-list-av tbody tr:not([hidden])").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    box = first.bounding_box()
    assert box is not None and box["width"] <= 390
    cell = first.locator("td").nth(2)
    assert cell.get_attribute("data-label") == "执法类别"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"执法类别"'
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The filters stay usable: change the category and the cards follow.
    page.select_option('select[data-filter="category"]', "行政检查")
    count_is(page, len([r for r in want if r["执法类别"] == "行政检查"]))
    page.click('button[data-action="reset"]')
    count_is(page, N_ROWS)
