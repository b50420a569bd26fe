"""The results page ``search/?q=…`` opened cold: how long until the first results are on screen.

For each dev query (``../shared/eval/queries-dev.tsv``), a fresh browser context (empty cache)
opens ``search/?q=<query>`` on a site served with gzip by ``static_search_bench``'s server, and
the page records, from the start of navigation (``performance.now()``):

* first results: the first ``.kb-results__hit`` in the list (page one, from a top-20 search);
* complete: the full search done (every match counted, facets and paging drawn);
* page parsed (DOMContentLoaded), for scale: what the page costs before any search starts.

Prints median, p95 and max of both; asserts nothing. Usage (from the repository root)::

    .venv/bin/python benchmarks/results_page_bench.py [--site DIR] [--scale] [--queries N]

``--site`` measures a built kb site (default: builds this repository's docs/ into
``benchmarks/out/results-page/site``). ``--scale`` replaces the site's static index with the one
of the 1,510-text scale corpus (``scale_site.ensure_scale_docs``, indexed with
``write_site_index``), so the page and its scripts are the same and the index is the large one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.static_search_bench import CHROMIUM, QUERIES, serve  # noqa: E402
from kb_tools.search.eval import read_queries  # noqa: E402

OUT = REPO / "benchmarks" / "out" / "results-page"

#: Installed before the page's own scripts: when the first hit and the complete list appeared.
OBSERVE = """
window.__firstHit = 0; window.__complete = 0;
new MutationObserver(() => {
  const now = performance.now();
  if (!window.__firstHit && document.querySelector('.kb-results__hit')) { window.__firstHit = now; }
  const root = document.getElementById('kb-results');
  const settled = root && (root.dataset.complete === '1'
    || root.querySelector('.kb-results__empty p, .kb-results__summary--error'));
  if (!window.__complete && settled) { window.__complete = now; }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def build_docs_site(site: Path) -> Path:
    """This repository's docs/ built as `mkdocs build` does (kb plugin, static index)."""
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)],
                   check=True, cwd=REPO)
    return site


def write_scale_index(site: Path) -> int:
    """Replace the site's search/kb with the scale corpus's; returns its number of documents."""
    from benchmarks.scale_site import ensure_scale_docs
    from kb_tools.corpus import load_corpus
    from kb_tools.features import default_features
    from kb_tools.search.static_index import write_site_index

    corpus = load_corpus(ensure_scale_docs(), dt.date(2026, 1, 1), features=default_features())
    return write_site_index(corpus, site).documents


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built kb site (default: build docs/)")
    parser.add_argument("--scale", action="store_true", help="serve the 1,510-text scale index")
    parser.add_argument("--queries", type=int, default=0, help="only the first N dev queries")
    args = parser.parse_args()
    queries = [q.query for q in read_queries(QUERIES)]
    if args.queries:
        queries = queries[:args.queries]
    site = OUT / "site"
    if args.site and args.site.resolve() != site.resolve():
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(args.site, site)
    elif not args.site:
        print("building docs/ …", flush=True)
        build_docs_site(site)
    for asset in (REPO / "kb_tools" / "assets").iterdir():  # a reused site gets the current scripts
        shutil.copy2(asset, site / "assets" / "kb" / asset.name)
    if args.scale:
        print("indexing the scale corpus …", flush=True)
        write_scale_index(site)
    manifest = json.loads((site / "search" / "kb" / "manifest.json").read_text(encoding="utf-8"))
    label = f"static index of {manifest['documents']} documents"

    from playwright.sync_api import sync_playwright

    first: list[float] = []
    done: list[float] = []
    parsed: list[float] = []
    with sync_playwright() as p, serve(site) as url:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        for query in queries:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            context.add_init_script(OBSERVE)
            page = context.new_page()
            page.goto(url + "search/?q=" + quote(query))
            page.wait_for_function("() => window.__complete > 0", timeout=60000)
            hit, complete, dcl = page.evaluate(
                "() => [window.__firstHit || window.__complete, window.__complete,"
                " performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]")
            parsed.append(dcl)
            first.append(hit)
            done.append(complete)
            context.close()
        browser.close()
    print(f"results page, cold, {len(queries)} dev queries, {label}")
    for name, values in (("page parsed", parsed), ("first results", first), ("complete list", done)):
        print(f"  {name:14} median {statistics.median(values):6.0f} ms   p95 {p95(values):6.0f} ms   "
              f"max {max(values):6.0f} ms")


if __name__ == "__main__":
    main()
