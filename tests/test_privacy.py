"""A public build leaks nothing: each private thing carries a unique marker, and every channel of
the public build (pages, lists, home counts, sitemap, feeds, exports, static shards, the whoosh
index and ``/api/search``) is searched for it, against an internal build that must contain it."""

from __future__ import annotations

import gzip
import json
import threading
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kb_tools.frontmatter import page_privacy
from kb_tools.search.engine import search
from kb_tools.search.server import make_server
from kb_tools.search.whoosh_index import open_index
from tests.conftest import BUILDING_LAW, law_page, make_config, run_build, write_files

MARKERS = {
    "gbk": "泄漏标记甲",  # a GBK-encoded page with public: false
    "law": "泄漏标记乙",  # a private regulation
    "version": "泄漏标记丙",  # its older text (no public: line of its own)
    "linked": "LEAKFILEMARK",  # a file a private page links to, not in any attachments list
    "power": "泄漏标记丁",  # a private power item
    "lecture": "泄漏标记戊",  # a private lecture (the Atom feed, the lecture lists)
    "unreadable": "泄漏标记己",  # a page whose public: value cannot be read
}


def _docs() -> dict[str, str | bytes]:
    gbk = f"---\ntitle: 内部通知\npublic: false\n---\n\n# 内部通知\n\n{MARKERS['gbk']}：只在局内传阅。\n"
    return {
        "index.md": "# 首页\n\n<!-- kb:home -->\n",
        "laws/建筑法.md": BUILDING_LAW,
        "notes/内部通知.md": gbk.encode("gbk"),
        "laws/内部条例.md": law_page("内部管理条例", f"第一条 {MARKERS['law']}现行文本。\n\n第二条 第二条。",
                                    level="规范性文件", promulgated="2020-01-01", public=False),
        "laws/内部条例/2015-01-01.md": law_page(
            "内部管理条例", f"第一条 {MARKERS['version']}旧文本。", level="规范性文件",
            promulgated="2015-01-01", version_of="内部条例"),
        "notes/名单.md": "---\ntitle: 名单\npublic: false\n---\n\n# 名单\n\n[内部名单](files/名单.txt)\n",
        "notes/files/名单.txt": f"{MARKERS['linked']}\n",
        "notes/不确定.md": f"---\ntitle: 不确定\npublic: 也许\n---\n\n# 不确定\n\n{MARKERS['unreadable']}\n",
        "powers/list.yaml": f"""\
            权力事项:
              - 事项编码: P-1
                事项名称: 公开事项
                事项类型: 行政许可
                承办科室: 甲科
                设定依据: 《中华人民共和国建筑法》第七条
              - 事项编码: P-2
                事项名称: {MARKERS['power']}
                事项类型: 行政许可
                承办科室: 甲科
                设定依据: 《中华人民共和国建筑法》第八条
                公开: 否
            """,
        "classroom/2026/内部讲稿.md": f"""\
            ---
            title: {MARKERS['lecture']}讲稿
            lecturer: 张三
            date: 2026-03-01
            hours: 2
            audience: 全局
            topics: [内部]
            public: false
            ---

            ## 一、要点

            {MARKERS['lecture']}正文。
            """,
    }


def _channel_text(site: Path) -> dict[str, str]:
    """Every file of a site as text, xlsx and gzip unpacked."""
    out = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        out[str(path.relative_to(site))] = data.decode("utf-8", errors="replace")
    return out


def _api_search(site: Path, index_dir: Path, query: str) -> str:
    server = make_server(site, index_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/api/search?q={urllib.parse.quote(query)}&limit=50"
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """The same docs built as the internal site and as the public site."""
    out = {}
    for kind in ("internal", "public"):
        root = tmp_path_factory.mktemp(kind)
        write_files(root / "docs", _docs())
        site = run_build(make_config(root, {"atomic_output": False, "public_build": kind == "public"}))
        index = root / ".kb_cache" / ("index-public" if kind == "public" else "index")
        out[kind] = (site, index)
    return out


@pytest.mark.parametrize("marker", sorted(MARKERS))
def test_marker_reaches_the_internal_build_and_no_channel_of_the_public_one(builds, marker):
    text = MARKERS[marker]
    internal_site, _internal_index = builds["internal"]
    public_site, public_index = builds["public"]
    if marker != "unreadable":  # an internal build publishes it (privacy is irrelevant there)
        assert any(text in body for body in _channel_text(internal_site).values()), marker
    leaks = [name for name, body in _channel_text(public_site).items() if text in body]
    assert leaks == []
    assert open_index(public_index) is not None
    assert text not in json.dumps([vars(hit) for hit in search(open_index(public_index), text, limit=50)],
                                  ensure_ascii=False, default=str)
    assert text not in _api_search(public_site, public_index, text)


def test_api_search_finds_private_regulation_only_internally(builds):
    internal = _api_search(*builds["internal"], "内部管理条例 第一条")
    public = _api_search(*builds["public"], "内部管理条例 第一条")
    assert "内部条例" in internal
    assert "内部条例" not in public and "内部管理条例" not in public


def test_public_home_counts_leave_out_private_texts(builds):
    internal = (builds["internal"][0] / "laws/index.html").read_text(encoding="utf-8")
    public = (builds["public"][0] / "laws/index.html").read_text(encoding="utf-8")
    assert "内部管理条例" in internal and "内部管理条例" not in public
    assert not (builds["public"][0] / "laws/内部条例/2015-01-01").exists()
    assert (builds["internal"][0] / "laws/内部条例/2015-01-01/index.html").is_file()


@pytest.mark.parametrize(("text", "expected"), [
    ("---\npublic: false\n---\n", True), ("---\npublic: 否\n---\n", True), ("---\ntitle: x\n---\n", False),
    ("no front matter", False), ("---\npublic: 也许\n---\n", None), ("---\npublic: false\n", True),
    ("---\ntitle: x\n", None),    ("---\npublic:\n---\n", None),
])
def test_page_privacy(tmp_path, text, expected):
    path = tmp_path / "p.md"
    path.write_text(text, encoding="utf-8")
    assert page_privacy(path) is expected
    path.write_bytes(text.encode("gbk"))
    assert page_privacy(path) is expected
