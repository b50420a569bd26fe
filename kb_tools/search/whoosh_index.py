"""The on-disk search index: the ONLY module that imports whoosh.

Layout of ``index_dir``::

    CURRENT            name of the live generation (replaced atomically with os.replace)
    gen-<stamp>/       a whoosh index plus manifest.json (per-page hashes, analyzer words)

A build copies the live generation into a new one, rewrites only the documents of pages whose
hash changed, writes the manifest, and then points ``CURRENT`` at it. A build interrupted at
any point leaves ``CURRENT`` naming the previous, complete generation.

Terms are computed by :mod:`kb_tools.search.analyzer` before whoosh sees them: the custom
field type below takes ``[(term, freq)]`` lists, so whoosh never runs a Python tokenizer and
never builds Token objects (the main cost of a plain whoosh + jieba index). Positions are not
stored: exact phrases are checked on the stored text instead.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import math
import multiprocessing
import operator
import os
import shutil
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import columns, fields, index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3FieldWriter, _lenfield
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length

from kb_tools.search import analyzer as analyzer_module
from kb_tools.search.analyzer import Analyzer, analyzer_for
from kb_tools.search.documents import SearchDoc
from kb_tools.search.generations import (
    MANIFEST,
    Pending,
    commit_build,
    current_generation,
    read_manifest,
)
from kb_tools.search.generations import write_json as _write_json
from kb_tools.search.ranking import average_length
from kb_tools.search.terms import TermCounts

#: Bump when the schema or the way terms are computed changes: forces a full rebuild.
SCHEMA_VERSION = 9
GROUPS = "groups.json"
#: Fields whose text goes through the analyzer, with the SearchDoc attributes they are made of.
ANALYZED_FIELDS: dict[str, tuple[str, ...]] = {
    "names": ("title", "short_title", "aliases"),
    "chapter": ("chapter",),
    "body": ("text",),
    "docno": ("doc_number",),
    "anchor": ("anchor",),
}
#: Stored-only attributes of a SearchDoc (everything a result line needs).
STORED = ("id", "kind", "page", "title", "url", "text", "short_title", "aliases", "chapter", "article",
          "number", "suffix", "level", "status", "category", "doc_number", "promulgated", "effective",
          "law", "current")
#: Below this many documents, writing parts in worker processes costs more than it saves.
PARALLEL_MIN_DOCS = 3000
#: At most this many parts (whoosh indexes written side by side, one per process).
MAX_PARTS = 8
#: At most about this many documents a part: a writer holds its part's postings in memory until
#: it commits, and the build's index process writes its parts one after the other (see
#: :func:`_create_parts`), so on the 1,510-regulation site (64,500 documents) four parts instead
#: of two halved that process's whoosh peak.
PART_DOCS = 16_000
#: Memory for whoosh's posting pool per writer: above it, whoosh spills sorted runs to disk and
#: merges them in Python at commit, which costs more than the sort itself.
WRITER_LIMIT_MB = 1024


class PreAnalyzed(fields.TEXT):
    """A TEXT field fed with ``[(term, freq)]`` computed by our analyzer (no whoosh tokenizer).

    Stores frequencies, not positions; BM25F needs only those and the field length.
    """

    def __init__(self, *, scorable: bool = True) -> None:
        super().__init__(phrase=False, stored=False)
        self.scorable = scorable

    def index(self, value: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        for term, freq in value:
            yield term.encode("utf-8"), freq, float(freq), pack_uint(freq)


class _FieldWriter(W3FieldWriter):
    """whoosh3's field writer, fed a whole posting list per term.

    whoosh calls ``add()`` -> ``add_posting()`` (type asserts, statistics) for every posting;
    here the sorted postings are grouped by term and appended to the block buffers directly.
    The bytes written are the same codec's.
    """

    def add_postings(self, schema: Any, lengths: Any, items: Iterable[tuple]) -> None:
        lastfn = None
        for (fieldname, btext), postings in itertools.groupby(items, key=operator.itemgetter(0, 1)):
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn = fieldname
            self.start_term(btext)
            pw = self._postwriter
            limit = pw._blocklimit
            for _f, _t, docnum, weight, value in postings:
                if len(pw._ids) >= limit:
                    pw._write_block()
                pw._ids.append(docnum)
                pw._weights.append(weight)
                if weight > pw._maxweight:
                    pw._maxweight = weight
                if value:
                    pw._values.append(value)
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


class _Codec(W3Codec):
    """whoosh's codec without per-block length statistics, with the bulk field writer.

    Length statistics serve only whoosh's own block-quality skipping, which our ranker does
    not use, and computing them looks up a field length for every posting.
    """

    length_stats = False

    def field_writer(self, storage: Any, segment: Any) -> _FieldWriter:
        return _FieldWriter(self, storage, segment)


def make_schema() -> fields.Schema:
    """The whoosh schema: analysed fields for scoring, one facet field for filters, stored values.

    Every exact value a filter or an update needs (``page=…``, ``status=有效``, ``current=建筑法``,
    ``artkey=8-0`` …) is a term of the single ``facet`` field: one field costs whoosh far less
    per document than eight ID fields.
    """
    schema = fields.Schema(facet=PreAnalyzed(scorable=False), data=fields.STORED())
    for kind in GROUP_KINDS:  # each document's group number, read as one array at query time
        schema.add(f"{kind}_id", fields.COLUMN(columns.NumericColumn("I")))
    for name in ANALYZED_FIELDS:
        schema.add(name, PreAnalyzed())
    return schema


def facet(name: str, value: str) -> str:
    """The facet term for an exact value: ``facet("status", "有效") == "status=有效"``."""
    return f"{name}={value}"


@dataclass
class BuildStats:
    """What one build did, for logs and tests.

    Attributes:
        full: the index was rebuilt from scratch (new index, schema or dictionary change).
        pages_changed: pages whose documents were rewritten (added, changed or removed).
        added: documents written; ``deleted``: documents removed; ``total``: documents in the index.
    """

    full: bool = False
    pages_changed: list[str] = field(default_factory=list)
    added: int = 0
    deleted: int = 0
    total: int = 0
    seconds: float = 0.0
    #: With ``build_index(commit=False)``: what :func:`commit_build` makes live (a new
    #: generation, or a new manifest for the live one) and the generation it replaces.
    pending: Pending | None = None


# --------------------------------------------------------------------------- terms


#: Fields every document of a group shares: a regulation's names and 文号 (grouped by
#: regulation, or by page for sections of other pages), the chapter heading (grouped by
#: chapter). whoosh indexes one ``facet`` term per document for its group instead of every
#: term of the title for every article (a third of all postings); the group's terms are kept
#: in ``groups.json`` beside the index and expanded at query time.
GROUPED_FIELDS = {"names": "grp", "docno": "grp", "chapter": "chap"}
GROUP_KINDS = ("grp", "chap")


def group_keys(doc: SearchDoc) -> dict[str, str]:
    """The facet names and keys of a document's groups: ``{"grp": "建筑法", "chap": "建筑法#第二章 …"}``."""
    grp = doc.law or doc.page
    keys = {"grp": grp}
    if doc.chapter:
        keys["chap"] = f"{grp}#{doc.chapter}"
    return keys


