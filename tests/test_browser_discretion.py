"""The sample 行政处罚裁量基准 in chromium: filter the list, open an entry, read its tiers beside the
statutory range, and follow the 处罚依据 to the article whose 罚则 card links back; on a desktop
(1366×900) and on a phone (390×844, rows and tiers as cards, no sideways scrolling)."""

from __future__ import annotations

import shutil
from urllib.parse import unquote

import pytest
import yaml

from kb_tools.corpus import load_corpus
from kb_tools.features import default_features
from tests.browser import serve
from tests.conftest import REPO, make_config, run_build

SAMPLE = REPO / "docs" / "lists" / "discretion"


def sample_rows() -> list[dict[str, object]]:
    return yaml.safe_load((SAMPLE / "rows.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("discretion")
    docs = root / "docs"
    shutil.copytree(SAMPLE, docs / "lists" / "discretion")
    corpus = load_corpus(REPO / "docs", None, features=default_features())
    cited = {corpus.laws[r.law_slug].src_path for e in corpus.lists["discretion"].entries
             for b in e.all_bases for r in b.refs if r.law_slug}
    for rel in cited:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "docs" / rel, docs / rel)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    config = make_config(root, {"search_index": False}, not_in_nav="/laws/**\n/lists/*/items/**\n",
                         nav=[{"首页": "index.md"}, {"清单": ["lists/index.md", "lists/discretion/index.md"]}])
    with serve(run_build(config, strict=True)) as url:
        yield url


def count_is(page: object, shown: int, total: int) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        f"document.querySelector('.kb-pw-count').textContent === '显示 {shown} / {total} 项'")


@pytest.mark.browser
def test_desktop_filter_open_an_entry_and_follow_its_basis(served, browser):
    rows = sample_rows()
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served + "lists/discretion/")
    count_is(page, len(rows), len(rows))
    page.select_option('select[data-filter="field"]', "物业管理")
    page.fill('input[data-filter="q"]', "专项维修资金")
    want = [r for r in rows if r["执法领域"] == "物业管理" and "专项维修资金" in str(r["违法行为"])]
    assert [r["编号"] for r in want] == ["CL-WY-005"]
    count_is(page, 1, len(rows))
    visible = page.locator("#kb-list-discretion tbody tr:not([hidden])")
    assert "一般 挪用数额0.5倍以下" in visible.first.text_content()
    visible.first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").text_content().strip() == "挪用专项维修资金"
    tiers = page.locator("table.kb-dc-tiers tbody tr")
    assert tiers.count() == 3
    assert tiers.nth(2).locator("td").nth(2).text_content().strip() == "挪用数额1.5倍至2倍 在法定幅度内"
    statute = page.locator("ul.kb-dc-statute li").first
    assert "罚款 挪用数额2倍以下" in statute.text_content()
    statute.locator("a").click()
    page.wait_for_load_state()
    assert unquote(page.url).endswith("laws/物业管理条例/#article-60")
    back = page.locator("#article-60 .kb-pen-discretion a")
    assert back.text_content() == "CL-WY-005 挪用专项维修资金"
    back.click()
    page.wait_for_load_state()
    assert page.url.endswith("lists/discretion/items/CL-WY-005/")
    assert errors == []


@pytest.mark.browser
def test_phone_filters_from_the_address_and_shows_tiers_as_cards(served, browser):
    rows = sample_rows()
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(served + "lists/discretion/?field=城镇燃气&q=许可证")
    want = [r for r in rows if r["执法领域"] == "城镇燃气" and "许可证" in str(r["违法行为"])]
    assert len(want) == 2
    count_is(page, len(want), len(rows))
    first = page.locator("#kb-list-discretion tbody tr:not([hidden])").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first.locator("a").first.tap()
    page.wait_for_load_state()
    assert page.locator("h1").text_content().strip() == want[0]["违法行为"]
    row = page.locator("table.kb-dc-tiers tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    wide = page.evaluate("""[...document.querySelectorAll('article *')]
        .filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert wide == []  # the page body (the minimal test theme's header may clip a long title)
    label = row.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"情节："'  # the card keeps the column's name
