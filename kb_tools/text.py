"""Shared text helpers: Chinese dates and spreadsheet-safe cells.

Small, pure, used by several content kinds; nothing here knows a kind.
"""

from __future__ import annotations

import datetime as dt

#: A cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """A cell value that a spreadsheet shows as text, never runs as a formula.

    Data read from files (a title, a 文号, an opinion reference) may begin with ``=`` or ``@``;
    an apostrophe in front makes Excel and LibreOffice keep it as text (CSV injection).

    >>> neutralise_cell("=HYPERLINK(1)"), neutralise_cell("海住建〔2024〕12号")
    ("'=HYPERLINK(1)", '海住建〔2024〕12号')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cn_date(value: dt.date | None) -> str:
    """``2024年3月1日``, or "" for no date."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