def doc_terms(analyzer: Analyzer, doc: SearchDoc,
              memo: dict[str, list[tuple[str, int]]] | None = None) -> dict[str, list[tuple[str, int]]]:
    """The ``[(term, freq)]`` of each analysed field of one document (memoised per text when
    ``memo`` is given: many documents share a title or a chapter)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for name, attrs in ANALYZED_FIELDS.items():
        text = "\n".join(getattr(doc, a) for a in attrs if getattr(doc, a))
        if not text:
            out[name] = []
            continue
        if memo is not None and name in GROUPED_FIELDS:
            key = f"{name}\0{text}"
            if key not in memo:
                memo[key] = list(Counter(analyzer.analyze(text)).items())
            out[name] = memo[key]
        else:
            out[name] = list(Counter(analyzer.analyze(text)).items())
    return out


def group_terms(analyzer: Analyzer, docs: Iterable[SearchDoc],
                terms: TermCounts | None = None) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """``{field: {group key: [(term, freq)]}}`` for the grouped fields of all documents."""
    counted = terms if terms is not None and terms.analyzer is analyzer else TermCounts().use(analyzer)
    groups: dict[str, dict[str, list[tuple[str, int]]]] = {name: {} for name in GROUPED_FIELDS}
    for doc in docs:
        keys = group_keys(doc)
        for name, attrs in ANALYZED_FIELDS.items():
            kind = GROUPED_FIELDS.get(name)
            if kind is None or kind not in keys or keys[kind] in groups[name]:
                continue
            text = "\n".join(getattr(doc, a) for a in attrs if getattr(doc, a))
            if text:
                groups[name][keys[kind]] = counted.counts(text)
    return groups


def _facets(doc: SearchDoc) -> list[tuple[str, int]]:
    values = [("page", doc.page), ("kind", doc.kind), ("current", doc.current),
              ("level", doc.level), ("status", doc.status), *group_keys(doc).items()]
    if doc.article:
        values.append(("artkey", f"{doc.number}-{doc.suffix}"))
    values += [("category", c) for c in doc.category.split()]
    return [(facet(k, v), 1) for k, v in dict.fromkeys(values) if v]


_PACKED = [pack_uint(i) for i in range(256)]


def _add_document(writer: Any, doc: SearchDoc, terms: dict[str, list[tuple[str, int]]],
                  group_ids: dict[str, dict[str, int]]) -> None:
    """``writer.add_document`` for our pre-analysed fields, without whoosh's per-posting overhead.

    Does what whoosh's ``SegmentWriter.add_document`` does for these field types (postings into
    the pool, lengths and stored values into the per-document writer), minus its per-field
    analyzer calls and per-posting checks: the terms are already counted and valid.
    """
    pool, perdoc, schema = writer.pool, writer.perdocwriter, writer.schema
    docnum = writer.docnum
    append = pool.current.append
    size = 0
    perdoc.start_doc(docnum)
    try:
        for name, items in sorted({**terms, "facet": _facets(doc)}.items()):
            if not items:
                continue
            pool.fieldnames.add(name)
            length = 0
            for term, freq in items:
                tbytes = term.encode("utf-8")
                append((name, tbytes, docnum, float(freq), _PACKED[freq] if freq < 256 else pack_uint(freq)))
                length += freq
                size += 160 + 2 * len(tbytes)  # whoosh's own estimate of a pooled posting
            field_obj = schema[name]
            perdoc.add_field(name, field_obj, None, length if field_obj.scorable else 0)
        perdoc.add_field("data", schema["data"], {k: getattr(doc, k) for k in STORED}, 0)
        for kind, key in group_keys(doc).items():
            name = f"{kind}_id"
            perdoc.add_column_value(name, schema[name].column_type, group_ids[kind][key])
    except BaseException:
        perdoc.cancel_doc()
        raise
    perdoc.finish_doc()
    pool.currentsize += size
    if pool.currentsize > pool.limit:
        pool.save()
    writer._added = True
    writer.docnum += 1


def part_of(page: str, parts: int) -> int:
    """The part a page's documents live in: stable across builds (a hash of the page path)."""
    return int(hashlib.sha1(page.encode("utf-8")).hexdigest()[:8], 16) % parts


