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
"""

from __future__ import annotations

import datetime as dt
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

    ``kb_tools/assets/powers.js`` (导出当前结果) applies the same rule in the browser.
    """
    if not isinstance(value, str) or not value:
        return value
    first = value[0] if value[0] in "\t\r" else value.lstrip(_SKIPPED)[:1]
    core = value.strip()
    if first in FORMULA_STARTS and not _NUMBER.fullmatch(core) and core not in _LONE_SIGNS:
        return "'" + value
    return value


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

