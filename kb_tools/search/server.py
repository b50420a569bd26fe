"""`kb serve`: the built site as static files, plus ``GET /api/search`` over the whoosh index.

Standard library only (``http.server``): the intranet machine needs nothing else running.
Requests are served on threads; path handling refuses anything outside ``site/``.
"""

from __future__ import annotations

import functools
import posixpath
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kb_tools.problems import KbError


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
