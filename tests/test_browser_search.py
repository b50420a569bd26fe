"""The header search box in Debian's chromium, over sites served as plain static files.

A small site checks behaviour (keyboard, grouping, 只看有效, escaping, a missing shard); the
site built from this repository's docs/ checks that real dev-set queries typed into the box give
the same first result as the engine `kb eval --engine static` measures, linking to an element
that begins with the article's 第N条 label.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from kb_tools.search.eval import read_queries
from kb_tools.search.static_eval import NodeEngine
from kb_tools.search.static_index import INDEX_DIR, term_hash
from tests.browser import serve
from tests.conftest import law_page, make_config, run_build
from tests.search_fixtures import write_docs

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
DEV_QUERIES = REPO.parent / "shared" / "eval" / "queries-dev.tsv"

HOSTILE_LAW = law_page(
    "恶意文本测试条例",
    """
    第一条 本条文字含有<script>window.__kbPwned = 1</script>标记，检验转义。

    第二条 本条文字含有<img src=x onerror="window.__kbPwned = 2">图片标记，检验转义。
    """,
    level="规范性文件",
    promulgated="2020-01-01",
)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The search fixture tree plus a hostile page, built once; a copy with shards removed."""
    root = tmp_path_factory.mktemp("search-box")
    write_docs(root, {"laws/恶意文本测试条例.md": HOSTILE_LAW})
    site = run_build(make_config(root, {"atomic_output": False}))
    serve_root = root / "served"
    serve_root.mkdir()
    shutil.copytree(site, serve_root / "ok")
    broken = serve_root / "broken"
    shutil.copytree(site, broken)
    manifest = (broken / INDEX_DIR / "manifest.json").read_text(encoding="utf-8")
    import json

    shards = json.loads(manifest)["termShards"]
    (broken / INDEX_DIR / "terms" / f"{term_hash('施工许可证') % shards}.json").unlink()
    with serve(serve_root) as url:
        yield {"ok": url + "ok/", "broken": url + "broken/"}


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def type_query(page: object, text: str, *, key: str = "/") -> None:
    """Focus the box with its keyboard shortcut and type like a person (no Enter); return once the
    list answers the whole text (under load, a prefix's results can still be on show: a keyboard
    test once opened the first hit of 城乡规划法 6)."""
    page.keyboard.press(key)
    page.keyboard.type(text, delay=15)
    # The key itself lands in the text when the box already has the focus: compare with the box.
    page.wait_for_function("() => { const box = document.querySelector('.kb-search');"
                           " const input = box && box.querySelector('.kb-search__input');"
                           " return input && box.getAttribute('data-shown') === input.value.trim(); }",
                           timeout=15000)


def first_hit(page: object) -> object:
    page.wait_for_selector(".kb-search__hit", timeout=10000)
    return page.locator(".kb-search__hit").first


def test_results_appear_while_typing_grouped_with_badges(page, small_site):
    page.goto(small_site["ok"])
    type_query(page, "施工许可证要什么条件")
    hit = first_hit(page)
    assert hit.locator(".kb-search__cite").inner_text() == "《中华人民共和国建筑法》第八条"
    assert unquote(hit.get_attribute("href")).endswith("/ok/laws/建筑法/#article-8")
    assert hit.locator("mark").first.inner_text() in {"施工许可证", "条件"}
    group = page.locator(".kb-search__group").first
    assert group.locator(".kb-search__group-title").inner_text() == "《中华人民共和国建筑法》"
    assert group.locator(".kb-status").inner_text() == "有效"
    # Every hit is a visible link of its own (none folded away).
    hits = page.locator(".kb-search__hit")
    assert hits.count() >= 3
    assert all(hits.nth(i).is_visible() for i in range(hits.count()))
    assert not page.errors


