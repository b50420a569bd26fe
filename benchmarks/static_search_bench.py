"""The header search box at scale: this project's static engine vs Material's built-in search.

Builds, in the same run, the scale site (``scale_site.py``: the 1,510 texts of
``../shared/corpus/scale/``) twice: with the kb plugin (static sharded index, ``search/kb/``) and
as a plain Material twin with Material's search plugin. Each is served by a small static server
that gzips responses (as any production web server would), and headless chromium measures, per
engine:

* bytes downloaded (gzip, response bodies) by the first query in a fresh browser, search script
  included, and by each further query on the same page (median);
* time from the start of a cold page load to the first results of a query typed at once;
* time from the last keystroke to the results on a warm page (median, p95 and max).

Queries are the dev queries of ``../shared/eval/queries-dev.tsv``. Prints a table; asserts
nothing. Usage (from the repository root)::

    .venv/bin/python benchmarks/static_search_bench.py [--reuse] [--fresh N]

``--reuse`` skips the builds when both sites exist under ``benchmarks/out/static-search/``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.scale_site import mkdocs_build_command, scale_config  # noqa: E402
from kb_tools.search.eval import read_queries  # noqa: E402

OUT = REPO / "benchmarks" / "out" / "static-search"
QUERIES = REPO.parent / "shared" / "eval" / "queries-dev.tsv"
CHROMIUM = "/usr/bin/chromium"
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped (level 6) when the browser accepts it; compressed copies are cached."""

    cache: ClassVar[dict[tuple[str, float], bytes]] = {}
    #: Keep-alive, as every production web server does: HTTP/1.0 (the default here) opens a new
    #: connection for each of a query's small files.
    protocol_version = "HTTP/1.1"
    #: Headers and body go out as separate writes; with Nagle's algorithm a kept-alive connection
    #: then waits for the browser's delayed ACK (40 ms) on every response.
    disable_nagle_algorithm = True

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (not path.suffix.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not path.is_file()):
            return super().send_head()
        key = (str(path), path.stat().st_mtime)
        body = self.cache.get(key)
        if body is None:
            body = self.cache[key] = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def precompress(site: Path) -> None:
    """Compress every text file once, before measuring (a production server serves them so)."""
    for path in site.rglob("*"):
        if path.suffix.endswith(COMPRESSIBLE) and path.is_file():
            GzipHandler.cache[(str(path), path.stat().st_mtime)] = gzip.compress(path.read_bytes(), 6, mtime=0)


