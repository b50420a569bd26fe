"""Search benchmark: index time, throughput, query latency and peak memory on the scale site.

Prints (never asserts on time), all measured in the same run on the same articles — every
article of the scale site made from the whole of ``../shared/corpus/scale/`` (``scale_site.py``):

* **kb**: ``kb_tools.search`` — terms computed once by our analyzer and handed to whoosh
  pre-counted (no Python tokenizer, no Token objects, no positions), parts written by one
  process per core, BM25F scored over posting lists read a block at a time;
* **baseline**: the plain way — one whoosh document per article, a jieba ``ChineseAnalyzer``
  (``ChineseTokenizer | LowercaseFilter | StopFilter | StemmingFilter``, as in jieba's
  ``jieba/analyse/analyzer.py``) with rjieba doing the segmentation, ``TEXT`` fields with
  default settings, ``ix.writer()`` with default options, an OR query through ``QueryParser``.

Each phase runs in its own child process, so its peak memory (max RSS, ``os.wait4``) is its own.
Latency is over the dev queries (``../shared/eval/queries-dev.tsv``), each query run once on a
freshly opened index (cold caches), then once more (warm).

Usage::

    .venv/bin/python benchmarks/search_bench.py            # the scale site
    .venv/bin/python benchmarks/search_bench.py --docs     # the repository's docs/ (quick)
    .venv/bin/python benchmarks/search_bench.py --child …  # (internal) one measured phase
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import REPO, python_command, run_measured

OUT = REPO / "benchmarks" / "out" / "search"
DEV = REPO.parent / "shared" / "eval" / "queries-dev.tsv"
TODAY = dt.date(2026, 11, 26)


# --------------------------------------------------------------------------- children


def load_articles(docs_dir: Path) -> tuple[object, list, float]:
    """The corpus and its article documents (the same list for both engines)."""
    from kb_tools.corpus import load_corpus
    from kb_tools.features import default_features
    from kb_tools.search.documents import ARTICLE, search_documents

    started = time.perf_counter()
    corpus = load_corpus(docs_dir, TODAY, features=default_features())
    docs = [d for d in search_documents(corpus) if d.kind == ARTICLE]
    return corpus, docs, time.perf_counter() - started


def child_index_kb(docs_dir: Path, index_dir: Path) -> dict:
    from kb_tools.search.analyzer import analyzer_for_corpus, corpus_names
    from kb_tools.search.engine import law_names
    from kb_tools.search.whoosh_index import build_index

    corpus, docs, load_s = load_articles(docs_dir)
    shutil.rmtree(index_dir, ignore_errors=True)
    started = time.perf_counter()
    analyzer = analyzer_for_corpus(corpus)
    stats = build_index(index_dir, docs, analyzer, names=law_names(corpus), name_words=corpus_names(corpus),
                        docs_dir=docs_dir.resolve(), full=True)
    return {"load_s": load_s, "index_s": time.perf_counter() - started, "docs": stats.added}


def baseline_schema() -> object:
    """One document per article: title, text (jieba ChineseAnalyzer), URL — default TEXT settings."""
    from whoosh.fields import ID, TEXT, Schema

    analyzer = chinese_analyzer()
    return Schema(title=TEXT(analyzer=analyzer, stored=True), text=TEXT(analyzer=analyzer, stored=True),
                  url=ID(stored=True, unique=True))


STOP_WORDS = frozenset(("a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in",
                        "is", "it", "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we",
                        "when", "will", "with", "yet", "you", "your", "的", "了", "和"))


def _tokenizer_class() -> type:
    from whoosh.analysis import Token, Tokenizer

    class ChineseTokenizer(Tokenizer):
        """jieba's ``ChineseTokenizer`` (``jieba/analyse/analyzer.py``) with rjieba segmenting."""

        def __call__(self, text, **kargs):
            import rjieba

            token = Token()
            for w, start, stop in rjieba.tokenize(text, mode="search"):
                token.original = token.text = w
                token.pos = start
                token.startchar = start
                token.endchar = stop
                yield token

    ChineseTokenizer.__module__ = __name__
    ChineseTokenizer.__qualname__ = "ChineseTokenizer"
    return ChineseTokenizer


ChineseTokenizer = _tokenizer_class()  # module level: whoosh pickles the schema with its analyzer


def chinese_analyzer() -> object:
    """jieba's ``ChineseAnalyzer`` with rjieba segmenting (search mode, HMM on, as jieba does)."""
    from whoosh.analysis import LowercaseFilter, StemFilter, StopFilter
    from whoosh.lang.porter import stem

    return ChineseTokenizer() | LowercaseFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1) | \
        StemFilter(stemfn=stem, ignore=None, cachesize=50000)


def child_index_baseline(docs_dir: Path, index_dir: Path) -> dict:
    from whoosh import index

    _corpus, docs, load_s = load_articles(docs_dir)
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    started = time.perf_counter()
    ix = index.create_in(str(index_dir), baseline_schema())
    writer = ix.writer()
    for doc in docs:
        writer.add_document(title=doc.title, text=doc.text, url=doc.url)
    writer.commit()
    return {"load_s": load_s, "index_s": time.perf_counter() - started, "docs": len(docs)}


def dev_queries() -> list[str]:
    from kb_tools.search.eval import read_queries

    return [q.query for q in read_queries(DEV)]


