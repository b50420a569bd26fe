"""`kb serve`: static files from site/ only, and GET /api/search over the whoosh index."""

from __future__ import annotations

import http.client
import json
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from kb_tools.search import server as server_module
from kb_tools.search.engine import ensure_index
from kb_tools.search.server import MAX_RESULTS, make_server
from tests.search_fixtures import TODAY, write_docs


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    docs = write_docs(root)
    ensure_index(docs, root / "index", today=TODAY)
    site = root / "site"
    (site / "laws").mkdir(parents=True)
    (site / "index.html").write_text("<h1>法规知识库</h1>", encoding="utf-8")
    (site / "laws" / "page.html").write_text("条文", encoding="utf-8")
    (root / "secret.txt").write_text("outside the site", encoding="utf-8")
    server = make_server(site, root / "index", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()


def get(address, path):
    conn = http.client.HTTPConnection(*address, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


def api(address, **params):
    return get(address, "/api/search?" + urllib.parse.urlencode(params))


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


@pytest.mark.parametrize("q", ['"', "-", "\x00", "《》第条", "level:", "😀", "a b c " * 50])
def test_api_survives_odd_queries(served, q):
    status, _, body = api(served, q=q)
    assert status in (200, 400)
    assert isinstance(json.loads(body), (list, dict))


def test_static_files_are_served(served):
    status, _, body = get(served, "/")
    assert status == 200 and "法规知识库".encode() in body
    assert get(served, "/laws/page.html")[2] == "条文".encode()


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/laws/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
    "/laws/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "//secret.txt",
    "/laws/..%5c..%5csecret.txt",
])
def test_paths_outside_site_are_refused(served, path):
    status, _, body = get(served, path)
    assert status == 404
    assert b"outside the site" not in body


def test_concurrent_requests_all_get_correct_answers(served):
    queries = ["施工许可证要什么条件", "《建筑法》第八条", "违法建设 罚款", "业主大会 表决", "行政复议申请"]
    expected = {q: json.loads(api(served, q=q)[2])[0]["url"] for q in queries}

    def one(i: int) -> tuple[str, int, str]:
        q = queries[i % len(queries)]
        status, _, body = api(served, q=q)
        return q, status, json.loads(body)[0]["url"] if status == 200 else ""

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, range(160)))
    assert all(status == 200 for _, status, _ in results)
    assert all(url == expected[q] for q, _, url in results)