def _write_part(part_dir: Path, docs: Sequence[SearchDoc], analyzer: Analyzer, group_ids: dict[str, dict[str, int]],
                *, create: bool, delete_pages: Iterable[str] = (), terms: TermCounts | None = None) -> tuple[int, int]:
    """Create or update one part (a whoosh index); returns ``(added, deleted)``."""
    if create:
        part_dir.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(part_dir), make_schema())
    else:
        ix = index.open_dir(str(part_dir))
    added = deleted = 0
    # Uncompressed posting blocks: zlib was a tenth of the write time, and reads skip inflating.
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, codec=_Codec(compression=0), compound=False)
    try:
        for page in delete_pages:
            deleted += writer.delete_by_term("facet", facet("page", page))
        counted = terms if terms is not None and terms.analyzer is analyzer else TermCounts().use(analyzer)
        for doc in docs:
            fields_terms = {name: counted.counts(text) if (text := getattr(doc, attrs[0])) else []
                            for name, attrs in ANALYZED_FIELDS.items() if name not in GROUPED_FIELDS}
            _add_document(writer, doc, fields_terms, group_ids)
            added += 1
            if _after_write is not None:
                _after_write(added)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(optimize=False)
    ix.close()
    return added, deleted


def _write_part_in_worker(args: tuple[str, list[SearchDoc], list[tuple[str, int]], list[str], dict]) -> tuple[int, int]:
    part_dir, docs, words, stopwords, group_ids = args
    analyzer = Analyzer(words=words, stopwords=frozenset(stopwords))
    return _write_part(Path(part_dir), docs, analyzer, group_ids, create=True)


