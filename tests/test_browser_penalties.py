"""The 罚则索引 table in a real browser, over four real regulations of docs/laws/: filter by law,
kind and amount, open an entry, and read it at phone width."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import serve
from tests.conftest import REPO, make_config, read, run_build, write_files

pytestmark = pytest.mark.browser

LAWS = ("建筑法", "建设工程质量管理条例", "物业管理条例", "城镇燃气管理条例")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("penalties-site")
    write_files(root / "docs", {"index.md": "# 首页\n"})
    (root / "docs" / "laws").mkdir()
    for name in LAWS:
        shutil.copy(REPO / "docs" / "laws" / f"{name}.md", root / "docs" / "laws" / f"{name}.md")
    return run_build(make_config(root, {"search_index": False}, not_in_nav="/laws/**\n"))


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def entries(site: Path) -> list[dict]:
    return json.loads(read(site, "laws/penalties/penalties.json"))


def covers(entry: dict, amount: float) -> bool:
    factor = {"元": 1, "万元": 10000}
    for s in entry["sanctions"]:
        if s["kind"] == "罚款" and s["unit"] in factor and (s["min"] is not None or s["max"] is not None):
            low = (s["min"] or 0) * factor[s["unit"]]
            high = float("inf") if s["max"] is None else s["max"] * factor[s["unit"]]
            if low <= amount <= high:
                return True
    return False


def wait_count(page: object, shown: int, total: int) -> None:
    page.wait_for_function(
        f"document.querySelector('.kb-pen-count').textContent === '显示 {shown} / {total} 条'")


def visible_articles(page: object) -> list[str]:
    return page.locator("#kb-pen-table tbody tr:not([hidden]) a.kb-pen-article").all_text_contents()


def test_filter_by_law_kind_and_amount_then_open_an_entry(site, site_url, browser):
    items = entries(site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_url + "laws/penalties/")
    wait_count(page, len(items), len(items))

    page.select_option('select[data-filter="law"]', "建设工程质量管理条例")
    page.select_option('select[data-filter="kind"]', "吊销资质证书")
    want = [i for i in items if i["title"] == "建设工程质量管理条例"
            and any(s["kind"] == "吊销资质证书" for s in i["sanctions"])]
    assert len(want) >= 5
    wait_count(page, len(want), len(items))
    assert visible_articles(page) == [f"《建设工程质量管理条例》{i['article']}" for i in want]
    assert "law=" in page.url and "kind=" in page.url

    page.fill('input[data-filter="amount"]', "60万")
    want = [i for i in want if covers(i, 600_000)]
    assert want  # 第六十七条: 50万元以上100万元以下
    wait_count(page, len(want), len(items))
    assert visible_articles(page) == [f"《建设工程质量管理条例》{i['article']}" for i in want]

    target = want[0]
    page.locator("#kb-pen-table tbody tr:not([hidden]) a.kb-pen-article").first.click()
    page.wait_for_load_state()
    anchor = target["url"].split("#")[1]
    assert page.url.endswith("#" + anchor)
    section = page.locator(f"section#{anchor}")
    assert section.is_visible()
    card = section.locator(".kb-pen")
    assert card.is_visible()
    assert "吊销资质证书" in card.text_content() and "50万元–100万元" in card.text_content()
    assert errors == []


def test_filters_come_from_the_address_and_words_narrow_them(site, site_url, browser):
    items = entries(site)
    page = browser.new_page()
    page.goto(site_url + "laws/penalties/?kind=罚款&q=燃气")
    want = [i for i in items if any(s["kind"] == "罚款" for s in i["sanctions"])
            and any("燃气" in a for a in i["acts"])]
    page.wait_for_function("document.querySelector('.kb-pen-count').textContent.startsWith('显示')")
    assert page.locator('select[data-filter="kind"]').input_value() == "罚款"
    shown = page.locator("#kb-pen-table tbody tr:not([hidden])").count()
    assert len(want) <= shown < len(items)
    for text in page.locator("#kb-pen-table tbody tr:not([hidden])").all_text_contents():
        assert "燃气" in text and "罚款" in text
    page.fill('input[data-filter="amount"]', "不是金额")  # not an amount: marked, and no row is dropped for it
    page.wait_for_function("document.querySelector('[data-filter=amount]').getAttribute('aria-invalid') === 'true'")
    assert page.locator("#kb-pen-table tbody tr:not([hidden])").count() == shown


def test_table_reads_as_cards_at_phone_width(site_url, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(site_url + "laws/penalties/?law=物业管理条例")
    page.wait_for_function("document.querySelector('.kb-pen-count').textContent.startsWith('显示')")
    assert not page.locator("#kb-pen-table thead").is_visible()
    first = page.locator("#kb-pen-table tbody tr:not([hidden])").first
    box = first.bounding_box()
    assert box is not None and box["width"] <= 390
    label = first.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"违法行为"'
    # the cards' display:block must not show the rows the filter hides
    hidden = page.evaluate("[...document.querySelectorAll('#kb-pen-table tbody tr[hidden]')]"
                           ".map(tr => tr.getBoundingClientRect().height)")
    assert hidden and max(hidden) == 0
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1


def test_filters_narrow_each_other_without_dead_ends(site, site_url, browser):
    items = entries(site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "laws/penalties/")
    wait_count(page, len(items), len(items))
    kinds = 'select[data-filter="kind"] option'
    assert page.locator(f"{kinds}:disabled").count() == 0
    page.select_option('select[data-filter="law"]', "物业管理条例")
    law_kinds = {s["kind"] for i in items if i["title"] == "物业管理条例" for s in i["sanctions"]}
    offered = [v for v in page.locator(f"{kinds}:not(:disabled)").evaluate_all("os => os.map(o => o.value)") if v]
    assert offered and set(offered) <= law_kinds | {"未完整读取", "其他"}  # 其他: kinds outside the vocabulary
    assert page.locator(f"{kinds}:disabled").count() > 0  # kinds this regulation never imposes
    for value in offered:  # every choice still offered leads to rows
        page.select_option('select[data-filter="kind"]', value)
        assert page.locator("#kb-pen-table tbody tr:not([hidden])").count() > 0, value
    page.select_option('select[data-filter="law"]', "")  # 全部 gives every kind back
    page.select_option('select[data-filter="kind"]', "")
    assert page.locator(f"{kinds}:disabled").count() == 0
    laws = 'select[data-filter="law"] option'
    page.select_option('select[data-filter="kind"]', "吊销资质证书")
    assert 0 < page.locator(f"{laws}:not(:disabled)").count() < page.locator(laws).count()
