"""Shared text helpers: what every content kind needs when its data leaves for HTML, CSV or .xlsx."""

from __future__ import annotations

#: First characters that make a spreadsheet program read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(text: str) -> str:
    """A cell text that Excel and WPS show as text, never run as a formula.

    A data file is written by people and by other systems; a cell ``=HYPERLINK(...)`` or
    ``@SUM(...)`` in an export would otherwise run on the reader's machine. A leading apostrophe
    is what Excel itself uses to mark text. Numbers are passed as numbers, not through here.

    >>> neutralise_cell("=1+1"), neutralise_cell("-5%"), neutralise_cell("建筑法")
    ("'=1+1", "'-5%", '建筑法')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text
