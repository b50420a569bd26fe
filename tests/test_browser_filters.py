"""Filters that narrow each other, in a real browser, on the power list and on a declared list.

Choosing a value in one drop-down leaves in every other drop-down only the values that still
have rows (given all other filters and the text box), so no choice empties the table; “全部” and
“清除” bring the options back, and a filter from the address narrows the others on load.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import yaml

from tests.browser import serve
from tests.conftest import BUILDING_LAW, make_config, run_build, write_files

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
#: (code, name, type, department): types and departments go together, not every pair exists.
ITEMS = [
    ("P-1", "施工许可证核发", "行政许可", "建筑业管理科"),
    ("P-2", "建筑业企业资质许可", "行政许可", "建筑业管理科"),
    ("P-3", "城市道路占用许可", "行政许可", "城市建设科"),
    ("P-4", "竣工验收备案", "行政备案", "质量安全监管科"),
    ("P-5", "施工图审查备案", "行政备案", "质量安全监管科"),
    ("P-6", "商品房预售资金监管确认", "行政确认", "房地产市场监管科"),
]
TYPES = {i[2] for i in ITEMS}
DEPTS = {i[3] for i in ITEMS}

LIST = """\
title: 执法事项目录
columns:
  - key: code
    label: 编号
    role: code
  - key: name
    label: 事项
    role: title
  - key: category
    label: 执法类别
    type: choice
    choices: [行政处罚, 行政强制, 行政检查]
    filter: true
  - key: area
    label: 领域
    filter: true
  - key: basis
    label: 依据
    role: basis
"""
ROWS = """\
- {编号: L-1, 事项: 甲, 执法类别: 行政处罚, 领域: 建筑市场, 依据: 《中华人民共和国建筑法》第七条}
- {编号: L-2, 事项: 乙, 执法类别: 行政处罚, 领域: 物业管理, 依据: 《中华人民共和国建筑法》第七条}
- {编号: L-3, 事项: 丙, 执法类别: 行政强制, 领域: 建筑市场, 依据: 《中华人民共和国建筑法》第八条}
- {编号: L-4, 事项: 丁, 执法类别: 行政检查, 领域: 燃气, 依据: 《中华人民共和国建筑法》第八条}
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("filters-site")
    powers = {"权力事项": [{"事项编码": c, "事项名称": n, "事项类型": t, "承办科室": d,
                           "设定依据": ["《中华人民共和国建筑法》第七条"]} for c, n, t, d in ITEMS]}
    write_files(root / "docs", {
        "index.md": "# 首页\n", "laws/建筑法.md": BUILDING_LAW,
        "powers/list.yaml": yaml.safe_dump(powers, allow_unicode=True, sort_keys=False),
        "lists/enforcement/list.yaml": LIST, "lists/enforcement/rows.yaml": ROWS,
    })
    site = run_build(make_config(root, {"search_index": False}), strict=True)
    with serve(site) as url:
        yield url


@pytest.fixture(params=list(SIZES))
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def offered(page: object, name: str) -> list[str]:
    """The values a drop-down offers now, in its order (“全部” is the empty value)."""
    return page.locator(f'select[data-filter="{name}"]').evaluate(
        "s => [...s.options].filter(o => !o.hidden && !o.disabled).map(o => o.value)")


def every(page: object, name: str, values: set[str]) -> bool:
    """Whether the drop-down offers “全部” and exactly ``values`` (the build orders them)."""
    now = offered(page, name)
    return now[0] == "" and len(now) == len(values) + 1 and set(now[1:]) == values


def shown(page: object, table: str) -> list[str]:
    return page.locator(f"#{table} tbody tr:not([hidden]) td:first-child").all_inner_texts()


def ready(page: object) -> None:
    page.wait_for_selector("form.kb-pw-filters.kb-pw-ready")


def test_choosing_a_type_limits_the_departments_and_all_restores_them(page, site_url):
    page.goto(site_url + "powers/list/")
    ready(page)
    assert every(page, "type", TYPES) and every(page, "dept", DEPTS)
    page.select_option('select[data-filter="type"]', "行政备案")
    assert offered(page, "dept") == ["", "质量安全监管科"]
    assert every(page, "type", TYPES)  # its own options depend on the other filters only
    page.select_option('select[data-filter="dept"]', "质量安全监管科")
    assert offered(page, "type") == ["", "行政备案"]
    assert shown(page, "kb-pw-powers") == ["P-4", "P-5"]
    page.select_option('select[data-filter="type"]', "")  # 全部
    assert every(page, "dept", DEPTS)
    assert offered(page, "type") == ["", "行政备案"]  # still limited by the department chosen
    page.click('button[data-action="reset"]')
    assert every(page, "type", TYPES) and every(page, "dept", DEPTS)
    assert len(shown(page, "kb-pw-powers")) == len(ITEMS)


def test_no_offered_choice_leads_to_an_empty_table(page, site_url):
    page.goto(site_url + "powers/list/")
    ready(page)
    for first in TYPES:
        page.select_option('select[data-filter="type"]', first)
        for dept in offered(page, "dept"):
            page.select_option('select[data-filter="dept"]', dept)
            rows = shown(page, "kb-pw-powers")
            want = [c for c, _, t, d in ITEMS if t == first and (not dept or d == dept)]
            assert rows == want and rows
        page.select_option('select[data-filter="dept"]', "")


def test_the_text_box_narrows_the_drop_downs_too(page, site_url):
    page.goto(site_url + "powers/list/")
    ready(page)
    page.fill('input[data-filter="q"]', "备案")
    page.wait_for_function("document.querySelector('.kb-pw-count').textContent.startsWith('显示 2 ')")
    assert offered(page, "type") == ["", "行政备案"] and offered(page, "dept") == ["", "质量安全监管科"]


def test_a_filter_from_the_address_narrows_the_others_on_load(page, site_url):
    page.goto(site_url + "powers/list/?type=" + "行政许可")
    ready(page)
    assert page.locator('select[data-filter="type"]').input_value() == "行政许可"
    assert every(page, "dept", {"建筑业管理科", "城市建设科"})
    assert shown(page, "kb-pw-powers") == ["P-1", "P-2", "P-3"]
    page.select_option('select[data-filter="dept"]', "城市建设科")
    assert "type=" in page.url and "dept=" in page.url
    assert shown(page, "kb-pw-powers") == ["P-3"]


def test_declared_lists_narrow_the_same_way(page, site_url):
    page.goto(site_url + "lists/enforcement/")
    ready(page)
    assert every(page, "area", {"建筑市场", "物业管理", "燃气"})
    page.select_option('select[data-filter="category"]', "行政处罚")
    assert every(page, "area", {"建筑市场", "物业管理"})
    page.select_option('select[data-filter="area"]', "物业管理")
    assert offered(page, "category") == ["", "行政处罚"]
    assert shown(page, "kb-list-enforcement") == ["L-2"]
    for category, area in itertools.product(["", "行政处罚", "行政强制", "行政检查"], ["", "燃气"]):
        page.select_option('select[data-filter="area"]', "")
        page.select_option('select[data-filter="category"]', category)
        if area in offered(page, "area"):
            page.select_option('select[data-filter="area"]', area)
            assert shown(page, "kb-list-enforcement")
