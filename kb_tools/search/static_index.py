"""The static, sharded search index the browser queries with no server (``site/search/kb/``).

Written from the same :class:`~kb_tools.search.documents.SearchDoc` list and the same
:class:`~kb_tools.search.analyzer.Analyzer` as the whoosh index. Everything is split so that a
query downloads only what it needs:

``manifest.json``
    analyzer settings (dictionary total, stopwords, question words, synonyms already analyzed),
    shard counts, scoring constants.
``groups.json``
    one row per regulation (or page): title, URL, status, level, first document, article numbers,
    the names an article reference may use. Loaded once, with the first query.
``dict/<b>.json``
    jieba's dictionary plus the analyzer's words, bucketed by first character
    (``ord(word[0]) % buckets``): a query loads only the buckets of its own characters.
``terms/<t>.json``
    the inverted index, bucketed by :func:`term_hash`: per term its document frequency and its
    highest-impact postings (document, BM25F score × 100); the rest of a long list lies in
    ``more/<id>.json`` chunks, fetched only when they could still change the top results.
``docs/<k>.json``
    stored fields (article label, URL with anchor, chapter, text) of ``DOC_SHARD_SIZE``
    consecutive documents, for result lines and snippets.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.search.analyzer import SYNONYM_WEIGHT, Analyzer, normalise
from kb_tools.search.documents import ARTICLE
from kb_tools.search.segmenter import HAN_RE, Segmenter

if TYPE_CHECKING:
    from kb_tools.search.documents import SearchDoc

FORMAT_VERSION = 1
#: Where the index lives below the site directory.
INDEX_DIR = "search/kb"
DICT_BUCKETS = 1024
DOC_SHARD_SIZE = 8
#: Postings kept inline in a term's shard; the rest is split into chunks of MORE_CHUNK.
INLINE_POSTINGS = 200
MORE_CHUNK = 2000
#: Aimed-at raw size of one term shard (bytes); the shard count follows from the corpus size.
TERM_SHARD_BYTES = 12_000

#: BM25F: field -> weight, and the usual constants.
FIELD_WEIGHTS = {"title": 2.0, "chapter": 0.6, "article": 0.4, "text": 1.0, "extra": 0.5}
K1 = 1.2
B = 0.75
#: Scoring constants shipped in the manifest and applied in the browser.
SCORING = {
    "coordination": 1.0,         # score × (1 + c · (matched words / query words)²)
    "coordMax": 2.0,             # 1 + coordination: the most coordination can multiply
    "statusFactor": {"有效": 1.0, "尚未生效": 0.8, "已修改": 0.55, "已废止": 0.4},
    "maxOverflowRounds": 3,
}


@dataclass(frozen=True)
class StaticIndexStats:
    """What was written: counts and bytes, for logs and benchmarks."""

    documents: int
    terms: int
    files: int
    bytes: int


def term_hash(term: str) -> int:
    """32-bit FNV-1a over code points; the browser computes the same (``termHash``).

    >>> term_hash("施工许可证") % 97 == term_hash("施工许可证") % 97
    True
    """
    h = 0x811C9DC5
    for ch in term:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def analyzer_segmenter(analyzer: Analyzer) -> Segmenter:
    """A :class:`Segmenter` holding exactly the dictionary the analyzer's rjieba holds."""
    segmenter = Segmenter()
    for word, freq in analyzer.dictionary_entries():
        segmenter.add_word(word, freq)
    return segmenter


def dictionary_buckets(segmenter: Segmenter, buckets: int = DICT_BUCKETS) -> dict[int, dict[str, str]]:
    """``{bucket: {first char: "rest freq|rest freq…"}}``; words that cannot occur inside a
    run of jieba's word characters are left out (they never take part in a cut)."""
    grouped: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for word, freq in segmenter.freqs.items():
        if not word or not HAN_RE.fullmatch(word):
            continue
        grouped[ord(word[0]) % buckets][word[0]].append(f"{word[1:]} {freq}")
    return {b: {c: "|".join(sorted(v)) for c, v in sorted(chars.items())} for b, chars in grouped.items()}


