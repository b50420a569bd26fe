"""Load every declared list under ``docs/lists/`` into ``corpus.lists`` and check each row.

A list is a folder ``docs/lists/<name>/`` with ``list.yaml`` (the declaration, maybe with inline
``rows:``) and any number of row files beside it: YAML (a list of rows), CSV (UTF-8 or GBK) or
``.xlsx``. A row's keys are the columns' keys, Chinese labels or aliases. A row that cannot be read
(missing title, a number that is not one, a choice not on the list) is left out and reported at its
line or row number; bases are resolved like every citation and every resolved article learns that
the entry rests on it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from kb_tools.frontmatter import read_text
from kb_tools.lists.bases import register_citing, resolve_basis
from kb_tools.lists.declaration import DECLARATION, read_declaration
from kb_tools.lists.grid import Grid, grids
from kb_tools.lists.model import Column, ColumnType, DeclaredList, Entry, LegalBasis, ListSpec, Role, Value
from kb_tools.lists.records import YAML_LOADER, Record, records_from_yaml, yaml_problem
from kb_tools.lists.tiers import Tier, parse_tiers
from kb_tools.problems import ContentProblem, KbError, Severity
from kb_tools.schema import unknown_key_hint

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

LISTS_DIR = "lists"
ROW_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
#: The kind under which entries appear in the cited-by lists of regulation pages.
CITING_KIND = "清单"
#: How many rows from the top of a sheet are searched for the header row.
HEADER_SCAN_ROWS = 20
PUBLIC_NAMES = ("public", "公开", "是否公开", "公开属性")
_TRUE = {"true", "yes", "是", "公开", "1", "y"}
_FALSE = {"false", "no", "否", "不公开", "依申请公开", "0", "n"}


def load(corpus: Corpus) -> None:
    """The corpus loader: read every ``docs/lists/*/list.yaml`` and the rows beside it."""
    corpus.lists = {}
    folder = corpus.docs_dir / LISTS_DIR
    if not folder.is_dir():
        return
    for declaration in sorted(folder.glob(f"*/{DECLARATION}")):
        rel = declaration.relative_to(corpus.docs_dir).as_posix()
        spec, inline = read_declaration(declaration, rel, corpus.problems)
        if spec is None:
            continue
        dlist = DeclaredList(spec, sources=[rel])
        records = records_from_yaml(inline, rel, corpus.problems, "list-yaml") if inline is not None else []
        for path in sorted(p for p in declaration.parent.iterdir()
                           if p.is_file() and p.suffix.lower() in ROW_SUFFIXES and p.name != DECLARATION):
            row_rel = path.relative_to(corpus.docs_dir).as_posix()
            dlist.sources.append(row_rel)
            records += read_row_file(spec, path, row_rel, corpus.problems)
        for record in records:
            entry = entry_from_record(spec, record, corpus.problems)
            if entry is not None:
                dlist.entries.append(entry)
        _check_codes(dlist, corpus.problems)
        resolve(dlist, corpus)
        if corpus.public_only:
            dlist.entries = [e for e in dlist.entries if e.public]
        corpus.lists[spec.name] = dlist


def read_row_file(spec: ListSpec, path: Path, rel: str, problems: list[ContentProblem]) -> list[Record]:
    """The rows of one data file beside ``list.yaml`` (YAML, CSV or .xlsx)."""
    if path.suffix.lower() in (".yaml", ".yml"):
        text, problem = read_text(path, rel)
        if text is None:
            problems.append(problem)  # type: ignore[arg-type]  # problem is set whenever the text is None
            return []
        try:
            root = yaml.compose(text, Loader=YAML_LOADER)
        except yaml.YAMLError as exc:
            problems.append(yaml_problem(rel, exc, "list-yaml"))
            return []
        if root is None:
            return []
        if isinstance(root, yaml.MappingNode):  # rows: [...] as in list.yaml
            root = next((v for k, v in root.value if str(k.value) == "rows"), root)
        return records_from_yaml(root, rel, problems, "list-yaml")
    try:
        sheets = grids(path, rel)
    except KbError as exc:
        problems.append(ContentProblem(rel, 0, str(exc), "请另存为 .xlsx 或 UTF-8 CSV。", code="list-file"))
        return []
    records: list[Record] = []
    found = False
    for sheet, grid in sheets:
        table = records_from_grid(spec, grid, rel, sheet)
        if table is not None:
            found = True
            records += table[1]
    if not found:
        problems.append(ContentProblem(
            rel, 1, f"没有找到含“{spec.title_column.label}”等列名的表头。",
            f"表头应使用清单声明中的列名：{'、'.join(c.label for c in spec.columns)}。", code="list-header"))
    return records


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s*＊:：]+", "", text).replace("(", "（").replace(")", "）")


