"""Running headers of printed pages: the text of CSS ``@page`` margin boxes, written per page.

A printed reading pack or regulation must say on every sheet what it is (the bureau, 会前学法,
the meeting date; the regulation and its status), because sheets get separated. CSS margin
boxes are the only place that repeats on every sheet, and their text must be a CSS string: it is
escaped here so that no data (a title, the bureau's name) can end the string or the ``<style>``.
"""

from __future__ import annotations


def css_string(text: str) -> str:
    r"""``text`` as a double-quoted CSS string that cannot end early or close a ``<style>``.

    >>> css_string('a"b\\</style>')
    '"a\\22 b\\5c \\3c /style\\3e "'
    """
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def running_header(left: str, right: str = "") -> str:
    """A ``<style media="print">`` block that prints ``left`` and ``right`` at the top of every sheet."""
    boxes = f"@top-left {{ content: {css_string(left)}; }}"
    if right:
        boxes += f" @top-right {{ content: {css_string(right)}; }}"
    return f'<style media="print">@page {{ {boxes} }}</style>'