def _create_parts(gen: Path, docs_by_part: list[list[SearchDoc]], analyzer: Analyzer, procs: int,
                  group_ids: dict[str, dict[str, int]], terms: TermCounts | None = None) -> int:
    """Write every part from scratch, one process per part when it is worth it.

    Not worth it when ``terms`` already holds every document's analysis (the static index was
    written first in the same build): the workers would analyse everything again, and writing
    pre-counted postings in this process took less time than that on a 2-core machine. Nor
    possible in a daemonic process (the build's index process, see ``kb_tools/site/index_job``):
    multiprocessing forbids it children; that process already runs beside the page rendering.
    """
    total = sum(len(d) for d in docs_by_part)
    warm = terms is not None and terms.analyzer is analyzer and all(
        terms.knows(doc.text) for docs in docs_by_part for doc in docs if doc.text)
    daemonic = multiprocessing.current_process().daemon
    if warm or daemonic or procs < 2 or len(docs_by_part) < 2 or total < PARALLEL_MIN_DOCS:
        return sum(_write_part(gen / f"part-{i}", d, analyzer, group_ids, create=True, terms=terms)[0]
                   for i, d in enumerate(docs_by_part))
    jobs = [(str(gen / f"part-{i}"), d, analyzer.words, sorted(analyzer.stopwords), group_ids)
            for i, d in enumerate(docs_by_part)]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=min(procs, len(jobs)), mp_context=context) as pool:
        return sum(added for added, _ in pool.map(_write_part_in_worker, jobs))


# --------------------------------------------------------------------------- manifest


def fingerprint(analyzer: Analyzer) -> str:
    """Identifies the tokenization: a different one means every document must be re-analysed.

    Covers the dictionary, the stopwords and the analyzer's own code (a changed rule there
    changes the terms as surely as a new word does).
    """
    h = hashlib.sha1(f"schema {SCHEMA_VERSION}\n".encode())
    h.update(Path(analyzer_module.__file__).read_bytes())
    for word, freq in analyzer.dictionary_entries():
        h.update(f"{word} {freq}\n".encode())
    h.update(("stop " + " ".join(sorted(analyzer.stopwords))).encode())
    return h.hexdigest()


def page_hashes(docs: Iterable[SearchDoc]) -> dict[str, str]:
    """One hash per page over the content of all its documents."""
    per_page: dict[str, list[str]] = {}
    for doc in docs:
        per_page.setdefault(doc.page, []).append(doc.content_hash())
    return {page: hashlib.sha1("".join(hs).encode()).hexdigest()[:16] for page, hs in per_page.items()}


# --------------------------------------------------------------------------- build