def header_lookup(spec: ListSpec) -> dict[str, str]:
    """Header text (normalised) -> column key: keys, labels and aliases."""
    table: dict[str, str] = {}
    for column in spec.columns:
        for name in column.names:
            table.setdefault(_normalise_header(name), column.key)
    for name in PUBLIC_NAMES:
        table.setdefault(name, "public")
    return table


def records_from_grid(spec: ListSpec, grid: Grid, display: str, sheet: str = "") -> tuple[int, list[Record]] | None:
    """``(header row, rows)`` of a sheet, or None when no header row names the title column.

    The header is the row among the first ``HEADER_SCAN_ROWS`` with the most known column names
    (title rows and date lines above it are skipped); blank rows are skipped; a row keeps its
    1-based row number for messages.
    """
    lookup = header_lookup(spec)
    title_key = spec.title_column.key
    best: tuple[int, int] | None = None
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys = {lookup.get(_normalise_header(h)) for h in row} - {None}
        if title_key in keys and (best is None or len(keys) > best[1]):
            best = (index, len(keys))
    if best is None:
        return None
    index = best[0]
    columns = [(col, lookup[_normalise_header(h)]) for col, h in enumerate(grid[index])
               if _normalise_header(h) in lookup]
    where = f"{display}（工作表“{sheet}”）" if sheet else display
    records = []
    for offset, row in enumerate(grid[index + 1:]):
        number = index + 2 + offset
        if not any(c.strip() for c in row):
            continue
        record = Record(where, number, where=f"第 {number} 行：")
        for col, key in columns:
            text = row[col].strip() if col < len(row) else ""
            if text:
                record.values[key] = text
        records.append(record)
    return index + 1, records


def entry_from_record(spec: ListSpec, record: Record, problems: list[ContentProblem]) -> Entry | None:
    """An entry from a row, or None when the row cannot be read (problems say why, at its line)."""
    lookup = header_lookup(spec)
    by_key: dict[str, str] = {}
    ok = True
    for name in list(record.values):
        key = lookup.get(_normalise_header(name))
        if key is None:
            known = [c.key for c in spec.columns] + [c.label for c in spec.columns]
            problems.append(record.problem(name, f"未知字段“{name}”。", unknown_key_hint(name, known),
                                           "list-unknown-key"))
            continue
        by_key[key] = name
    values: dict[str, Value] = {}
    bases: dict[str, tuple[LegalBasis, ...]] = {}
    tiers: dict[str, tuple[Tier, ...]] = {}
    for column in spec.columns:
        field_name = by_key.get(column.key, "")
        text = (record.text(field_name) or "") if field_name else ""
        if not text:
            if column.required:
                problems.append(record.problem(
                    field_name, f"缺少“{column.label}”。",
                    f"请填写“{column.label}”；导入表格时请确认该列有表头且本行该格不为空。", "list-missing-field"))
                ok = False
            continue
        if column.role is Role.BASIS:
            bases[column.key] = tuple(LegalBasis(column.label, t, line=n) for t, n in record.numbered_lines(field_name))
            continue
        if column.type is ColumnType.TIERS:
            found, wrong = parse_tiers(record.values[field_name], _element_lines(record, field_name))
            for line, message, hint in wrong:
                problems.append(ContentProblem(record.path, line, f"{record.where}{message}", hint,
                                               code="list-bad-tier"))
            if wrong:
                ok = False
                continue
            tiers[column.key] = tuple(found)
            continue
        value, why = convert(column, text)
        if why:
            problems.append(record.problem(field_name, why[0], why[1], "list-bad-value"))
            ok = False
            continue
        values[column.key] = value
    public = True
    if "public" in by_key:
        text = record.text(by_key["public"]).lower()
        if text in _FALSE:
            public = False
        elif text not in _TRUE:
            problems.append(record.problem(by_key["public"], f"“公开”的值“{text}”无法识别。", "请写“是”或“否”。",
                                           "list-bad-value"))
    if not ok:
        return None
    key_lines = {}
    for key, name in by_key.items():
        key_lines[key] = record.line_of(name)
    return Entry(spec=spec, values=values, bases=bases, tiers=tiers, public=public, source=record.path,
                 line=record.line, sample=spec.sample, key_lines=key_lines)


