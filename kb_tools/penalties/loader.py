"""Compute the 罚则 of every regulation when the corpus loads (``corpus.penalties``).

Nothing is read from ``docs/`` beyond the regulations already loaded: the penalties are the
articles' own words, read by :func:`kb_tools.penalties.extract.extract`. Judicial
interpretations are left out (courts do not impose administrative sanctions; their "罚款、拘留"
punish obstruction of proceedings). Older versions are read too, so their pages carry cards.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from kb_tools.cache import content_key
from kb_tools.laws.model import article_anchor
from kb_tools.model import Level
from kb_tools.numerals import parse_article_label
from kb_tools.penalties.extract import extract
from kb_tools.penalties.model import PenaltyArticle, PenaltyIndex

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Law

#: Levels whose texts impose no administrative sanctions.
SKIPPED_LEVELS = (Level.JUDICIAL_INTERPRETATION,)


def load(corpus: Corpus) -> None:
    """The corpus loader of the penalties feature (``kb_tools.features``)."""
    index = PenaltyIndex()
    for slug, law in corpus.laws.items():
        if law.level in SKIPPED_LEVELS:
            continue
        # Extraction reads only the articles: kept while they are unchanged (`mkdocs serve`).
        key = content_key(law.title, [(a.label, a.body) for a in law.articles])
        found = corpus.sources.derived("penalties", key, partial(law_penalties, law))
        if found:
            index.by_law[slug] = {p.anchor: p for p in found}
            index.violated_by[slug] = violated_by(law, found)
    corpus.penalties = index


def law_penalties(law: Law) -> list[PenaltyArticle]:
    """The penalty articles of one regulation, in article order."""
    return [p for a in law.articles if (p := extract(a.body, law.title, a.label)) is not None]


def violated_by(law: Law, penalties: list[PenaltyArticle]) -> dict[str, list[str]]:
    """anchor of a violated article -> anchors of the penalty articles naming it (existing articles only)."""
    out: dict[str, list[str]] = {}
    for penalty in penalties:
        for label in penalty.violates:
            number, suffix = parse_article_label(label)
            if law.article(number, suffix) is None:
                continue  # a provision the text does not have: nothing to link back from
            anchors = out.setdefault(article_anchor(number, suffix), [])
            if penalty.anchor not in anchors:
                anchors.append(penalty.anchor)
    return out
