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
  regulation (or of the document a 文号 names) come before others; a bare 文号 lists its
  document in reading order.

The constants are tuned on the dev queries as a whole, never per query.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kb_tools.search import mechanisms
from kb_tools.search.analyzer import normalise
from kb_tools.search.query import ParsedQuery, compact_docno

#: Weight of the anchor field (the bureau's words around citations of an article): below the
#: statute's own text, so an article is found by its working name but ranked by what it says.
ANCHOR_WEIGHT = 0.3
#: Weight of the chapter field (the 编/章/节 headings an article sits under: 法律责任, 申请与受理 …).
#: Every article of a chapter shares them, so at the weight of the article's own text they
#: lifted a whole chapter above the one article elsewhere that says the query's words (设区的市
#: 立法权限 gave the 立法权限 section before the article on 设区的市); without them an article
#: loses what its place in the statute says it is about. On the tune set 0.6–0.8 did best.
CHAPTER_WEIGHT = 0.75
#: BM25F field weights: regulation names, chapter headings, article text, 文号.
FIELD_WEIGHTS = {"names": 1.0, "chapter": CHAPTER_WEIGHT, "body": 1.0, "docno": 0.0, "anchor": ANCHOR_WEIGHT}
#: Per-field length normalisation (BM25 ``b``). Names, chapter headings and 文号 are short and
#: shared by whole groups of articles: they are not length-normalised.
FIELD_B = {"names": 0.0, "chapter": 0.0, "body": 0.75, "docno": 0.0, "anchor": 0.75}
#: Average field lengths are rounded to this many significant digits, in both engines.
AVERAGE_DIGITS = 3


def average_length(total: float, count: int) -> float:
    """A field's average length for BM25F's length normalisation: ``total / count`` rounded to
    :data:`AVERAGE_DIGITS` significant digits (1.0 for an empty field).

    Why rounded: editing one page moves the exact average by a hair, which changed every impact
    of the static index, so a `mkdocs serve` rebuild rewrote a third of its shards; rounded, it
    changes only when the corpus really grows or shrinks (scores move by less than 0.2 %).
    A fresh build rounds the same way, so a rebuild still writes exactly its index.

    >>> average_length(5730, 100), average_length(5731, 100), average_length(0, 10)
    (57.3, 57.3, 1.0)
    """
    if count <= 0 or total <= 0:
        return 1.0
    return float(f"{total / count:.{AVERAGE_DIGITS}g}")

K1 = 1.2
STATUS_FACTOR = {"有效": 1.0, "尚未生效": 0.9, "已修改": 0.55, "已废止": 0.4}
#: A 裁量基准 entry applies a penalty article: a query describing the act wants both (see
#: ``benchmarks/discretion_queries.py``), so it stands between articles and other sections.
KIND_FACTOR = {"article": 1.0, "section": 0.5, "standard": 0.8}
#: Exponent of the coordination factor (weighted share of the query's words a document has).
COORDINATION_POWER = 1.5
#: Factor for articles of a regulation the query names.
NAMED_LAW_FACTOR = 3.0
#: Factor for articles with the number a query references when no regulation name was
#: recognised in it (招投标法第三条: the words still point at the regulation).
ARTICLE_FACTOR = 3.0
#: Added for the exact article a query references and for a 文号 match (always first).
EXACT_BONUS = 1e6
#: Of the first DIVERSITY_DEPTH results at most DIVERSITY_CAP come from one regulation (its
#: texts of all dates together); the place left goes to the best result of another regulation
#: among the first DIVERSITY_REACH. A question is often answered by the national regulation and
#: by the provincial one that implements it, and one regulation's many similar articles would
#: otherwise keep the other out of the lines a user reads.
DIVERSITY_CAP = 4
DIVERSITY_DEPTH = 5
DIVERSITY_REACH = 10


def field_weights() -> dict[str, float]:
    """The field weights in force: the chapter field weighs 0 when ``chapters`` is ablated."""
    if mechanisms.enabled("chapters"):
        return dict(FIELD_WEIGHTS)
    return {**FIELD_WEIGHTS, "chapter": 0.0}