#: Test hook: called with the number of documents written so far, to simulate a failure mid-build.
_after_write: Callable[[int], None] | None = None


def build_index(index_dir: Path, docs: Sequence[SearchDoc], analyzer: Analyzer, *,
                names: dict[str, str] | None = None, name_words: Sequence[str] = (),
                docs_dir: Path | None = None,
                extra: dict[str, Any] | None = None, full: bool = False, procs: int = 0,
                commit: bool = True, terms: TermCounts | None = None) -> BuildStats:
    """Bring the index in ``index_dir`` up to date with ``docs``; atomic and incremental.

    Args:
        index_dir: where generations live (created if needed).
        docs: every search document of the site.
        analyzer: THE analyzer of this site (its dictionary is recorded in the manifest).
        names: normalised regulation names -> slug of the current text (for query parsing).
        name_words: the names the analyzer was built with (``analyzer_for(docs_dir, name_words)``).
        docs_dir: recorded so that queries rebuild the same analyzer.
        extra: more manifest values (e.g. the status date).
        full: rebuild from scratch even when an incremental update is possible.
        procs: worker processes for segmentation (0: one per CPU; only for large inputs).
        commit: make the result live at once; with False the new generation is written but
            ``CURRENT`` still names the old one until :func:`commit_build` (a site build switches
            the index only when the whole build succeeded, together with ``site/``).
        terms: the build's shared term counts (:mod:`kb_tools.search.terms`), else a private one.
    """
    terms = terms if terms is not None and terms.analyzer is analyzer else TermCounts().use(analyzer)
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    stats = BuildStats()
    hashes = page_hashes(docs)
    fp = fingerprint(analyzer)
    old_gen = current_generation(index_dir)
    old = read_manifest(old_gen) if old_gen else None
    procs = procs or (os.cpu_count() or 1)
    parts = old.get("parts", 1) if old else 1
    if old is None or old.get("fingerprint") != fp or full:
        wanted = max(procs, math.ceil(len(docs) / PART_DOCS))
        parts = max(1, min(wanted, MAX_PARTS)) if len(docs) >= PARALLEL_MIN_DOCS else 1
        stats.full = True
        changed = set(hashes)
        removed: set[str] = set()
    else:
        before: dict[str, str] = old.get("pages", {})
        changed = {p for p, h in hashes.items() if before.get(p) != h}
        removed = set(before) - set(hashes)
    previous_lengths = {} if stats.full or old is None else old.get("lengths") or {}
    lengths = page_lengths(docs, terms, {p: v for p, v in previous_lengths.items() if p not in changed}
                           if previous_lengths else None)
    manifest = {
        "schema": SCHEMA_VERSION, "fingerprint": fp, "pages": hashes, "count": len(docs), "parts": parts,
        "lengths": lengths,
        "docs_dir": str(docs_dir) if docs_dir else None, "names": names or {},
        "name_words": sorted(set(name_words)), **(extra or {}),
    }
    stats.pages_changed = sorted(changed | removed)
    stats.total = len(docs)
    if not stats.full and not stats.pages_changed and old is not None:
        if not _same_extra(old, manifest):  # same documents, new stamp
            stats.pending = Pending(index_dir, manifest=manifest, previous=old_gen.name)  # type: ignore[union-attr]  # old_gen exists on the incremental path
            if commit:
                commit_build(stats.pending)
        stats.seconds = time.perf_counter() - started
        return stats  # nothing to rewrite: the live generation already holds these documents

    group_ids = assign_group_ids(docs, None if stats.full else _read_groups(old_gen).get("ids"))
    gen = index_dir / f"gen-{time.time_ns()}-{os.getpid()}"
    try:
        if stats.full:
            docs_by_part: list[list[SearchDoc]] = [[] for _ in range(parts)]
            for doc in docs:
                docs_by_part[part_of(doc.page, parts)].append(doc)
            gen.mkdir(parents=True)
            stats.added = _create_parts(gen, docs_by_part, analyzer, procs, group_ids, terms)
        else:
            shutil.copytree(old_gen, gen)  # type: ignore[arg-type]  # old_gen exists on the incremental path
            touched = sorted(changed | removed)
            for i in sorted({part_of(p, parts) for p in touched}):
                pages = [p for p in touched if part_of(p, parts) == i]
                todo = [d for d in docs if d.page in changed and part_of(d.page, parts) == i]
                added, deleted = _write_part(gen / f"part-{i}", todo, analyzer, group_ids, create=False,
                                             delete_pages=pages, terms=terms)
                stats.added += added
                stats.deleted += deleted
        _write_json(gen / GROUPS, {**group_terms(analyzer, docs, terms), "ids": group_ids})
        _write_json(gen / MANIFEST, manifest)
        stats.pending = Pending(index_dir, generation=gen.name, previous=old_gen.name if old_gen else "")
        if commit:
            commit_build(stats.pending)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    stats.seconds = time.perf_counter() - started
    return stats


