"""The outline block at the top of a regulation page, for screens without Material's sidebars.

Below 76.25em Material hides the table of contents, and regulation pages are outside the
navigation tree, so a phone's drawer shows only the top tabs. This block (shown only on such
screens, kb.css) lists the 编/章/节 as links and carries a 跳到第N条 box that kb.js wires up:
it takes Chinese or Arabic numerals (八, 一百零三, 103, 10之一) as kb_tools.numerals does.
"""

from __future__ import annotations

from html import escape

from kb_tools.laws.model import DivisionKind, Law


def outline_html(law: Law) -> str:
    """``<details class="kb-outline">`` with the divisions and the jump box; '' for no articles."""
    if not law.articles:
        return ""
    jump = (
        '<form class="kb-jump" data-kb-jump hidden>'
        '<label>跳到第 <input type="text" name="article" inputmode="text" autocomplete="off" size="6" '
        f'aria-label="条号，如 八 或 8" placeholder="八 或 8"> 条</label>'
        '<button type="submit">跳转</button>'
        f'<span class="kb-jump-range">共 {len(law.articles)} 条</span>'
        '<span class="kb-jump-message" role="status" aria-live="polite"></span></form>'
    )
    items = []
    for division in law.divisions:
        depth = 1 if division.kind is DivisionKind.HEADING else max(division.depth - 1, 1)
        items.append(f'<li class="kb-outline-depth-{min(depth, 4)}">'
                     f'<a href="#{escape(division.anchor, quote=True)}">{escape(division.heading)}</a></li>')
    divisions = f'<ul class="kb-outline-list">{"".join(items)}</ul>' if items else ""
    return (f'<details class="kb-outline"><summary>本页目录与条文跳转</summary>'
            f"{jump}{divisions}</details>")
