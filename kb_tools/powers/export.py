"""CSV and .xlsx exports of the current lists, written into the site at build time.

The columns are the data file's fields (``model.POWER_FIELDS`` / ``INSPECTION_FIELDS``), so an
export can be edited and imported again with ``kb import-powers``. CSV carries a byte-order mark
so that Excel opens the Chinese text correctly; cells that would run as formulas are neutralised and
the workbook's timestamps are the corpus date (one implementation: ``kb_tools.lists.export``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kb_tools.lists import export as shared
from kb_tools.powers.model import INSPECTION_FIELDS, POWER_FIELDS, FieldSpec, InspectionItem, PowerItem
from kb_tools.powers.pages import EXPORTS, powers_of

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus


def power_row(item: PowerItem) -> list[str]:
    """One power item as export cells, in ``POWER_FIELDS`` order."""
    values = {
        "事项编码": item.code, "事项名称": item.name, "子项": item.sub_item, "事项类型": item.type.value,
        "实施主体": item.subject, "实施主体性质": item.subject_nature.value, "承办科室": item.department,
        "设定依据": "\n".join(b.text for b in item.establishing),
        "实施依据": "\n".join(b.text for b in item.implementing),
        "法定期限": item.legal_limit, "承诺期限": item.promised_limit, "收费标准及依据": item.fees,
        "办理流程": item.process, "申请材料": item.materials, "备注": item.remarks,
        "公开": "是" if item.public else "否",
    }
    return [values[f.key] for f in POWER_FIELDS]


def inspection_row(item: InspectionItem) -> list[str]:
    """One inspection item as export cells, in ``INSPECTION_FIELDS`` order."""
    values = {
        "检查事项编码": item.code, "检查事项名称": item.name, "检查对象": item.target,
        "检查依据": "\n".join(b.text for b in item.basis), "检查方式": item.method, "频次": item.frequency,
        "承办科室": item.department, "关联事项编码": item.power_code, "备注": item.remarks,
        "公开": "是" if item.public else "否",
    }
    return [values[f.key] for f in INSPECTION_FIELDS]


_WIDTHS = {"事项名称": 36, "检查事项名称": 36, "设定依据": 40, "实施依据": 40, "检查依据": 40, "办理流程": 40,
           "申请材料": 40, "检查对象": 24, "收费标准及依据": 24}


def to_csv(fields: tuple[FieldSpec, ...], rows: Iterable[Sequence[str | int | float]]) -> bytes:
    """The list as CSV (``kb_tools.lists.export``: BOM, formulas neutralised)."""
    return shared.to_csv([f.key for f in fields], rows)


def to_xlsx(fields: tuple[FieldSpec, ...], rows: Iterable[Sequence[str | int | float]], *, title: str,
            today: dt.date) -> bytes:
    """The list as a workbook (``kb_tools.lists.export``: frozen header, filters, reproducible bytes)."""
    return shared.to_xlsx([f.key for f in fields], rows, title=title, today=today, widths=_WIDTHS)


def export_files(corpus: Corpus) -> Iterable[tuple[str, bytes]]:
    """The file generator of the powers feature (``kb_tools.features``): ``(path below the site, bytes)``."""
    plist = powers_of(corpus)
    if not plist.sources:
        return
    powers = [power_row(i) for i in sorted(plist.items, key=lambda i: (i.type.rank, i.code))]
    inspections = [inspection_row(i) for i in plist.inspections]
    yield EXPORTS["power-csv"][0], to_csv(POWER_FIELDS, powers)
    yield EXPORTS["power-xlsx"][0], to_xlsx(POWER_FIELDS, powers, title="权力清单", today=corpus.today)
    yield EXPORTS["inspection-csv"][0], to_csv(INSPECTION_FIELDS, inspections)
    yield EXPORTS["inspection-xlsx"][0], to_xlsx(INSPECTION_FIELDS, inspections, title="检查事项", today=corpus.today)