class PostingSource(Protocol):
    """What the ranker needs from an index (``WhooshIndex`` provides it)."""

    doc_count: int
    doc_count_all: int
    live: np.ndarray

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]: ...
    def lengths(self, fieldname: str) -> np.ndarray: ...
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
    """BM25F score and matched query-word weight of every document number (dense arrays)."""

    scores: np.ndarray
    matched: np.ndarray
    total_weight: float

    def coordination(self) -> np.ndarray:
        """Weighted share of the query's words (present in the index) each document has."""
        if self.total_weight <= 0:
            return np.ones_like(self.matched)
        return self.matched / self.total_weight


def bm25f(source: PostingSource, groups: Sequence[Group], field_weights: dict[str, float],
          allowed: np.ndarray | None = None) -> Scored:
    """Score every document that has at least one query term in a weighted field.

    Args:
        allowed: boolean mask of the documents that may match (filters), or None for all.
    """
    fields = [(f, w) for f, w in field_weights.items() if w > 0]
    n = max(source.doc_count, 1)
    size = source.doc_count_all
    scores = np.zeros(size)
    matched = np.zeros(size)
    total = 0.0
    for group in groups:
        docs_of: dict[str, np.ndarray] = {}
        idf_of: dict[str, float] = {}
        for term, qweight, _whole in group.terms:
            tf, ids = _field_tf(source, term, fields, size)
            if not len(ids):
                continue
            df = max(len(source.postings(f, term)[0]) for f, _ in fields)  # the commonest field's count
            if allowed is not None:
                ids = ids[allowed[ids]]  # filters choose documents; word rarity stays index-wide
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            idf_of[term] = idf
            docs_of[term] = ids
            t = tf[ids]
            scores[ids] += idf * qweight * (K1 + 1.0) * t / (K1 + t)
        if not idf_of:
            continue  # no document has any of this word's terms: it must not decide anything
        group_idf = max(idf_of.values())
        total += group_idf
        matched += group_idf * _credits(group, docs_of, idf_of, size)
    return Scored(scores, matched, total)


def _field_tf(source: PostingSource, term: str, fields: list[tuple[str, float]],
              size: int) -> tuple[np.ndarray, np.ndarray]:
    """BM25F pseudo-frequency of a term (length-normalised, field-weighted sum) and the
    documents that have it (a dense array and the sorted document numbers)."""
    tf = np.zeros(size)
    found = []
    for fieldname, fweight in fields:
        ids, freqs = source.postings(fieldname, term)
        if not len(ids):
            continue
        b = FIELD_B.get(fieldname, 0.75)
        if b:
            denom = (1.0 - b) + (b / (source.avg_length(fieldname) or 1.0)) * source.lengths(fieldname)[ids]
            tf[ids] += fweight * freqs / denom
        else:
            tf[ids] += fweight * freqs
        found.append(ids)
    if len(found) <= 1:
        return tf, found[0] if found else np.zeros(0, dtype=np.int64)
    return tf, np.flatnonzero(tf)  # the union, sorted (every posting adds a positive amount)


def _credits(group: Group, docs_of: dict[str, np.ndarray], idf_of: dict[str, float], size: int) -> np.ndarray:
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
    credit = np.zeros(size)
    for whole, (weight, pieces) in wholes.items():
        present = [p for p in pieces if p in idf_of]
        piece_total = sum(idf_of[p] for p in present)
        partial = np.zeros(size)
        for p in present:
            partial[docs_of[p]] += idf_of[p] / piece_total
        if whole in docs_of:
            partial[docs_of[whole]] = 1.0
        np.maximum(credit, np.minimum(partial, 1.0) * weight, out=credit)
    return credit


