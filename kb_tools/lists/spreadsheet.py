"""``kb import-list NAME FILE``: a spreadsheet (.xlsx / .csv, UTF-8 or GBK) into a declared list's rows.

The header is found by the list's own column labels (and aliases) below any title rows. Each row
is judged exactly as the loader judges it (``loader.entry_from_record``): good rows are written to
``docs/lists/<name>/rows.yaml``, bad rows are listed with their row numbers and what to fix, and
the command exits non-zero when there were any.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb_tools.lists.declaration import DECLARATION, read_declaration
from kb_tools.lists.grid import grids
from kb_tools.lists.loader import HEADER_SCAN_ROWS, LISTS_DIR, entry_from_record, records_from_grid
from kb_tools.lists.model import ColumnType, Entry, ListSpec, Role
from kb_tools.lists.tiers import Tier
from kb_tools.problems import ContentProblem, KbError

ROWS_FILE = "rows.yaml"


@dataclass
class ListImport:
    """What ``kb import-list`` did.

    Attributes:
        spec: the list imported into.
        output: the rows file written (None when no row could be read).
        sheets: ``(sheet title, header row, rows read)`` of every sheet that held the list.
        entries: the rows written.
        problems: the rows left out (and cells ignored), with their row numbers.
    """

    spec: ListSpec
    source: Path
    output: Path | None = None
    sheets: list[tuple[str, int, int]] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)


def import_list(name: str, source: Path, docs_dir: Path, *, overwrite: bool = False) -> ListImport:
    """Read ``source`` into ``docs/lists/<name>/rows.yaml``.

    Raises:
        KbError: no such list (or its declaration has errors), unreadable file, no header row,
            or the rows file exists without ``overwrite``.
    """
    declaration = docs_dir / LISTS_DIR / name / DECLARATION
    if not declaration.is_file():
        known = sorted(p.parent.name for p in (docs_dir / LISTS_DIR).glob(f"*/{DECLARATION}"))
        hint = f"已有的清单：{'、'.join(known)}。" if known else f"请先在 {declaration} 中声明清单。"
        raise KbError(f"没有名为“{name}”的清单（{declaration} 不存在）。{hint}")
    problems: list[ContentProblem] = []
    spec, _ = read_declaration(declaration, declaration.relative_to(docs_dir).as_posix(), problems)
    if spec is None:
        raise KbError(f"清单声明有错误，请先修改：{problems[0].format()}")
    if not source.is_file():
        raise KbError(f"文件 {source} 不存在。")
    result = ListImport(spec, source)
    for sheet, grid in grids(source):
        found = records_from_grid(spec, grid, source.name, sheet)
        if found is None:
            continue
        header, records = found
        before = len(result.entries)
        for record in records:
            entry = entry_from_record(spec, record, result.problems)
            if entry is not None:
                result.entries.append(entry)
        result.sheets.append((sheet, header, len(result.entries) - before))
    if not result.sheets:
        raise KbError(f"{source.name} 中没有找到清单表：前 {HEADER_SCAN_ROWS} 行中没有含“{spec.title_column.label}”"
                      f"等列名的表头（应为：{'、'.join(c.label for c in spec.columns)}）。")
    target = declaration.parent / ROWS_FILE
    if target.exists() and not overwrite:
        raise KbError(f"{target} 已存在：如要替换请加 --overwrite。")
    if not result.entries:
        return result
    comment = (f"# 由 kb import-list 从 {source.name} 导入（{dt.date.today().isoformat()}）。\n"
               "# 可直接编辑；修改后运行 kb check 检查依据能否解析。\n")
    rows = [row_data(e) for e in result.entries]
    target.write_text(comment + yaml.dump(rows, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000),
                      encoding="utf-8")
    result.output = target
    return result


def row_data(entry: Entry) -> dict[str, Any]:
    """An entry as a YAML row keyed by the Chinese labels: numbers as numbers, bases as lists."""
    out: dict[str, Any] = {}
    for column in entry.spec.columns:
        if column.role is Role.BASIS:
            lines = [b.text for b in entry.bases.get(column.key, ())]
            if lines:
                out[column.label] = lines
            continue
        if column.type is ColumnType.TIERS:
            tiers = [_tier_data(t) for t in entry.tiers.get(column.key, ())]
            if tiers:
                out[column.label] = tiers
            continue
        value = entry.values.get(column.key)
        if value is None:
            continue
        if column.type is ColumnType.NUMBER:
            out[column.label] = value
        else:
            out[column.label] = entry.text(column.key)
    if not entry.public:
        out["公开"] = "否"
    return out


def _tier_data(tier: Tier) -> dict[str, str]:
    """A 裁量档次 as the YAML mapping the loader reads back (档次, 情节, 幅度, 其他处罚)."""
    out = {"档次": tier.level, "情节": tier.circumstances, "幅度": tier.range_text}
    if tier.others:
        out["其他处罚"] = tier.others
    return out


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so a legal officer edits paragraphs, not escaped strings."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