def _element_lines(record: Record, key: str) -> list[int]:
    """The line of each element of a list-valued field (the field's line for a text cell)."""
    value = record.values.get(key, "")
    if not isinstance(value, list):
        return [record.line_of(key)]
    return [record.key_lines.get(f"{key}#{index}", record.line_of(key)) for index in range(len(value))]


_NUMBER_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?$")


def convert(column: Column, text: str) -> tuple[Value, tuple[str, str] | None]:
    """A cell's text as the column's type, or the problem ``(message, hint)``.

    >>> convert(Column("n", "金额", ColumnType.NUMBER), "1,200")
    (1200, None)
    >>> convert(Column("d", "日期", ColumnType.DATE), "2024年5月1日")
    (datetime.date(2024, 5, 1), None)
    """
    if column.type is ColumnType.NUMBER:
        clean = text.replace(",", "").replace("，", "").replace(" ", "")
        if not _NUMBER_RE.match(clean):
            return text, (f"“{column.label}”的值“{text}”不是数字。", "请只填数字，例如 12 或 3.5（单位写在列名里）。")
        return (float(clean) if "." in clean else int(clean)), None
    if column.type is ColumnType.DATE:
        match = _DATE_RE.match(text.strip())
        try:
            if match is None:
                raise ValueError(text)
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))), None
        except ValueError:
            return text, (f"“{column.label}”的值“{text}”不是日期。", "请按 2024-05-01 或 2024年5月1日 的格式填写。")
    if column.type is ColumnType.CHOICE:
        value = "".join(text.split())
        if value not in column.choices:
            return text, (f"“{column.label}”的值“{text}”不在可选值中。", f"可选：{'、'.join(column.choices)}。")
        return value, None
    return text, None


def _check_codes(dlist: DeclaredList, problems: list[ContentProblem]) -> None:
    label = dlist.spec.code.label
    seen: dict[str, Entry] = {}
    pages: dict[str, Entry] = {}
    for entry in dlist.entries:
        first = seen.setdefault(entry.code, entry)
        if first is not entry:
            problems.append(ContentProblem(
                entry.source, entry.line_of(dlist.spec.code.key),
                f"{label}“{entry.code}”重复：{first.source}:{first.line} 的“{first.title}”已使用。",
                "每项的编码必须唯一（页面地址由编码生成）。", code="list-duplicate-code"))
            continue
        other = pages.setdefault(entry.src_uri, entry)
        if other is not entry:
            problems.append(ContentProblem(
                entry.source, entry.line_of(dlist.spec.code.key),
                f"{label}“{entry.code}”与“{other.code}”生成相同的页面地址 {entry.src_uri[:-3]}/。",
                "页面地址只保留编码中的字母、数字和 - _ .；请调整其中一个编码。", code="list-duplicate-code"))
    keep = {id(e) for e in seen.values()}
    dlist.entries = [e for e in dlist.entries if id(e) in keep]


def resolve(dlist: DeclaredList, corpus: Corpus) -> None:
    """Resolve every basis, report what is wrong with it, and record the entry as citing."""
    from kb_tools.citations.resolver import CitingRef

    columns = dlist.spec.basis_columns
    for entry in dlist.entries:
        if columns and not entry.all_bases:
            corpus.problems.append(ContentProblem(
                entry.source, entry.line, f"“{entry.title}”没有填写{'或'.join(c.label for c in columns)}。",
                "请写明依据的法规和条款，例如《中华人民共和国建筑法》第七条。", severity=Severity.WARNING,
                code="list-no-basis"))
        citing = None if corpus.public_only and not entry.public else CitingRef(
            CITING_KIND, f"{entry.title}（{dlist.spec.title}）", entry.src_uri)
        for column in columns:
            entry.bases[column.key] = tuple(
                resolve_basis(b, corpus, title=entry.title, source=entry.source,
                              line=entry.line_of(column.key), prefix="list", citing=citing)
                for b in entry.bases.get(column.key, ()))
        if citing is not None:
            register_citing(corpus, entry.all_bases, citing, entry.title)