def test_the_index_head_loads_while_the_page_is_idle(page, small_site):
    """Manifest and names arrive before any typing; nothing else of the index does."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(small_site["ok"])
    page.wait_for_function("() => performance.getEntriesByType('resource')"
                           ".some((e) => e.name.endsWith('/search/kb/groups.json'))", timeout=10000)
    index = [url.split("/search/kb/", 1)[1] for url in requested if "/search/kb/" in url]
    assert sorted(index) == ["groups.json", "manifest.json"]
    type_query(page, "施工许可证")
    first_hit(page)
    assert sum(url.endswith("/search/kb/manifest.json") for url in requested) == 1


def test_keyboard_alone_reaches_the_article(page, small_site):
    page.goto(small_site["ok"])
    type_query(page, "城乡规划法 64条", key="s")
    first_hit(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('kb-search__hit')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/laws/**#article-64")
    assert page.locator("#article-64").inner_text().startswith("第六十四条")


def test_enter_opens_the_results_page_and_escape_closes(page, small_site):
    page.goto(small_site["ok"])
    type_query(page, "维修基金")
    first_hit(page)
    page.keyboard.press("Escape")
    assert page.locator(".kb-search__panel").is_hidden()
    type_query(page, "建筑法 第八条之一")
    page.keyboard.press("Enter")  # no result chosen: every result, the referenced article first
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector("#kb-results[data-complete='1']", timeout=10000)
    first = page.locator(".kb-results__cite").first
    assert first.inner_text() == "《中华人民共和国建筑法》第八条之一"
    first.click()
    page.wait_for_url("**#article-8-1")
    assert page.locator("#article-8-1").inner_text().startswith("第八条之一")


def test_only_in_force_toggle(page, small_site):
    page.goto(small_site["ok"])
    type_query(page, "行政复议 申请")
    first_hit(page)
    page.wait_for_selector(".kb-search__group .kb-status--amended")
    page.locator(".kb-search__in-force").check()
    page.wait_for_function("() => document.querySelector('.kb-search__meta').textContent.includes('只看有效')")
    statuses = page.locator(".kb-search__group .kb-status").all_inner_texts()
    assert statuses and set(statuses) == {"有效"}


def test_document_text_is_shown_as_text_never_run(page, small_site):
    page.goto(small_site["ok"])
    type_query(page, "检验转义 script onerror")
    first_hit(page)
    page.wait_for_timeout(300)
    snippets = " ".join(page.locator(".kb-search__snippet").all_inner_texts())
    assert "<script>window.__kbPwned = 1</script>" in snippets
    assert '<img src=x onerror="window.__kbPwned = 2">' in snippets
    assert page.evaluate("() => window.__kbPwned") is None
    assert page.locator(".kb-search__results script, .kb-search__results img").count() == 0


def test_a_missing_shard_gives_a_visible_message(page, small_site):
    page.goto(small_site["broken"])
    type_query(page, "施工许可证")
    meta = page.locator(".kb-search__meta--error")
    meta.wait_for(timeout=10000)
    assert "检索索引加载失败" in meta.inner_text()
    assert page.locator(".kb-search__meta--busy").count() == 0
    # Queries that do not need the lost shard still work.
    page.locator(".kb-search__input").fill("")
    type_query(page, "业主大会")
    first_hit(page)


@pytest.fixture(scope="module")
def repo_site(repo_docs_site: Path) -> Iterator[dict]:
    """This repository's docs/ built (once per session) and served; the Node engine over its index."""
    site = repo_docs_site / "site"
    node = NodeEngine(site / INDEX_DIR)
    with serve(site) as url:
        yield {"url": url, "node": node}
    node.close()


@pytest.mark.skipif(not DEV_QUERIES.is_file(), reason="needs ../shared/eval/queries-dev.tsv")
def test_dev_queries_typed_into_the_box(page, repo_site):
    queries = read_queries(DEV_QUERIES)
    page.goto(repo_site["url"])
    checked = 0
    for q in queries:
        page.locator(".kb-search__input").fill("")
        type_query(page, q.query)
        expected = repo_site["node"].query(q.query, 20)[0]
        page.wait_for_function(
            "(url) => { const a = document.querySelector('.kb-search__hit');"
            " return a && decodeURI(a.href).endsWith(url); }",
            arg=expected["url"], timeout=10000,
        )
        cite = page.locator(".kb-search__hit").first.locator(".kb-search__cite").inner_text()
        if expected["article"]:
            assert cite == f"《{expected['title']}》{expected['article']}", q.query
        else:  # a section of another page: its title (and heading)
            assert cite.startswith(expected["title"]), q.query
        page.keyboard.press("Escape")
        checked += 1
    assert checked == len(queries)


@pytest.mark.skipif(not DEV_QUERIES.is_file(), reason="needs ../shared/eval/queries-dev.tsv")
@pytest.mark.parametrize(("query", "title", "label"), [
    ("施工许可证要什么条件", "中华人民共和国建筑法", "第八条"),
    ("建筑法 第七条", "中华人民共和国建筑法", "第七条"),
    ("违法建设 罚款", "中华人民共和国城乡规划法", "第六十四条"),
    ("首违不罚", "中华人民共和国行政处罚法", "第三十三条"),
])
def test_dev_query_first_result_links_to_the_article(page, repo_site, query, title, label):
    relevant = {(r.query, rel) for r in read_queries(DEV_QUERIES) for rel in r.relevant}
    assert (query, (title, label)) in relevant  # the expectation is the dev set's own label
    page.goto(repo_site["url"])
    type_query(page, query)
    hit = first_hit(page)
    page.wait_for_function(
        "(cite) => document.querySelector('.kb-search__cite').textContent === cite",
        arg=f"《{title}》{label}", timeout=10000,
    )
    anchor = unquote(hit.get_attribute("href")).rsplit("#", 1)[1]
    hit.click()
    page.wait_for_url(f"**#{anchor}")
    assert page.locator(f"#{anchor}").inner_text().startswith(label)
