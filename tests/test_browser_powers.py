"""The power table in a real browser: a generated list of 1,000 items, filtered by type and text."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kb_tools.powers.model import PowerType
from tests.conftest import BUILDING_LAW, make_config, read, run_build, write_files

N_ITEMS = 1000
TYPES = [PowerType.LICENSE, PowerType.FILING, PowerType.CONFIRMATION, PowerType.OTHER, PowerType.PUBLIC_SERVICE,
         PowerType.LEVY]
DEPARTMENTS = ["建筑业管理科", "质量安全监管科", "城市建设科", "房地产市场监管科", "物业与住房保障科"]
SUBJECTS = ["施工许可", "燃气", "排水", "供水", "预售", "物业", "租赁", "消防", "人防", "节能"]


def generated_list(n: int) -> list[dict[str, object]]:
    """A deterministic list of n items spread over types, departments and subjects."""
    items = []
    for i in range(n):
        items.append({
            "事项编码": f"G-{i:04d}",
            "事项名称": f"{SUBJECTS[i % len(SUBJECTS)]}事项第{i}号",
            "事项类型": TYPES[i % len(TYPES)].value,
            "承办科室": DEPARTMENTS[i % len(DEPARTMENTS)],
            "设定依据": ["《中华人民共和国建筑法》第七条" if i % 2 else "《中华人民共和国建筑法》第八条"],
            "承诺期限": f"{i % 9 + 1}个工作日",
        })
    return items


def expected(items: list[dict[str, object]], type_: str, text: str) -> list[dict[str, object]]:
    return [i for i in items if i["事项类型"] == type_ and text in str(i["事项名称"])]


@pytest.fixture(scope="session")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("powers-1000")
    data = {"权力事项": generated_list(N_ITEMS)}
    write_files(root / "docs", {
        "index.md": "# 首页\n",
        "laws/建筑法.md": BUILDING_LAW,
        "powers/list.yaml": yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
    })
    # An explicit nav, as the real mkdocs.yml has: a thousand item pages stay out of every page's menu.
    config = make_config(root, {"search_index": False}, not_in_nav="/laws/**\n/powers/items/**\n",
                         nav=[{"首页": "index.md"}, {"权力清单": ["powers/index.md", "powers/list.md"]}])
    return run_build(config)


def test_thousand_rows_are_rendered_once_each(big_site):
    html = read(big_site, "powers/list/index.html")
    assert html.count("<tr data-type=") == N_ITEMS
    assert len(list((big_site / "powers/items").iterdir())) == N_ITEMS
    assert '<a href="../items/G-0999/">' in html
    overview = read(big_site, "powers/index.html")
    assert f"本局权力事项 <strong>{N_ITEMS}</strong> 项" in overview


@pytest.fixture(scope="module")
def served(big_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(big_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.browser
def test_filter_by_type_and_text_then_open_an_item(served, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served + "powers/list/")
    counter = page.locator("#kb-pw-powers").locator("xpath=preceding::output[1]")
    page.wait_for_function("document.querySelector('.kb-pw-count').textContent.includes('1000')")
    assert counter.text_content() == f"显示 {N_ITEMS} / {N_ITEMS} 项"

    page.select_option('select[data-filter="type"]', "行政备案")
    page.fill('input[data-filter="q"]', "燃气")
    want = expected(generated_list(N_ITEMS), "行政备案", "燃气")
    page.wait_for_function(f"document.querySelector('.kb-pw-count').textContent === '显示 {len(want)} / {N_ITEMS} 项'")
    visible = page.locator("#kb-pw-powers tbody tr:not([hidden]) td:first-child").all_text_contents()
    assert visible == [str(i["事项编码"]) for i in want]
    assert "type=%E8%A1%8C%E6%94%BF%E5%A4%87%E6%A1%88" in page.url and "q=" in page.url

    # Sorting by code descending reverses the visible rows.
    header = page.locator('#kb-pw-powers th[data-sort="code"]')
    header.click()
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    visible = page.locator("#kb-pw-powers tbody tr:not([hidden]) td:first-child").all_text_contents()
    assert visible == [str(i["事项编码"]) for i in reversed(want)]

    # "导出当前结果" downloads exactly the rows on screen, in their order.
    with page.expect_download() as download:
        page.click('button[data-action="csv"]')
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "事项编码,事项名称,事项类型,承办科室,依据,承诺期限"
    assert [line.split(",")[0] for line in lines[1:]] == [str(i["事项编码"]) for i in reversed(want)]

    first = want[-1]
    page.locator("#kb-pw-powers tbody tr:not([hidden]) a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").text_content().strip() == first["事项名称"]
    details = page.locator("details.kb-pw-article").first
    assert not details.locator(".kb-pw-article-text").is_visible()
    details.locator("summary").click(position={"x": 2, "y": 2})
    assert details.locator(".kb-pw-article-text").is_visible()
    assert "施工许可证" in details.locator(".kb-pw-article-text").text_content()
    assert errors == []


@pytest.mark.browser
def test_filters_from_the_address_and_reset(served, browser):
    page = browser.new_page()
    page.goto(served + "powers/list/?type=行政许可&dept=城市建设科")
    items = generated_list(N_ITEMS)
    want = [i for i in items if i["事项类型"] == "行政许可" and i["承办科室"] == "城市建设科"]
    page.wait_for_function(f"document.querySelector('.kb-pw-count').textContent === '显示 {len(want)} / {N_ITEMS} 项'")
    assert page.locator('select[data-filter="dept"]').input_value() == "城市建设科"
    page.click('button[data-action="reset"]')
    page.wait_for_function(f"document.querySelector('.kb-pw-count').textContent === '显示 {N_ITEMS} / {N_ITEMS} 项'")
    assert page.locator("#kb-pw-powers tbody tr[hidden]").count() == 0
