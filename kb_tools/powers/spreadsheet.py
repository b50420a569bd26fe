"""Read the power list as government systems export it (.xlsx, .csv) and write it as YAML.

Exported lists are made for printing, not for machines: a title row or two above the header,
headers that vary from system to system (事项名称 / 权力名称 / 名称 …), 事项类型 in a merged cell
spanning all rows of its group (or as a heading row ``一、行政许可（12项）``), blank spacer rows,
CSV saved as GBK by Excel. This module finds the header, maps the columns to the fields of
``model.POWER_FIELDS`` / ``INSPECTION_FIELDS``, fills merged cells, and keeps every row it cannot
read as a problem that names the row number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb_tools.lists.grid import csv_grid, xlsx_grids
from kb_tools.lists.grid import decode_csv as decode_csv
from kb_tools.lists.records import Record
from kb_tools.powers.model import (
    INSPECTION_FIELDS,
    INSPECTIONS_KEY,
    POWER_FIELDS,
    POWERS_KEY,
    FieldSpec,
    InspectionItem,
    PowerItem,
    parse_type,
)
from kb_tools.powers.records import inspection_item, power_item
from kb_tools.problems import ContentProblem, KbError
from kb_tools.text import clean_text

#: How many rows from the top are searched for the header row.
HEADER_SCAN_ROWS = 20
#: Headers that mark a sheet as an inspection list (they never occur in a power list).
_INSPECTION_MARKERS = {"检查对象", "检查方式"}
_IGNORED_HEADERS = {"序号", "编号序号", "序", "no", "no."}
_SECTION_RE = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*|[（(]\s*(?:共)?\s*\d+\s*项\s*[）)]\s*$|[：:]$")


@dataclass
class Table:
    """The rows of one sheet (or CSV file) that hold a power or inspection list.

    Attributes:
        kind: ``powers`` or ``inspections``.
        sheet: the sheet name ("" for CSV).
        header_row: 1-based row number of the header.
        columns: header text -> field key, for the columns that were recognised.
        records: the rows that could be read, each with its row number.
        problems: rows that could not be read, with their row numbers.
        notes: what the reader did on the user's behalf (ignored columns, filled cells).
    """

    kind: str
    sheet: str
    header_row: int
    columns: dict[str, str] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: int = 0


def normalise_header(text: str) -> str:
    """Header text without spaces, line breaks, ``*`` markers and punctuation around it.

    >>> normalise_header(" 事项名称\\n（主项）* ")
    '事项名称（主项）'
    """
    text = re.sub(r"[\s*＊:：]+", "", text)
    return text.replace("(", "（").replace(")", "）")


def _lookup(fields: tuple[FieldSpec, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for spec in fields:
        for name in (spec.key, *spec.aliases):
            table.setdefault(name, spec.key)
    return table


_POWER_LOOKUP = _lookup(POWER_FIELDS)
_INSPECTION_LOOKUP = _lookup(INSPECTION_FIELDS)


def map_header(text: str, lookup: dict[str, str]) -> str | None:
    """The field a column header means, or None.

    ``事项名称（子项）`` is tried as written (``事项名称子项``), then without the bracket (``事项名称``).

    >>> map_header("权力名称", _POWER_LOOKUP)
    '事项名称'
    >>> map_header("法定期限（工作日）", _POWER_LOOKUP)
    '法定期限'
    >>> map_header("事项名称（子项）", _POWER_LOOKUP)
    '子项'
    """
    norm = normalise_header(text)
    if not norm:
        return None
    for candidate in (norm.replace("（", "").replace("）", ""), re.sub(r"（[^）]*）", "", norm)):
        if candidate in lookup:
            return lookup[candidate]
    return None


def _kind_of(header: list[str]) -> tuple[str, int]:
    """Which list a header row belongs to, and how many of its cells are known columns."""
    mapped_p = [map_header(h, _POWER_LOOKUP) for h in header]
    mapped_i = [map_header(h, _INSPECTION_LOOKUP) for h in header]
    if any(m in _INSPECTION_MARKERS for m in mapped_i):
        return "inspections", len({m for m in mapped_i if m})
    return "powers", len({m for m in mapped_p if m})


def table_from_grid(grid: list[list[str]], display: str, sheet: str = "") -> Table | None:
    """Find the header in a grid of cell texts and read the rows under it.

    Returns:
        The table, or None when no row of the first ``HEADER_SCAN_ROWS`` looks like a header
        (fewer than two known columns, or no name column).
    """
    best: tuple[int, int, str] | None = None
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        kind, score = _kind_of(row)
        lookup = _POWER_LOOKUP if kind == "powers" else _INSPECTION_LOOKUP
        has_name = any(map_header(h, lookup) in ("事项名称", "检查事项名称") for h in row)
        if score >= 2 and has_name and (best is None or score > best[1]):
            best = (index, score, kind)
    if best is None:
        return None
    index, _, kind = best
    table = Table(kind, sheet, index + 1)
    fields = POWER_FIELDS if kind == "powers" else INSPECTION_FIELDS
    lookup = _POWER_LOOKUP if kind == "powers" else _INSPECTION_LOOKUP
    multi = {f.key for f in fields if f.multi}
    columns: list[tuple[int, str]] = []
    for col, header in enumerate(grid[index]):
        key = map_header(header, lookup)
        if key:
            columns.append((col, key))
            table.columns[header.strip()] = key
        elif header.strip() and normalise_header(header).lower() not in _IGNORED_HEADERS:
            table.notes.append(f"未识别的列“{header.strip()}”已忽略。")
    where = f"{display}（工作表“{sheet}”）" if sheet else display
    last_type = ""
    filled = 0
    for offset, row in enumerate(grid[index + 1:]):
        number = index + 2 + offset
        cells = [c for c in row if c.strip()]
        if not cells:
            continue
        if len(set(cells)) == 1 and len(columns) > 1:
            heading = _SECTION_RE.sub("", cells[0].strip()).strip()
            if parse_type(heading):
                last_type = parse_type(heading).value  # type: ignore[union-attr]  # a heading row and a power row always carry a known type
            else:
                table.notes.append(f"第 {number} 行“{cells[0].strip()[:30]}”不是事项，已跳过。")
            continue
        values: dict[str, list[str]] = {}
        for col, key in columns:
            text = row[col].strip() if col < len(row) else ""
            if text and text not in values.setdefault(key, []):
                values[key].append(text)
        record = Record(where, number, where=f"第 {number} 行：")
        for key, texts in values.items():
            if texts:
                record.values[key] = texts if key in multi else "\n".join(texts)
        if kind == "powers":
            if not record.text("事项类型") and last_type:
                record.values["事项类型"] = last_type
                filled += 1
            last_type = record.text("事项类型") or last_type
            item: PowerItem | InspectionItem | None = power_item(record, table.problems)
        else:
            item = inspection_item(record, table.problems)
        if item is None:
            table.skipped += 1
            continue
        if kind == "powers":
            record.values["事项类型"] = item.type.value  # type: ignore[union-attr]  # a heading row and a power row always carry a known type
        table.records.append(record)
    if filled:
        table.notes.append(f"{filled} 行的事项类型为空，沿用了上方的分组或上一行（合并单元格）。")
    return table


def read_xlsx(path: Path, display: str) -> list[Table]:
    """Every sheet of a workbook that holds a list; merged cells are filled with their value."""
    return [t for title, grid in xlsx_grids(path, display) if (t := table_from_grid(grid, display, title))]


def read_csv(path: Path, display: str) -> list[Table]:
    table = table_from_grid(csv_grid(path), display)
    return [table] if table is not None else []


def read_table_file(path: Path, display: str | None = None) -> list[Table]:
    """The lists in a .xlsx or .csv file."""
    display = display or path.name
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, display)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, display)
    if suffix == ".xls":
        raise KbError(f"{display} 是旧版 .xls 文件：请在 Excel 中“另存为” .xlsx 或 CSV（UTF-8）后再导入。")
    raise KbError(f"{display}：只能导入 .xlsx 或 .csv 文件。")


@dataclass
class ImportResult:
    """What ``kb import-powers`` did.

    Attributes:
        output: the YAML file written (None when nothing could be read).
        tables: the lists found, with their notes and unreadable rows.
    """

    source: Path
    output: Path | None
    tables: list[Table]

    @property
    def problems(self) -> list[ContentProblem]:
        return [p for t in self.tables for p in t.problems]

    def count(self, kind: str) -> int:
        return sum(len(t.records) for t in self.tables if t.kind == kind)


def import_powers(source: Path, docs_dir: Path, *, output: Path | None = None,
                  overwrite: bool = False) -> ImportResult:
    """Read a spreadsheet export and write its rows to ``docs/powers/<name>.yaml``.

    Args:
        source: the .xlsx or .csv file.
        docs_dir: the site's docs directory.
        output: the YAML file to write (default ``docs/powers/<source stem>.yaml``).
        overwrite: replace an existing output file.

    Raises:
        KbError: unreadable file, no list found, or output exists without ``overwrite``.
    """
    if not source.is_file():
        raise KbError(f"文件 {source} 不存在。")
    tables = read_table_file(source)
    if not tables:
        raise KbError(f"{source.name} 中没有找到权力清单或检查事项表："
                      f"前 {HEADER_SCAN_ROWS} 行中没有含“事项名称”等列名的表头。")
    target = output or docs_dir / "powers" / f"{source.stem}.yaml"
    if target.exists() and not overwrite:
        raise KbError(f"{target} 已存在：如要替换请加 --overwrite，或用 --output 指定其他文件名。")
    data: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        key = POWERS_KEY if table.kind == "powers" else INSPECTIONS_KEY
        fields = POWER_FIELDS if table.kind == "powers" else INSPECTION_FIELDS
        data.setdefault(key, []).extend(_ordered(r, fields) for r in table.records)
    if not any(data.values()):
        return ImportResult(source, None, tables)
    target.parent.mkdir(parents=True, exist_ok=True)
    name = " ".join(clean_text(source.name).split())  # a comment line: no line break from the name
    header = (f"# 由 kb import-powers 从 {name} 导入（{dt.date.today().isoformat()}）。\n"
              "# 可直接编辑；字段说明见“权力清单”栏目首页。修改后运行 kb check 检查依据能否解析。\n")
    target.write_text(header + dump_yaml(data), encoding="utf-8")
    return ImportResult(source, target, tables)


def _ordered(record: Record, fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in fields:
        if spec.multi:
            lines = record.lines(spec.key)
            if lines:
                out[spec.key] = lines
        elif record.text(spec.key):
            out[spec.key] = record.text(spec.key)
    return out


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so a legal officer edits paragraphs, not escaped strings."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: dict[str, Any]) -> str:
    """The data file text: Chinese as is, keys in field order, long lines unwrapped."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, indent=2)
