"""Spreadsheets as grids of cell texts: .xlsx sheets (merged cells filled) and CSV (UTF-8 or GBK).

Both the power list importer and declared lists read their files through here, so a cell means
the same everywhere: whole numbers without ``.0``, dates as ISO, full-width spaces as spaces.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from kb_tools.importing.limits import check_archive, check_size, unreadable
from kb_tools.problems import KbError
from kb_tools.text import clean_text

Grid = list[list[str]]


def cell_text(value: Any) -> str:
    """One cell as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return clean_text(text.replace("\u3000", " ")).strip()  # no NUL bytes reach the YAML written


def xlsx_grids(path: Path, display: str) -> list[tuple[str, Grid]]:
    """``(sheet title, grid)`` of every sheet; a merged range repeats its value in every cell."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_archive(path, "Excel 工作簿（.xlsx）")  # random bytes, a zip bomb: one line, no traceback
    try:
        workbook = load_workbook(path, data_only=True)
    except InvalidFileException as exc:
        raise KbError(f"无法读取 {display}：{exc}（请确认是 .xlsx 文件；.xls 请先在 Excel 中另存为 .xlsx）") from exc
    except Exception as exc:  # broken XML inside the archive: openpyxl and lxml raise many kinds
        raise unreadable(path, "Excel 工作簿（.xlsx）", exc) from exc
    out = []
    for sheet in workbook.worksheets:
        grid = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = cell_text(sheet.cell(merged.min_row, merged.min_col).value)
            for r in range(merged.min_row, merged.max_row + 1):
                if r - 1 >= len(grid):
                    break
                line = grid[r - 1]
                for c in range(merged.min_col, merged.max_col + 1):
                    if c - 1 < len(line):
                        line[c - 1] = value
        out.append((sheet.title, grid))
    return out


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else GBK/GB18030 as Excel saves it in China."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise KbError("CSV 文件既不是 UTF-8 也不是 GBK 编码：请在 Excel 中“另存为 CSV UTF-8”后再试。") from exc


def csv_grid(path: Path) -> Grid:
    """The cells of a CSV file (delimiter sniffed: comma, tab or semicolon)."""
    check_size(path)
    try:
        text = decode_csv(path.read_bytes())
    except KbError as exc:
        raise KbError(f"{path}: {exc}") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[cell_text(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def grids(path: Path, display: str | None = None) -> list[tuple[str, Grid]]:
    """The sheets of a .xlsx file or the one grid of a CSV file (sheet title "")."""
    display = display or path.name
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [("", csv_grid(path))]
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_grids(path, display)
    if suffix == ".xls":
        raise KbError(f"{display} 是旧版 .xls 文件：请在 Excel 中“另存为” .xlsx 或 CSV（UTF-8）后再导入。")
    raise KbError(f"{display}：只能导入 .xlsx 或 .csv 文件。")
