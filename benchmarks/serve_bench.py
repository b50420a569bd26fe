"""`kb serve` under load: throughput and latency of ``/api/search`` at 8, 32 and 64 clients.

Prints (never asserts on time), for two servers over the very same handler logic
(``kb_tools.search.server.SiteHandler``) and the same whoosh index, in the same run:

* **old**: what ``kb serve`` was — Python's ``ThreadingHTTPServer``, a thread per connection
  without bound, HTTP/1.0 (a new connection for every request);
* **new**: ``kb serve`` now — ``PooledHTTPServer``, HTTP/1.1 keep-alive, a bounded worker pool,
  503 + ``Retry-After`` beyond its queue.

The index is the whoosh index of the repository's ``docs/`` (built once into
``benchmarks/out/serve/``). Each server runs in a process of its own (the clients' threads must
not wait for its GIL); the clients are threads of this process, each with one connection that it
keeps when the server lets it (``http.client`` reconnects after an HTTP/1.0 answer). Queries
cycle through the dev set (``../shared/eval/queries-dev.tsv``). Loopback only; every level is
bounded by a request count and a time limit, whichever comes first.

Usage::

    .venv/bin/python benchmarks/serve_bench.py                    # 600 requests per level
    .venv/bin/python benchmarks/serve_bench.py --requests 300 --seconds 20 --clients 8 32 64
    .venv/bin/python benchmarks/serve_bench.py --only new
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import REPO, child_env

OUT = REPO / "benchmarks" / "out" / "serve"
DEV = REPO.parent / "shared" / "eval" / "queries-dev.tsv"
TODAY = dt.date(2026, 11, 26)


# --------------------------------------------------------------------------- server processes


def child_server(kind: str, site: Path, index: Path, workers: int | None, slots: int | None) -> None:
    """A server process: prints its port, then serves until killed."""
    from http.server import ThreadingHTTPServer

    from kb_tools.search import server as server_module
    from kb_tools.search.httpd import WORKERS
    from kb_tools.search.server import SiteHandler, attach_site, make_server

    if slots:
        server_module.MAX_CONCURRENT_SEARCHES = slots

    class OldStyle(SiteHandler):
        protocol_version = "HTTP/1.0"  # as kb serve spoke before: one request per connection

    if kind == "old":
        old = ThreadingHTTPServer(("127.0.0.1", 0), OldStyle)
        old.daemon_threads = True
        attach_site(old, site, index)
        print(old.server_address[1], flush=True)
        old.serve_forever()
    else:
        new = make_server(site, index, port=0, workers=workers or WORKERS)
        print(new.server_address[1], flush=True)
        new.serve_forever()


def start_server(kind: str, site: Path, index: Path, workers: int | None = None,
                 slots: int | None = None) -> tuple[subprocess.Popen, int]:
    child = subprocess.Popen([sys.executable, __file__, "--child-server", kind, str(site), str(index),
                              str(workers or 0), str(slots or 0)],
                             stdout=subprocess.PIPE, text=True, env=child_env(), cwd=REPO)
    assert child.stdout is not None
    return child, int(child.stdout.readline())


# --------------------------------------------------------------------------- load


def queries() -> list[str]:
    from kb_tools.search.eval import read_queries

    return [q.query for q in read_queries(DEV)]


def run_level(port: int, clients: int, requests: int, seconds: float, paths: list[str]) -> dict[str, object]:
    """``clients`` threads send ``requests`` requests in all (or stop after ``seconds``)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds
    start = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            began = time.perf_counter()
            try:
                conn.request("GET", paths[n % len(paths)])
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                with lock:
                    errors.append(type(exc).__name__)
                continue
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    ok = statuses.get(200, 0)
    return {
        "clients": clients, "requests": len(latencies) + len(errors), "ok": ok,
        "shed": statuses.get(503, 0), "other": sum(v for k, v in statuses.items() if k not in (200, 503)),
        "errors": len(errors), "rps": ok / wall if wall else 0.0,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else float("nan"),
    }


def prepare() -> tuple[Path, Path]:
    """The whoosh index of docs/ (brought up to date) and a one-page site for the servers."""
    from kb_tools.search.engine import ensure_index

    index = OUT / "index"
    ensure_index(REPO / "docs", index, today=TODAY)
    site = OUT / "site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text("<h1>法规知识库</h1>\n", encoding="utf-8")
    return site, index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32, 64])
    parser.add_argument("--requests", type=int, default=600, help="requests per level (default 600)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per level (default 60)")
    parser.add_argument("--only", choices=["old", "new"], default=None)
    parser.add_argument("--workers", type=int, default=None, help="worker threads of the new server")
    parser.add_argument("--search-slots", type=int, default=None, help="searches at once (new server)")
    parser.add_argument("--child-server", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_server:
        kind, site, index, workers, slots = args.child_server
        child_server(kind, Path(site), Path(index), int(workers) or None, int(slots) or None)
        return
    print("preparing the whoosh index of docs/ …", flush=True)
    site, index = prepare()
    paths = ["/api/search?" + urllib.parse.urlencode({"q": q}) for q in queries()]
    rows = []
    for kind in [k for k in ("old", "new") if args.only in (None, k)]:
        child, port = start_server(kind, site, index, args.workers, args.search_slots)
        try:
            run_level(port, 4, 2 * len(paths), args.seconds, paths)  # warm: index open, caches filled
            for clients in args.clients:
                row = {"server": kind, **run_level(port, clients, args.requests, args.seconds, paths)}
                rows.append(row)
                print(f"  {kind} {clients} clients: {row['rps']:.1f} req/s", flush=True)
        finally:
            child.kill()
            child.wait()
    print()
    print("server  clients  requests    200   503  other  errors   req/s   p50 ms   p99 ms")
    for r in rows:
        print(f"{r['server']:<6}  {r['clients']:>7}  {r['requests']:>8}  {r['ok']:>5}  {r['shed']:>4}  {r['other']:>5}"
              f"  {r['errors']:>6}  {r['rps']:>6.1f}  {r['p50']:>7.0f}  {r['p99']:>7.0f}")
    print("\nold = ThreadingHTTPServer, HTTP/1.0, thread per connection; new = kb serve (HTTP/1.1 keep-alive, "
          "bounded pool). Same handler, same index, same run.")


if __name__ == "__main__":
    main()
