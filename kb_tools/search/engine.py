"""The search service: corpus -> whoosh index, and query -> ranked article-level hits.

``kb build`` / the plugin call :func:`index_corpus`; ``kb search``, ``kb eval`` and ``kb serve``
call :func:`ensure_index` (build or update the index for a docs directory, fast when nothing
changed) and :func:`search`. Parsing is :mod:`query`, ranking :mod:`ranking`, the engine
:mod:`whoosh_index` — this module only wires them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kb_tools.search import analyzer as analyzer_module
from kb_tools.search import mechanisms, ranking, rerank
from kb_tools.search.analyzer import DATA_DIR, Analyzer, QueryTerm, analyzer_for_corpus, corpus_names, normalise
from kb_tools.search.documents import search_documents
from kb_tools.search.query import ParsedQuery, clean, compact_docno, name_table, parse_query
from kb_tools.search.terms import TermCounts
from kb_tools.search.whoosh_index import (
    SCHEMA_VERSION,
    BuildStats,
    WhooshIndex,
    build_index,
    current_generation,
    open_index,
    read_manifest,
)

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

#: Most results one query may ask for (CLI and HTTP alike).
MAX_LIMIT = 100
SNIPPET_CHARS = 120
#: Weight of the single characters a word that is not in the index falls back to.
BACK_OFF_WEIGHT = 0.5
#: Weight of the character bigrams of a word that is not in the index.
BIGRAM_WEIGHT = 0.7
#: A word of at least this many characters found only in pieces also tries its bigrams.
PARTLY_MIN = 3


@dataclass(frozen=True)
class Hit:
    """One result line: 《title》第N条, status, snippet (HTML-escaped, matches in ``<mark>``), URL."""

    title: str
    article: str | None
    url: str
    status: str
    score: float
    snippet: str
    level: str
    kind: str
    law: str
    chapter: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready dict (the ``--json`` and ``/api/search`` shape)."""
        return asdict(self)


def law_names(corpus: Corpus) -> dict[str, str]:
    """``{normalised name: slug}`` of the corpus's current regulations."""
    return name_table([(list(law.names), law.slug) for law in corpus.current_laws])


def index_corpus(corpus: Corpus, index_dir: Path, *, full: bool = False, procs: int = 0,
                 stamp: str | None = None, commit: bool = True, analyzer: Analyzer | None = None,
                 terms: TermCounts | None = None) -> BuildStats:
    """Build or incrementally update the whoosh index of a corpus (atomic).

    Args:
        stamp: :func:`source_stamp` of the docs the corpus was read from, so that a later
            :func:`ensure_index` can open the index without reading the corpus again.
        commit: see :func:`build_index`; a site build passes False and commits on success.
        analyzer, terms: the build's, shared with the static index (analysed once for both).
    """
    docs = search_documents(corpus)
    analyzer = analyzer or analyzer_for_corpus(corpus)
    return build_index(
        index_dir, docs, analyzer, names=law_names(corpus), name_words=corpus_names(corpus),
        docs_dir=corpus.docs_dir.resolve(), full=full, procs=procs, commit=commit, terms=terms,
        extra={"status_date": corpus.today.isoformat(), "public_only": corpus.public_only,
               "definitions": {k: list(v) for k, v in analyzer.definitions.items()},
               "docnos": {d.law or d.page: compact_docno(d.doc_number) for d in docs if d.doc_number},
               "source_stamp": stamp or source_stamp(corpus.docs_dir, corpus.today, corpus.public_only)},
    )


def source_stamp(docs_dir: Path, today: dt.date, public_only: bool) -> str:
    """Changes whenever anything the index is made from may have changed.

    Every file below ``docs/`` (path, size, modification time), the shipped word lists, the
    analyzer's code, the status date, the public flag and the mechanisms switched off.
    """
    off = ",".join(sorted(mechanisms.ablated()))
    h = hashlib.sha1(f"{today.isoformat()} {public_only} {SCHEMA_VERSION} {off}".encode())
    h.update(Path(analyzer_module.__file__).read_bytes())
    roots = [docs_dir, DATA_DIR]
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file():
                st = path.stat()
                h.update(f"{path.relative_to(root).as_posix()} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def ensure_index(docs_dir: Path, index_dir: Path, *, today: dt.date | None = None,
                 public_only: bool = False) -> tuple[WhooshIndex, BuildStats]:
    """The index of ``docs_dir``, built or brought up to date first (only changed pages).

    When nothing below ``docs/`` changed since the last build (same :func:`source_stamp`), the
    index is opened without reading the corpus.
    """
    today = today or dt.date.today()
    stamp = source_stamp(docs_dir, today, public_only)
    gen = current_generation(index_dir)
    manifest = read_manifest(gen) if gen else None
    if manifest and manifest.get("source_stamp") == stamp:
        ix = open_index(index_dir)
        if ix is not None:
            return ix, BuildStats(total=manifest.get("count", 0))
    from kb_tools.corpus import load_corpus
    from kb_tools.features import default_features

    corpus = load_corpus(docs_dir, today, public_only=public_only, features=default_features())
    stats = index_corpus(corpus, index_dir, stamp=stamp)
    ix = open_index(index_dir)
    assert ix is not None  # build_index just wrote it
    return ix, stats