def page_lengths(docs: Iterable[SearchDoc], terms: TermCounts,
                 known: dict[str, dict[str, int]] | None = None) -> dict[str, dict[str, int]]:
    """``{page: {field: total length}}`` of the scored per-document fields, exactly.

    whoosh keeps a field's total length over every document a segment ever held, deleted ones
    included: after an incremental update its average would differ from a fresh build's and so
    would every BM25F score. The manifest keeps the live totals instead (``known``: the totals
    of unchanged pages, from the previous manifest).
    """
    out: dict[str, dict[str, int]] = {}
    for doc in docs:
        if known is not None and doc.page in known:
            out[doc.page] = known[doc.page]
            continue
        totals = out.setdefault(doc.page, {})
        for name, attrs in ANALYZED_FIELDS.items():
            text = getattr(doc, attrs[0]) if name not in GROUPED_FIELDS else ""
            if text:
                length = sum(f for _t, f in terms.counts(text))
                if length:
                    totals[name] = totals.get(name, 0) + length
    return out


def assign_group_ids(docs: Iterable[SearchDoc], old: dict[str, dict[str, int]] | None) -> dict[str, dict[str, int]]:
    """A number for every group key; numbers already in the index keep their meaning."""
    ids = {kind: dict((old or {}).get(kind, {})) for kind in GROUP_KINDS}
    for doc in docs:
        for kind, key in group_keys(doc).items():
            table = ids[kind]
            if key not in table:
                table[key] = len(table) + 1  # 0 means "no group" in the column
    return ids


def _read_groups(gen_dir: Path | None) -> dict[str, Any]:
    try:
        return json.loads((gen_dir / GROUPS).read_text(encoding="utf-8")) if gen_dir else {}
    except (OSError, ValueError):
        return {}


def _same_extra(old: dict[str, Any], new: dict[str, Any]) -> bool:
    keys = set(old) | set(new)
    return all(old.get(k) == new.get(k) for k in keys)


# --------------------------------------------------------------------------- search


