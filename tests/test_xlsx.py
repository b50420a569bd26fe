"""The workbook writer of the exports, read back with openpyxl (as Excel users' tools read it)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import load_workbook

from kb_tools.xlsx import column_letter, workbook_bytes

TODAY = dt.date(2026, 11, 26)


def _book(rows: list[list[object]], **kwargs: object):
    data = workbook_bytes(["名称", "数量", "日期"], rows, title=str(kwargs.pop("title", "清单")), today=TODAY,
                          widths=[30, 8, 12])
    return data, load_workbook(io.BytesIO(data))


def test_header_body_types_and_layout():
    _data, book = _book([["=1+1", 3, dt.date(2026, 1, 2)], ["  前后空格 ", 2.5, None], ["甲\x00乙\n丙", 0, ""]])
    sheet = book.active
    assert sheet.title == "清单"
    assert [c.value for c in sheet[1]] == ["名称", "数量", "日期"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert sheet.column_dimensions["A"].width == 30
    first = sheet[2]
    assert first[0].value == "=1+1" and first[0].data_type == "s"  # text, never a formula
    assert first[1].value == 3 and first[1].data_type == "n"
    assert first[2].value == dt.datetime(2026, 1, 2) and first[2].number_format == "yyyy-mm-dd"
    assert first[0].alignment.wrap_text and first[0].alignment.vertical == "top"
    assert sheet["A3"].value == "  前后空格 " and sheet["B3"].value == 2.5 and sheet["C3"].value is None
    assert sheet["A4"].value == "甲乙\n丙"  # XML cannot carry a NUL: dropped
    assert sheet.max_row == 4


def test_same_content_same_bytes_dated_by_the_status_date():
    first, _ = _book([["甲", 1, TODAY]])
    second, _ = _book([["甲", 1, TODAY]])
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2026, 11, 26)}
        assert archive.namelist()[0] == "[Content_Types].xml"
    _, book = _book([["甲", 1, TODAY]])
    assert book.properties.creator == "法规知识库"
    assert book.properties.created == dt.datetime(2026, 11, 26)


def test_markup_in_cells_and_title_is_text():
    _, book = _book([['<script>alert(1)</script> & "引号"', 1, None]], title="O'Neil & <清单>")
    sheet = book.active
    assert sheet.title == "O'Neil & <清单>"
    assert sheet["A2"].value == '<script>alert(1)</script> & "引号"'


def test_column_letters():
    assert [column_letter(i) for i in (1, 2, 26, 27, 52, 53, 702, 703)] == \
        ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
