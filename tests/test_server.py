"""`kb serve`: static files from site/ only, GET /api/search over the whoosh index, HTTP/1.1
keep-alive on a bounded worker pool, 503 under overload, timeouts, gzip and the site's 404."""

from __future__ import annotations

import gzip
import http.client
import http.server
import json
import os
import socket
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kb_tools.search import server as server_module
from kb_tools.search.engine import ensure_index
from kb_tools.search.httpd import PooledHTTPServer, PooledRequestHandler
from kb_tools.search.server import MAX_RESULTS, SiteHandler, attach_site, make_server
from tests.search_fixtures import TODAY, write_docs

SECRET = "outside the site: never served"
NOT_FOUND_PAGE = "<h1>页面不存在</h1><p>本站的 404 页面</p>"
BIG_PAGE = "<h1>法规知识库</h1>" + "<p>第一条 为了加强对建筑活动的监督管理，制定本法。</p>\n" * 400


def serving(server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return thread


def stop(server) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A docs tree with its whoosh index, a small site beside it and a secret file outside it."""
    root = tmp_path_factory.mktemp("serve")
    docs = write_docs(root)
    ensure_index(docs, root / "index", today=TODAY)
    site = root / "site"
    (site / "laws").mkdir(parents=True)
    (site / "search" / "kb").mkdir(parents=True)
    (site / "index.html").write_text(BIG_PAGE, encoding="utf-8")
    (site / "404.html").write_text(NOT_FOUND_PAGE, encoding="utf-8")
    (site / "laws" / "page.html").write_text("条文", encoding="utf-8")
    (site / "search" / "kb" / "manifest.json").write_text(json.dumps({"terms": list(range(2000))}), encoding="utf-8")
    (site / ".hidden").write_text(SECRET, encoding="utf-8")
    (site / "laws" / "附件.bin").write_bytes(os.urandom(3 * server_module.CHUNK + 17))
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    (site / "link-out").symlink_to(root, target_is_directory=True)
    (site / "leak.txt").symlink_to(root / "secret.txt")
    return root


@pytest.fixture(scope="module")
def served(root):
    server = make_server(root / "site", root / "index", port=0)
    serving(server)
    yield server.server_address
    stop(server)


def get(address, path, headers=None):
    conn = http.client.HTTPConnection(*address, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


def fetch(address, path, headers=None, method="GET"):
    """(response, body) on a connection of its own."""
    conn = http.client.HTTPConnection(*address, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def raw(address, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (http.client would tidy the request line) and read one answer."""
    with socket.create_connection(address, timeout=30) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def api(address, **params):
    return get(address, "/api/search?" + urllib.parse.urlencode(params))


def closed_by_server(sock: socket.socket, within: float = 10.0) -> bool:
    """Whether the server closes the connection (EOF or reset) before ``within`` seconds pass."""
    sock.settimeout(within)
    try:
        while True:
            if not sock.recv(4096):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


# ---------------------------------------------------------------------------- /api/search


def test_listens_on_loopback_by_default(served):
    assert served[0] == "127.0.0.1"


def test_api_search_returns_the_json_of_kb_search(served):
    status, ctype, body = api(served, q="施工许可证要什么条件")
    assert status == 200 and ctype.startswith("application/json")
    hits = json.loads(body)
    assert hits[0]["title"] == "中华人民共和国建筑法" and hits[0]["article"] == "第八条"
    assert {"url", "status", "score", "snippet"} <= set(hits[0])


def test_api_filters_and_limit(served):
    hits = json.loads(api(served, q="行政复议申请", status="有效")[2])
    assert hits and {h["status"] for h in hits} == {"有效"}
    assert len(json.loads(api(served, q="第一条", limit=1)[2])) == 1
    assert len(json.loads(api(served, q="本法 条例 规定", limit=100000)[2])) <= MAX_RESULTS
    assert json.loads(api(served, q="施工", limit="many")[2])  # a bad limit falls back to the default


def test_api_caps_query_length_and_rejects_empty_queries(served):
    status, _, body = api(served, q="施" * (server_module.MAX_QUERY_CHARS + 1))
    assert status == 414 and "过长" in json.loads(body)["error"]
    status, _, body = api(served, q="")
    assert status == 400 and json.loads(body)["error"]
    assert get(served, "/api/search")[0] == 400


@pytest.mark.parametrize("q", ['"', "-", "\x00", "《》第条", "level:", "😀", "a b c " * 50, "9" * 5000])
def test_api_survives_odd_queries(served, q):
    status, _, body = api(served, q=q, limit=q[:4000])
    assert status in (200, 400, 414)
    assert isinstance(json.loads(body), (list, dict))


def test_api_answers_gzip_when_asked(served):
    response, body = fetch(served, "/api/search?q=" + urllib.parse.quote("本法 条例 规定") + "&limit=20",
                           {"Accept-Encoding": "gzip"})
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(body))[0]["title"]