def doc_fields(doc: SearchDoc) -> dict[str, str]:
    """The text of each indexed field of a document."""
    return {
        "title": " ".join(x for x in (doc.title, doc.short_title, doc.aliases) if x),
        "chapter": doc.chapter,
        "article": doc.article,
        "text": doc.text,
        "extra": " ".join(x for x in (doc.doc_number, doc.category, doc.level) if x),
    }


def impacts(docs: Sequence[SearchDoc], analyzer: Analyzer) -> dict[str, dict[int, float]]:
    """BM25F score of every (term, document) pair: ``{term: {doc index: score}}``."""
    field_tf: list[dict[str, Counter[str]]] = []
    lengths: dict[str, list[int]] = {f: [] for f in FIELD_WEIGHTS}
    cache: dict[str, list[str]] = {}
    for doc in docs:
        per_field = {}
        for name, text in doc_fields(doc).items():
            if name in ("title", "extra", "chapter"):  # repeated on every article of a regulation
                terms = cache.get(text)
                if terms is None:
                    terms = cache[text] = analyzer.analyze(text)
            else:
                terms = analyzer.analyze(text)
            per_field[name] = Counter(terms)
            lengths[name].append(len(terms))
        field_tf.append(per_field)
    avg = {f: (sum(v) / len(v) if v and sum(v) else 1.0) for f, v in lengths.items()}
    n = len(docs)
    df: Counter[str] = Counter()
    for per_field in field_tf:
        df.update(set().union(*per_field.values()))
    out: dict[str, dict[int, float]] = defaultdict(dict)
    for i, per_field in enumerate(field_tf):
        for name, counts in per_field.items():
            weight = FIELD_WEIGHTS[name]
            norm = K1 * (1 - B + B * lengths[name][i] / avg[name])
            for term, tf in counts.items():
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                out[term][i] = out[term].get(i, 0.0) + idf * weight * tf * (K1 + 1) / (tf + norm)
    return out


def article_runs(numbers: Iterable[tuple[int, int]]) -> str:
    """Article keys as compact runs: ``1-12,12.1,13-20`` (the browser expands them).

    >>> article_runs([(1, 0), (2, 0), (3, 0), (3, 1), (5, 0)])
    '1-3,3.1,5'
    """
    parts: list[str] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            parts.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
            run.clear()

    for number, suffix in numbers:
        if suffix:
            flush()
            parts.append(f"{number}.{suffix}")
        elif run and number == run[-1] + 1:
            run.append(number)
        else:
            flush()
            run.append(number)
    flush()
    return ",".join(parts)


def reference_names(doc: SearchDoc) -> list[str]:
    """Names an article reference may use for a regulation, normalised, longest first."""
    names = {doc.title, doc.short_title, *doc.aliases.split()}
    names |= {n[len("中华人民共和国"):] for n in names if n.startswith("中华人民共和国")}
    return sorted({normalise(n) for n in names if len(n) > 1}, key=lambda n: (-len(n), n))


def build_groups(docs: Sequence[SearchDoc]) -> list[list[object]]:
    """Consecutive documents of one regulation (or page) form a group; one row each."""
    rows: list[list[object]] = []
    start = 0
    for i in range(1, len(docs) + 1):
        if i < len(docs) and (docs[i].law or docs[i].page) == (docs[start].law or docs[start].page):
            continue
        first = docs[start]
        is_law = first.kind == ARTICLE
        rows.append([
            first.title,
            first.url.split("#", 1)[0],
            first.status,
            first.level,
            "law" if is_law else "page",
            start,
            i - start,
            reference_names(first) if is_law else [],
            article_runs((d.number, d.suffix) for d in docs[start:i]) if is_law else "",
            bool(is_law and first.current == first.law),
        ])
        start = i
    return rows


