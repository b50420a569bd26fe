"""BM25F impacts of every (term, document) pair: computed in full, or updated after an edit.

The static index stores, per term, what :func:`kb_tools.search.ranking.bm25f` adds for it in each
document at query weight 1; the browser sums ``weight × impact``. Computing them is the static
index's most expensive step, and in ``mkdocs serve`` it ran over every document after every edit
although one edited page changes the documents of that page only. :class:`ImpactMemo` keeps what
a full computation knew (each document's field texts, field totals, per-field document
frequencies, each posting's saturated term frequency); :func:`update` then recomputes only the
terms of the documents whose texts changed, with the same arithmetic in the same order, so the
result is the one a full computation gives (``tests/test_rebuild.py`` compares the bytes). It
gives up (the caller computes in full) when the document count changed, many documents changed,
or a rounded average field length moved: every impact depends on those.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb_tools.search import ranking
from kb_tools.search.terms import TermCounts

if TYPE_CHECKING:
    from kb_tools.search.analyzer import Analyzer
    from kb_tools.search.documents import SearchDoc

#: The scored fields, in the order their frequencies are summed (the ranking's order).
SCORED_FIELDS = ("names", "chapter", "body", "anchor")
#: :func:`update` computes in full when more documents than this share (or 50) changed.
UPDATE_MAX_SHARE = 0.05

#: whoosh keeps field lengths in one byte; the ranking reads them back through this table.
_LENGTH_TABLE = [round((pow(1.033, n) - 1) * 27) for n in range(256)]


def stored_length(length: int) -> int:
    """A field length as whoosh stores it (one byte, rounded up to the table), for BM25 parity.

    >>> [stored_length(n) for n in (0, 1, 30, 31)]
    [0, 1, 30, 31]
    """
    if length >= 106374:
        return _LENGTH_TABLE[255]
    return _LENGTH_TABLE[bisect_left(_LENGTH_TABLE, length)]


@dataclass
class Postings:
    """One term's documents and impacts, in document order, as two flat arrays.

    Why arrays: a dict per term with a Python int and float per posting took some 75 bytes a
    posting, most of the index process's memory on the 1,510-regulation site; two arrays take 16.
    """

    ids: array = field(default_factory=lambda: array("q"))
    values: array = field(default_factory=lambda: array("d"))

    def items(self) -> Iterator[tuple[int, float]]:
        """``(document, impact)`` pairs, as a dict's ``items()`` would give them."""
        return zip(self.ids, self.values, strict=True)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Scores:
    """Per (term, document) impact, and each term's document frequency (as the ranking counts it)."""

    impact: dict[str, Postings]
    df: dict[str, int]


@dataclass
class ImpactMemo:
    """What the last computation knew, for :func:`update` (``mkdocs serve`` keeps one).

    Attributes:
        setting: the analyzer's identity and the ranking constants the impacts were computed with.
        keys: each document's field texts, in :data:`SCORED_FIELDS` order.
        totals: per field, the sum of the documents' lengths.
        average: per field, the (rounded) average length the impacts used.
        field_df: per field, each term's document frequency.
        saturated: per term, each posting's field-weighted, length-normalised frequency (aligned
            with ``scores.impact[term].ids``): the impact is recomputed from it when the idf moves.
        scores: the result.
        changed: the terms whose postings the last :func:`update` rewrote; None after a full
            computation (every term is new to the caller).
    """

    setting: tuple[object, ...]
    keys: list[tuple[str, ...]]
    totals: dict[str, int]
    average: dict[str, float]
    field_df: dict[str, Counter[str]]
    saturated: dict[str, array]
    scores: Scores
    changed: set[str] | None = None


def scored_fields() -> list[tuple[str, float]]:
    """``(field, weight)`` of the fields that score, in summing order."""
    weights = ranking.field_weights()
    return [(f, w) for f, w in weights.items() if w > 0 and f in SCORED_FIELDS]


def doc_fields(doc: SearchDoc) -> dict[str, str]:
    """The text of each scored field of a document, as the whoosh index builds it."""
    return {
        "names": "\n".join(x for x in (doc.title, doc.short_title, doc.aliases) if x),
        "chapter": doc.chapter,
        "body": doc.text,
        "anchor": doc.anchor,
    }


