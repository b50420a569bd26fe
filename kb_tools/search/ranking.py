"""Ranking: BM25F over posting lists, then coordination, status and references. No whoosh here.

* BM25F: a term's frequency in each field (regulation names, chapter headings, article text,
  文号) is length-normalised per field, weighted per field, summed, and saturated once, so a
  word in the title and in the text is not counted as two independent hits.
* Coordination: a document that answers more of the query's words ranks higher. Words are
  counted once per *source* word (施工 / 许可 / 许可证 all stand for 施工许可证), weighted by
  idf; a word no document contains (a question word, an everyday word) does not count at all,
  so a question never sinks or empties the results.
* Status: 有效 above 尚未生效 above 已修改 above 已废止, so the current text of a regulation
  comes before its older versions; articles above sections of other pages.
* References: the article a query names (《建筑法》第八条) comes first; articles of a named
  regulation come before others; a 文号 puts its document first.

The constants are tuned on the dev queries as a whole, never per query.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from kb_tools.search.analyzer import normalise
from kb_tools.search.query import ParsedQuery, compact_docno

#: BM25F field weights: regulation names, chapter headings, article text, 文号.
FIELD_WEIGHTS = {"names": 1.0, "chapter": 1.0, "body": 1.0, "docno": 0.0}
#: Field weights when the query contains a 文号.
DOCNO_FIELD_WEIGHTS = {"names": 0.3, "chapter": 0.0, "body": 0.1, "docno": 3.0}
#: Per-field length normalisation (BM25 ``b``).
FIELD_B = {"names": 0.3, "chapter": 0.3, "body": 0.75, "docno": 0.0}
K1 = 1.2
STATUS_FACTOR = {"有效": 1.0, "尚未生效": 0.9, "已修改": 0.55, "已废止": 0.4}
KIND_FACTOR = {"article": 1.0, "section": 0.5}
#: Exponent of the coordination factor (weighted share of the query's words a document has).
COORDINATION_POWER = 1.5
#: Factor for articles of a regulation the query names.
NAMED_LAW_FACTOR = 3.0
#: Added for the exact article a query references and for a 文号 match (always first).
EXACT_BONUS = 1e6


class PostingSource(Protocol):
    """What the ranker needs from an index (``WhooshIndex`` provides it)."""

    doc_count: int

    def postings(self, fieldname: str, term: str) -> tuple[list[int], list[float]]: ...
    def lengths(self, fieldname: str) -> list[int]: ...
    def avg_length(self, fieldname: str) -> float: ...


@dataclass(frozen=True)
class Group:
    """One word of the query with every term that stands for it.

    Attributes:
        source: the word the user typed (or the everyday word a synonym replaced).
        terms: ``(term, weight, whole)``: ``whole`` is the longest word the term is a piece of.
    """

    source: str
    terms: tuple[tuple[str, float, str], ...]


def groups_of(parsed: ParsedQuery) -> list[Group]:
    """Query terms grouped by the word the user typed."""
    by_source: dict[str, list[tuple[str, float, str]]] = {}
    for term in parsed.terms:
        by_source.setdefault(term.source, []).append((term.text, term.weight, term.whole or term.text))
    return [Group(source, tuple(terms)) for source, terms in by_source.items()]


@dataclass
class Scored:
    """BM25F score and coordination of each matching document number."""

    scores: dict[int, float]
    matched: dict[int, float]
    total_weight: float

    def coordination(self, docnum: int) -> float:
        """Weighted share of the query's words (present in the index) that the document has."""
        if self.total_weight <= 0:
            return 1.0
        return self.matched.get(docnum, 0.0) / self.total_weight


def bm25f(source: PostingSource, groups: Sequence[Group], field_weights: dict[str, float],
          allowed: set[int] | None = None) -> Scored:
    """Score every document that has at least one query term in a weighted field."""
    fields = [(f, w) for f, w in field_weights.items() if w > 0]
    n = max(source.doc_count, 1)
    scores: dict[int, float] = {}
    matched: dict[int, float] = {}
    total = 0.0
    for group in groups:
        docs_of: dict[str, set[int]] = {}
        idf_of: dict[str, float] = {}
        for term, qweight, _whole in group.terms:
            tf, df = _field_tf(source, term, fields)
            if not df:
                continue
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            idf_of[term] = idf
            factor = idf * qweight * (K1 + 1.0)
            docs = docs_of[term] = set()
            for d, t in tf.items():
                if allowed is not None and d not in allowed:
                    continue
                scores[d] = scores.get(d, 0.0) + factor * t / (K1 + t)
                docs.add(d)
        if not idf_of:
            continue  # no document has any of this word's terms: it must not decide anything
        group_idf = max(idf_of.values())
        total += group_idf
        for d, credit in _credits(group, docs_of, idf_of).items():
            matched[d] = matched.get(d, 0.0) + group_idf * credit
    return Scored(scores, matched, total)


