"""Re-ranking of BM25F candidates: coordination, status, references. Pure functions, no whoosh.

BM25F (with field weights) finds and scores candidates; this module multiplies in what BM25
does not know:

* coordination: a document that answers more of the query's words ranks higher. Words are
  counted once per *source* word (施工 / 许可 / 许可证 are all 施工许可证), weighted by how rare
  they are; words no document contains (question words, everyday words) do not count at all,
  so a question never sinks the statute that answers it;
* status: 有效 above 尚未生效 above 已修改 above 已废止, so the current text of a regulation comes
  before its older versions;
* kind: articles above sections of other pages (staff look for 条);
* references: the article a query names (《建筑法》第八条) comes first; a named regulation's
  articles come before others; a 文号 puts its document first.

Tuned on the dev queries as a whole (weights and exponents only, never per query).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kb_tools.search.analyzer import normalise
from kb_tools.search.query import ParsedQuery, compact_docno

#: BM25F field weights: regulation names, chapter headings, article text, 文号.
FIELD_WEIGHTS = {"names": 1.2, "chapter": 0.8, "body": 1.0, "docno": 0.0}
#: Field weights when the query contains a 文号.
DOCNO_FIELD_WEIGHTS = {"names": 0.5, "chapter": 0.0, "body": 0.2, "docno": 3.0}
STATUS_FACTOR = {"有效": 1.0, "尚未生效": 0.9, "已修改": 0.55, "已废止": 0.4}
KIND_FACTOR = {"article": 1.0, "section": 0.6}
#: Exponent of the coordination factor (share of the query's words a document contains).
COORDINATION_POWER = 2.0
#: Factor for articles of a regulation the query names.
NAMED_LAW_FACTOR = 3.0
#: Added for the exact article a query references, and for a 文号 match (always first).
EXACT_BONUS = 1e6


@dataclass(frozen=True)
class Group:
    """One word of the query with all terms that stand for it, and its weight (idf)."""

    source: str
    terms: tuple[str, ...]
    weight: float


def groups_for(parsed: ParsedQuery, doc_frequency: Callable[[str], int], doc_count: int) -> list[Group]:
    """Coordination groups: terms by source word, weighted by the rarest term's idf.

    A group none of whose terms occurs in any document is dropped (it can only lower every
    score alike, and it must never be what decides).
    """
    by_source: dict[str, list[str]] = {}
    for term in parsed.terms:
        by_source.setdefault(term.source, []).append(term.text)
    groups = []
    for source, terms in by_source.items():
        dfs = [doc_frequency(t) for t in terms]
        present = [df for df in dfs if df > 0]
        if not present:
            continue
        idf = math.log(1 + (doc_count - min(present) + 0.5) / (min(present) + 0.5))
        groups.append(Group(source, tuple(terms), idf))
    return groups


def haystack(data: dict) -> str:
    """The normalised text a document is matched against for coordination and phrases."""
    parts = (data.get("title", ""), data.get("short_title", ""), data.get("aliases", ""),
             data.get("chapter", ""), data.get("text", ""))
    return normalise("\n".join(p for p in parts if p))


def coordination(groups: Sequence[Group], text: str) -> float:
    """Share (by weight) of the query's words found in the text, in [0, 1]; 1 with no groups."""
    total = sum(g.weight for g in groups)
    if total <= 0:
        return 1.0
    matched = sum(g.weight for g in groups if any(t in text for t in g.terms))
    return matched / total


def final_score(data: dict, bm25: float, parsed: ParsedQuery, groups: Sequence[Group]) -> float:
    """The score a result is sorted by."""
    text = haystack(data)
    score = bm25 if parsed.terms else 1.0
    score *= coordination(groups, text) ** COORDINATION_POWER
    score *= STATUS_FACTOR.get(data.get("status", ""), 1.0) if data.get("kind") == "article" else 1.0
    score *= KIND_FACTOR.get(data.get("kind", ""), 1.0)
    if parsed.laws and data.get("current") in parsed.laws:
        score *= NAMED_LAW_FACTOR
        if parsed.article and (data.get("number"), data.get("suffix")) == parsed.article:
            score += EXACT_BONUS
    if parsed.doc_number and parsed.doc_number in compact_docno(data.get("doc_number", "")):
        score += EXACT_BONUS
    return score


def accept(data: dict, parsed: ParsedQuery) -> bool:
    """Whether a candidate satisfies the phrases and exclusions (checked on the stored text)."""
    if not parsed.phrases and not parsed.excluded:
        return True
    text = haystack(data)
    if any(p not in text for p in parsed.phrases):
        return False
    return not any(normalise(x) in text for x in parsed.excluded)


def order_key(data: dict, score: float) -> tuple:
    """Sort key: score, then current texts, then reading order within a regulation."""
    return (-round(score, 9), data.get("status") != "有效", data.get("law", ""),
            data.get("number", 0), data.get("suffix", 0), data.get("id", ""))