class WhooshIndex:
    """An open generation: posting lists and field lengths as arrays, stored documents.

    Scoring is done by :mod:`kb_tools.search.ranking` over whole posting lists (numpy arrays,
    read a block at a time); whoosh's own matcher tree costs ~10x more per query in Python.
    Posting lists and field lengths are cached; one instance is shared by every thread of
    ``kb serve``.
    """

    POSTINGS_CACHE = 8192

    def __init__(self, gen_dir: Path) -> None:
        self.gen_dir = gen_dir
        self.manifest = read_manifest(gen_dir) or {}
        docs_dir = self.manifest.get("docs_dir")
        self.analyzer = analyzer_for(Path(docs_dir) if docs_dir else None, self.manifest.get("name_words", []),
                                     self.manifest.get("definitions") or {})
        self.names: dict[str, str] = self.manifest.get("names", {})
        part_dirs = sorted((p for p in gen_dir.iterdir() if p.name.startswith("part-")),
                           key=lambda p: int(p.name.split("-")[1]))
        self._indexes = [index.open_dir(str(p), readonly=True) for p in part_dirs]
        self._readers = [ix.reader() for ix in self._indexes]
        # Document numbers run across parts: part k's documents follow those of parts < k.
        self._leaves: list[tuple[Any, int]] = []
        self._starts: list[int] = []
        base = 0
        for reader in self._readers:
            self._starts.append(base)
            self._leaves.extend((leaf, base + off) for leaf, off in reader.leaf_readers())
            base += reader.doc_count_all()
        self._lock = threading.RLock()  # file reads seek; one reader at a time
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        self._live_totals: dict[str, int] = {}
        self.doc_count_all = base
        #: True for every live document number (deleted ones stay until whoosh merges segments).
        self.live = np.ones(base, dtype=bool)
        for leaf, off in self._leaves:
            if leaf.has_deletions():
                for d in range(leaf.doc_count_all()):
                    if leaf.is_deleted(d):
                        self.live[off + d] = False
        self.doc_count = int(self.live.sum())
        # Grouped fields: term -> [(group number, freq)] from groups.json, and each document's
        # group numbers from the index's columns.
        groups = _read_groups(gen_dir)
        ids = groups.get("ids", {})
        self._grouped: dict[str, dict[str, list[tuple[int, int]]]] = {name: {} for name in GROUPED_FIELDS}
        for name, kind in GROUPED_FIELDS.items():
            numbers = ids.get(kind, {})
            inverted = self._grouped[name]
            for key, items in groups.get(name, {}).items():
                for term, freq in items:
                    inverted.setdefault(term, []).append((numbers.get(key, 0), freq))
        self._group_of = {kind: self._column(f"{kind}_id") for kind in GROUP_KINDS}
        self._group_count = {kind: len(ids.get(kind, {})) + 1 for kind in GROUP_KINDS}

    def regulation_numbers(self) -> np.ndarray:
        """Each document's group number (its regulation, or its page): documents of one
        regulation share it."""
        return self._group_of["grp"]

    def _column(self, name: str) -> np.ndarray:
        out = np.zeros(self.doc_count_all, dtype=np.int64)
        for leaf, offset in self._leaves:
            if name in leaf.schema and leaf.has_column(name):
                values = list(leaf.column_reader(name))
                out[offset:offset + len(values)] = values
        return out

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """``(docnums, term frequencies)`` of a term in a field, live documents only."""
        key = (fieldname, term)
        with self._lock:
            hit = self._postings.get(key)
            if hit is not None:
                self._postings.move_to_end(key)
                return hit
            if fieldname in GROUPED_FIELDS:
                id_array, weight_array = self._group_postings(fieldname, term)
                self._postings[key] = (id_array, weight_array)
                return id_array, weight_array
            ids: list[int] = []
            weights: list[float] = []
            for reader, offset in self._leaves:
                if (fieldname, term) in reader:
                    _read_postings(reader.postings(fieldname, term), offset, ids, weights)
            id_array = np.fromiter(ids, dtype=np.int64, count=len(ids))
            weight_array = np.fromiter(weights, dtype=np.float64, count=len(weights))
            if self.doc_count != self.doc_count_all and len(id_array):
                keep = self.live[id_array]
                id_array, weight_array = id_array[keep], weight_array[keep]
            hit = (id_array, weight_array)
            self._postings[key] = hit
            if len(self._postings) > self.POSTINGS_CACHE:
                self._postings.popitem(last=False)
            return hit

    def _group_postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """A grouped field's postings: the documents of every group whose text has the term."""
        kind = GROUPED_FIELDS[fieldname]
        entries = self._grouped.get(fieldname, {}).get(term)
        if not entries:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        freq_of_group = np.zeros(self._group_count[kind])
        for number, freq in entries:
            if 0 < number < len(freq_of_group):
                freq_of_group[number] = freq
        per_doc = freq_of_group[self._group_of[kind]]
        docs = np.flatnonzero((per_doc > 0) & self.live)
        return docs, per_doc[docs]

    def doc_ids(self, fieldname: str, value: str) -> np.ndarray:
        """Documents with this exact value (``status``, ``current``, ``artkey`` …): a facet term."""
        return self.postings("facet", facet(fieldname, value))[0]

    def lengths(self, fieldname: str) -> np.ndarray:
        """Length (in terms, as whoosh stores it: one byte, approximate) of a field per document."""
        with self._lock:
            cached = self._lengths.get(fieldname)
            if cached is None:
                cached = np.zeros(self.doc_count_all, dtype=np.float64)
                for leaf, offset in self._leaves:
                    count = leaf.doc_count_all()
                    cached[offset:offset + count] = _leaf_lengths(leaf, fieldname, count)
                self._lengths[fieldname] = cached
            return cached

    def avg_length(self, fieldname: str) -> float:
        """Average length of a field over live documents (the manifest's exact live totals)."""
        lengths = self.manifest.get("lengths")
        if lengths is not None:
            if fieldname not in self._live_totals:
                self._live_totals[fieldname] = sum(page.get(fieldname, 0) for page in lengths.values())
            total = self._live_totals[fieldname]
        else:  # an index written before the totals were kept
            total = sum(r.field_length(fieldname) for r in self._readers)
        return average_length(total, self.doc_count)

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored SearchDoc values of a document."""
        part = bisect.bisect_right(self._starts, docnum) - 1
        with self._lock:
            return self._readers[part].stored_fields(docnum - self._starts[part])["data"]

    def close(self) -> None:
        for reader in self._readers:
            reader.close()
        for ix in self._indexes:
            ix.close()


_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def _leaf_lengths(leaf: Any, fieldname: str, count: int) -> np.ndarray:
    """One segment's field lengths, read as one byte string when the codec allows it."""
    try:
        column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    except AttributeError:
        column = None
    if column is not None and hasattr(column, "_dbfile") and getattr(column, "_fixedlen", 0) == 1:
        raw = column._dbfile.get(column._basepos, column._count)
        out = np.zeros(count, dtype=np.float64)
        values = _BYTE_TO_LENGTH[np.frombuffer(raw, dtype=np.uint8)]
        out[: len(values)] = values[:count]
        return out
    if column is None:
        return np.zeros(count, dtype=np.float64)
    return np.array([leaf.doc_field_length(d, fieldname, 0) or 0 for d in range(count)], dtype=np.float64)