def _field_tf(source: PostingSource, term: str, fields: list[tuple[str, float]]) -> tuple[dict[int, float], int]:
    """BM25F pseudo-frequency of a term per document (length-normalised, field-weighted sum)."""
    tf: dict[int, float] = {}
    df = 0
    for fieldname, fweight in fields:
        ids, freqs = source.postings(fieldname, term)
        if not ids:
            continue
        df = max(df, len(ids))
        lengths = source.lengths(fieldname)
        b = FIELD_B.get(fieldname, 0.75)
        norm_b, scale = 1.0 - b, b / (source.avg_length(fieldname) or 1.0)
        get = tf.get
        for d, f in zip(ids, freqs, strict=True):
            tf[d] = get(d, 0.0) + fweight * f / (norm_b + scale * lengths[d])
    return tf, df


def _credits(group: Group, docs_of: dict[str, set[int]], idf_of: dict[str, float]) -> dict[int, float]:
    """How much of one query word each document has, in [0, 1].

    A document with the whole word (施工许可证) has all of it; one with only some of its pieces
    (施工, 许可) has the idf-weighted share of the pieces it contains. A synonym's formal word
    counts with the synonym weight.
    """
    wholes: dict[str, tuple[float, list[str]]] = {}
    for term, weight, whole in group.terms:
        entry = wholes.setdefault(whole, (weight, []))
        if term != whole:
            entry[1].append(term)
    credit: dict[int, float] = {}
    for whole, (weight, pieces) in wholes.items():
        present = [p for p in pieces if p in idf_of]
        piece_total = sum(idf_of[p] for p in present)
        partial: dict[int, float] = {}
        if piece_total > 0:
            for p in present:
                for d in docs_of.get(p, ()):
                    partial[d] = partial.get(d, 0.0) + idf_of[p] / piece_total
        for d in docs_of.get(whole, ()):
            partial[d] = 1.0
        for d, c in partial.items():
            value = min(c, 1.0) * weight
            if value > credit.get(d, 0.0):
                credit[d] = value
    return credit


def preliminary(scored: Scored, *, law_docs: set[int], exact_docs: set[int], extra: Iterable[int],
                n: int) -> list[tuple[float, int]]:
    """The best ``n`` documents before their stored values are read: BM25F x coordination,
    named regulation and exact article applied."""
    candidates = set(scored.scores) | set(exact_docs) | set(extra)
    out = []
    for d in candidates:
        base = scored.scores.get(d, 0.0) if scored.scores else 1.0
        s = base * scored.coordination(d) ** COORDINATION_POWER if scored.scores else base
        if d in law_docs:
            s *= NAMED_LAW_FACTOR
        if d in exact_docs:
            s += EXACT_BONUS
        out.append((s, d))
    return heapq.nlargest(n, out, key=lambda x: (x[0], -x[1]))


def final_score(data: dict, score: float, parsed: ParsedQuery) -> float:
    """Apply what needs the stored values: status, kind, 文号."""
    if data.get("kind") == "article":
        score *= STATUS_FACTOR.get(data.get("status", ""), 1.0)
    score *= KIND_FACTOR.get(data.get("kind", ""), 1.0)
    if parsed.doc_number and parsed.doc_number in compact_docno(data.get("doc_number", "")):
        return EXACT_BONUS  # the document's articles in reading order (see order_key)
    return score


def haystack(data: dict) -> str:
    """The normalised text a document is matched against for phrases and exclusions."""
    parts = (data.get("title", ""), data.get("short_title", ""), data.get("aliases", ""),
             data.get("chapter", ""), data.get("text", ""))
    return normalise("\n".join(p for p in parts if p))


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
