"""`kb serve`: the built site as static files, plus ``GET /api/search`` over the whoosh index.

Standard library only: the intranet machine needs nothing else running. Connections are served
by :class:`~kb_tools.search.httpd.PooledHTTPServer` (HTTP/1.1 keep-alive, a bounded worker pool,
503 when overloaded, timeouts for slow clients); this module says what each request gets:

* files below ``site/`` only: the path is decoded once, ``..`` may not climb above the site,
  symbolic links may not lead out of it, hidden names and control characters are refused
  (``%00`` is a 400, never a traceback), directories without ``index.html`` are not listed;
* text (HTML, JSON, JS, CSS, SVG, XML) gzip-compressed when the client accepts it: the
  ``.gz`` written beside the file by the build (plugin option ``precompress``) when it is
  current, else compressed once and kept in memory;
* ``ETag`` / ``Last-Modified`` revalidation, and the same ``Cache-Control`` rules as the nginx
  configuration in ``deploy/nginx/kb.conf`` (see :func:`cache_control`);
* unknown paths: the site's own ``404.html`` with status 404 (a Chinese line when the build
  wrote none); every error in Chinese.
"""

from __future__ import annotations

import dataclasses
import email.utils
import gzip
import json
import mimetypes
import re
import threading
import time
import urllib.parse
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.problems import KbError
from kb_tools.search import httpd
from kb_tools.search.httpd import PooledHTTPServer, PooledRequestHandler

if TYPE_CHECKING:
    import socketserver

#: Longest accepted value of ``q`` (characters); longer queries get 414.
MAX_QUERY_CHARS = 500
#: Most results one request may ask for.
MAX_RESULTS = 50
#: Most query parameters of one ``/api/search`` request; more is a 400.
MAX_PARAMS = 10
#: Searches running at once; further requests wait (the machine has few cores).
MAX_CONCURRENT_SEARCHES = 4
#: Bodies smaller than this are sent as they are (gzip would save nothing worth a header).
MIN_GZIP_BYTES = 512
#: Larger files are not compressed on the fly (the build's ``.gz`` is still used).
MAX_GZIP_BYTES = 16 * 1024 * 1024
#: Bytes of compressed files kept in memory.
GZIP_CACHE_BYTES = 64 * 1024 * 1024
#: Bodies up to this size go out in the same write as the headers; larger ones in chunks.
CHUNK = 256 * 1024
#: Bytes per second a client must at least accept a large file at.
MIN_SEND_RATE = 32 * 1024

#: Material's own bundles carry a content hash in their names: cached for a year.
HASHED_ASSET = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:js|css)$")
NOT_FOUND_TEXT = "404：找不到这个页面。请回到首页，或用页面顶部的检索框查找。\n"
ERROR_TEXT = {
    400: "请求格式不正确。", 404: "找不到这个页面。", 408: "请求超时。", 414: "请求地址过长。",
    431: "请求头过大。", 500: "服务器内部错误，请稍后重试。", 501: "不支持这种请求方法（只支持 GET 和 HEAD）。",
    505: "不支持这个 HTTP 版本。",
}
TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json",
    ".map": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".md": "text/plain; charset=utf-8",
    ".gz": "application/gzip", ".woff2": "font/woff2", ".woff": "font/woff", ".ico": "image/x-icon",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")


class BadRequest(ValueError):
    """A request that no file could answer (control characters, a path above the site)."""


@dataclasses.dataclass
class Site:
    """What the handler serves; kept on the server object as ``server.kb_site``."""

    site_dir: Path
    index_dir: Path | None
    search_slots: threading.BoundedSemaphore = dataclasses.field(
        default_factory=lambda: threading.BoundedSemaphore(MAX_CONCURRENT_SEARCHES))


# --------------------------------------------------------------------------- pure helpers


def split_target(target: str) -> tuple[str, str]:
    """``(path, query)`` of a request target, origin form (``/a?b``) or absolute form."""
    if target.startswith("/"):
        path, _, query = target.partition("?")
        return path.partition("#")[0], query
    if re.match(r"https?://", target, re.I):
        parts = urllib.parse.urlsplit(target)
        return parts.path or "/", parts.query
    raise BadRequest(f"无法识别的请求地址：{target[:80]!r}")


