"""`kb serve`: the built site as static files, plus ``GET /api/search`` over the whoosh index.

Standard library only (``http.server``): the intranet machine needs nothing else running.
Requests are served on threads; path handling refuses anything outside ``site/``.
"""

from __future__ import annotations

import functools
import json
import posixpath
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kb_tools.problems import KbError

#: Longest accepted value of ``q`` (characters); longer queries get 414.
MAX_QUERY_CHARS = 500
#: Most results one request may ask for.
MAX_RESULTS = 50
#: Searches running at once; further requests wait (the machine has few cores).
MAX_CONCURRENT_SEARCHES = 4


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from ``site/`` only; ``..`` and absolute paths never leave it."""

    server_version = "kb-serve"

    def translate_path(self, path: str) -> str:
        root = Path(self.directory).resolve()
        clean = posixpath.normpath(urllib.parse.unquote(urllib.parse.urlsplit(path).path))
        target = (root / clean.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            return str(root / "__outside__")  # does not exist: a 404, never a file outside
        return str(target)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet by default: staff run this in a terminal they do not watch

    def do_GET(self) -> None:
        if urllib.parse.urlsplit(self.path).path.rstrip("/") == "/api/search":
            self.search()
            return
        super().do_GET()

    def search(self) -> None:
        """``GET /api/search?q=…&limit=…&status=…&level=…``: the JSON of ``kb search --json``."""
        from kb_tools.search.engine import search_safely
        from kb_tools.search.whoosh_index import open_index

        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, max_num_fields=10)
        query = (params.get("q") or [""])[0]
        if len(query) > MAX_QUERY_CHARS:
            self.send_json(414, {"error": f"检索词过长（最多 {MAX_QUERY_CHARS} 字）。"})
            return
        try:
            limit = max(1, min(int((params.get("limit") or ["10"])[0]), MAX_RESULTS))
        except ValueError:
            limit = 10
        index_dir = getattr(self.server, "index_dir", None)
        ix = open_index(index_dir) if index_dir else None
        if ix is None:
            self.send_json(503, {"error": "检索索引不存在，请先运行 kb build。"})
            return
        status = (params.get("status") or [None])[0] or None
        level = (params.get("level") or [None])[0] or None
        with self.server.search_slots:  # type: ignore[attr-defined]
            hits, message = search_safely(ix, query, limit=limit, status=status, level=level)
        if not hits and not query.strip():
            self.send_json(400, {"error": message})
            return
        self.send_json(200, [h.as_dict() for h in hits])

    def send_json(self, code: int, value: object) -> None:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def make_server(site_dir: Path, index_dir: Path | None, host: str = "127.0.0.1",
                port: int = 8000) -> ThreadingHTTPServer:
    """A ready server (not yet serving); port 0 picks a free port, for tests."""
    if not site_dir.is_dir():
        raise KbError(f"站点目录 {site_dir} 不存在，请先运行 kb build。")
    handler = functools.partial(SiteHandler, directory=str(site_dir))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise KbError(f"无法监听 {host}:{port}：{exc.strerror}。可用 --port 换一个端口。") from exc
    server.daemon_threads = True
    server.index_dir = index_dir  # type: ignore[attr-defined]
    server.search_slots = threading.BoundedSemaphore(MAX_CONCURRENT_SEARCHES)  # type: ignore[attr-defined]
    return server


def serve_site(site_dir: Path, index_dir: Path | None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted."""
    server = make_server(site_dir, index_dir, host, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