# ---------------------------------------------------------------------------- bad requests: 400, no traceback


@pytest.mark.parametrize("path", [
    "/%00", "/index.html%00.txt", "/laws/%00/page.html", "/%0d%0aSet-Cookie:%20x=1", "/%7f",
    "/api/search?" + "&".join(f"p{i}=1" for i in range(11)),
    "/api/search?q=" + "&q=".join(urllib.parse.quote("施工") for _ in range(30)),
])
def test_bad_requests_get_400_and_no_traceback(served, capfd, path):
    status, ctype, body = get(served, path)
    assert status == 400 and ctype.endswith("charset=utf-8")
    assert body.decode("utf-8")  # a Chinese line, as text or JSON
    assert "参数" in body.decode() if path.startswith("/api/") else "控制字符" in body.decode()
    assert "Traceback" not in capfd.readouterr().err


def test_malformed_request_lines_get_chinese_errors(served, capfd):
    assert raw(served, b"GET\r\n\r\n")[0] == 400
    status, _, body = raw(served, b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 501 and "不支持" in body.decode()
    status, _, _ = raw(served, b"GET / HTTP/1.1\r\n" + b"X-Pad: a\r\n" * 200 + b"\r\n")
    assert status == 431
    assert "Traceback" not in capfd.readouterr().err


# ---------------------------------------------------------------------------- static files and traversal


def test_static_files_are_served(served):
    status, ctype, body = get(served, "/")
    assert status == 200 and "法规知识库".encode() in body and ctype == "text/html; charset=utf-8"
    assert get(served, "/laws/page.html")[2] == "条文".encode()
    response, _ = fetch(served, "/laws")
    assert response.status == 301 and response.getheader("Location") == "/laws/"


def traversal_variants(root: Path) -> list[str]:
    secret = (root / "secret.txt").as_posix()
    return [
        "/../secret.txt", "/laws/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
        "/laws/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "//secret.txt",
        "/laws/..%5c..%5csecret.txt", "/..\\secret.txt", "/laws/..\\..\\secret.txt",  # backslashes
        "/%252e%252e/secret.txt", "/..%252fsecret.txt", "/%255c..%255csecret.txt",  # double encoding
        "/.%2e/secret.txt", "/%2e./secret.txt", "/laws/./.././../secret.txt", "/laws/page.html/../../secret.txt",
        "/..%00/secret.txt", "/secret.txt%00.html", "/%00/../secret.txt",  # NUL
        "/%c0%ae%c0%ae/secret.txt", "/%e0%80%ae%e0%80%ae/secret.txt",  # overlong UTF-8 dots
        "/%e2%80%a4%e2%80%a4/secret.txt", "/%ef%bc%8e%ef%bc%8e/secret.txt", "/．．/secret.txt",  # unicode dots
        "/....//secret.txt", "/..;/secret.txt", "/%2e%2e;/secret.txt",
        secret, "/" + secret, "/%2f" + urllib.parse.quote(secret.lstrip("/"), safe=""),  # absolute paths
        "http://127.0.0.1/../secret.txt", "http://127.0.0.1/%2e%2e/secret.txt",  # absolute-form targets
        "/link-out/secret.txt", "/leak.txt",  # symbolic links out of the site
        "/.hidden", "/laws/../.hidden",  # hidden files
    ]


def test_paths_outside_site_are_refused(served, root, capfd):
    variants = traversal_variants(root)
    assert len(variants) >= 22
    for path in variants:
        request = b"GET " + path.encode("utf-8") + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        status, _, body = raw(served, request)
        assert status in (400, 404), path
        assert SECRET.encode() not in body, path
    for path in ["/link-out/secret.txt", "/leak.txt", "/.hidden"]:
        assert raw(served, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())[0] == 404
    assert "Traceback" not in capfd.readouterr().err


def test_unknown_paths_get_the_sites_404_page(served):
    response, body = fetch(served, "/laws/" + urllib.parse.quote("没有这部法规") + "/")
    assert response.status == 404
    assert body.decode("utf-8") == NOT_FOUND_PAGE
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert not response.will_close  # a 404 keeps the connection


def test_without_a_404_page_the_answer_is_chinese_text(tmp_path):
    (tmp_path / "index.html").write_text("首页", encoding="utf-8")
    server = make_server(tmp_path, None, port=0)
    serving(server)
    try:
        status, ctype, body = get(server.server_address, "/nope.html")
        assert status == 404 and ctype.startswith("text/plain")
        assert "找不到这个页面" in body.decode("utf-8")
    finally:
        stop(server)


def test_large_files_arrive_whole(served, root):
    data = (root / "site" / "laws" / "附件.bin").read_bytes()
    path = "/laws/" + urllib.parse.quote("附件.bin")
    response, body = fetch(served, path, {"Accept-Encoding": "gzip"})
    assert response.status == 200 and body == data and response.getheader("Content-Encoding") is None
    response, body = fetch(served, path, method="HEAD")
    assert body == b"" and response.getheader("Content-Length") == str(len(data))


def test_head_and_revalidation(served):
    response, body = fetch(served, "/laws/page.html", method="HEAD")
    assert response.status == 200 and body == b""
    assert response.getheader("Content-Length") == str(len("条文".encode()))
    etag = response.getheader("ETag")
    assert etag
    again, body = fetch(served, "/laws/page.html", {"If-None-Match": etag})
    assert again.status == 304 and body == b""
    modified = response.getheader("Last-Modified")
    assert fetch(served, "/laws/page.html", {"If-Modified-Since": modified})[0].status == 304


def test_cache_headers():
    assert server_module.cache_control("assets/javascripts/bundle.f55a23d4.min.js").endswith("immutable")
    assert server_module.cache_control("search/kb/terms/12.json") == "no-cache"
    assert server_module.cache_control("index.html") == "no-cache"


# ---------------------------------------------------------------------------- compression


def test_text_is_gzipped_when_the_client_accepts_it(served, root):
    response, body = fetch(served, "/", {"Accept-Encoding": "gzip, deflate"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept-Encoding"
    assert gzip.decompress(body).decode("utf-8") == BIG_PAGE
    assert len(body) < len(BIG_PAGE.encode()) / 5
    response, body = fetch(served, "/search/kb/manifest.json", {"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(body))["terms"][-1] == 1999
    for refused in ({}, {"Accept-Encoding": "gzip;q=0, identity"}, {"Accept-Encoding": "br"}):
        response, body = fetch(served, "/", refused)
        assert response.getheader("Content-Encoding") is None and body.decode("utf-8") == BIG_PAGE
    response, body = fetch(served, "/laws/page.html", {"Accept-Encoding": "gzip"})  # too small to gain
    assert response.getheader("Content-Encoding") is None and body == "条文".encode()


def test_a_current_precompressed_file_is_sent_as_it_is(tmp_path):
    page = "<p>预压缩</p>" * 300
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "stale.html").write_text(page, encoding="utf-8")
    gz = gzip.compress(page.encode(), 1, mtime=0)  # level 1: bytes that on-the-fly level 6 would not make
    (tmp_path / "index.html.gz").write_bytes(gz)
    (tmp_path / "stale.html.gz").write_bytes(gzip.compress(b"old text", mtime=0))
    old = (tmp_path / "stale.html").stat().st_mtime - 60
    os.utime(tmp_path / "stale.html.gz", (old, old))  # written before the page changed: not used
    (tmp_path / "copied.html").write_text(page, encoding="utf-8")
    (tmp_path / "copied.html.gz").write_bytes(gzip.compress(b"an older text", mtime=0))
    os.utime(tmp_path / "copied.html", (old, old))  # copied in with its old time (cp -p): sizes differ
    server = make_server(tmp_path, None, port=0)
    serving(server)
    try:
        response, body = fetch(server.server_address, "/", {"Accept-Encoding": "gzip"})
        assert response.getheader("Content-Encoding") == "gzip" and body == gz
        for stale in ("/stale.html", "/copied.html"):
            response, body = fetch(server.server_address, stale, {"Accept-Encoding": "gzip"})
            assert gzip.decompress(body).decode("utf-8") == page
    finally:
        stop(server)


# ---------------------------------------------------------------------------- HTTP/1.1 and the pool


def test_connections_are_kept_alive(served):
    conn = http.client.HTTPConnection(*served, timeout=30)
    try:
        conn.request("GET", "/laws/page.html")
        first = conn.getresponse()
        assert first.version == 11 and not first.will_close
        first.read()
        sock = conn.sock
        for path in ["/", "/nope", "/api/search?q=" + urllib.parse.quote("建筑法 第八条"), "/laws/page.html"] * 5:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.status in (200, 404)
        assert conn.sock is sock  # the same connection all along
    finally:
        conn.close()


def read_answer(fp) -> tuple[int, dict[str, str], bytes]:
    """One answer from a connection's read buffer (HTTPResponse would close the buffer after it)."""
    status = int(fp.readline().split()[1])
    headers = {}
    while (line := fp.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, fp.read(int(headers.get("content-length", 0)))


def test_pipelined_and_http10_keep_alive_requests(served):
    with socket.create_connection(served, timeout=30) as sock, sock.makefile("rb") as fp:
        sock.sendall(b"GET /laws/page.html HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_answer(fp)[::2] == (200, "条文".encode())
        assert read_answer(fp)[::2] == (404, NOT_FOUND_PAGE.encode())
    with socket.create_connection(served, timeout=30) as sock, sock.makefile("rb") as fp:
        for _ in range(2):
            sock.sendall(b"GET /laws/page.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            status, headers, body = read_answer(fp)
            assert status == 200 and headers["connection"] == "keep-alive" and body == "条文".encode()


def test_a_request_with_a_body_closes_its_connection(served):
    with socket.create_connection(served, timeout=30) as sock:
        sock.sendall(b"GET /laws/page.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 200
        response.read()
        assert closed_by_server(sock)


def test_concurrent_requests_all_get_correct_answers_on_a_bounded_pool(served):
    queries = ["施工许可证要什么条件", "《建筑法》第八条", "违法建设 罚款", "业主大会 表决", "行政复议申请"]
    expected = {q: json.loads(api(served, q=q)[2])[0]["url"] for q in queries}
    threads_before = threading.active_count()
    peak = [threads_before]
    local = threading.local()

    def one(i: int) -> tuple[str, int, str]:
        if not hasattr(local, "conn"):  # one kept-alive connection per client thread
            local.conn = http.client.HTTPConnection(*served, timeout=60)
        q = queries[i % len(queries)]
        local.conn.request("GET", "/api/search?" + urllib.parse.urlencode({"q": q}))
        response = local.conn.getresponse()
        body = response.read()
        peak[0] = max(peak[0], threading.active_count())
        return q, response.status, json.loads(body)[0]["url"] if response.status == 200 else ""

    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(one, range(640)))
    assert all(status == 200 for _, status, _ in results)
    assert all(url == expected[q] for q, _, url in results)
    # 64 client threads of our own; the server added none (its workers started with it).
    assert peak[0] <= threads_before + 64


class GateHandler(PooledRequestHandler):
    """A workload whose requests take as long as the test says: ``/wait`` holds its worker."""

    entered = threading.Event()
    release = threading.Event()

    def do_GET(self) -> None:
        if self.path == "/wait":
            GateHandler.entered.set()
            GateHandler.release.wait(30)
        if self.path == "/boom":
            raise RuntimeError("a bug in a handler")
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers(body)


def wait_until(condition, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "the server did not get there"
        time.sleep(0.01)


def test_overload_is_shed_with_503_and_retry_after():
    GateHandler.entered.clear()
    GateHandler.release.clear()
    server = PooledHTTPServer(("127.0.0.1", 0), GateHandler, workers=1, queue_size=1)
    serving(server)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            busy = pool.submit(get, server.server_address, "/wait")
            assert GateHandler.entered.wait(10)  # the only worker is held
            queued = pool.submit(get, server.server_address, "/")
            wait_until(lambda: server.waiting == 1)  # the queue is full
            status, headers, body = raw(server.server_address, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert status == 503 and headers["retry-after"] == "1" and "繁忙" in body.decode()
            assert server.shed == 1
            GateHandler.release.set()
            assert busy.result(timeout=30)[0] == 200 and queued.result(timeout=30)[0] == 200
    finally:
        GateHandler.release.set()
        stop(server)


def test_a_failing_handler_answers_500_and_keeps_its_worker(capfd):
    server = PooledHTTPServer(("127.0.0.1", 0), GateHandler, workers=1)
    serving(server)
    try:
        for _ in range(3):
            assert get(server.server_address, "/boom")[0] == 500
        assert get(server.server_address, "/")[2] == b"ok"  # the only worker is still there
        err = capfd.readouterr().err
        assert err.count("a bug in a handler") == 3 and "Traceback" not in err
    finally:
        stop(server)


def test_too_many_connections_are_shed():
    server = PooledHTTPServer(("127.0.0.1", 0), GateHandler, max_connections=2)
    serving(server)
    idle = [socket.create_connection(server.server_address, timeout=10) for _ in range(2)]
    try:
        wait_until(lambda: server.open_connections == 2)
        status, headers, _ = raw(server.server_address, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 503 and headers["retry-after"] == "1"
    finally:
        for sock in idle:
            sock.close()
        stop(server)


def test_half_sent_requests_time_out_and_do_not_hold_workers(root):
    server = make_server(root / "site", root / "index", port=0, request_timeout=1.0, workers=2)
    serving(server)
    half = []
    try:
        for _ in range(60):
            sock = socket.create_connection(server.server_address, timeout=10)
            sock.sendall(b"GET /laws/page.html HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag")
            half.append(sock)
        # Meanwhile whole requests are answered: the half-sent ones hold no worker.
        assert get(server.server_address, "/laws/page.html")[0] == 200
        assert sum(closed_by_server(sock) for sock in half) == 60
        # A client that sends its head a byte at a time is cut off as well (a deadline, not an idle timer).
        with socket.create_connection(server.server_address, timeout=10) as slow:
            cut = False
            for byte in b"GET /laws/page.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100:
                try:
                    slow.sendall(bytes([byte]))
                except OSError:
                    cut = True
                    break
                time.sleep(0.05)
            assert cut or closed_by_server(slow, within=1.0)
    finally:
        for sock in half:
            sock.close()
        stop(server)


def test_idle_kept_alive_connections_are_closed(root):
    server = make_server(root / "site", None, port=0, idle_timeout=0.5)
    serving(server)
    try:
        with socket.create_connection(server.server_address, timeout=10) as sock:
            sock.sendall(b"GET /laws/page.html HTTP/1.1\r\nHost: x\r\n\r\n")
            response = http.client.HTTPResponse(sock)
            response.begin()
            response.read()
            assert closed_by_server(sock)
    finally:
        stop(server)


def test_the_same_handler_runs_on_the_standard_threading_server(root):
    """The benchmark's baseline: ThreadingHTTPServer (thread per connection, HTTP/1.0) over SiteHandler."""

    class OldStyle(SiteHandler):
        protocol_version = "HTTP/1.0"

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OldStyle)
    attach_site(server, root / "site", root / "index")
    serving(server)
    try:
        response, body = fetch(server.server_address, "/laws/page.html")
        assert response.status == 200 and body == "条文".encode() and response.will_close
        status, _, body = api(server.server_address, q="施工许可证要什么条件")
        assert status == 200 and json.loads(body)[0]["article"] == "第八条"
    finally:
        stop(server)
