"""CSV and .xlsx exports of the current lists, written into the site at build time.

The columns are the data file's fields (``model.POWER_FIELDS`` / ``INSPECTION_FIELDS``), so an
export can be edited and imported again with ``kb import-powers``. CSV carries a byte-order mark
so that Excel opens the Chinese text correctly. Every cell goes through
:func:`kb_tools.text.neutralise_cell`: text from provincial systems that starts like a formula
(``=HYPERLINK(…)``) reaches colleagues as text, never as a live formula. The workbook's document
properties and the timestamps of its zip entries are the corpus date, so that two builds of the
same content produce the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kb_tools.powers.model import INSPECTION_FIELDS, POWER_FIELDS, FieldSpec, InspectionItem, PowerItem
from kb_tools.powers.pages import EXPORTS, powers_of
from kb_tools.text import neutralise_cell

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


def to_csv(fields: tuple[FieldSpec, ...], rows: Iterable[list[str]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel reads it as UTF-8 only with the mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(f.key) for f in fields])
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(fields: tuple[FieldSpec, ...], rows: Iterable[Sequence[str | int | float]], *, title: str,
            today: dt.date) -> bytes:
    """A workbook with one sheet: bold frozen header, wrapped text, filters on the header.

    Text cells are neutralised and stored as text (openpyxl would store a string that starts
    with ``=`` as a formula); numbers stay numbers.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    count = 0
    for values in ([f.key for f in fields], *rows):
        count += 1
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(count, column, neutralise_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never "f", whatever the text looks like
    count -= 1  # data rows, without the header
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    widths = {"事项名称": 36, "检查事项名称": 36, "设定依据": 40, "实施依据": 40, "检查依据": 40, "办理流程": 40,
              "申请材料": 40, "检查对象": 24, "收费标准及依据": 24}
    for index, spec in enumerate(fields, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(spec.key, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{count + 1}"
    stamp = dt.datetime.combine(today, dt.time())
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "法规知识库"
    workbook.properties.lastModifiedBy = "法规知识库"
    buffer = io.BytesIO()
    # ExcelWriter, not workbook.save(): save() stamps the document with the current time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return restamp_zip(buffer.getvalue(), stamp)


def restamp_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same zip archive with every entry dated ``stamp`` (zip writers use the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(entry))
    return out.getvalue()


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