def site_path(path: str) -> list[str]:
    """The path's segments below the site root, decoded once.

    ``%2e%2e``, ``..%2f`` and ``..\\`` decode to text that is either a ``..`` segment (removed
    with the segment before it; a 400 above the root) or a plain name no file has; the caller
    still checks that the resolved file lies inside the site (symbolic links).
    """
    raw = urllib.parse.unquote_to_bytes(path.encode("latin-1", "replace"))  # the request line is latin-1
    text = raw.decode("utf-8", "replace")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise BadRequest("请求路径中含有控制字符（如 %00）。")
    segments: list[str] = []
    for part in text.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not segments:
                raise BadRequest("请求路径超出了站点目录。")
            segments.pop()
        else:
            segments.append(part)
    return segments


def cache_control(rel: str) -> str:
    """The ``Cache-Control`` of a site file; the nginx configuration says the same.

    Material's hashed bundles never change under their name: a year. Everything else, search
    shards (``search/kb/``) included, keeps its name from build to build while its content
    changes, so the browser revalidates it (``ETag``) each time: after a rebuild it must not
    combine an old ``manifest.json`` with new shards.
    """
    if HASHED_ASSET.search(rel):
        return "public, max-age=31536000, immutable"
    return "no-cache"


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in TYPES:
        return TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def is_compressible(ctype: str) -> bool:
    return ctype.startswith(COMPRESSIBLE)


def accepts_gzip(header: str) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip (``gzip;q=0`` refuses it)."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights.setdefault(name.strip().lower(), weight)
    for name in ("gzip", "x-gzip", "*"):
        if name in weights:
            return weights[name] > 0
    return False


class GzipCache:
    """Compressed file contents by (path, mtime, size), least recently used dropped first."""

    def __init__(self, limit: int = GZIP_CACHE_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, path: Path, mtime_ns: int, size: int) -> bytes:
        key = (str(path), mtime_ns, size)
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
                return body
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        with self.lock:
            if key not in self.entries:
                self.entries[key] = body
                self.size += len(body)
            while self.size > self.limit and self.entries:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old)
        return body


GZIP_CACHE = GzipCache()


# --------------------------------------------------------------------------- the handler


