"""Shared text helpers: what every exporter and page writer needs to say the same way.

Chinese dates (``cn_date``) and the spreadsheet-cell neutraliser used by every CSV and xlsx the project writes
(power lists, inspection items, and the lists and penalty tables that reuse it). A spreadsheet
program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK("http://…","点此")``, ``@SUM(…)``, ``-2+3+cmd|…``); text imported from provincial
systems or typed by anyone must never reach a colleague's desk as a live formula. The rule is
OWASP's "CSV injection" one: such a cell is prefixed with a single quote, which the spreadsheet
shows as text and does not print.

>>> neutralise_cell("=HYPERLINK(A1)"), neutralise_cell("@SUM(1+1)")
("'=HYPERLINK(A1)", "'@SUM(1+1)")
>>> neutralise_cell("建筑工程施工许可证核发"), neutralise_cell("-12.5"), neutralise_cell(3)
('建筑工程施工许可证核发', '-12.5', 3)

Text that comes from outside (imported law texts, Word lectures, spreadsheets) or from data
files and front matter (titles, issuers, names in YAML rows) is *text*: wherever it becomes HTML
it must not turn into markup. There are exactly two ways it reaches a page, so there are two
escapers, and every module calls these instead of keeping its own copy:

* :func:`html_text` when the generator writes HTML itself (tables, attributes, ``<title>``);
* :func:`md_text` when it writes Markdown that Python-Markdown turns into HTML (headings,
  link texts, table cells, paragraphs written by an importer).

Hand-written Markdown bodies are never passed through these: authors are trusted.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import TypeVar

#: First characters that make Excel, LibreOffice or WPS read a cell as a formula (OWASP), with
#: the full-width forms a Chinese input method types (WPS takes ``＝`` as ``=``).
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
#: Leading characters spreadsheets skip before looking for a formula sign.
_SKIPPED = " \n\u00a0\u3000"
#: A plain number (``-5``, ``+1.5``, ``2e3``): spreadsheets read it as that number, never as a
#: formula, so it keeps its sign and stays a number when opened.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: A sign on its own (government sheets write ``-`` for "none"): no formula can follow it.
_LONE_SIGNS = frozenset("+-＋－")

Cell = TypeVar("Cell")


def neutralise_cell(value: Cell) -> Cell | str:
    """The value to write into a CSV or xlsx cell: text that a spreadsheet would run as a
    formula gets a leading ``'``; numbers (``int``, ``float`` and number-shaped text such as
    ``"-5"``), a lone ``-`` and every other value come back unchanged.

    Control characters (a NUL typed as ``"\\0"`` in a YAML file) are dropped first: openpyxl
    refuses them, and a spreadsheet program would show them as boxes.

    ``kb_tools/assets/lists.js`` (导出当前结果) applies the same rule in the browser.
    """
    if not isinstance(value, str) or not value:
        return value
    text = clean_text(value)
    if not text:
        return text
    first = text[0] if text[0] in "\t\r" else text.lstrip(_SKIPPED)[:1]
    core = text.strip()
    if first in FORMULA_STARTS and not _NUMBER.fullmatch(core) and core not in _LONE_SIGNS:
        return "'" + text
    return text


def cn_date(value: dt.date | None) -> str:
    """``2024年3月1日``, or "" for no date.

    >>> cn_date(dt.date(2024, 3, 1)), cn_date(None)
    ('2024年3月1日', '')
    """
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


#: Characters between which Chinese text never has a space: CJK ideographs, CJK punctuation
#: (、。「」《》 …) and full-width forms (，：；！？（） …).
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


def join_cjk(text: str) -> str:
    """``text`` without the spaces that joining folded lines put between Chinese characters.

    YAML folds a long value (``notes: >-``) into one line by turning each line break into a space,
    and spreadsheets do the same with wrapped cells; between two Chinese characters that space is
    a stray gap on the page (“决定的内容， 以及”). Spaces beside Latin letters and digits stay.
    Use it on prose (notes, summaries, procedures), not on names, where a space separates a
    department from a person (“政策法规科 沈建明”).

    >>> join_cjk("听取陈述申辩， 不得加重处罚"), join_cjk("第 3 项 GB 50016 标准")
    ('听取陈述申辩，不得加重处罚', '第 3 项 GB 50016 标准')
    """
    return _SPACE_BETWEEN_CJK.sub("", text)

#: Characters that Python-Markdown (with the tables and attr_list extensions) treats as syntax
#: inside a line: emphasis, code, links and images, table cells, attribute lists.
_MD_SYNTAX = re.compile(r"([\\`*_\[\]|{}!#])")
#: Control characters that have no place in a page; NUL bytes above all (browsers and parsers
#: disagree about them). Tabs and newlines are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """``text`` without NUL and other control characters (tab and newline stay).

    >>> clean_text("a\\x00b\\tc")
    'ab\\tc'
    """
    return _CONTROL.sub("", text)


def html_text(text: object, *, quote: bool = True) -> str:
    """Text as HTML that shows exactly that text, safe in element content and in quoted
    attribute values alike.

    >>> html_text('</title><script>"x"</script>')
    '&lt;/title&gt;&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
    """
    return html.escape(clean_text(str(text)), quote=quote)


def md_text(text: object) -> str:
    """Text as Markdown that renders to exactly that text and never to markup.

    ``<``, ``>`` and ``&`` become character references, so no raw HTML (and no ``<javascript:…>``
    autolink) can form; the inline syntax characters get a backslash, so ``[x](javascript:…)``
    stays text and a ``{: onclick=…}`` cannot become an attribute. Line starts are left to the
    caller (:func:`md_paragraph`). The result still reads as the original text in the file.

    >>> md_text('[x](javascript:alert(1)) <b>&')
    '\\\\[x\\\\](javascript:alert(1)) &lt;b&gt;&amp;'
    """
    escaped = html.escape(clean_text(str(text)), quote=False)
    return _MD_SYNTAX.sub(r"\\\1", escaped)


def md_paragraph(text: object) -> str:
    """Like :func:`md_text`, and a paragraph that merely begins like a heading, list, quote or
    indented code block stays a paragraph.

    >>> md_paragraph("1. 不是列表")
    '1\\\\. 不是列表'
    """
    escaped = md_text(str(text).strip())  # a literal > is &gt; already: no quote
    escaped = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", escaped)
    return re.sub(r"^([+-])", r"\\\1", escaped)


_MD_SYNTAX_ENTITIES = str.maketrans({ch: f"&#{ord(ch)};" for ch in "\\`*_[]|{}!#"})


def html_in_markdown(text: object, *, quote: bool = True) -> str:
    """Text for HTML that is itself written into generated Markdown (a raw ``<a>`` in a page).

    Like :func:`html_text`, and the Markdown syntax characters become character references, so
    that Python-Markdown cannot turn ``[x](javascript:…)`` inside an attribute or an element into
    a link. The browser shows the same characters.

    >>> html_in_markdown('清单[点我](javascript:alert(1))')
    '清单&#91;点我&#93;(javascript:alert(1))'
    """
    return html_text(text, quote=quote).translate(_MD_SYNTAX_ENTITIES)


#: The encodings text files reach the bureau in, in the order they are tried: UTF-8 (with or
#: without BOM), then GB18030, the superset of GBK that Windows and Excel in China write.
CHINESE_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_chinese(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` of bytes in one of :data:`CHINESE_ENCODINGS`, or None when neither fits.

    >>> decode_chinese("条例".encode("gbk"))
    ('条例', 'gb18030')
    """
    for encoding in CHINESE_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None