def search(ix: WhooshIndex, text: str, *, limit: int = 10, status: str | None = None,
           level: str | None = None) -> list[Hit]:
    """Ranked hits for a query; never raises on odd input (an unusable query gives [])."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    parsed = parse_query(clean(text), ix.analyzer, ix.names)
    if status:
        parsed.filters.setdefault("status", []).append(status)
    if level:
        parsed.filters.setdefault("level", []).append(level)
    if parsed.is_empty:
        return []
    _back_off(ix, parsed)
    scored = _scored(ix, parsed, limit)
    groups_terms = [t.text for t in parsed.terms]
    return [_hit(data, score, groups_terms) for data, score in scored[:limit]]


def _scored(ix: WhooshIndex, parsed: ParsedQuery, limit: int) -> list[tuple[dict, float]]:
    weights = ranking.field_weights()
    allowed = _allowed(ix, parsed)
    none = np.zeros(0, dtype=np.int64)
    law_docs = np.unique(np.concatenate([ix.doc_ids("current", s) for s in parsed.laws])) if parsed.laws else none
    docno_docs = _docno_docs(ix, parsed.doc_number)
    if parsed.terms:  # a 文号 with words: its documents rank as those of a named regulation
        law_docs = np.union1d(law_docs, docno_docs)
    exact, extra, numbered = none, none, none
    if parsed.article:
        art_docs = ix.doc_ids("artkey", "{}-{}".format(*parsed.article))
        if parsed.laws or len(docno_docs):  # 《建筑法》第八条, 国务院令第590号第十七条
            exact = np.intersect1d(art_docs, np.union1d(law_docs, docno_docs))
        elif not parsed.terms:
            extra = art_docs  # a bare 第八条: every regulation's 第八条
        else:
            numbered = art_docs  # an unrecognised name + 第N条: that number ranks higher
    if not parsed.terms:
        extra = np.union1d(extra, law_docs)  # 《建筑法》第八条 first, then the rest of 建筑法 in order
        extra = np.union1d(extra, docno_docs)  # a bare 文号: its document
        if not len(extra) and allowed is not None:
            extra = np.flatnonzero(allowed)[: max(200, limit * 3)]
    scored = ranking.bm25f(ix, ranking.groups_of(parsed), weights, allowed)
    if allowed is not None:
        exact, extra, numbered = exact[allowed[exact]], extra[allowed[extra]], numbered[allowed[numbered]]
    pool = max(100, limit * 3) if not (parsed.phrases or parsed.excluded) else max(400, limit * 10)
    live = ix.live.copy()
    live[_excluded(ix, parsed)] = False
    lift = len(numbered) and mechanisms.enabled("article_numbers")
    best = ranking.preliminary(scored, law_docs=law_docs, exact_docs=exact, extra=extra, live=live, n=pool,
                               article_docs=numbered, group_of=ix.regulation_numbers() if lift else None)
    results = []
    for score, docnum in best:
        data = ix.stored(docnum)
        if not ranking.accept(data, parsed):
            continue
        results.append((data, ranking.final_score(data, score, parsed)))
    results.sort(key=lambda r: ranking.order_key(r[0], r[1]))
    results = rerank.rerank(results, parsed)  # the second pass: the best few by their text
    results.sort(key=lambda r: ranking.order_key(r[0], r[1]))
    return ranking.diversify(results, parsed)


def _back_off(ix: WhooshIndex, parsed: ParsedQuery) -> None:
    """A word none of whose terms is in the index is also looked up by its pieces.

    A new coinage typed as one dictionary word (首违不罚), or a query the segmenter cut
    differently from the text, would otherwise match nothing: first the word's character
    bigrams that are indexed terms (:data:`BIGRAM_WEIGHT`, counted together as pieces of the
    word), then its single characters not covered by one (:data:`BACK_OFF_WEIGHT`).
    The browser engine does the same (``backOffTerms`` in kb-search.js).
    """
    present = {t.text for t in parsed.terms if _in_index(ix, t.text)}
    sources = list(dict.fromkeys(t.source for t in parsed.terms))
    matched = {t.source for t in parsed.terms if t.text in present}
    missing = [s for s in sources if s not in matched]
    # A long word found only in pieces (the text says it in other words) also tries its bigrams.
    partly = [s for s in sources if s in matched and len(s) >= PARTLY_MIN and s not in present]
    known = {t.text for t in parsed.terms}
    skip = ix.analyzer.stopwords | (ix.analyzer.question_words if mechanisms.enabled("questions") else frozenset())
    for term in back_off_terms(missing, partly, skip, lambda t: _in_index(ix, t)):
        if term.text not in known:
            parsed.terms.append(term)


def back_off_terms(missing: list[str], partly: list[str], skip: frozenset[str],
                   indexed: Callable[[str], bool]) -> list[QueryTerm]:
    """The fallback terms of words that matched nothing, and the bigrams of words that matched
    only in pieces (see :func:`_back_off`); stopwords and question words (``skip``) never come back."""
    out: list[QueryTerm] = []
    for source in [*missing, *partly]:
        covered: set[int] = set()
        chars = list(source)
        if mechanisms.enabled("bigrams"):
            for i in range(len(chars) - 1):
                pair = chars[i] + chars[i + 1]
                if _han(pair) and pair not in skip and indexed(pair) and all(q.text != pair for q in out):
                    out.append(QueryTerm(pair, BIGRAM_WEIGHT, source, source))
                    covered.update((i, i + 1))
        for i, ch in enumerate(chars):
            if source in partly or i in covered or ch in chars[:i]:
                continue
            if _han(ch) and ch not in skip and indexed(ch):
                out.append(QueryTerm(ch, BACK_OFF_WEIGHT, source, ch))
    return out


def _han(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _in_index(ix: WhooshIndex, term: str) -> bool:
    weights = ranking.field_weights()  # a switched-off field does not make a term present
    return any(len(ix.postings(name, term)[0]) for name in ("names", "chapter", "body", "anchor") if weights[name])


def _docno_docs(ix: WhooshIndex, doc_number: str) -> np.ndarray:
    """The documents of the regulations (or pages) whose 文号 contains the query's."""
    if not doc_number:
        return np.zeros(0, dtype=np.int64)
    groups = [g for g, number in ix.manifest.get("docnos", {}).items() if doc_number in number]
    found = [ix.doc_ids("grp", g) for g in groups]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _allowed(ix: WhooshIndex, parsed: ParsedQuery) -> np.ndarray | None:
    """Boolean mask of the documents that pass the field filters (None: no filter)."""
    allowed: np.ndarray | None = None
    for name, values in parsed.filters.items():
        if name not in ("status", "level", "category", "kind", "current"):
            continue
        mask = np.zeros(ix.doc_count_all, dtype=bool)
        for value in values:
            mask[ix.doc_ids(name, value)] = True
        allowed = mask if allowed is None else allowed & mask
    return allowed