def _setting(terms: TermCounts, fields: list[tuple[str, float]]) -> tuple[object, ...]:
    return (terms.identity, tuple(fields), tuple(sorted(ranking.FIELD_B.items())), ranking.K1)


def _field_counts(terms: TermCounts, key: tuple[str, ...], fields: list[tuple[str, float]]
                  ) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {}
    for (name, _w), text in zip(fields, key, strict=True):
        if text:
            counts = terms.counts(text, remember=name in ("names", "chapter"))
            if counts:
                out[name] = counts
    return out


def _saturated(per_field: dict[str, list[tuple[str, int]]], fields: list[tuple[str, float]],
               average: dict[str, float]) -> dict[str, float]:
    """A document's field-weighted, length-normalised frequency of each of its terms."""
    tf: dict[str, float] = {}
    for name, fweight in fields:
        field_counts = per_field.get(name)
        if not field_counts:
            continue
        b = ranking.FIELD_B.get(name, 0.75)
        denom = (1.0 - b) + (b / average[name]) * stored_length(sum(f for _t, f in field_counts))
        for term, f in field_counts:
            tf[term] = tf.get(term, 0.0) + fweight * f / denom
    return tf


def _idf(n: int, d: int) -> float:
    return math.log(1.0 + (n - d + 0.5) / (d + 0.5))


def impacts(docs: Sequence[SearchDoc], analyzer: Analyzer, terms: TermCounts | None = None) -> Scores:
    """What :func:`kb_tools.search.ranking.bm25f` adds for a term in a document, at query weight 1.

    ``idf × (K1 + 1) × tf / (K1 + tf)`` with tf the field-weighted, length-normalised frequency:
    a query's BM25F is then the sum of ``weight × impact`` over its terms, as in the ranking.
    ``terms``: the build's shared term counts (the whoosh writer reuses them), else a private one.
    """
    terms = terms if terms is not None and terms.analyzer is analyzer else TermCounts().use(analyzer)
    return compute(docs, terms, keep=False)[0]


def compute(docs: Sequence[SearchDoc], terms: TermCounts, *, keep: bool) -> tuple[Scores, ImpactMemo | None]:
    """Every impact of ``docs``, and (``keep``) the memo :func:`update` starts from.

    Two passes: the first counts (field totals, document frequencies), the second scores. What
    the second needs of the first is kept in three flat arrays (term number, count, and where each
    document's field starts), not as the analyzer's lists of pairs: on the 1,510-regulation site
    those lists were some 250 MiB of the index process's peak, the arrays are a tenth of it.
    """
    fields = scored_fields()
    names = [f for f, _w in fields]
    grouped = {"names", "chapter"}  # repeated on every article of a regulation: analysed once each
    keys: list[tuple[str, ...]] = []
    totals: Counter[str] = Counter()
    df: dict[str, Counter[str]] = {f: Counter() for f in names}
    number: dict[str, int] = {}
    vocabulary: list[str] = []
    term_ids, term_counts = array("i"), array("i")
    starts, lengths = array("q", [0]), array("q")
    for doc in docs:
        texts = doc_fields(doc)
        key = tuple(texts[f] for f in names)
        if keep:
            keys.append(key)
        for name, text in zip(names, key, strict=True):
            counts = terms.counts(text, remember=name in grouped) if text else []
            length = 0
            for term, f in counts:
                tid = number.get(term)
                if tid is None:
                    tid = number[term] = len(vocabulary)
                    vocabulary.append(term)
                term_ids.append(tid)
                term_counts.append(f)
                length += f
            starts.append(len(term_ids))
            lengths.append(length)
            if counts:
                totals[name] += length
                df[name].update(t for t, _f in counts)
    del number
    n = max(len(docs), 1)
    average = {f: ranking.average_length(totals[f], n) for f in names}
    max_df: dict[str, int] = {}
    for field_df in df.values():
        for term, count in field_df.items():
            max_df[term] = max(max_df.get(term, 0), count)
    k1 = ranking.K1
    idf = {term: _idf(n, d) for term, d in max_df.items()}
    out: dict[str, Postings] = defaultdict(Postings)
    saturated: dict[str, array] = defaultdict(lambda: array("d"))
    width = len(fields)
    for i in range(len(docs)):  # one document at a time: only its own sums are kept
        tf: dict[str, float] = {}
        for slot, (name, fweight) in enumerate(fields):
            k = i * width + slot
            first, end = starts[k], starts[k + 1]
            if first == end:
                continue
            b = ranking.FIELD_B.get(name, 0.75)
            denom = (1.0 - b) + (b / average[name]) * stored_length(lengths[k])
            for j in range(first, end):  # as _saturated does, in the same order
                term = vocabulary[term_ids[j]]
                tf[term] = tf.get(term, 0.0) + fweight * term_counts[j] / denom
        for term, t in tf.items():
            postings = out[term]
            postings.ids.append(i)
            postings.values.append(idf[term] * (k1 + 1.0) * t / (k1 + t))
            if keep:
                saturated[term].append(t)
    scores = Scores(dict(out), max_df)
    if not keep:
        return scores, None
    memo = ImpactMemo(_setting(terms, fields), keys, dict(totals), average, df, dict(saturated), scores)
    return scores, memo


