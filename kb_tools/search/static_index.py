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
``dates.json``
    one date per group (施行日期, else 公布日期, ISO; empty for pages), in group order: only the
    results page's 按日期 sort loads it, so the header box's budget does not carry it.
``docs/<k>.json``
    stored fields (article label, URL with anchor, chapter, text) of ``DOC_SHARD_SIZE``
    consecutive documents, for result lines and snippets.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.search import ranking, rerank
from kb_tools.search.analyzer import SYNONYM_WEIGHT, Analyzer
from kb_tools.search.documents import ARTICLE
from kb_tools.search.impacts import Scores, compute, update
from kb_tools.search.mechanisms import enabled
from kb_tools.search.paths import INDEX_DIR
from kb_tools.search.query import MAX_QUERY_CHARS, compact_docno, name_table
from kb_tools.search.segmenter import DICT_PATH, HAN_RE, Segmenter
from kb_tools.search.terms import TermCounts

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.search.documents import SearchDoc
    from kb_tools.search.shard_store import ShardStore

FORMAT_VERSION = 1
DICT_BUCKETS = 1024
DOC_SHARD_SIZE = 4
#: A term's first tier (its highest-impact postings); the rest is split into chunks of MORE_CHUNK.
INLINE_POSTINGS = 1000
MORE_CHUNK = 5000
#: A first tier up to this long stays in the term's shard; a longer one gets its own file, so
#: that a query for a rare word does not download the common words that share its shard.
SHARD_INLINE = 48
#: Aimed-at raw size of one term shard (bytes); the shard count follows from the corpus size.
TERM_SHARD_BYTES = 4_000

#: Most impact tiers fetched per query before ranking settles for what it has.
MAX_MORE_ROUNDS = 3
#: Impacts are stored as integers: BM25F score × IMPACT_SCALE.
IMPACT_SCALE = 1000


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


@dataclass(frozen=True)
class DictionaryShards:
    """The ``dict/`` buckets of one analyzer: jieba's own buckets (cached on disk, linked into
    the site) except those the analyzer's extra words change (rewritten for the site)."""

    base: Path
    linked: tuple[str, ...]
    changed: dict[str, dict[str, str]]
    total: int
    max_len: int