def _read_postings(m: Any, offset: int, ids: list[int], weights: list[float]) -> None:
    """Append a matcher's postings; a block at a time when the codec allows it.

    whoosh's per-posting API (``id()``, ``weight()``, ``next()``) is the slow part of reading
    long posting lists in Python; whoosh3 leaf matchers decode whole blocks. Deleted documents
    are not filtered here (the caller does), so the wrapper that would filter them is skipped.
    """
    while not hasattr(m, "_read_ids") and hasattr(m, "child"):
        m = m.child
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids if not offset else [offset + d for d in m._ids])
            weights.extend(m._weights)
            m._next_block()
        return
    while m.is_active():
        ids.append(offset + m.id())
        weights.append(m.weight())
        m.next()


_OPEN: dict[str, WhooshIndex] = {}
_OPEN_LOCK = threading.Lock()


def open_index(index_dir: Path) -> WhooshIndex | None:
    """The live generation of ``index_dir`` (cached per generation), or None when there is none."""
    gen = current_generation(index_dir)
    if gen is None:
        return None
    key = str(gen)
    with _OPEN_LOCK:
        ix = _OPEN.get(key)
        if ix is None:
            for old in [k for k in _OPEN if Path(k).parent == gen.parent]:
                _OPEN.pop(old)  # threads may still hold it; closed when dropped
            ix = WhooshIndex(gen)
            _OPEN[key] = ix
        return ix
