"""The mechanisms that bridge working words to statute words (issue 11), in both engines:
definitions mined from the texts, anchor text from the bureau's own pages, 文号 with words,
the fallback for words that match nothing, the switches that turn each off, and the browser
engine's count and paging."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_tools.corpus import load_corpus
from kb_tools.features import default_features
from kb_tools.search.analyzer import SYNONYM_WEIGHT, analyzer_for_corpus
from kb_tools.search.definitions import mine
from kb_tools.search.engine import ensure_index, search
from kb_tools.search.mechanisms import ENV, ablate
from kb_tools.search.static_eval import NodeEngine
from kb_tools.search.static_index import INDEX_DIR, write_site_index
from tests.conftest import law_page
from tests.search_fixtures import TODAY, write_docs

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")

EXPROPRIATION = law_page(
    "国有土地上房屋征收与补偿条例",
    """
    第二条 为了公共利益的需要，征收国有土地上单位、个人的房屋的，应当对被征收房屋所有权人(以下称被征收人)给予公平补偿。

    第十七条 作出房屋征收决定的市、县级人民政府对被征收人给予的补偿包括：被征收房屋价值的补偿。

    第二十五条 房屋征收部门与被征收房屋所有权人应当就补偿方式订立补偿协议。
    """,
    level="行政法规",
    doc_number="中华人民共和国国务院令第590号",
)
#: A bureau page: the working words (夜查渣土偷倒) stand next to the article they are about.
NOTES = """\
---
title: 执法笔记
---

# 执法笔记

