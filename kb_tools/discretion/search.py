"""Words a 裁量基准 entry adds to its search document (the list machinery's one document per entry).

A query describing an act and asking what follows ("转包 怎么罚") reaches a penalty article through
the line the penalties feature adds to it (``罚则（处罚） 罚：…``); the entry gets the same line,
built from its tiers, so the article and its 裁量 entry are found by the same words in both engines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb_tools.discretion.links import penalty_articles
from kb_tools.penalties.model import KINDS

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.lists.model import Entry


def entry_terms(entry: Entry, corpus: Corpus | None = None) -> str:
    """The tiers in short (档次 and 幅度; the 情节 are the same few phrases in every entry and would
    only lengthen the document) and ``罚则（处罚） 罚：罚款、责令改正``; ``""`` without tiers."""
    tiers = [t for column in entry.spec.tier_columns for t in entry.tiers.get(column.key, ())]
    if not tiers:
        return ""
    kinds = ["罚款"] if any(t.has_fine for t in tiers) else []
    kinds += [k for k in KINDS if k not in kinds and any(k in t.others for t in tiers)]
    levels = "；".join(f"{t.level} {t.amount_text() or t.others}" for t in tiers)
    lines = [f"裁量档次：{levels}", f"罚则（处罚） 罚：{'、'.join(kinds) or '见裁量档次'}"]
    if corpus is not None:
        # The entry page shows each 处罚依据 article's text (on expand): the document holds it too,
        # so the words that find the article find the entry that applies it.
        for slug, anchor in penalty_articles(corpus, entry):
            article = next((a for a in corpus.laws[slug].articles if a.anchor == anchor), None)
            if article is not None:
                lines.append(article.text)
    return "\n".join(lines)