def _excluded(ix: WhooshIndex, parsed: ParsedQuery) -> np.ndarray:
    """Documents containing an excluded word as a whole term (a substring check follows)."""
    found = []
    for word in parsed.excluded:
        terms = ix.analyzer.query_tokens(word)
        for term in {t.source for t in terms if t.weight == 1.0}:
            found += [ix.postings(name, term)[0] for name in ("names", "chapter", "body")]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _hit(data: dict, score: float, terms: list[str]) -> Hit:
    return Hit(
        title=data.get("title", ""), article=data.get("article") or None, url=data.get("url", ""),
        status=data.get("status", ""), score=round(score, 4), snippet=snippet(data.get("text", ""), terms),
        level=data.get("level", ""), kind=data.get("kind", ""), law=data.get("law", ""),
        chapter=data.get("chapter", ""),
    )


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped excerpt around the densest matches, each match in ``<mark>``.

    >>> snippet("申请领取施工许可证，应当具备下列条件：", ["施工许可证", "条件"])
    '申请领取<mark>施工许可证</mark>，应当具备下列<mark>条件</mark>：'
    """
    text = " ".join(text.split())
    norm = normalise(text)
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = norm.find(term)
        while start != -1:
            end = start + len(term)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = norm.find(term, end)
    spans.sort()
    begin = 0
    if spans and len(text) > width:
        best = max(range(len(spans)), key=lambda i: sum(1 for s, _ in spans if spans[i][0] <= s < spans[i][0] + width))
        begin = max(0, spans[best][0] - 15)
    end = min(len(text), begin + width)
    out, pos = [], begin
    for s, e in spans:
        if s < begin or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out) + suffix


def search_safely(ix: WhooshIndex, text: str, **options: object) -> tuple[list[Hit], str]:
    """``(hits, message)``: the message says in one line why there are no hits."""
    query = clean(text)
    if not query:
        return [], "请输入检索词，例如：kb search \"施工许可证 条件\"。"
    try:
        hits = search(ix, query, **options)  # type: ignore[arg-type]  # options come from the query file and are checked by search()
    except (ValueError, LookupError, OverflowError) as exc:  # a query we could not take apart
        return [], f"无法理解这个检索式（{exc}），请换个说法。"
    if not hits:
        return [], f"没有找到与“{query[:40]}”相关的条文。"
    return hits, ""


def format_hits(hits: list[Hit], *, color: bool = False) -> str:
    """The terminal form: 《title》第N条 [status], the snippet, the URL; matches bold or in 【】."""
    lines = []
    for n, hit in enumerate(hits, start=1):
        head = f"《{hit.title}》{hit.article}" if hit.article else f"{hit.title} · {hit.chapter}".rstrip(" ·")
        badge = f" [{hit.status}]" if hit.status else ""
        lines.append(f"{n}. {head}{badge}")
        lines.append("   " + _terminal_snippet(hit.snippet, color))
        lines.append(f"   {hit.url}")
    return "\n".join(lines)


def _terminal_snippet(snippet_html: str, color: bool) -> str:
    start, end = ("\x1b[1;31m", "\x1b[0m") if color else ("【", "】")
    return html.unescape(snippet_html.replace("<mark>", start).replace("</mark>", end))