def update(memo: ImpactMemo, docs: Sequence[SearchDoc], terms: TermCounts) -> Scores | None:
    """The impacts of ``docs`` from ``memo`` (updated in place), or None to compute in full.

    Only the postings of the terms of changed documents are rewritten (``memo.changed`` names
    them); a term's idf depends on its own document frequency and the document count alone, so
    the other terms' impacts are the same numbers as before.
    """
    fields = scored_fields()
    names = [f for f, _w in fields]
    if memo.setting != _setting(terms, fields) or len(docs) != len(memo.keys):
        return None
    keys = [tuple(texts[f] for f in names) for texts in map(doc_fields, docs)]
    changed = [i for i, (old, new) in enumerate(zip(memo.keys, keys, strict=True)) if old != new]
    if not changed:
        memo.changed = set()
        return memo.scores
    if len(changed) > max(50, int(len(docs) * UPDATE_MAX_SHARE)):
        return None
    old_counts = {i: _field_counts(terms, memo.keys[i], fields) for i in changed}
    new_counts = {i: _field_counts(terms, keys[i], fields) for i in changed}
    totals = dict(memo.totals)
    for i in changed:
        for name, counts in old_counts[i].items():
            totals[name] -= sum(f for _t, f in counts)
        for name, counts in new_counts[i].items():
            totals[name] = totals.get(name, 0) + sum(f for _t, f in counts)
    n = max(len(docs), 1)
    average = {f: ranking.average_length(totals.get(f, 0), n) for f in names}
    if average != memo.average:
        return None  # every document's length normalisation moved
    # From here on the memo is updated in place.
    affected: set[str] = set()
    for i in changed:
        for name, counts in old_counts[i].items():
            field_df = memo.field_df[name]
            for term, _f in counts:
                field_df[term] -= 1
                if field_df[term] <= 0:
                    del field_df[term]
                affected.add(term)
        for name, counts in new_counts[i].items():
            field_df = memo.field_df[name]
            for term, _f in counts:
                field_df[term] += 1
                affected.add(term)
    fresh = {i: _saturated(new_counts[i], fields, average) for i in changed}
    gone = set(changed)
    k1 = ranking.K1
    impact, max_df = memo.scores.impact, memo.scores.df
    for term in affected:
        kept = impact.get(term)
        pairs = [] if kept is None else [(d, t) for d, t in zip(kept.ids, memo.saturated[term], strict=True)
                                         if d not in gone]
        pairs += [(i, fresh[i][term]) for i in changed if term in fresh[i]]
        if not pairs:
            impact.pop(term, None)
            memo.saturated.pop(term, None)
            max_df.pop(term, None)
            continue
        pairs.sort()
        d = max(memo.field_df[f].get(term, 0) for f in names)
        idf = _idf(n, d)
        max_df[term] = d
        impact[term] = Postings(array("q", [p for p, _t in pairs]),
                                array("d", [idf * (k1 + 1.0) * t / (k1 + t) for _p, t in pairs]))
        memo.saturated[term] = array("d", [t for _p, t in pairs])
    memo.keys, memo.totals, memo.changed = keys, totals, affected
    return memo.scores
