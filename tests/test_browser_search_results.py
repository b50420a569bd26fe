"""The header box's order and count, and the results page search/?q=…, in Debian's chromium.

One small site, built once: a regulation whose best article leads a query and whose thirteen
weaker articles would bury the second regulation's best article if hits were grouped by
regulation; a regulation with 25 matching articles (more than the box's 20), a repealed one, and
a plain page, so that counts, paging and every facet have something to show. The engine's own
ranking (the same JavaScript under Node) is the reference for order, never a list typed here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from kb_tools.search.static_eval import NodeEngine
from kb_tools.search.static_index import INDEX_DIR
from tests.browser import serve
from tests.conftest import law_page, make_config, run_build, write_files

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])

CAP_QUERY = "招标 必须 项目 范围"
COUNT_QUERY = "投标文件"

_WEAK = [f"第{n}条 招标人对第{n}类招标项目应当依法组织招标，招标项目的资料应当保存。" for n in "二三四五六七八九"]
_WEAK += [f"第十{n}条 招标项目的招标人应当按照规定公开招标项目信息。" for n in "一二三四五"]
_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
            "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五"]

FILES = {
    "index.md": "# 首页\n",
    "laws/实施条例.md": law_page(
        "招标投标测试实施条例",
        "第一条 必须招标的工程建设项目的具体范围和规模标准，依照本条例确定，招标项目范围必须公开。\n\n"
        + "\n\n".join(_WEAK),
        level="行政法规", promulgated="2012-02-01", category=["招标投标"]),
    "laws/招标法.md": law_page(
        "招标投标测试法",
        "第一条 为了规范招标投标活动，制定本法。\n\n第三条 下列工程建设项目必须进行招标，项目的范围由国务院规定。",
        promulgated="1999-08-30", category=["招标投标"]),
    "laws/投标办法.md": law_page(
        "投标文件测试办法",
        "\n\n".join(f"第{n}条 投标人应当按照第{n}项要求编制投标文件。" for n in _NUMBERS),
        level="部门规章", promulgated="2020-05-01", category=["招标投标", "工程建设"]),
    "laws/旧投标规定.md": law_page(
        "投标旧测试规定",
        "第一条 投标文件应当密封。\n\n第二条 投标文件逾期送达的，不予受理。",
        level="部门规章", promulgated="2001-01-01", repealed="2015-01-01"),
    "laws/转义.md": law_page(
        "转义测试条例",
        "第一条 本条含有<img src=x onerror=\"window.__kbPwned = 1\">图片标记，检验转义。",
        level="规范性文件", promulgated="2020-01-01"),
    "guide/须知.md": "# 办事须知\n\n## 提交投标文件\n\n投标文件按窗口要求提交。\n",
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The site, a copy without its index head (a failed fetch), served; the Node engine."""
    root = tmp_path_factory.mktemp("search-results")
    write_files(root / "docs", FILES)
    site = run_build(make_config(root, {"atomic_output": False}))
    served = root / "served"
    shutil.copytree(site, served / "ok")
    shutil.copytree(site, served / "broken")
    (served / "broken" / INDEX_DIR / "groups.json").unlink()
    node = NodeEngine(site / INDEX_DIR)
    with serve(served) as url:
        yield {"ok": url + "ok/", "broken": url + "broken/", "node": node}
    node.close()