def serve_forever(site: Path) -> None:
    """The static server's own process: prints its URL, then serves until killed."""
    precompress(site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    print(f"http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()


NGINX = "/usr/sbin/nginx"
NGINX_CONF = """daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 65;
  gzip on;
  gzip_comp_level 6;
  gzip_types application/json application/javascript text/css text/javascript image/svg+xml text/xml;
  client_body_temp_path {tmp};
  proxy_temp_path {tmp};
  fastcgi_temp_path {tmp};
  uwsgi_temp_path {tmp};
  scgi_temp_path {tmp};
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location / {{ expires 1h; }}
  }}
}}
"""


@contextlib.contextmanager
def serve_nginx(site: Path) -> Iterator[str]:
    """Serve ``site`` with Debian's nginx (gzip on, keep-alive), as an intranet would host it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=site.resolve()), encoding="utf-8")
        child = subprocess.Popen([NGINX, "-c", str(conf), "-p", tmp])
        try:
            url = f"http://127.0.0.1:{port}/"
            for _ in range(100):  # until it accepts connections
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            yield url
        finally:
            child.terminate()
            child.wait()


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` from a separate process, so that the server never waits for the GIL of the
    process driving the browser (in one process, that wait was most of each request's time)."""
    child = subprocess.Popen([sys.executable, __file__, "--serve", str(site)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        child.kill()
        child.wait()


def build(kb: bool, site: Path) -> float:
    started = time.perf_counter()
    config = scale_config(kb)
    env_path = str(REPO)
    env = {**os.environ, "PYTHONPATH": env_path, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(mkdocs_build_command(config, site), check=True, cwd=config.parent, env=env)
    return time.perf_counter() - started


# ---------------------------------------------------------------------------- the two engines


#: One character committed the way a Chinese input method does it: the text goes in (an
#: ``input`` event) and the commit key comes up (a ``keyup``), in the same task. Playwright's
#: ``keyboard.type`` inserts CJK characters with no key events at all, which Material's box
#: (it searches on ``keyup``) never notices.
IME_COMMIT = """(ch) => {
  const box = document.activeElement;
  document.execCommand('insertText', false, ch);
  box.dispatchEvent(new KeyboardEvent('keyup', {key: ch, bubbles: true}));
}"""


#: A query pasted into a box the moment the page is parsed: focus, the text in, the key up, in
#: one step (Playwright's ``fill`` first waits for the box to be visible and stable, about a
#: quarter of a second that belongs to the test driver, not to the page).
PASTE = """([selector, text]) => {
  const box = document.querySelector(selector);
  box.focus();
  document.execCommand('insertText', false, text);
  box.dispatchEvent(new KeyboardEvent('keyup', {key: 'v', ctrlKey: true, bubbles: true}));
}"""


def ime_type(page: object, text: str, delay_ms: int = 40) -> None:
    """Type ``text`` into the focused box one committed character at a time, ``delay_ms`` apart."""
    for i, ch in enumerate(text):
        if i:
            page.wait_for_timeout(delay_ms)
        page.evaluate(IME_COMMIT, ch)


class Engine:
    """How to drive one search box and which downloads count as search downloads."""

    name = ""
    #: JavaScript expression: when the page showed the results (``performance.now()`` time).
    shown_at = "window.__lastChange"

    def counts(self, url: str) -> bool:
        raise NotImplementedError

    def type_query(self, page: object, text: str) -> None:
        raise NotImplementedError

    def paste_query(self, page: object, text: str) -> None:
        raise NotImplementedError

    def wait_results(self, page: object, text: str, timeout: float) -> None:
        raise NotImplementedError


class KbEngine(Engine):
    name = "kb static index"
    shown_at = "window.__shownAt"

    def counts(self, url: str) -> bool:
        return "/search/kb/" in url or "/assets/kb/kb-search" in url

    def paste_query(self, page: object, text: str) -> None:
        page.evaluate(PASTE, [".kb-search__input", text])

    def type_query(self, page: object, text: str) -> None:
        page.locator(".kb-search__input").fill("")
        page.locator(".kb-search__input").focus()
        ime_type(page, text)

    def wait_results(self, page: object, text: str, timeout: float) -> None:
        page.wait_for_function(
            "(q) => { const r = document.querySelector('.kb-search');"
            " return r && r.dataset.shown === q.trim(); }", arg=text, timeout=timeout * 1000)


class MaterialEngine(Engine):
    name = "Material search"

    def counts(self, url: str) -> bool:
        return "search_index.json" in url or "/workers/search" in url or "/lunr/" in url

    def paste_query(self, page: object, text: str) -> None:
        page.evaluate(PASTE, [".md-search__input", text])

    def type_query(self, page: object, text: str) -> None:
        page.keyboard.press("/")
        page.locator(".md-search__input").fill("")
        ime_type(page, text)

    def wait_results(self, page: object, text: str, timeout: float) -> None:
        """Results (or "no results") for this input, then quiet for half a second.

        Material gives no signal of which query a list answers; the list is taken as settled when
        it has not changed for 500 ms, and the time of its last change is what counts.
        """
        page.wait_for_function(
            "(q) => { const i = document.querySelector('.md-search__input');"
            " const m = document.querySelector('.md-search-result__meta');"
            " return i && i.value === q && m && m.textContent.trim() !== ''"
            " && !/Initializing|初始化/.test(m.textContent); }",
            arg=text, timeout=timeout * 1000)
        page.wait_for_function(
            "() => performance.now() - (window.__lastChange || 0) > 500", timeout=timeout * 1000)


#: Installed in every page before its own scripts: when the last key went down (or the last
#: character went in: a CJK one fires no keydown), when the page last changed, and when the kb
#: box last set ``data-shown`` (the query its list answers, set right after the list is drawn).
OBSERVE = """
window.__lastKey = 0; window.__lastChange = 0; window.__shownAt = 0;
const key = () => { window.__lastKey = performance.now(); };
document.addEventListener('keydown', key, true);
document.addEventListener('input', key, true);
new MutationObserver((records) => {
  const now = performance.now();
  for (const r of records) {
    if (r.type === 'attributes') { if (r.attributeName === 'data-shown') { window.__shownAt = now; } }
    else { window.__lastChange = now; }
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ['data-shown']});
"""


def run_engine(browser: object, engine: Engine, url: str, queries: list[str], fresh: int) -> dict:
    """Measure one engine: cold first queries in fresh contexts, then warm further queries."""
    cold_bytes, cold_ms = [], []
    for query in queries[:fresh]:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(OBSERVE)
        page = context.new_page()
        got: list[int] = []
        page.on("requestfinished", lambda req, got=got: got.append(
            req.sizes()["responseBodySize"] if engine.counts(req.url) else 0))
        page.goto(url, wait_until="domcontentloaded")
        engine.paste_query(page, query)  # at once: the time measured is the engine's, not the typist's
        try:
            engine.wait_results(page, query, timeout=120)
            cold_ms.append(page.evaluate(f"() => {engine.shown_at}"))  # since the navigation started
        except Exception:  # a box that never answers is reported, not raised
            cold_ms.append(float("inf"))
        page.wait_for_timeout(200)
        cold_bytes.append(sum(got))
        warm = []
        if query == queries[0]:
            warm = measure_warm(page, engine, queries[1:], got)
        context.close()
        if query == queries[0]:
            warm_result = warm
    return {"cold_bytes": cold_bytes, "cold_ms": cold_ms, "warm": warm_result}


def measure_warm(page: object, engine: Engine, queries: list[str], got: list[int]) -> list[tuple[int, float]]:
    """(bytes, ms from the last keystroke to results) of each further query on a warm page."""
    out = []
    for query in queries:
        before = sum(got)
        engine.type_query(page, query)
        try:
            engine.wait_results(page, query, timeout=30)
            ms = page.evaluate(f"() => {engine.shown_at} - window.__lastKey")
        except Exception:  # reported as an infinite latency
            ms = float("inf")
        page.wait_for_timeout(100)
        out.append((sum(got) - before, ms))
        if os.environ.get("KB_BENCH_EACH"):
            print(f"  {engine.name}: {ms:.0f} ms, {(sum(got) - before) / 1024:.1f} KiB  {query}", flush=True)
    return out


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def report(name: str, result: dict) -> list[str]:
    warm_bytes = [b for b, _ms in result["warm"]]
    warm_ms = [ms for _b, ms in result["warm"]]
    first = result["cold_bytes"][0]
    return [
        f"{name}",
        f"  first query, fresh browser: {first / 1024:.1f} KiB gzip "
        f"(over {len(result['cold_bytes'])} fresh browsers: median {statistics.median(result['cold_bytes']) / 1024:.1f}"
        f", max {max(result['cold_bytes']) / 1024:.1f} KiB)",
        f"  cold page load -> first results: median {statistics.median(result['cold_ms']):.0f} ms, "
        f"max {max(result['cold_ms']):.0f} ms",
        f"  further query downloads: median {statistics.median(warm_bytes) / 1024:.1f} KiB, "
        f"p95 {p95(warm_bytes) / 1024:.1f} KiB, max {max(warm_bytes) / 1024:.1f} KiB ({len(warm_bytes)} queries)",
        f"  last keystroke -> results (warm): median {statistics.median(warm_ms):.0f} ms, "
        f"p95 {p95(warm_ms):.0f} ms, max {max(warm_ms):.0f} ms",
    ]


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve_forever(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="reuse both built sites when present")
    parser.add_argument("--fresh", type=int, default=5, help="fresh browsers for the cold figures")
    parser.add_argument("--only", choices=["kb", "material"], help="measure one engine only")
    parser.add_argument("--server", choices=["python", "nginx"], default="python",
                        help="static server: Python's http.server with gzip (default, in a process of its own) or "
                        "Debian's nginx (apt-get install nginx-light)")
    parser.add_argument("--kb-site", type=Path, help="measure this built kb scale site (e.g. benchmarks/out/"
                        "bench-scale-kb from build_bench.py --scale --search) instead of building one")
    parser.add_argument("--index", type=Path, help="serve the kb site with this search/kb folder instead of its own "
                        "(e.g. written by kb_tools.search.static_index.write_site_index from the scale corpus)")
    args = parser.parse_args()
    queries = [q.query for q in read_queries(QUERIES)]
    # Absolute: the build runs beside the config file, and MkDocs resolves a relative site_dir there.
    sites = {"kb": (args.kb_site or OUT / "site-kb").resolve(), "material": OUT / "site-material"}
    for key, site in sites.items():
        if args.only and key != args.only:
            continue
        if (args.reuse or (key == "kb" and args.kb_site)) and (site / "index.html").is_file():
            print(f"{key}: reusing {site}")
            continue
        print(f"{key}: building {site} …", flush=True)
        print(f"{key}: built in {build(key == 'kb', site):.0f} s", flush=True)

    if (sites["kb"] / "assets" / "kb").is_dir():  # a reused site gets the current scripts (the plugin copies them)
        for asset in (REPO / "kb_tools" / "assets").iterdir():
            shutil.copy2(asset, sites["kb"] / "assets" / "kb" / asset.name)

    if args.index:
        shutil.rmtree(sites["kb"] / "search" / "kb", ignore_errors=True)
        shutil.copytree(args.index, sites["kb"] / "search" / "kb")
        print(f"kb: serving the static index {args.index}")

    from playwright.sync_api import sync_playwright

    lines = [f"kb site: {sum(1 for _ in (sites['kb'] / 'laws').rglob('index.html'))} regulation pages; "
             f"Material site: {sum(1 for _ in (sites['material'] / 'laws').rglob('index.html'))}; "
             f"{len(queries)} dev queries"]
    index = sites["kb"] / "search" / "kb"
    if index.is_dir():
        files = [p for p in index.rglob("*.json")]
        lines.append(f"kb static index: {len(files)} files, {sum(p.stat().st_size for p in files) / 2**20:.1f} MiB")
    material_index = sites["material"] / "search" / "search_index.json"
    if material_index.is_file():
        raw = material_index.read_bytes()
        lines.append(f"Material search_index.json: {len(raw) / 2**20:.1f} MiB "
                     f"({len(gzip.compress(raw, 6)) / 2**20:.2f} MiB gzip)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        for key, engine in (("kb", KbEngine()), ("material", MaterialEngine())):
            if args.only and key != args.only:
                continue
            with (serve_nginx if args.server == "nginx" else serve)(sites[key]) as url:
                if not (sites[key] / "index.html").is_file():  # e.g. the home page missing from a build
                    first = sorted((sites[key] / "laws").glob("*/index.html"))[0].parent.name
                    url += f"laws/{quote(first)}/"
                    lines.append(f"{engine.name}: measured on {url} (the site has no home page)")
                fresh = args.fresh if key == "kb" else 1
                lines += report(engine.name, run_engine(browser, engine, url, queries, fresh))
        browser.close()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