def base_dictionary() -> Path:
    """jieba's default dictionary cut into buckets, written once per machine (temp folder).

    Cutting 350,000 words takes seconds and never changes between builds, so every build links
    these files instead of writing them.
    """
    key = hashlib.sha1(f"{FORMAT_VERSION}.1 {DICT_BUCKETS} {DICT_PATH.stat().st_size}".encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"kb-search-dict-{key}"
    if not (folder / "meta.json").is_file():
        segmenter = Segmenter()
        staging = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for bucket, data in dictionary_buckets(segmenter).items():
            (staging / f"{bucket}.json").write_bytes(_json_bytes(data))
        outside = sorted((w, f) for w, f in segmenter.freqs.items() if not HAN_RE.fullmatch(w))
        info = {"total": segmenter.total, "maxLen": segmenter.max_len, "outside": outside}
        (staging / "meta.json").write_text(json.dumps(info), encoding="utf-8")
        try:
            staging.rename(folder)
        except OSError:  # another build got there first
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def dictionary_shards(analyzer: Analyzer) -> DictionaryShards:
    """The buckets for an analyzer: jieba's, with its extra words merged in (as ``add_word`` does)."""
    base = base_dictionary()
    info = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    total, max_len, outside = info["total"], info["maxLen"], dict(info["outside"])
    changed: dict[str, dict[str, dict[str, int]]] = {}
    for word, freq in analyzer.dictionary_entries():
        if not word:
            continue
        max_len = max(max_len, len(word))
        if not HAN_RE.fullmatch(word):  # never part of a cut: it only counts in jieba's total
            total += freq - outside.get(word, 0)
            outside[word] = freq
            continue
        name = f"{ord(word[0]) % DICT_BUCKETS}.json"
        if name not in changed:
            path = base / name
            data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            changed[name] = {first: _parse_entries(v) for first, v in data.items()}
        bucket = changed[name].setdefault(word[0], {})
        total += freq - bucket.get(word[1:], 0)
        bucket[word[1:]] = freq
    out = {name: {first: _format_entries(e) for first, e in sorted(chars.items())} for name, chars in changed.items()}
    linked = tuple(sorted(p.name for p in base.glob("*.json") if p.name != "meta.json" and p.name not in out))
    return DictionaryShards(base, linked, out, total, max_len)


def _parse_entries(text: str) -> dict[str, int]:
    out = {}
    for entry in text.split("|"):
        rest, _, freq = entry.rpartition(" ")
        out[rest] = int(freq)
    return out


def _format_entries(entries: dict[str, int]) -> str:
    return "|".join(sorted(f"{rest} {freq}" for rest, freq in entries.items()))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _place(store: ShardStore | None, rel: str, raw: bytes, path: Path) -> None:
    if store is None:
        path.write_bytes(raw)
    else:
        store.place(rel, raw, path)


def _json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def dictionary_buckets(segmenter: Segmenter, buckets: int = DICT_BUCKETS) -> dict[int, dict[str, str]]:
    """``{bucket: {first char: "rest freq|rest freq…"}}``; words that cannot occur inside a
    run of jieba's word characters are left out (they never take part in a cut)."""
    grouped: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for word, freq in segmenter.freqs.items():
        if not word or not HAN_RE.fullmatch(word):
            continue
        grouped[ord(word[0]) % buckets][word[0]].append(f"{word[1:]} {freq}")
    return {b: {c: "|".join(sorted(v)) for c, v in sorted(chars.items())} for b, chars in grouped.items()}


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


def build_groups(docs: Sequence[SearchDoc]) -> list[list[object]]:
    """Consecutive documents of one regulation (or page) form a group; one row each:
    ``[title, url, status, level, kind, first doc, count, article runs, slug, current slug, 文号,
    categories]``."""
    rows: list[list[object]] = []
    start = 0
    for i in range(1, len(docs) + 1):
        if i < len(docs) and (docs[i].law or docs[i].page) == (docs[start].law or docs[start].page):
            continue
        first = docs[start]
        is_law = first.kind == ARTICLE
        url = first.url.split("#", 1)[0]
        rows.append([
            first.title,
            "" if is_law and url == f"laws/{first.law}/" else url,  # the browser rebuilds the usual one
            first.status,
            first.level,
            first.kind,
            start,
            i - start,
            article_runs((d.number, d.suffix) for d in docs[start:i]) if is_law else "",
            first.law,
            "" if first.current == first.law else first.current,
            compact_docno(first.doc_number) if first.doc_number else "",
            first.category,
        ])
        start = i
    return rows


def group_dates(docs: Sequence[SearchDoc]) -> list[str]:
    """The date of each group of :func:`build_groups`, in the same order (施行日期, else 公布日期)."""
    dates: list[str] = []
    previous: str | None = None
    for doc in docs:
        key = doc.law or doc.page
        if key != previous:
            dates.append(doc.effective or doc.promulgated)
            previous = key
    return dates


def compact_names(names: dict[str, str], groups: list[list[object]]) -> dict[str, int | str]:
    """``{name: slug}`` with each slug replaced by the index of its regulation's group when it
    has one (shorter; the browser maps it back). Order is kept: it decides ties in parsing."""
    index = {row[8]: i for i, row in enumerate(groups) if row[4] == ARTICLE and not row[9]}
    return {name: index.get(slug, slug) for name, slug in names.items()}


def order_documents(docs: Iterable[SearchDoc]) -> list[SearchDoc]:
    """Documents of one regulation (or page) together, regulations first, stable otherwise."""
    docs = list(docs)
    first_seen: dict[str, int] = {}
    for i, doc in enumerate(docs):
        first_seen.setdefault(doc.law or doc.page, i)
    return sorted(docs, key=lambda d: (d.kind != ARTICLE, first_seen[d.law or d.page]))


@dataclass
class Layout:
    """Which files the last build wrote for each term shard and document shard (``mkdocs serve``
    reuses the bytes of those whose postings or documents did not change).

    A term's chunk files are numbered ``shard × stride + k`` (k counts the shard's files in term
    order), so an edit renumbers files of the shards it touches only; ``stride`` is a power of ten
    above the most files any shard has.
    """

    term_shards: int
    stride: int
    shard_files: dict[int, list[str]]
    doc_rows: list[tuple[str, str, str, str]]


def _extra_files(length: int) -> int:
    """How many ``more/`` files a term with ``length`` postings has."""
    head = min(length, INLINE_POSTINGS)
    return max(0, math.ceil((length - INLINE_POSTINGS) / MORE_CHUNK)) + (1 if head > SHARD_INLINE else 0)


class _Files:
    """The index's files, written into the staging folder as they are made (through the serve's
    store when there is one); counts files and bytes for the build's log."""

    def __init__(self, staging: Path, store: ShardStore | None) -> None:
        self.staging = staging
        self.store = store
        self.made: set[Path] = set()
        self.count = 0
        self.bytes = 0

    def put(self, rel: str, data: object) -> None:
        """Write ``data`` (JSON-able, or the exact bytes) as ``rel``."""
        path = self.staging / rel
        if path.parent not in self.made:  # a few folders for thousands of files
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        raw = data if isinstance(data, bytes) else _json_bytes(data)
        _place(self.store, rel, raw, path)
        self.count += 1
        self.bytes += len(raw)


def _encode_shard(index: int, shard_terms: list[str], scores: Scores, stride: int, files: _Files) -> list[str]:
    """Write term shard ``index`` and its chunk files; return their paths."""
    entries: dict[str, list[object]] = {}
    rels = [f"terms/{index}.json"]
    number = index * stride
    for term in sorted(shard_terms):
        ranked = sorted(scores.impact[term].items(), key=lambda item: (-item[1], item[0]))
        tiers = [ranked[:INLINE_POSTINGS]] + [
            ranked[i:i + MORE_CHUNK] for i in range(INLINE_POSTINGS, len(ranked), MORE_CHUNK)
        ]
        more = []
        for tier in tiers[1:]:
            rels.append(f"more/{number}.json")
            files.put(rels[-1], encode_postings(tier))
            more.append([number, math.ceil(tier[0][1] * IMPACT_SCALE)])
            number += 1
        head: list[int] | int = encode_postings(tiers[0])
        if len(tiers[0]) > SHARD_INLINE:
            rels.append(f"more/{number}.json")
            files.put(rels[-1], head)
            head = number
            number += 1
        entries[term] = [scores.df.get(term, 0), head, more]
    files.put(rels[0], entries)
    return rels


def write_static_index(docs: Iterable[SearchDoc], analyzer: Analyzer, site_dir: Path,
                       names: dict[str, str] | None = None, terms: TermCounts | None = None,
                       store: ShardStore | None = None) -> StaticIndexStats:
    """Write the whole static index below ``site_dir/search/kb`` (replacing any previous one).

    Args:
        docs: every search document of the site (the whoosh index gets the same list).
        analyzer: THE analyzer of the site.
        site_dir: the built site.
        names: normalised regulation name -> slug of its current text (query parsing).
        terms: the build's shared term counts (see :mod:`kb_tools.search.terms`).
        store: the previous build's files (``mkdocs serve``): unchanged ones are linked, not
            written, and the analyzer's dictionary buckets are merged again only when its words
            changed (see :mod:`kb_tools.search.shard_store`).

    The new index is written beside the old one and swapped in with two renames, so a browser
    never sees half an index.
    """
    docs = order_documents(docs)
    target = site_dir / INDEX_DIR
    staging = target.with_name(f".kb-staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)

    entries = analyzer.dictionary_entries()
    kept = store.dictionary if store is not None else None
    if kept is not None and kept[0] == entries and isinstance(kept[1], DictionaryShards) \
            and (kept[1].base / "meta.json").is_file():  # jieba's buckets still in the temp folder
        dictionary = kept[1]
    else:
        dictionary = dictionary_shards(analyzer)
        if store is not None:
            store.dictionary = (entries, dictionary)

    counts = terms if terms is not None and terms.analyzer is analyzer else TermCounts().use(analyzer)
    prior = store.memo if store is not None else None
    if store is not None:
        store.memo = None  # updated in place below: given back only when every file is written
    memo = prior[0] if prior is not None else None
    scores = update(memo, docs, counts) if memo is not None else None
    if scores is None:
        scores, memo = compute(docs, counts, keep=store is not None)
    last = prior[1] if prior is not None else None
    previous = store.previous if store is not None else {}
    if store is not None:
        store.begin(site_dir)
        previous = store.previous
    files = _Files(staging, store)  # each file written as soon as it is made: the index never sits in memory

    estimate = sum(3 * len(t) + 12 + 9 * min(len(p), SHARD_INLINE) for t, p in scores.impact.items())
    term_shards = max(8, math.ceil(estimate / TERM_SHARD_BYTES))
    by_shard: dict[int, list[str]] = defaultdict(list)
    for term in scores.impact:
        by_shard[term_hash(term) % term_shards].append(term)
    most = max((sum(_extra_files(len(scores.impact[t])) for t in shard) for shard in by_shard.values()), default=0)
    stride = 10 ** len(str(most))
    dirty: set[int] | None = None  # None: every shard is written again
    if last is not None and memo is not None and memo.changed is not None \
            and (last.term_shards, last.stride) == (term_shards, stride):
        dirty = {term_hash(t) % term_shards for t in memo.changed}
    shard_files: dict[int, list[str]] = {}
    for index in range(term_shards):
        same = last.shard_files.get(index) if last is not None and dirty is not None and index not in dirty else None
        if same is not None and all(rel in previous for rel in same):
            for rel in same:  # the same postings as last time: the same bytes
                files.put(rel, previous[rel])
            shard_files[index] = same
        else:
            shard_files[index] = _encode_shard(index, by_shard.get(index, []), scores, stride, files)

    rows = [(d.article, d.url, d.chapter, d.text) for d in docs]
    for start in range(0, len(docs), DOC_SHARD_SIZE):
        rel = f"docs/{start // DOC_SHARD_SIZE}.json"
        chunk = rows[start:start + DOC_SHARD_SIZE]
        if last is not None and rel in previous and last.doc_rows[start:start + DOC_SHARD_SIZE] == chunk:
            files.put(rel, previous[rel])
        else:
            files.put(rel, [list(row) for row in chunk])
    layout = Layout(term_shards, stride, shard_files, rows)
    groups = build_groups(docs)
    files.put("groups.json", {"groups": groups, "names": compact_names(names or {}, groups)})
    files.put("dates.json", group_dates(docs))
    files.put("manifest.json", manifest(analyzer, dictionary, len(docs), term_shards))
    (staging / "dict").mkdir()
    for name in dictionary.linked:
        _link_or_copy(dictionary.base / name, staging / "dict" / name)
    for name, data in dictionary.changed.items():
        _place(store, f"dict/{name}", _json_bytes(data), staging / "dict" / name)
    if store is not None:
        store.end()
        store.memo = None if memo is None else (memo, layout)
    old = target.with_name(f".kb-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    count = files.count + len(dictionary.linked) + len(dictionary.changed)
    return StaticIndexStats(documents=len(docs), terms=len(scores.impact), files=count, bytes=files.bytes)


def write_site_index(corpus: Corpus, site_dir: Path, *, analyzer: Analyzer | None = None,
                     terms: TermCounts | None = None, store: ShardStore | None = None) -> StaticIndexStats:
    """The static index of a corpus (what the plugin calls after the build).

    ``corpus.public_only`` is honoured by :func:`search_documents`: private pages never reach it.
    ``analyzer`` and ``terms``: the build's, when the caller shares them with the whoosh index.
    ``store``: the previous build's files, kept by the plugin across ``mkdocs serve`` rebuilds.
    """
    from kb_tools.search.analyzer import analyzer_for_corpus
    from kb_tools.search.documents import search_documents

    names = name_table([(list(law.names), law.slug) for law in corpus.current_laws])
    return write_static_index(search_documents(corpus), analyzer or analyzer_for_corpus(corpus), site_dir, names,
                              terms, store)


def manifest(analyzer: Analyzer, dictionary: DictionaryShards, documents: int,
             term_shards: int) -> dict[str, object]:
    """Everything the browser needs before its first shard: analyzer lists, shard counts, ranking."""
    from kb_tools.search.engine import BACK_OFF_WEIGHT, BIGRAM_WEIGHT, PARTLY_MIN  # the whoosh engine's, shared

    return {
        "version": FORMAT_VERSION,
        "documents": documents,
        "termShards": term_shards,
        "docShardSize": DOC_SHARD_SIZE,
        "impactScale": IMPACT_SCALE,
        "maxQueryChars": MAX_QUERY_CHARS,
        "vocabulary": vocabulary(),
        "analyzer": {
            "total": dictionary.total,
            "maxLen": dictionary.max_len,
            "buckets": DICT_BUCKETS,
            "stopwords": sorted(analyzer.stopwords),
            "questionWords": sorted(analyzer.question_words) if enabled("questions") else [],
            "synonyms": {word: [synonym_terms(analyzer, f) for f in formal]
                         for word, formal in sorted(analyzer.expansions().items())},
            "synonymWeight": SYNONYM_WEIGHT,
        },
        "ranking": {
            "statusFactor": ranking.STATUS_FACTOR,
            "kindFactor": ranking.KIND_FACTOR,
            "coordinationPower": ranking.COORDINATION_POWER,
            "namedLawFactor": ranking.NAMED_LAW_FACTOR,
            "articleFactor": ranking.ARTICLE_FACTOR,
            "articleNumbers": enabled("article_numbers"),
            "exactBonus": ranking.EXACT_BONUS,
            "pool": 100,
            "backOffWeight": BACK_OFF_WEIGHT,
            "bigrams": enabled("bigrams"),
            "bigramWeight": BIGRAM_WEIGHT,
            "partlyMin": PARTLY_MIN,
            "maxMoreRounds": MAX_MORE_ROUNDS,
            "rerank": rerank.manifest_config(),
            "diversity": ({"cap": ranking.DIVERSITY_CAP, "depth": ranking.DIVERSITY_DEPTH,
                           "reach": ranking.DIVERSITY_REACH} if enabled("diversity") else None),
        },
    }


def vocabulary() -> dict[str, object]:
    """The shared words of the UI, from :mod:`kb_tools.model`: 时效性 with their badge classes,
    效力级别 in order of precedence (the browser repeats none of them)."""
    from kb_tools.model import Level, Status

    return {"statuses": [{"value": s.value, "css": s.css_class} for s in Status],
            "levels": [level.value for level in Level]}


def synonym_terms(analyzer: Analyzer, formal: str) -> list[list[str]]:
    """``[[term, whole], …]`` of a synonym's formal word, as ``Analyzer.query_tokens`` expands it."""
    tokens = analyzer.tokenize(formal)
    out = []
    for token in tokens:
        whole = token
        for t in tokens:
            if t.startchar <= token.startchar and token.endchar <= t.endchar and \
                    t.endchar - t.startchar > whole.endchar - whole.startchar:
                whole = t
        out.append([token.text, whole.text])
    return out


def encode_postings(postings: Sequence[tuple[int, float]]) -> list[int]:
    """``[(doc, score)]`` -> flat ``[doc delta, score×100, …]`` in document order.

    >>> encode_postings([(5, 1.2345), (2, 0.5)])
    [2, 500, 3, 1234]
    """
    flat: list[int] = []
    last = 0
    for doc, score in sorted(postings):
        flat += [doc - last, max(1, round(score * IMPACT_SCALE))]
        last = doc
    return flat
