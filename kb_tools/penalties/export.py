"""The 罚则索引 downloads: ``laws/penalties/penalties.csv``, ``.xlsx`` and ``penalties.json``.

CSV and the workbook have one row per sanction (an article read only in part has a row for what
could not be read), so a spreadsheet can filter by kind and sort by amount; bounds stay numbers.
A text cell that a spreadsheet would run as a formula (``= + - @`` …) is prefixed with ``'``
(:func:`kb_tools.text.neutralise_cell`, the rule every export of the site uses). The workbook's
timestamps, inside and in its zip entries, are the corpus date, so two builds of the same content
give the same bytes.

The JSON is the one issue 13 specifies: a list, one object per penalty article, with ``title``,
``article``, ``url``, ``violates`` and ``sanctions`` (``kind``, ``text``, ``min``, ``max``,
``unit``, ``base``, ``tier``), plus ``target`` on each sanction and ``acts``, ``authority``,
``complete``, ``unread`` on each article.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kb_tools.cache import content_key
from kb_tools.penalties.pages import EXPORTS, table_rows
from kb_tools.text import neutralise_cell
from kb_tools.xlsx import workbook_bytes

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Law
    from kb_tools.penalties.model import PenaltyArticle

COLUMNS = (
    "法规", "条", "地址", "违法行为", "违反条款", "处罚种类", "处罚原文", "下限", "上限", "单位", "计罚基数",
    "情节", "处罚对象", "实施机关", "完整读取", "未能读取的部分",
)
Cell = str | int | float | None


def _url(corpus: Corpus, law: Law, penalty: PenaltyArticle) -> str:
    path = f"{law.url}#{penalty.anchor}"
    site = corpus.options.site_url.rstrip("/")
    return f"{site}/{path}" if site else path


def rows(corpus: Corpus) -> list[list[Cell]]:
    """The spreadsheet rows, in table order: one per sanction."""
    out: list[list[Cell]] = []
    for law, penalty in table_rows(corpus):
        common = [law.title, penalty.article_label, _url(corpus, law, penalty), "\n".join(penalty.acts),
                  "、".join(penalty.violates)]
        tail = [penalty.authority or "", "是" if penalty.complete else "否", "\n".join(penalty.unread)]
        for sanction in penalty.sanctions:
            out.append([*common, sanction.kind, sanction.text, sanction.min, sanction.max, sanction.unit or "",
                        sanction.base or "", sanction.tier or "", sanction.target or "", *tail])
        if not penalty.sanctions:
            out.append([*common, "", "", None, None, "", "", "", "", *tail])
    return out


def _cells(row: list[Cell]) -> list[Cell]:
    return [neutralise_cell(c) for c in row]


def to_csv(table: Iterable[list[Cell]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel reads it as UTF-8 only with the mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow(["" if c is None else f"{c:g}" if isinstance(c, float) else c for c in _cells(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


#: Column widths of the workbook, in Excel's units (the rest: 10).
WIDTHS = {"法规": 28, "违法行为": 48, "处罚原文": 36, "违反条款": 14, "计罚基数": 18, "情节": 18, "处罚对象": 18,
          "实施机关": 24, "未能读取的部分": 30, "地址": 30}


def to_xlsx(table: Iterable[list[Cell]], *, today: dt.date) -> bytes:
    """One sheet: bold frozen header with filters, wrapped text, numbers as numbers."""
    return workbook_bytes(list(COLUMNS), (_cells(row) for row in table), title="罚则索引", today=today,
                          widths=[WIDTHS.get(name, 10) for name in COLUMNS])


def to_json(corpus: Corpus) -> bytes:
    """``penalties.json``: one object per penalty article of the current texts."""
    items = []
    for law, penalty in table_rows(corpus):
        items.append({
            "title": law.title,
            "article": penalty.article_label,
            "url": _url(corpus, law, penalty),
            "violates": list(penalty.violates),
            "sanctions": [
                {"kind": s.kind, "text": s.text, "min": s.min, "max": s.max, "unit": s.unit, "base": s.base,
                 "tier": s.tier, "target": s.target}
                for s in penalty.sanctions
            ],
            "acts": list(penalty.acts),
            "authority": penalty.authority,
            "complete": penalty.complete,
            "unread": list(penalty.unread),
        })
    return (json.dumps(items, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def export_files(corpus: Corpus) -> Iterable[tuple[str, bytes]]:
    """The file generator of the penalties feature (``kb_tools.features``)."""
    if not corpus.penalties or not corpus.penalties.by_law:
        return
    table = rows(corpus)
    key = content_key(table, corpus.today)  # writing the files is most of a rebuild's export cost
    yield EXPORTS["csv"][0], corpus.sources.derived("penalties-csv", key, lambda: to_csv(table))
    yield EXPORTS["xlsx"][0], corpus.sources.derived("penalties-xlsx", key, lambda: to_xlsx(table, today=corpus.today))
    yield EXPORTS["json"][0], to_json(corpus)