@pytest.fixture
def open_page(browser: object) -> Iterator[object]:
    """``open_page(size)``: a fresh page of that viewport; page errors fail the test at the end."""
    contexts: list[object] = []
    pages: list[object] = []

    def _open(size: dict) -> object:
        context = browser.new_context(viewport=size, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        pages.append(page)
        return page

    yield _open
    for page in pages:
        assert not page.errors
    for context in contexts:
        context.close()


def cite_of(hit: dict) -> str:
    return f"《{hit['title']}》{hit['article']}" if hit["article"] else hit["title"]


def type_query(page: object, text: str) -> None:
    page.keyboard.press("/")
    page.keyboard.type(text, delay=10)
    page.wait_for_function("(q) => document.querySelector('.kb-search')?.getAttribute('data-shown') === q",
                           arg=text, timeout=10000)


def visible_cites(page: object) -> list[str]:
    return [c for c in page.eval_on_selector_all(
        ".kb-search__hit", "(els) => els.filter((e) => !e.closest('[hidden]'))"
        ".map((e) => e.querySelector('.kb-search__cite').textContent)")]


def open_results(tab: object, base: str, query: str = "", **params: str) -> None:
    """Open the results page at an address with these parameters; wait for the full result."""
    from urllib.parse import urlencode

    tab.goto(base + "search/?" + urlencode({"q": query, **params}))
    tab.wait_for_selector("#kb-results[data-complete='1']", timeout=10000)


def result_cites(page: object) -> list[str]:
    return page.locator(".kb-results__cite").all_inner_texts()


def result_urls(page: object, base: str) -> list[str]:
    """The hits' addresses, site-relative, as the engine gives them."""
    return [unquote(h).removeprefix(base) for h in page.eval_on_selector_all(
        ".kb-results__cite", "(els) => els.map((e) => e.href)")]


# ---------------------------------------------------------------------------- the box


@SIZES
def test_box_keeps_rank_order_and_caps_one_regulation(open_page, sites, size):
    ranked = [cite_of(h) for h in sites["node"].query(CAP_QUERY, 20)]
    # The situation of the issue: the best hit's regulation has many weaker hits, and the other
    # regulation's best article ranks second, its other article after all of them.
    assert ranked[0] == "《招标投标测试实施条例》第一条" and ranked[1] == "《招标投标测试法》第三条"
    assert ranked[-1] == "《招标投标测试法》第一条" and len(ranked) == 16
    page = open_page(size)
    page.goto(sites["ok"])
    type_query(page, CAP_QUERY)
    shown = visible_cites(page)
    assert shown[:2] == ranked[:2]  # rank order, not grouped by regulation
    # At most three of the 实施条例 before the next regulation's best remaining hit.
    assert shown == [*ranked[:4], "《招标投标测试法》第一条"]
    assert page.locator(".kb-search__group-title").all_inner_texts() == [
        "《招标投标测试实施条例》", "《招标投标测试法》", "《招标投标测试实施条例》", "《招标投标测试法》"]
    expand = page.locator(".kb-search__expand")
    assert expand.count() == 1 and expand.inner_text() == "该法规另有 11 条"
    assert expand.get_attribute("aria-expanded") == "false"
    expand.click()
    shown = visible_cites(page)
    assert sorted(shown) == sorted(ranked) and len(shown) == 16
    folded = shown[4:15]
    assert folded == ranked[4:15]  # the folded hits come in rank order, under their regulation
    assert page.evaluate("() => document.activeElement.textContent").startswith(ranked[4])


def test_box_count_is_the_real_number_and_enter_opens_the_results_page(open_page, sites):
    total = len(sites["node"].query(COUNT_QUERY, 100))
    assert total > 20  # more matches than the box lists
    page = open_page(DESKTOP)
    page.goto(sites["ok"])
    type_query(page, COUNT_QUERY)
    assert page.locator(".kb-search__meta").inner_text() == f"共 {total} 条结果"
    assert page.locator(".kb-search__hit").count() == 20  # listed (some behind 该法规另有 N 条)
    link = page.locator(".kb-search__all")
    assert link.inner_text() == "查看全部结果"
    assert parse_qs(urlsplit(link.get_attribute("href")).query) == {"q": [COUNT_QUERY]}
    page.keyboard.press("Enter")  # no result chosen: the results page for the same query
    page.wait_for_url("**/search/?q=*")
    assert parse_qs(urlsplit(page.url).query) == {"q": [COUNT_QUERY]}
    page.wait_for_selector("#kb-results[data-complete='1']", timeout=10000)
    assert page.locator(".kb-results__summary").inner_text().startswith(f"共 {total} 条结果")


def test_box_arrow_keys_reach_the_expander_and_all_results(open_page, sites):
    page = open_page(DESKTOP)
    page.goto(sites["ok"])
    type_query(page, CAP_QUERY)
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('kb-search__expand')")
    page.keyboard.press("Enter")
    assert page.locator(".kb-search__folded").first.is_visible()
    for _ in range(20):  # ↓ past the last result reaches 查看全部结果, and stays there
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('kb-search__all')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")


# ---------------------------------------------------------------------------- the results page


@SIZES
def test_results_page_pages_through_every_match_in_engine_order(open_page, sites, size):
    ranked = [h["url"] for h in sites["node"].query(COUNT_QUERY, 100)]
    assert 40 < len(ranked) < 60  # three pages
    base = sites["ok"]
    page = open_page(size)
    open_results(page, base, COUNT_QUERY)
    assert page.locator(".kb-results__summary").inner_text() == f"共 {len(ranked)} 条结果，第 1–20 条"
    assert result_urls(page, base) == ranked[:20]
    assert page.locator(".kb-results__page[aria-current='page']").inner_text() == "1"
    page.locator(".kb-results__page[rel='next']").click()
    page.wait_for_function("() => document.querySelector('.kb-results__hit')?.dataset.rank === '21'")
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    assert result_urls(page, base) == ranked[20:40]
    assert page.locator(".kb-results__summary").inner_text() == f"共 {len(ranked)} 条结果，第 21–40 条"
    page.locator(".kb-results__page[aria-label='第 3 页']").click()
    page.wait_for_function("() => document.querySelector('.kb-results__hit')?.dataset.rank === '41'")
    assert result_urls(page, base) == ranked[40:]
    page.go_back()
    page.wait_for_function("() => document.querySelector('.kb-results__hit')?.dataset.rank === '21'")
    assert result_urls(page, base) == ranked[20:40]
    # The address alone restores a page (bookmarks, links pasted into OA).
    open_results(page, base, COUNT_QUERY, page="3")
    assert result_urls(page, base) == ranked[40:]


def facet_count(page: object, facet: str, value: str) -> int:
    link = page.locator(f".kb-results__facet[data-facet='{facet}'] .kb-results__facet-value[data-value='{value}']")
    return int(link.locator(".kb-results__count").inner_text())


def test_results_page_facets_count_and_filter(open_page, sites):
    ranked = sites["node"].query(COUNT_QUERY, 100)
    page = open_page(DESKTOP)
    open_results(page, sites["ok"], COUNT_QUERY)
    in_force = sum(h["status"] == "有效" for h in ranked)
    repealed = sum(h["status"] == "已废止" for h in ranked)
    assert facet_count(page, "status", "有效") == in_force
    assert facet_count(page, "status", "已废止") == repealed == 2
    assert facet_count(page, "level", "部门规章") == 27
    articles = sum(h["article"] is not None for h in ranked)
    assert facet_count(page, "kind", "article") == articles
    assert facet_count(page, "kind", "page") == len(ranked) - articles == 1
    assert facet_count(page, "level", "行政法规") == 14 and facet_count(page, "level", "法律") == 2
    assert facet_count(page, "category", "工程建设") == 25
    assert facet_count(page, "law", "投标办法") == 25

    page.locator(".kb-results__facet[data-facet='status'] [data-value='已废止']").click()
    page.wait_for_function("() => document.querySelectorAll('.kb-results__hit').length === 2")
    assert parse_qs(urlsplit(page.url).query)["status"] == ["已废止"]
    assert set(page.locator(".kb-results__hit .kb-status").all_inner_texts()) == {"已废止"}
    # The badge's class comes from the vocabulary Python ships (kb_tools/model.py), not from the page.
    assert page.locator(".kb-results__hit .kb-status--repealed").count() == 2
    assert page.locator(".kb-results__chip").inner_text().startswith("时效性：已废止")
    # Other facets count within the filter; this facet still offers its other values.
    assert facet_count(page, "law", "旧投标规定") == 2
    assert facet_count(page, "status", "有效") == in_force

    page.locator(".kb-results__in-force input").check()  # 只看有效 replaces the status choice
    page.wait_for_function("(n) => document.querySelectorAll('.kb-results__hit').length === Math.min(n, 20)",
                           arg=in_force)
    assert parse_qs(urlsplit(page.url).query)["status"] == ["有效"]
    assert page.locator(".kb-results__summary").inner_text().startswith(f"共 {in_force} 条结果")

    page.locator(".kb-results__chip").click()  # drop the filter
    page.wait_for_function("(n) => document.querySelector('.kb-results__summary').textContent.startsWith('共 ' + n)",
                           arg=len(ranked))
    page.locator(".kb-results__facet[data-facet='kind'] [data-value='page']").click()
    page.wait_for_function("() => document.querySelectorAll('.kb-results__hit').length === 1")
    assert result_cites(page)[0].startswith("办事须知")


def test_results_page_sorts_by_date_and_copies_citations(open_page, sites):
    page = open_page(DESKTOP)
    open_results(page, sites["ok"], "招标", sort="date")
    dates = page.locator(".kb-results__date").all_inner_texts()
    assert dates and dates == sorted(dates, reverse=True)
    assert page.locator(".kb-results__sort-option[aria-current]").inner_text() == "按日期"
    hit = page.locator(".kb-results__hit").first
    cite = hit.locator(".kb-results__cite").inner_text()
    hit.locator(".kb-copy").click()
    copied = hit.locator(".kb-copy").get_attribute("data-copied-text")
    href = unquote(hit.locator(".kb-results__cite").get_attribute("href"))
    assert copied == f"{cite} {href}" and "#article-" in href
    # A repealed regulation's article is cited as the law page cites it: 《…》（已废止）第N条.
    open_results(page, sites["ok"], "投标文件 密封", status="已废止")
    hit = page.locator(".kb-results__hit").first
    hit.locator(".kb-copy").click()
    assert hit.locator(".kb-copy").get_attribute("data-copied-text").startswith("《投标旧测试规定》（已废止）第一条 ")


def test_results_page_says_plainly_when_nothing_matches(open_page, sites):
    page = open_page(PHONE)
    open_results(page, sites["ok"], "量子纠缠")
    assert page.locator(".kb-results__summary").inner_text() == "没有找到与“量子纠缠”相关的结果。"
    assert "换个说法" in page.locator(".kb-results__empty").inner_text()
    assert page.locator(".kb-results__hit").count() == 0

    # A query whose matches the filters remove: offers to drop them, with what is left.
    total = len(sites["node"].query("招标", 100))
    open_results(page, sites["ok"], "招标", status="已废止")
    assert page.locator(".kb-results__summary").inner_text() == "在当前筛选条件下没有结果。"
    offer = page.locator(".kb-results__offer")
    assert offer.inner_text() == f"去掉“已废止”（{total} 条）"
    offer.click()
    page.wait_for_function("(n) => document.querySelectorAll('.kb-results__hit').length === Math.min(n, 20)", arg=total)
    assert "status" not in parse_qs(urlsplit(page.url).query)

    # Nothing under a filter written into the query: the regulations whose names are closest.
    open_results(page, sites["ok"], "招标 效力级别:地方性法规")
    assert page.locator(".kb-results__summary").inner_text().startswith("没有找到")
    suggestions = page.locator(".kb-results__suggestions a").all_inner_texts()
    assert set(suggestions[:2]) == {"《招标投标测试法》", "《招标投标测试实施条例》"}


def test_results_page_shows_text_as_text_and_a_failed_index_as_a_message(open_page, sites):
    page = open_page(DESKTOP)
    open_results(page, sites["ok"], "检验转义")
    assert '<img src=x onerror="window.__kbPwned = 1">' in page.locator(".kb-results__snippet").first.inner_text()
    assert page.locator("#kb-results img").count() == 0
    assert page.evaluate("() => window.__kbPwned") is None

    page.goto(sites["broken"] + "search/?q=" + COUNT_QUERY)
    page.wait_for_selector(".kb-results__summary--error", timeout=20000)
    summary = page.locator(".kb-results__summary")
    assert "检索索引加载失败" in summary.inner_text() and summary.get_attribute("role") == "alert"


def test_results_page_without_a_query_asks_for_one(open_page, sites):
    page = open_page(DESKTOP)
    page.goto(sites["ok"] + "search/")
    page.wait_for_function("() => document.querySelector('.kb-results__summary')?.textContent.includes('请输入')")
    page.locator(".kb-results__input").fill(COUNT_QUERY)
    page.keyboard.press("Enter")
    page.wait_for_selector("#kb-results[data-complete='1']", timeout=10000)
    assert parse_qs(urlsplit(page.url).query) == {"q": [COUNT_QUERY]}


# ---------------------------------------------------------------------------- phone width


def test_phone_width_box_and_results_page_are_readable_and_tappable(open_page, sites):
    page = open_page(PHONE)
    page.goto(sites["ok"])
    type_query(page, CAP_QUERY)
    panel = page.locator(".kb-search__panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]
    for selector in (".kb-search__hit", ".kb-search__expand", ".kb-search__all"):
        box = page.locator(selector).first.bounding_box()
        assert box["height"] >= 40 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector
    font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.kb-search__snippet')).fontSize)")
    assert font >= 14

    open_results(page, sites["ok"], COUNT_QUERY)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert not page.locator(".kb-results__facets").evaluate("(e) => e.open")  # filters folded on phones
    page.locator(".kb-results__facets-title").click()
    for selector in (".kb-results__facet-value", ".kb-results__page", ".kb-results__in-force"):
        box = page.locator(selector).first.bounding_box()
        assert box["height"] >= 40 and box["x"] + box["width"] <= PHONE["width"], selector
    snippet = page.locator(".kb-results__snippet").first.bounding_box()
    assert snippet["width"] >= 300  # the text uses the screen's width, not a squeezed column


def test_results_page_works_from_the_keyboard(open_page, sites):
    page = open_page(DESKTOP)
    open_results(page, sites["ok"], COUNT_QUERY)
    summary = page.locator(".kb-results__summary")
    assert summary.get_attribute("aria-live") == "polite" and summary.get_attribute("role") == "status"
    assert page.locator("nav.kb-results__facet-body").get_attribute("aria-label") == "筛选结果"
    page.locator(".kb-results__input").focus()
    tabs = 0
    while not page.evaluate("() => document.activeElement.classList.contains('kb-results__facet-value')"):
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs < 15  # the facets come right after the box, 只看有效 and the sort links
    value = page.evaluate("() => document.activeElement.dataset.value")
    page.keyboard.press("Enter")
    page.wait_for_function("(v) => document.querySelector(`.kb-results__facet-value[data-value='${v}']`)"
                           "?.getAttribute('aria-pressed') === 'true'", arg=value)
    assert value in parse_qs(urlsplit(page.url).query)["level"]
    assert page.evaluate("() => document.activeElement === document.querySelector('.kb-results__summary')")
