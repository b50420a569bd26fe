"""新旧对照 of penalty articles: the old and new sanction ranges side by side, and the 裁量基准
entries that rest on the old text.

When a new text of a regulation changes a penalty article, the comparison page shows one compact
line under the pair (罚则：罚款 2万元–10万元 → 5万元–20万元) and names each 裁量 entry citing the
article whose standard was adopted before the new text took effect: its tiers were set against
the old range and need review (``kb check`` says the same, with the change).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from kb_tools.discretion.links import entries_for_article
from kb_tools.discretion.pages import entry_url

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law
    from kb_tools.lists.model import Entry


def sanctions_text(corpus: Corpus, law: Law, article: Article | None) -> str:
    """The sanctions of an article in one line (``责令改正；罚款 2万元–10万元``), ``""`` when none."""
    if article is None or corpus.penalties is None:
        return ""
    penalty = corpus.penalties.article(law.slug, article.anchor)
    if penalty is None:
        return ""
    parts = []
    for sanction in penalty.sanctions:
        words = sanction.kind + (f" {sanction.range_text()}" if sanction.range_text() else "")
        if sanction.tier:
            words = f"{sanction.tier}{words}"
        if sanction.target:
            words += f"（对{sanction.target}）"
        parts.append(words)
    return "；".join(dict.fromkeys(parts))


def stale_entries(corpus: Corpus, older: Law, newer: Law, article: Article | None) -> list[Entry]:
    """裁量 entries on ``article`` of the current text adopted before ``newer`` took effect."""
    from kb_tools.citations.resolver import in_force_from

    if article is None or newer.version_of is not None:
        return []  # entries rest on current texts only
    since = in_force_from(newer)
    return [e for e in entries_for_article(corpus, newer.slug, article.anchor)
            if since is not None and e.spec.adopted is not None and e.spec.adopted < since]


def penalty_change_html(corpus: Corpus, older: Law, newer: Law, old: Article | None, new: Article | None,
                        base: str) -> str:
    """The line under a changed pair when its sanctions differ, or ``""``."""
    before = sanctions_text(corpus, older, old)
    after = sanctions_text(corpus, newer, new)
    if before == after or not (before or after):
        return ""
    line = (f'<p class="kb-compare-penalty"><span class="kb-compare-penalty-title">罚则</span> '
            f'<span class="kb-compare-penalty-old">{escape(before) or "（无）"}</span> → '
            f'<span class="kb-compare-penalty-new">{escape(after) or "（无）"}</span></p>')
    stale = stale_entries(corpus, older, newer, new)
    if stale:
        links = "、".join(f'<a href="{escape(base + entry_url(e), quote=True)}">{escape(e.code)} {escape(e.title)}</a>'
                         f"（{escape(e.spec.title)}，{e.spec.adopted} 施行）" for e in stale)
        line += f'<p class="kb-compare-stale">按修改前条文制定的裁量基准，请复核：{links}</p>'
    return line
