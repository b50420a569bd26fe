"""Numbered items of a policy body: 一、 / （一） / 1. / （1） and 第N条, each with a stable anchor.

Anchors depend only on the numbers (``part-3``, ``part-3-item-1``, ``part-3-item-1-point-2``,
``part-3-item-1-point-2-sub-1``; ``article-5``, ``article-5-item-2``), so a link pasted into OA
still lands on the same item after the text around it is edited. Pure functions.
"""

from __future__ import annotations

import re

from kb_tools.numerals import NUMBER_CLASS, cn_to_int
from kb_tools.policies.model import Item

_CN = "[一二三四五六七八九十百零〇]"
_LEAD = r"^(?P<lead>(?:#{1,6}[ \t]+)?(?:\*\*)?)[ \t\u3000]*"
_PATTERNS = (
    ("article", re.compile(_LEAD + rf"(?P<label>第(?P<n>{NUMBER_CLASS}+)条)(?=[ \t\u3000*]|$)")),
    ("part", re.compile(_LEAD + rf"(?P<label>(?P<n>{_CN}+)[、．.])")),
    ("item", re.compile(_LEAD + rf"(?P<label>[（(](?P<n>{_CN}+)[）)])")),
    ("point", re.compile(_LEAD + r"(?P<label>(?P<n>\d{1,3})[.．、](?!\d))")),
    ("sub", re.compile(_LEAD + r"(?P<label>[（(](?P<n>\d{1,3})[）)])")),
)
_LEVEL = {"article": 1, "part": 1, "item": 2, "point": 3, "sub": 4}
_HEADING_RE = re.compile(r"^#{1,6}[ \t]")


def match_item(line: str) -> tuple[str, re.Match[str]] | None:
    """The kind of numbered item a line starts with (``part``, ``item`` …) and its match."""
    for kind, pattern in _PATTERNS:
        match = pattern.match(line)
        if match:
            return kind, match
    return None


def parse_items(body: str, first_line: int = 1) -> list[Item]:
    """Every numbered item of a body, in order, with anchors unique on the page.

    Args:
        body: the Markdown body.
        first_line: source line of the body's first line (for messages and the import report).
    """
    lines = body.split("\n")
    found: list[tuple[int, str, int, str, int]] = []  # (index, kind, number, heading, level)
    in_fence = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        hit = match_item(line)
        if hit is None:
            continue
        kind, match = hit
        try:
            number = cn_to_int(match.group("n"))
        except ValueError:
            continue
        heading = line[match.end():].strip(" \t\u3000*")
        found.append((index, kind, number, heading, _LEVEL[kind]))
    items: list[Item] = []
    stack: list[tuple[int, str, str, tuple[int, ...]]] = []  # (level, anchor, cite, numbers)
    used: set[str] = set()
    for pos, (index, kind, number, heading, level) in enumerate(found):
        while stack and stack[-1][0] >= level:
            stack.pop()
        _, parent_anchor, parent_cite, parent_numbers = stack[-1] if stack else (0, "", "", ())
        anchor, cite = _address(kind, number, parent_anchor, parent_cite)
        anchor = _unique(anchor, used)
        numbers = (*parent_numbers, number)
        stack.append((level, anchor, cite, numbers))
        end = len(lines)
        for later in found[pos + 1:]:
            if later[4] <= level:
                end = later[0]
                break
        text = "\n".join(line.strip() for line in lines[index:end] if line.strip())
        label = _label_of(lines[index], kind)
        items.append(Item(label, anchor, cite, numbers, level, heading, _plain(text), first_line + index))
    return items


def _address(kind: str, number: int, parent_anchor: str, parent_cite: str) -> tuple[str, str]:
    if kind == "article":
        return f"article-{number}", f"第{_cn(number)}条"
    if kind == "part":
        return f"part-{number}", f"第{_cn(number)}部分"
    if kind == "item":
        anchor = f"{parent_anchor}-item-{number}" if parent_anchor else f"item-{number}"
        return anchor, f"{parent_cite}第（{_cn(number)}）项"
    if kind == "point":
        anchor = f"{parent_anchor}-point-{number}" if parent_anchor else f"point-{number}"
        return anchor, f"{parent_cite}第{number}点"
    anchor = f"{parent_anchor}-sub-{number}" if parent_anchor else f"sub-{number}"
    return anchor, f"{parent_cite}第（{number}）目"


def _cn(number: int) -> str:
    from kb_tools.numerals import int_to_cn

    return int_to_cn(number)


def _unique(anchor: str, used: set[str]) -> str:
    """A second 一、 on the page (an attachment restarting its numbering) gets ``-n2``."""
    candidate, k = anchor, 1
    while candidate in used:
        k += 1
        candidate = f"{anchor}-n{k}"
    used.add(candidate)
    return candidate


def _label_of(line: str, kind: str) -> str:
    for k, pattern in _PATTERNS:
        if k == kind:
            match = pattern.match(line)
            if match:
                return match.group("label")
    return ""


def _plain(text: str) -> str:
    text = re.sub(r"^#{1,6}[ \t]+", "", text, flags=re.M)
    text = re.sub(r"\{[^}]*#[\w-]+[^}]*\}", "", text)
    return text.replace("**", "").strip()


def anchor_lines(body: str, items: list[Item], first_line: int = 1) -> str:
    """The body with each item's number made a self-link carrying the item's anchor.

    Headings get ``{#anchor}`` (the theme's table of contents links there); other lines get an
    ``<a id=…>`` around the number, so the anchor element begins with the number itself.
    """
    lines = body.split("\n")
    for item in items:
        index = item.line - first_line
        if not 0 <= index < len(lines):
            continue
        line = lines[index]
        if _HEADING_RE.match(line):
            if not re.search(r"\{[^}]*#[\w-]+[^}]*\}\s*$", line):
                lines[index] = line.rstrip() + f" {{#{item.anchor}}}"
            continue
        hit = match_item(line)
        if hit is None:
            continue
        _, match = hit
        start = match.start("label")
        link = f'<a class="kb-item-label" id="{item.anchor}" href="#{item.anchor}">{match.group("label")}</a>'
        lines[index] = line[:start] + link + line[match.end("label"):]
    return "\n".join(lines)
