"""The honesty rule: everything shown of a penalty is the article's own words.

Amounts, percentages, bases, acts, tiers, targets and unread clauses must each be a substring of
the article; each bound must read back, from its written form, to the number shown. Kinds are
vocabulary words and are not checked. Used by the tests over every article of ``docs/laws/`` and
available to anything that renders penalties.
"""

from __future__ import annotations

import re

from kb_tools.penalties.extract import parse_fine
from kb_tools.penalties.model import PenaltyArticle

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
    for label in penalty.violates:
        number = re.sub(r"^第|条.*$", "", label)
        if f"第{number}条" not in text and not re.search(r"第\d+条", text):
            problems.append(f"{penalty.article_label} 违反的条款不在条文中：{label}")
    return problems


def _bounds(label: str, sanction) -> list[str]:
    """Read the written bounds again and compare them with the numbers shown."""
    body = sanction.text
    start = body.find(sanction.base or sanction.min_text or sanction.max_text)
    words = sanction.min_text and sanction.max_text and f"{sanction.min_text}以上{sanction.max_text}以下"
    candidates = [body[start:]] if start >= 0 else []
    if words:
        candidates.append(words)
    for candidate in candidates:
        fine = parse_fine((sanction.base or "") + candidate.removesuffix("的罚款").removesuffix("罚款"))
        if fine and (fine.min, fine.max, fine.unit) == (sanction.min, sanction.max, sanction.unit):
            return []
    return [f"{label} 幅度与原文不符：{sanction.min}–{sanction.max}{sanction.unit or ''}（{body}）"]
