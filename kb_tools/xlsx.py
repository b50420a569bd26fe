"""A one-sheet .xlsx workbook written directly as SpreadsheetML, for every export of the site.

Why not openpyxl: the exports are simple (one sheet, a bold frozen header with filters, wrapped
text, numbers and dates as such) but large (the 罚则索引 has some 30,000 cells), and openpyxl
keeps an object per cell and hashes its styles; writing the workbook that way was most of the
time of generating the site's exports, on every full build. This writer streams the same
workbook as XML text (openpyxl still reads imports, and the tests read these files with it).

A workbook is byte-reproducible: the document dates and every zip entry are dated ``today``
(the status date), so two builds of the same content write the same file. Text is always
stored as text (an inline string, never a formula, whatever it starts with); callers neutralise
cells that start with ``= + - @`` before (``kb_tools.text.neutralise_cell``), for CSV too.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

Cell = str | int | float | dt.date | None

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Characters XML 1.0 cannot carry at all (a NUL in a data file): dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel counts dates from 1899-12-30 (its 1900 leap-year bug included).
_EPOCH = dt.date(1899, 12, 30)
#: Style indexes in ``styles.xml``: plain, bold header, wrapped body text, wrapped date.
NORMAL, HEADER, BODY, DATE = 0, 1, 2, 3

_STYLES = f"""{_HEAD}<styleSheet xmlns="{_MAIN}">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""

_CONTENT_TYPES = f"""{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" \
ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

_ROOT_RELS = f"""{_HEAD}<Relationships xmlns="{_PKG_REL}">\
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>\
<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>\
<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>"""

_WORKBOOK_RELS = f"""{_HEAD}<Relationships xmlns="{_PKG_REL}">\
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>"""

_APP = f"""{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>法规知识库</Application></Properties>"""


def column_letter(index: int) -> str:
    """``1 -> "A"``, ``27 -> "AA"``.

    >>> column_letter(1), column_letter(26), column_letter(27)
    ('A', 'Z', 'AA')
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _cell(ref: str, value: Cell, style: int) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):  # a bool is an int: keep it readable
        value = "是" if value else "否"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE if style == BODY else style}"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{_text(text)}</t></is></c>'


def _sheet(headers: Sequence[str], rows: list[Sequence[Cell]], widths: Sequence[float]) -> str:
    last = column_letter(max(len(headers), 1))
    span = f"A1:{last}{len(rows) + 1}"
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    letters = [column_letter(i) for i in range(1, max(len(headers), *(len(r) for r in rows), 1) + 1)]
    out = [f'{_HEAD}<worksheet xmlns="{_MAIN}"><dimension ref="{span}"/>',
           '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
           'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
           '<sheetFormatPr defaultRowHeight="15"/>', f"<cols>{cols}</cols>" if cols else "", "<sheetData>"]
    for number, (values, style) in enumerate([(headers, HEADER), *((r, BODY) for r in rows)], start=1):
        cells = "".join(_cell(f"{letters[i]}{number}", v, style) for i, v in enumerate(values))
        out.append(f'<row r="{number}">{cells}</row>')
    out.append(f'</sheetData><autoFilter ref="{span}"/></worksheet>')
    return "".join(out)


def _workbook(title: str, span: str) -> str:
    name = quoteattr(_NOT_XML.sub("", title))
    quoted = "'" + _NOT_XML.sub("", title).replace("'", "''") + "'"
    return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets>'
            f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{escape(quoted)}!{span}</definedName></definedNames></workbook>")


def _core(today: dt.date) -> str:
    stamp = f"{today.isoformat()}T00:00:00Z"
    return (f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>法规知识库</dc:creator>'
            '<cp:lastModifiedBy>法规知识库</cp:lastModifiedBy>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def workbook_bytes(headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str, today: dt.date,
                   widths: Sequence[float] = ()) -> bytes:
    """The .xlsx of one sheet named ``title`` (already a valid sheet name, see
    ``kb_tools.lists.export.sheet_title``): ``headers`` bold and frozen with filters, ``rows`` below
    with wrapped text; ``widths`` per column in Excel's units."""
    rows = list(rows)
    last = column_letter(max(len(headers), 1))
    span = f"$A$1:${last}${len(rows) + 1}"
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/app.xml", _APP),
        ("docProps/core.xml", _core(today)),
        ("xl/workbook.xml", _workbook(title, span)),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ("xl/styles.xml", _STYLES),
        ("xl/worksheets/sheet1.xml", _sheet(headers, rows, widths)),
    ]
    buffer = io.BytesIO()
    stamp = (today.year, today.month, today.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
