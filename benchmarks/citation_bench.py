"""Citation finding and resolution on the scale corpus: time per MB at 25 %, 50 % and 100 %.

Each step takes the first N regulations (sorted by page name) as a corpus of its own, so the
name index, the texts scanned and the cited-by graph all grow together, and times:

* ``scan``: every regulation's own text through :func:`kb_tools.citations.resolver.find_in_law` plus the
  cited-by graph (``add_citing``), as the ``cited_by`` loader does before a build;
* ``link``: the articles rendered as HTML (``render.article_html``) through ``link_citations``,
  as ``on_page_content`` does during a build.

Linear resolution means the seconds per MB stay flat as the corpus grows. Prints numbers only;
nothing here asserts a time.

    .venv/bin/python benchmarks/citation_bench.py [--repeat 3] [--docs DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kb_tools.citations.resolver import CitingRef, add_citing, find_in_law, link_citations  # noqa: E402
from kb_tools.corpus import CitationGraph, Corpus, load_corpus  # noqa: E402
from kb_tools.laws.render import article_html  # noqa: E402

FRACTIONS = (0.25, 0.5, 1.0)


def sub_corpus(full: Corpus, fraction: float) -> Corpus:
    """The first ``fraction`` of the current texts, with their older versions."""
    current = sorted(full.current_laws, key=lambda law: law.slug)
    keep = {law.slug for law in current[: max(1, round(len(current) * fraction))]}
    laws = {slug: law for slug, law in full.laws.items() if (law.version_of or slug) in keep}
    return Corpus(docs_dir=full.docs_dir, today=full.today, laws=laws)


def text_bytes(corpus: Corpus) -> int:
    return sum(len(p.encode("utf-8")) for law in corpus.laws.values() for a in law.articles for p in a.paragraphs)


def scan(corpus: Corpus) -> int:
    mentions = 0
    for law in corpus.laws.values():
        for article, _offset, citation in find_in_law(law, corpus):
            mentions += 1
            if citation.law is not None and not citation.problem:
                ref = CitingRef("法规", law.title, law.src_path, article.anchor if article else None)
                for cited in citation.articles or (None,):
                    add_citing(corpus, citation.law, cited, ref)
    return mentions


def link(corpus: Corpus, pages: dict[str, str]) -> int:
    links = 0
    for slug, html in pages.items():
        law = corpus.laws[slug]
        out, _ = link_citations(html, corpus, base="../../", current=law)
        links += out.count('class="kb-cite"')
    return links


def best_of(repeat: int, func, *args) -> tuple[float, object]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is printed")
    parser.add_argument("--docs", type=Path, help="docs directory (default: the imported scale corpus)")
    args = parser.parse_args()
    if args.docs:
        docs = args.docs
    else:
        from benchmarks.scale_site import ensure_scale_docs

        docs = ensure_scale_docs()
    start = time.perf_counter()
    full = load_corpus(docs, dt.date(2026, 11, 26))
    print(f"corpus: {docs} — {len(full.current_laws)} regulations, {len(full.laws)} texts, "
          f"{sum(len(law.articles) for law in full.laws.values())} articles "
          f"(loaded in {time.perf_counter() - start:.1f} s)")
    print(f"{'share':>6} {'texts':>6} {'MB':>7} {'mentions':>9} {'scan s':>8} {'scan s/MB':>10} "
          f"{'links':>7} {'link s':>8} {'link s/MB':>10}")
    for fraction in FRACTIONS:
        corpus = sub_corpus(full, fraction)
        megabytes = text_bytes(corpus) / 1e6
        pages = {slug: "".join(article_html(law, a) for a in law.articles) for slug, law in corpus.laws.items()}

        def fresh_scan(corpus: Corpus = corpus) -> int:
            corpus.citations = CitationGraph()
            return scan(corpus)

        scan_s, mentions = best_of(args.repeat, fresh_scan)
        link_s, links = best_of(args.repeat, link, corpus, pages)
        print(f"{fraction:>6.0%} {len(corpus.laws):>6} {megabytes:>7.2f} {mentions:>9} {scan_s:>8.2f} "
              f"{scan_s / megabytes:>10.3f} {links:>7} {link_s:>8.2f} {link_s / megabytes:>10.3f}")


if __name__ == "__main__":
    main()
