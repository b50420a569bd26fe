"""CSV and .xlsx exports of list tables, one implementation for the power list and declared lists.

Text cells that start with = + - @ are neutralised (``kb_tools.text.neutralise_cell``) so a
downloaded list never runs a formula; numbers stay numbers and dates stay dates. CSV carries a
byte-order mark so that Excel opens the Chinese text correctly. A workbook is byte-reproducible:
its document dates and the timestamps inside the zip are the corpus date, so two builds of the
same content produce the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING

from kb_tools.cache import content_key
from kb_tools.lists.model import display
from kb_tools.text import neutralise_cell
from kb_tools.xlsx import workbook_bytes

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.lists.model import DeclaredList, Entry

Cell = str | int | float | dt.date
Row = Sequence[Cell]


def _safe(value: Cell) -> Cell:
    return neutralise_cell(value) if isinstance(value, str) else value


def to_csv(headers: Sequence[str], rows: Iterable[Row]) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel reads it as UTF-8 only with the mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_safe(c) if isinstance(c, str) else display(c) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers: Sequence[str], rows: Iterable[Row], *, title: str, today: dt.date,
            widths: Mapping[str, int] | None = None) -> bytes:
    """A workbook with one sheet: bold frozen header, wrapped text, filters on the header
    (:func:`kb_tools.xlsx.workbook_bytes`).

    Text cells are neutralised and stored as text; numbers stay numbers, dates stay dates.
    """
    return workbook_bytes([neutralise_cell(h) for h in headers], ([_safe(c) for c in row] for row in rows),
                          title=sheet_title(title), today=today,
                          widths=[(widths or {}).get(header, 14) for header in headers])


def export_headers(dlist: DeclaredList) -> list[str]:
    """The columns of a declared list's export: every column's label, then 公开."""
    return [c.label for c in dlist.spec.columns] + ["公开"]


def entry_row(entry: Entry) -> list[Cell]:
    """One entry as export cells: typed values as they are, bases one per line."""
    cells: list[Cell] = []
    for column in entry.spec.columns:
        value = entry.values.get(column.key)
        cells.append(value if value is not None and column.role is None else entry.text(column.key))
    cells.append("是" if entry.public else "否")
    return cells


def export_paths(name: str, title: str) -> dict[str, tuple[str, str]]:
    """``{"csv"|"xlsx": (path below the site, download name)}`` of one declared list."""
    return {ext: (f"lists/{name}/export/{name}.{ext}", f"{title}.{ext}") for ext in ("xlsx", "csv")}


def export_files(corpus: Corpus) -> Iterable[tuple[str, bytes]]:
    """The file generator of the lists feature: CSV and .xlsx of every declared list."""
    for name, dlist in corpus.lists.items():
        headers = export_headers(dlist)
        rows = [entry_row(e) for e in dlist.entries]
        paths = export_paths(name, dlist.spec.title)
        yield paths["csv"][0], to_csv(headers, rows)
        widths = {c.label: 36 if c.role else 16 for c in dlist.spec.columns}
        key = content_key(headers, rows, dlist.spec.title, corpus.today, widths)  # unchanged list: same bytes
        yield paths["xlsx"][0], corpus.sources.derived("list-xlsx", key, partial(
            to_xlsx, headers, rows, title=dlist.spec.title, today=corpus.today, widths=widths))


_SHEET_NAME_SAFE = str.maketrans("[]:*?/\\", "()：-？--")


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: none of ``[]:*?/\\``, at most 31 characters, never empty.

    The list's title comes from a data file, so it may hold any character.

    >>> sheet_title("重大行政决策目录[2026]/示例")
    '重大行政决策目录(2026)-示例'
    """
    cleaned = title.translate(_SHEET_NAME_SAFE)
    cleaned = "".join(ch for ch in cleaned if ch.isprintable()).strip("' ")
    return cleaned[:31] or "清单"