def preliminary(scored: Scored, *, law_docs: np.ndarray, exact_docs: np.ndarray, extra: np.ndarray,
                live: np.ndarray, n: int, article_docs: np.ndarray | None = None,
                group_of: np.ndarray | None = None) -> list[tuple[float, int]]:
    """The best ``n`` documents before their stored values are read: BM25F x coordination,
    named regulation, article number (when no regulation was recognised) and exact article.

    Args:
        article_docs: the articles with the number a query references when it names no
            regulation the parser knows (行诉法解释 第一条).
        group_of: each document's regulation (group number), to lift those articles
            (:func:`lift_numbered`); None leaves them to :data:`ARTICLE_FACTOR` alone.
    """
    if article_docs is None:
        article_docs = np.zeros(0, dtype=np.int64)
    if scored.total_weight > 0:
        final = scored.scores * scored.coordination() ** COORDINATION_POWER
        if group_of is not None and len(article_docs):
            lift_numbered(final, article_docs, group_of, live)
    else:
        final = np.zeros_like(scored.scores)
        final[extra] = 1.0  # no word to score by: listed by reference, in reading order
    candidate = final > 0
    candidate[extra] = True
    candidate[exact_docs] = True
    candidate &= live
    final[law_docs] *= NAMED_LAW_FACTOR
    final[article_docs] *= ARTICLE_FACTOR
    final[exact_docs] += EXACT_BONUS
    docs = np.flatnonzero(candidate)
    if len(docs) > n:
        top = np.argpartition(-final[docs], n - 1)[:n]
        docs = docs[top]
    order = sorted(docs.tolist(), key=lambda d: (-final[d], d))
    return [(float(final[d]), d) for d in order]


def lift_numbered(final: np.ndarray, article_docs: np.ndarray, group_of: np.ndarray, live: np.ndarray) -> None:
    """Raise each referenced article to the best score of its own regulation (in place).

    A query that names a regulation in words the parser does not know (行诉法解释 第一条,
    a nickname or a shortened title) still points at it through those words, but the article
    it asks for need not contain them: its text is about something else (受案范围), so the
    article factor alone multiplies a score near zero. The regulation the words match best
    is the one meant; its article with that number then comes first among that regulation's,
    and the same number in regulations the words match less follows in their order.
    """
    hit = np.flatnonzero((final > 0) & live)
    if not len(hit):
        return
    best = np.zeros(int(group_of.max()) + 1)
    np.maximum.at(best, group_of[hit], final[hit])
    final[article_docs] = np.maximum(final[article_docs], best[group_of[article_docs]])


def final_score(data: dict, score: float, parsed: ParsedQuery) -> float:
    """Apply what needs the stored values: status, kind, 文号."""
    if data.get("kind") == "article":
        score *= STATUS_FACTOR.get(data.get("status", ""), 1.0)
    score *= KIND_FACTOR.get(data.get("kind", ""), 1.0)
    if parsed.doc_number and not parsed.terms and parsed.doc_number in compact_docno(data.get("doc_number", "")):
        # a bare 文号: the document's articles in reading order (see order_key), the article it
        # names (国务院令第590号第十七条) first
        return max(score, EXACT_BONUS)
    return score


def regulation_key(data: dict) -> str:
    """What counts as one regulation for :func:`diversify`: its current text's slug (a page for
    other documents)."""
    return str(data.get("current") or data.get("page") or "")


def diversify(results: list[tuple[dict, float]], parsed: ParsedQuery) -> list[tuple[dict, float]]:
    """The ranked ``(stored data, score)`` results with at most :data:`DIVERSITY_CAP` of the
    first :data:`DIVERSITY_DEPTH` from one regulation (see there). A query that names a
    regulation or a 文号, or has no words, wants that document's articles: left as it is."""
    if not parsed.terms or parsed.laws or parsed.doc_number or not mechanisms.enabled("diversity"):
        return results
    out = list(results)
    count: dict[str, int] = {}
    for i in range(min(DIVERSITY_DEPTH, len(out))):
        key = regulation_key(out[i][0])
        if count.get(key, 0) >= DIVERSITY_CAP and out[i][1] < EXACT_BONUS / 10:
            reach = range(i + 1, min(DIVERSITY_REACH, len(out)))
            other = next((j for j in reach if count.get(regulation_key(out[j][0]), 0) < DIVERSITY_CAP), None)
            if other is None:
                break
            out.insert(i, out.pop(other))
            key = regulation_key(out[i][0])
        count[key] = count.get(key, 0) + 1
    return out


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