class SiteHandler(PooledRequestHandler):
    """Static files from ``site/`` and ``/api/search``; nothing outside ``site/`` is ever read."""

    server_version = "kb-serve"

    def version_string(self) -> str:
        return self.server_version  # no Python version for the world to see

    def do_GET(self) -> None:
        self.respond()

    def do_HEAD(self) -> None:
        self.respond()

    @property
    def site(self) -> Site:
        site: Site = self.server.kb_site  # type: ignore[attr-defined]  # set by attach_site()
        return site

    def respond(self) -> None:
        if self.headers.get("Transfer-Encoding") or self.headers.get("Content-Length", "0").strip() != "0":
            self.close_connection = True  # a body is never read: the connection cannot carry another request
        try:
            path, query = split_target(self.path)
            segments = site_path(path)
        except BadRequest as exc:
            self.send_text(400, f"{exc}\n", close=True)
            return
        if segments == ["api", "search"]:
            self.search(query)
            return
        self.send_static(segments, path.endswith("/"), query)

    # ------------------------------------------------------------ static files

    def send_static(self, segments: list[str], slash: bool, query: str) -> None:
        if any(part.startswith(".") for part in segments):
            self.send_not_found()
            return
        rel = "/".join(segments)
        try:
            root = self.site.site_dir.resolve()
            target = (root / rel).resolve()
            if not target.is_relative_to(root):  # a symbolic link that leads out of the site
                self.send_not_found()
                return
            if target.is_dir():
                if not slash and segments:
                    location = urllib.parse.quote(f"/{rel}/") + (f"?{query}" if query else "")
                    self.send_text(301, "已移动。\n", headers={"Location": location})
                    return
                target = target / "index.html"
                rel = f"{rel}/index.html".lstrip("/")
            if not target.is_file():
                self.send_not_found()
                return
        except OSError:  # a name too long for the file system, and the like: no such page
            self.send_not_found()
            return
        self.send_file(target, rel)

    def send_not_found(self) -> None:
        page = self.site.site_dir / "404.html"
        try:
            if page.is_file():
                self.send_file(page, "404.html", status=404)
                return
        except OSError:
            pass
        self.send_text(404, NOT_FOUND_TEXT)

    def send_file(self, path: Path, rel: str, *, status: int = 200) -> None:
        """A file, gzip-compressed when it is text and the client accepts gzip."""
        stat = path.stat()
        ctype = content_type(path)
        headers = {"Content-Type": ctype, "Cache-Control": "no-cache" if status != 200 else cache_control(rel),
                   "Last-Modified": email.utils.formatdate(stat.st_mtime, usegmt=True)}
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}'
        body: bytes | None = None
        source = path
        if is_compressible(ctype):
            headers["Vary"] = "Accept-Encoding"
            if accepts_gzip(self.headers.get("Accept-Encoding", "")):
                source, body = self.gzipped(path, stat.st_mtime_ns, stat.st_size)
                if source != path or body is not None:
                    headers["Content-Encoding"] = "gzip"
                    etag += "-gz"
        headers["ETag"] = etag + '"'
        if status == 200 and self.not_modified(headers["ETag"], int(stat.st_mtime)):
            self.send_head(304, headers, length=None)
            return
        if body is not None:
            self.send_body(status, headers, body)
            return
        size = source.stat().st_size if source != path else stat.st_size
        with source.open("rb") as handle:
            if size <= CHUNK:
                self.send_body(status, headers, handle.read())
                return
            self.send_head(status, headers, length=size)
            if self.command == "HEAD":
                return
            # A client that reads too slowly would hold a worker: it gets the time a 32 KiB/s link needs.
            deadline = time.monotonic() + self.raw_timeout() + size / MIN_SEND_RATE
            while chunk := handle.read(CHUNK):
                if time.monotonic() > deadline:
                    raise TimeoutError("客户端接收过慢")
                self.wfile.write(chunk)

    def raw_timeout(self) -> float:
        """Seconds of no progress after which a send fails (the pool's request timeout)."""
        return getattr(getattr(self, "raw", None), "io_timeout", None) or 10.0

    def gzipped(self, path: Path, mtime_ns: int, size: int) -> tuple[Path, bytes | None]:
        """``(file to send, bytes to send)``: the build's current ``.gz``, compressed bytes, or
        the file itself (tiny or huge files).

        A ``.gz`` is current when it is not older than its file and holds as many bytes as the
        file has (gzip's last four bytes): a page edited or copied in place after the build is
        never answered with its old text.
        """
        gz = path.with_name(path.name + ".gz")
        try:
            if gz.is_file() and gz.stat().st_mtime_ns >= mtime_ns:
                with gz.open("rb") as handle:
                    handle.seek(-4, 2)
                    if int.from_bytes(handle.read(4), "little") == size & 0xFFFFFFFF:
                        return gz, None
        except OSError:
            pass
        if MIN_GZIP_BYTES <= size <= MAX_GZIP_BYTES:
            return path, GZIP_CACHE.get(path, mtime_ns, size)
        return path, None

    def not_modified(self, etag: str, mtime: int) -> bool:
        """Whether the client's copy is current (``If-None-Match`` first, as RFC 9110 says)."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                stamp = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError, IndexError):
                return False
            return stamp is not None and mtime <= stamp.timestamp()
        return False

    # ------------------------------------------------------------ /api/search

    def search(self, query_string: str) -> None:
        """``GET /api/search?q=…&limit=…&status=…&level=…``: the JSON of ``kb search --json``."""
        from kb_tools.search.engine import search_safely
        from kb_tools.search.whoosh_index import open_index

        try:
            params = urllib.parse.parse_qs(query_string, max_num_fields=MAX_PARAMS)
        except ValueError:
            self.send_json(400, {"error": f"参数过多：/api/search 最多接受 {MAX_PARAMS} 个参数。"})
            return
        query = (params.get("q") or [""])[0]
        if len(query) > MAX_QUERY_CHARS:
            self.send_json(414, {"error": f"检索词过长（最多 {MAX_QUERY_CHARS} 字）。"})
            return
        try:
            limit = max(1, min(int((params.get("limit") or ["10"])[0]), MAX_RESULTS))
        except ValueError:
            limit = 10
        index_dir = self.site.index_dir
        ix = open_index(index_dir) if index_dir else None
        if ix is None:
            self.send_json(503, {"error": "检索索引不存在，请先运行 kb build。"})
            return
        status = (params.get("status") or [""])[0] or None
        level = (params.get("level") or [""])[0] or None
        with self.site.search_slots:
            hits, message = search_safely(ix, query, limit=limit, status=status, level=level)
        if not hits and not query.strip():
            self.send_json(400, {"error": message})
            return
        self.send_json(200, [h.as_dict() for h in hits])

    # ------------------------------------------------------------ writing answers

    def send_json(self, code: int, value: object) -> None:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store",
                   "Vary": "Accept-Encoding"}
        if len(body) >= MIN_GZIP_BYTES and accepts_gzip(self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(body, 5, mtime=0)
            headers["Content-Encoding"] = "gzip"
        self.send_body(code, headers, body)

    def send_text(self, code: int, text: str, *, headers: dict[str, str] | None = None,
                  close: bool = False) -> None:
        if close:
            self.close_connection = True
        self.send_body(code, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store",
                              **(headers or {})}, text.encode("utf-8"))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found before a request reached us (bad request line, 501, 431…): Chinese,
        plain text, connection closed."""
        self.close_connection = True
        self.send_text(code, ERROR_TEXT.get(code, "请求无法完成。") + "\n", headers={"Connection": "close"})

    def send_head(self, code: int, headers: dict[str, str], *, length: int | None, body: bytes = b"") -> None:
        self.send_response(code)
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers.items():
            self.send_header(name, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers(body)

    def send_body(self, code: int, headers: dict[str, str], body: bytes) -> None:
        """Headers and body in one write (no body for HEAD, 1xx, 204, 304)."""
        self.send_head(code, headers, length=len(body),
                       body=body if self.command != "HEAD" and code >= 200 and code not in (204, 304) else b"")


# --------------------------------------------------------------------------- servers


def attach_site(server: socketserver.BaseServer | PooledHTTPServer, site_dir: Path,
                index_dir: Path | None) -> None:
    """Give a server what :class:`SiteHandler` needs (also for the benchmark's baseline server)."""
    server.kb_site = Site(site_dir, index_dir)  # type: ignore[union-attr]  # make_server returns our server class


def make_server(site_dir: Path, index_dir: Path | None, host: str = "127.0.0.1", port: int = 8000, *,
                workers: int = httpd.WORKERS, request_timeout: float = httpd.REQUEST_TIMEOUT,
                idle_timeout: float = httpd.IDLE_TIMEOUT) -> PooledHTTPServer:
    """A ready server (not yet serving); port 0 picks a free port, for tests. The keywords are
    those of :class:`PooledHTTPServer`."""
    if not site_dir.is_dir():
        raise KbError(f"站点目录 {site_dir} 不存在，请先运行 kb build。")
    try:
        server = PooledHTTPServer((host, port), SiteHandler, workers=workers, request_timeout=request_timeout,
                                  idle_timeout=idle_timeout)
    except OSError as exc:
        raise KbError(f"无法监听 {host}:{port}：{exc.strerror}。可用 --port 换一个端口。") from exc
    attach_site(server, site_dir, index_dir)
    return server


def serve_forever(server: PooledHTTPServer) -> None:
    """Serve until interrupted (Ctrl+C ends it quietly)."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