夜查渣土偷倒、围挡外乱堆，适用《中华人民共和国城乡规划法》第六十六条。
"""
EXTRA = {"laws/国有土地上房屋征收与补偿条例.md": EXPROPRIATION, "notes/执法笔记.md": NOTES}


@pytest.fixture(autouse=True)
def _all_mechanisms_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docs(tmp_path_factory.mktemp("mechanisms"), EXTRA)


def engines(docs: Path, where: Path) -> tuple[object, NodeEngine]:
    """Both engines over ``docs`` as the switches now are: a whoosh index and a static one."""
    corpus = load_corpus(docs, TODAY, features=default_features())
    ix, _ = ensure_index(docs, where / "whoosh", today=TODAY)
    write_site_index(corpus, where / "site")
    return ix, NodeEngine(where / "site" / INDEX_DIR)


def urls_whoosh(ix: object, query: str, n: int = 10) -> list[str]:
    return [h.url for h in search(ix, query, limit=n)]  # type: ignore[arg-type]


def first_hits(docs: Path, where: Path, query: str) -> tuple[str, str]:
    """The first hit of ``query`` in each engine (whoosh, browser), as the switches now are."""
    ix, node = engines(docs, where)
    try:
        return urls_whoosh(ix, query)[0], node.query(query, 10)[0]["url"]
    finally:
        node.close()


def test_definitions_are_mined_in_both_directions():
    table = mine(["应当对被征收房屋所有权人(以下称被征收人)给予补偿。",
                  "本条例所称农民工，是指为用人单位提供劳动的农村居民。",
                  "《中华人民共和国招标投标法》(以下简称招标投标法)",  # a regulation's name: not a definition
                  "共用设施设备专项维修资金(以下简称专项维修资金)"])  # the short name is the end of the long one
    assert table["被征收人"] == ("被征收房屋所有权人",)
    assert table["被征收房屋所有权人"] == ("被征收人",)
    assert table["农民工"] == ("为用人单位提供劳动的农村居民",)
    assert "招标投标法" not in table and "专项维修资金" not in table


def test_a_defined_short_name_expands_to_the_full_one(docs, monkeypatch):
    corpus = load_corpus(docs, TODAY, features=default_features())
    terms = {t.text: t.weight for t in analyzer_for_corpus(corpus).query_tokens("被征收人 补偿协议")}
    assert terms["被征收人"] == 1.0
    assert terms["所有权"] == SYNONYM_WEIGHT < 1.0  # from 被征收房屋所有权人, below the typed words
    monkeypatch.setenv(ENV, "definitions")
    corpus = load_corpus(docs, TODAY, features=default_features())
    assert "所有权" not in {t.text for t in analyzer_for_corpus(corpus).query_tokens("被征收人 补偿协议")}


@needs_node
def test_definitions_find_the_article_that_uses_the_full_name(docs, tmp_path, monkeypatch):
    article = "laws/国有土地上房屋征收与补偿条例/#article-25"  # says 被征收房屋所有权人, never 被征收人
    ix, node = engines(docs, tmp_path / "on")
    try:
        assert urls_whoosh(ix, "被征收人 协议")[0] == article
        assert node.query("被征收人 协议", 10)[0]["url"] == article
    finally:
        node.close()


@needs_node
def test_anchor_text_finds_the_cited_article_and_can_be_switched_off(docs, tmp_path, monkeypatch):
    article = "laws/城乡规划法/#article-66"  # its text never says 渣土 or 偷倒
    ix, node = engines(docs, tmp_path / "on")
    try:
        assert first_article(urls_whoosh(ix, "渣土偷倒")) == article
        assert first_article([h["url"] for h in node.query("渣土偷倒", 10)]) == article
    finally:
        node.close()
    monkeypatch.setenv(ENV, "anchors")
    ix, node = engines(docs, tmp_path / "off")
    try:  # only single characters of the query are left to match the article
        assert first_article(urls_whoosh(ix, "渣土偷倒")) != article
        assert first_article([h["url"] for h in node.query("渣土偷倒", 10)]) != article
    finally:
        node.close()


def first_article(urls: list[str]) -> str | None:
    return next((u for u in urls if u.startswith("laws/")), None)


@needs_node
@pytest.mark.parametrize(("query", "url"), [
    ("国务院令第379号 专项维修资金", "laws/物业管理条例/#article-53"),  # the words rank inside the document
    ("379号令 专项维修资金", "laws/物业管理条例/#article-53"),  # the spoken form of a 文号
    ("国务院令第379号", "laws/物业管理条例/#article-12"),  # alone: the document in reading order
    ("国务院令第379号第三十八条", "laws/物业管理条例/#article-38"),  # with an article: that article first
    ("379号令 第五十三条", "laws/物业管理条例/#article-53"),
    ("国务院第379号令 专项维修资金", "laws/物业管理条例/#article-53"),
    ("379号令 第三十八条 专项维修资金", "laws/物业管理条例/#article-38"),  # the named article before the words
])
def test_a_doc_number_with_words(docs, tmp_path, query, url):
    ix, node = engines(docs, tmp_path)
    try:
        assert urls_whoosh(ix, query)[0] == url
        assert node.query(query, 10)[0]["url"] == url
    finally:
        node.close()


@needs_node
@pytest.mark.parametrize(("query", "url"), [
    ("复议法第二十条", "laws/行政复议法/#article-20"),  # a shortened name no table knows
    ("物业条例 第五十三条", "laws/物业管理条例/#article-53"),
    ("规划法 六十四条", "laws/城乡规划法/#article-64"),  # no 第
])
def test_a_shortened_name_with_an_article_number(docs, tmp_path, query, url):
    ix, node = engines(docs, tmp_path)
    try:
        assert urls_whoosh(ix, query)[0] == url
        assert [h["url"] for h in node.query(query, 10)] == urls_whoosh(ix, query)
    finally:
        node.close()


@needs_node
def test_browser_engine_counts_every_match_and_pages_in_rank_order(docs, tmp_path):
    ix, node = engines(docs, tmp_path)
    try:
        first = node.answer("行政复议 申请", limit=3)
        assert len(first["hits"]) == 3 < first["total"] == len(urls_whoosh(ix, "行政复议 申请", 100))
        later = node.answer("行政复议 申请", limit=2, offset=1)
        assert [h["url"] for h in later["hits"]] == [h["url"] for h in first["hits"][1:3]]
        assert later["total"] == first["total"]
        assert [h["url"] for h in first["hits"]] == urls_whoosh(ix, "行政复议 申请")[:3]
    finally:
        node.close()


def test_unknown_mechanism_is_refused(monkeypatch):
    with pytest.raises(ValueError, match="未知的检索机制"):
        ablate(["nonsense"])


#: A regulation the query can only point at through its words: no name of it is typed.
ELEVATORS = law_page(
    "海州市住宅电梯安全管理规定",
    """
    第一条 为了加强住宅电梯安全管理，保障电梯安全运行，制定本规定。

    第五条 电梯维护保养单位应当每十五日对电梯进行一次清洁、润滑、调整和检查，电梯润滑油应当符合要求。

    第六条 本规定自2024年1月1日起施行。
    """,
    level="地方性法规",
)


@needs_node
def test_an_article_number_goes_to_the_regulation_the_words_point_at(tmp_path, monkeypatch):
    docs = write_docs(tmp_path / "numbers", {"laws/海州市住宅电梯安全管理规定.md": ELEVATORS})
    article = "laws/海州市住宅电梯安全管理规定/#article-6"  # its text has neither 电梯 nor 润滑
    query = "电梯 润滑 第六条"
    assert first_hits(docs, tmp_path / "on", query) == (article, article)
    monkeypatch.setenv(ENV, "article_numbers")
    # the article factor alone: 第五条 says both words, 第六条 only shares the title's 电梯
    assert article not in first_hits(docs, tmp_path / "off", query)


#: Chapters that say what their articles are about; the articles' own text does not.
LIFTS = law_page(
    "海州市住宅加装电梯办法",
    """
    ## 第二章 加装电梯资金筹集

    第三条 业主可以协商分摊费用，使用单位应当公示。

    ## 第三章 监督管理

    第四条 主管部门应当对使用单位进行检查，使用单位应当配合，使用单位不得拒绝。
    """,
    level="地方性法规",
)


@needs_node
def test_the_chapter_heading_tells_what_an_article_is_about(tmp_path, monkeypatch):
    docs = write_docs(tmp_path / "chapters", {"laws/海州市住宅加装电梯办法.md": LIFTS})
    article = "laws/海州市住宅加装电梯办法/#article-3"  # only its chapter says 资金筹集
    query = "资金筹集 使用单位"
    assert first_hits(docs, tmp_path / "on", query) == (article, article)
    monkeypatch.setenv(ENV, "chapters")
    assert article not in first_hits(docs, tmp_path / "off", query)  # the text alone: 第四条 says 使用单位 three times


#: One regulation with many articles on a subject, and another with a single one.
MANHOLES = law_page(
    "海州市窨井设施管理办法",
    "\n\n".join(f"第{n}条 窨井设施产权单位应当做好窨井设施的维护，窨井盖缺损的，应当及时维护。"
                for n in ("一", "二", "三", "四", "五", "六")),
    level="地方性法规",
)
ROADS = law_page(
    "海州市城市道路管理条例",
    """
    第九条 城市道路上的各类管线和窨井设施，由其产权单位负责维护。
    """,
    level="地方性法规",
)


@needs_node
def test_the_first_five_are_not_all_one_regulation(tmp_path, monkeypatch):
    docs = write_docs(tmp_path / "diversity", {"laws/海州市窨井设施管理办法.md": MANHOLES,
                                               "laws/海州市城市道路管理条例.md": ROADS})
    other = "laws/海州市城市道路管理条例/#article-9"
    query = "窨井设施 维护"
    ix, node = engines(docs, tmp_path / "on")
    try:
        whoosh, browser = urls_whoosh(ix, query), [h["url"] for h in node.query(query, 10)]
        assert whoosh == browser
        assert whoosh.index(other) == 4  # the fifth place; the four before are the one regulation's
        assert all(u.startswith("laws/海州市窨井设施管理办法/") for u in whoosh[:4])
    finally:
        node.close()
    monkeypatch.setenv(ENV, "diversity")
    ix, node = engines(docs, tmp_path / "off")
    try:  # its six articles say the words more often: all of them come first
        whoosh, browser = urls_whoosh(ix, query), [h["url"] for h in node.query(query, 10)]
        assert whoosh == browser
        assert whoosh.index(other) == 6
    finally:
        node.close()