def timed(run, queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        started = time.perf_counter()
        run(q)
        out.append((time.perf_counter() - started) * 1000)
    return out


def child_query_kb(index_dir: Path) -> dict:
    from kb_tools.search.engine import search
    from kb_tools.search.whoosh_index import open_index

    started = time.perf_counter()
    ix = open_index(index_dir)
    open_s = time.perf_counter() - started
    queries = dev_queries()
    cold = timed(lambda q: search(ix, q, limit=10), queries)
    warm = timed(lambda q: search(ix, q, limit=10), queries)
    return {"open_s": open_s, "cold_ms": cold, "warm_ms": warm}


def child_query_baseline(index_dir: Path) -> dict:
    from whoosh import index
    from whoosh.qparser import MultifieldParser, OrGroup

    started = time.perf_counter()
    ix = index.open_dir(str(index_dir))
    searcher = ix.searcher()
    parser = MultifieldParser(["title", "text"], ix.schema, group=OrGroup)
    open_s = time.perf_counter() - started
    queries = dev_queries()

    def run(q: str) -> None:
        hits = searcher.search(parser.parse(q), limit=10)
        [h["url"] for h in hits]

    cold = timed(run, queries)
    warm = timed(run, queries)
    return {"open_s": open_s, "cold_ms": cold, "warm_ms": warm}


CHILDREN = {
    "index-kb": lambda a: child_index_kb(Path(a.docs_dir), Path(a.index_dir)),
    "index-baseline": lambda a: child_index_baseline(Path(a.docs_dir), Path(a.index_dir)),
    "query-kb": lambda a: child_query_kb(Path(a.index_dir)),
    "query-baseline": lambda a: child_query_baseline(Path(a.index_dir)),
}


# --------------------------------------------------------------------------- parent


def measure(phase: str, docs_dir: Path, index_dir: Path) -> dict:
    result = OUT / f"{phase}.json"
    result.unlink(missing_ok=True)
    command = python_command(str(Path(__file__).resolve()), "--child", phase, "--docs-dir", str(docs_dir),
                             "--index-dir", str(index_dir), "--result", str(result))
    m = run_measured(phase, command, cwd=REPO, log=OUT / "logs" / f"{phase}.log")
    if m.returncode != 0:
        raise SystemExit(f"{phase} failed (exit {m.returncode}); see {m.log}")
    data = json.loads(result.read_text(encoding="utf-8"))
    data.update(wall_s=m.seconds, peak_mib=m.peak_mib)
    return data


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(name: str, kb: dict, base: dict, qkb: dict, qbase: dict) -> str:
    rows = [
        ("articles indexed", f"{kb['docs']:,}", f"{base['docs']:,}", ""),
        ("index time (s)", f"{kb['index_s']:.1f}", f"{base['index_s']:.1f}",
         f"{base['index_s'] / kb['index_s']:.2f}× faster"),
        ("throughput (articles/s)", f"{kb['docs'] / kb['index_s']:,.0f}", f"{base['docs'] / base['index_s']:,.0f}", ""),
        ("corpus load (s, same code)", f"{kb['load_s']:.1f}", f"{base['load_s']:.1f}", ""),
        ("index process peak RSS (MiB)", f"{kb['peak_mib']:.0f}", f"{base['peak_mib']:.0f}",
         f"{base['peak_mib'] / kb['peak_mib']:.2f}×"),
        ("open index (s)", f"{qkb['open_s']:.2f}", f"{qbase['open_s']:.2f}", ""),
    ]
    for label, key in (("cold", "cold_ms"), ("warm", "warm_ms")):
        for stat, fn in (("median", statistics.median), ("p95", lambda v: pct(v, 95))):
            a, b = fn(qkb[key]), fn(qbase[key])
            rows.append((f"query {stat} {label} (ms)", f"{a:.1f}", f"{b:.1f}", f"{b / a:.1f}× faster"))
    rows.append(("query process peak RSS (MiB)", f"{qkb['peak_mib']:.0f}", f"{qbase['peak_mib']:.0f}",
                 f"{qbase['peak_mib'] / qkb['peak_mib']:.2f}×"))
    width = max(len(r[0]) for r in rows)
    lines = [f"search benchmark: {name}", f"{'':{width}}  {'kb':>10}  {'baseline':>10}  ratio"]
    lines += [f"{a:{width}}  {b:>10}  {c:>10}  {d}" for a, b, c, d in rows]
    return "\n".join(lines)


def snapshot_scale_docs() -> Path:
    """A private copy of the scale docs: other benchmarks may re-import the shared one meanwhile."""
    from benchmarks.scale_site import ensure_scale_docs

    target = OUT / "scale-docs"
    for _attempt in range(3):
        source = ensure_scale_docs()
        staging = OUT / "scale-docs.copying"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            shutil.copytree(source, staging)
        except (OSError, shutil.Error):
            time.sleep(5)  # replaced while we copied: take the new one
            continue
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        return target
    raise SystemExit("the scale docs kept changing while being copied; try again later")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", action="store_true", help="benchmark the repository's docs/ instead")
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument("--docs-dir")
    parser.add_argument("--index-dir")
    parser.add_argument("--result")
    args = parser.parse_args()
    if args.child:
        data = CHILDREN[args.child](args)
        Path(args.result).write_text(json.dumps(data), encoding="utf-8")
        return
    if args.docs:
        docs_dir, name = REPO / "docs", "docs/"
    else:
        docs_dir, name = snapshot_scale_docs(), "scale site (../shared/corpus/scale/)"
    OUT.mkdir(parents=True, exist_ok=True)
    kb_dir, base_dir = OUT / "index-kb", OUT / "index-baseline"
    kb = measure("index-kb", docs_dir, kb_dir)
    print(f"kb index: {kb['index_s']:.1f} s", flush=True)
    base = measure("index-baseline", docs_dir, base_dir)
    print(f"baseline index: {base['index_s']:.1f} s", flush=True)
    qkb = measure("query-kb", docs_dir, kb_dir)
    qbase = measure("query-baseline", docs_dir, base_dir)
    print(report(name, kb, base, qkb, qbase))


if __name__ == "__main__":
    main()
