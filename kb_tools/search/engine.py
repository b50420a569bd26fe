"""The search service: corpus -> whoosh index, and query -> ranked article-level hits.

``kb build`` / the plugin call :func:`index_corpus`; ``kb search``, ``kb eval`` and ``kb serve``
call :func:`ensure_index` (build or update the index for a docs directory, fast when nothing
changed) and :func:`search`. Parsing is :mod:`query`, ranking :mod:`ranking`, the engine
:mod:`whoosh_index` — this module only wires them.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.search import ranking
from kb_tools.search.analyzer import analyzer_for_corpus, corpus_names, normalise
from kb_tools.search.documents import search_documents
from kb_tools.search.query import ParsedQuery, clean, name_table, parse_query
from kb_tools.search.whoosh_index import BuildStats, WhooshIndex, build_index, open_index

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

#: Most results one query may ask for (CLI and HTTP alike).
MAX_LIMIT = 100
SNIPPET_CHARS = 120


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


def index_corpus(corpus: Corpus, index_dir: Path, *, full: bool = False, procs: int = 0) -> BuildStats:
    """Build or incrementally update the whoosh index of a corpus (atomic)."""
    docs = search_documents(corpus)
    return build_index(
        index_dir, docs, analyzer_for_corpus(corpus), names=law_names(corpus), name_words=corpus_names(corpus),
        docs_dir=corpus.docs_dir.resolve(), full=full, procs=procs,
        extra={"status_date": corpus.today.isoformat(), "public_only": corpus.public_only},
    )


def ensure_index(docs_dir: Path, index_dir: Path, *, today: dt.date | None = None,
                 public_only: bool = False) -> tuple[WhooshIndex, BuildStats]:
    """The index of ``docs_dir``, built or brought up to date first (only changed pages)."""
    from kb_tools.corpus import load_corpus
    from kb_tools.features import register

    register()
    corpus = load_corpus(docs_dir, today, public_only=public_only)
    stats = index_corpus(corpus, index_dir)
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
    scored = _scored(ix, parsed, limit)
    groups_terms = [t.text for t in parsed.terms]
    return [_hit(data, score, groups_terms) for data, score in scored[:limit]]


def _scored(ix: WhooshIndex, parsed: ParsedQuery, limit: int) -> list[tuple[dict, float]]:
    weights = ranking.DOCNO_FIELD_WEIGHTS if parsed.doc_number else ranking.FIELD_WEIGHTS
    terms = [(t.text, t.weight) for t in parsed.terms]
    filters = {k: v for k, v in parsed.filters.items() if k in ("status", "level", "category", "kind")}
    excluded_terms = [(t, 1.0) for word in parsed.excluded for t in _whole_terms(ix, word)]
    found: dict[str, tuple[dict, float]] = {}

    def collect(extra: dict[str, list[str]], must: tuple[str, str] | None, n: int) -> None:
        for cand in ix.candidates(terms, weights, filters={**filters, **extra}, excluded=excluded_terms,
                                  limit=n, must_field=must):
            key = cand.data["id"]
            if key not in found or found[key][1] < cand.score:
                found[key] = (cand.data, cand.score)

    pool = max(200, limit * 3)
    if terms or not (parsed.laws or parsed.article):
        collect({}, None, pool)
    if parsed.laws:
        collect({"current": parsed.laws}, None, pool)
    if parsed.article:
        number, suffix = parsed.article
        collect({"current": parsed.laws} if parsed.laws else {}, ("artkey", f"{number}-{suffix}"), pool)
    groups = ranking.groups_for(parsed, lambda t: _df(ix, t), ix.doc_count)
    results = []
    for data, bm25 in found.values():
        if not ranking.accept(data, parsed):
            continue
        if parsed.article and not parsed.laws and not terms and \
                (data.get("number"), data.get("suffix")) != parsed.article:
            continue
        results.append((data, ranking.final_score(data, bm25, parsed, groups)))
    results.sort(key=lambda r: ranking.order_key(r[0], r[1]))
    return results


def _df(ix: WhooshIndex, term: str) -> int:
    return sum(ix.doc_frequency(name, term) for name in ("names", "chapter", "body"))


def _whole_terms(ix: WhooshIndex, word: str) -> list[str]:
    """The analysed form of an excluded word, without the pieces search mode adds."""
    terms = ix.analyzer.query_tokens(word)
    return sorted({t.source for t in terms if t.weight == 1.0}) or [normalise(word)]


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