def order_documents(docs: Iterable[SearchDoc]) -> list[SearchDoc]:
    """Documents of one regulation (or page) together, regulations first, stable otherwise."""
    docs = list(docs)
    first_seen: dict[str, int] = {}
    for i, doc in enumerate(docs):
        first_seen.setdefault(doc.law or doc.page, i)
    return sorted(docs, key=lambda d: (d.kind != ARTICLE, first_seen[d.law or d.page]))


def write_static_index(docs: Iterable[SearchDoc], analyzer: Analyzer, site_dir: Path) -> StaticIndexStats:
    """Write the whole static index below ``site_dir/search/kb`` (replacing any previous one).

    The new index is written beside the old one and swapped in with two renames, so a browser
    never sees half an index.
    """
    docs = order_documents(docs)
    target = site_dir / INDEX_DIR
    staging = target.with_name(f".kb-staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    files: dict[str, object] = {}

    segmenter = analyzer_segmenter(analyzer)
    for bucket, data in dictionary_buckets(segmenter).items():
        files[f"dict/{bucket}.json"] = data

    scores = impacts(docs, analyzer)
    postings_count = sum(min(len(p), INLINE_POSTINGS) for p in scores.values())
    term_shards = max(8, math.ceil(postings_count * 7 / TERM_SHARD_BYTES))
    shards: dict[int, dict[str, list[object]]] = defaultdict(dict)
    more_id = 0
    for term, by_doc in scores.items():
        ranked = sorted(by_doc.items(), key=lambda item: (-item[1], item[0]))
        tiers = [ranked[:INLINE_POSTINGS]] + [
            ranked[i:i + MORE_CHUNK] for i in range(INLINE_POSTINGS, len(ranked), MORE_CHUNK)
        ]
        more = []
        for tier in tiers[1:]:
            files[f"more/{more_id}.json"] = encode_postings(tier)
            more.append([more_id, round(tier[0][1] * 100)])
            more_id += 1
        shards[term_hash(term) % term_shards][term] = [len(ranked), 0, encode_postings(tiers[0]), more]
    for index in range(term_shards):
        files[f"terms/{index}.json"] = shards.get(index, {})

    for start in range(0, len(docs), DOC_SHARD_SIZE):
        files[f"docs/{start // DOC_SHARD_SIZE}.json"] = [
            [d.article, d.url, d.chapter, d.text] for d in docs[start:start + DOC_SHARD_SIZE]
        ]
    files["groups.json"] = build_groups(docs)
    files["manifest.json"] = {
        "version": FORMAT_VERSION,
        "documents": len(docs),
        "termShards": term_shards,
        "docShardSize": DOC_SHARD_SIZE,
        "analyzer": {
            "total": segmenter.total,
            "maxLen": segmenter.max_len,
            "buckets": DICT_BUCKETS,
            "stopwords": sorted(analyzer.stopwords),
            "questionWords": sorted(analyzer.question_words),
            "synonyms": {
                word: [analyzer.analyze(f) for f in formal] for word, formal in sorted(analyzer.synonyms.items())
            },
            "synonymWeight": SYNONYM_WEIGHT,
        },
        "scoring": SCORING,
    }

    total_bytes = 0
    for rel, data in files.items():
        path = staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path.write_bytes(raw)
        total_bytes += len(raw)
    old = target.with_name(f".kb-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return StaticIndexStats(documents=len(docs), terms=len(scores), files=len(files), bytes=total_bytes)


def encode_postings(postings: Sequence[tuple[int, float]]) -> list[int]:
    """``[(doc, score)]`` -> flat ``[doc delta, score×100, …]`` in document order.

    >>> encode_postings([(5, 1.234), (2, 0.5)])
    [2, 50, 3, 123]
    """
    flat: list[int] = []
    last = 0
    for doc, score in sorted(postings):
        flat += [doc - last, max(1, round(score * 100))]
        last = doc
    return flat
