"""The honesty rule: everything shown of a penalty is the article's own words.

Amounts, percentages, bases, acts, tiers, targets and unread clauses must each be a substring of
the article; each bound must read back, from its written form, to the number shown. Kinds are
vocabulary words, and violated provisions may be expanded from a range (第十条至第十二条), so
neither is checked here. Used by the tests over every article of ``docs/laws/`` and
available to anything that renders penalties.
"""

from __future__ import annotations

from kb_tools.penalties.extract import in_unit, read_amount
from kb_tools.penalties.model import PenaltyArticle, Sanction

_COMMAS = str.maketrans({",": "，"})


def unsupported(article_text: str, penalty: PenaltyArticle) -> list[str]:
    """What the extracted penalty shows that the article does not say (empty when honest)."""
    text = article_text.translate(_COMMAS)
    problems: list[str] = []

    def need(words: str | None, what: str) -> None:
        if words and words.translate(_COMMAS) not in text:
            problems.append(f"{penalty.article_label} {what}不在条文中：{words}")

    for act in penalty.acts:
        need(act, "违法行为")
    for words in penalty.unread:
        need(words, "未读部分")
    for sanction in penalty.sanctions:
        need(sanction.text, "处罚原文")
        need(sanction.base, "计罚基数")
        need(sanction.tier, "情节")
        need(sanction.target, "处罚对象")
        need(sanction.min_text, "下限")
        need(sanction.max_text, "上限")
        for bound in (sanction.min_text, sanction.max_text):
            if bound and bound not in sanction.text:
                problems.append(f"{penalty.article_label} 幅度不在处罚原文中：{bound}")
        if sanction.base and sanction.base not in sanction.text:
            problems.append(f"{penalty.article_label} 计罚基数不在处罚原文中：{sanction.base}")
        if sanction.min is not None or sanction.max is not None:
            problems.extend(_bounds(penalty.article_label, sanction))
    return problems


def _bounds(label: str, sanction: Sanction) -> list[str]:
    """Read each written bound again and compare it with the number shown."""
    problems = []
    for written, shown in ((sanction.min_text, sanction.min), (sanction.max_text, sanction.max)):
        if shown is None:
            continue
        amount = read_amount(written) if written else None
        value = amount and in_unit(amount[0], amount[1], sanction.unit or "")
        if value is None or value != shown:
            problems.append(f"{label} 幅度与原文不符：{shown}{sanction.unit or ''}（原文“{written}”）")
    return problems
