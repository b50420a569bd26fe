# ruff: noqa: E501  (statute paragraphs are one line each, as in docs/laws)
"""The second pass (kb_tools/search/rerank.py, ``rerank`` in kb-search-ranking.js): the best few
results reordered by what their article text says, in both engines alike, each mechanism
switchable (``kb eval --ablate proximity|question_types|penalty_intent``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kb_tools.search import rerank
from kb_tools.search.analyzer import QueryTerm
from kb_tools.search.engine import search
from kb_tools.search.mechanisms import ENV
from kb_tools.search.query import ParsedQuery
from tests.conftest import law_page
from tests.test_search_mechanisms import engines

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
RANKING_JS = Path(__file__).resolve().parents[1] / "kb_tools" / "assets" / "kb-search-ranking.js"

#: A regulation whose articles share every title and chapter word: only their text tells them apart.
GAS_RULES = law_page(
    "燃气经营许可管理办法",
    """
    ## 第二章 经营许可

    第八条 燃气经营许可证的申请、审查和核发，适用本办法。燃气经营企业自取得燃气经营许可证之日起，方可从事燃气经营活动。燃气经营许可证由燃气管理部门统一印制。

    第九条 申请燃气经营许可证的企业，应当具备下列条件：有符合国家标准的燃气气源和燃气设施；有固定的经营场所；有完善的安全管理制度。

    第十条 燃气管理部门应当自受理燃气经营许可证申请之日起二十日内作出是否核发的决定。

    ## 第五章 法律责任

    第四十五条 未取得燃气经营许可证从事燃气经营活动的，由燃气管理部门责令停止违法行为，处5万元以上50万元以下罚款。
    """,
    level="部门规章",
)
EXTRA = {"laws/燃气经营许可管理办法.md": GAS_RULES}


@pytest.fixture(autouse=True)
def _all_mechanisms_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.search_fixtures import write_docs

    return write_docs(tmp_path_factory.mktemp("rerank"), EXTRA)


def parsed(text: str, words: list[tuple[str, str]], weight: float = 1.0) -> ParsedQuery:
    """A query as the parser leaves it: the free text and its terms (term, the word typed)."""
    return ParsedQuery(text=text, terms=[QueryTerm(t, weight, s, s) for t, s in words])


CASES = [
    (parsed("燃气 许可证 多久", [("燃气", "燃气"), ("许可证", "许可证"), ("多久", "多久")]),
     "第二章 经营许可", "应当自受理申请之日起二十日内作出决定。燃气经营许可证由部门印制。"),
    (parsed("经营许可 条件", [("经营", "经营许可"), ("许可", "经营许可"), ("条件", "条件")]),
     "", "应当具备下列条件：有固定的经营场所；有完善的安全管理制度"),
    (parsed("燃气 罚款", [("燃气", "燃气"), ("罚款", "罚款")]), "第五章 法律责任", "从事燃气经营活动的，处５万元罚款。"),
    (parsed("燃气 经营", [("燃气", "燃气"), ("经营", "经营")]), "第五章 法律责任", "燃气！经营\n燃气"),
    (parsed("燃气", [("燃气", "燃气")]), "第二章 经营许可", "燃气经营。"),
    (parsed("开发商 罚款", [("房地产开发企业", "开发商"), ("罚款", "罚款")], weight=0.9), "第六章 罚则", "房地产开发企业处罚款"),
    (parsed("燃气 罚款", [("燃气", "燃气"), ("罚款", "罚款")]), "", "燃气经营企业处1万元以上10万元以下罚款"),
    (parsed("应急预案 多久 演练", [("应急", "应急预案"), ("预案", "应急预案"), ("多久", "多久"), ("演练", "演练")]),
     "", "生产经营单位应当每半年至少组织一次应急预案演练。"),
]


def test_each_question_type_and_the_penalty_chapter_change_the_factor():
    w = rerank.weights()
    time_case, condition_case, penalty_case, other_case, single, _synonyms, _amount, _period = CASES
    assert rerank.factor(time_case[0], "", "二十日内作出决定") == pytest.approx(1 + w["questionType"])
    assert rerank.factor(time_case[0], "", "作出决定") == 1.0
    # A period answers 多久 too (多久演练一次): 每年, 每半年, 每三个月.
    for period in ("每年至少组织一次", "每半年至少组织一次", "每三个月检查一次"):
        assert rerank.factor(time_case[0], "", period) == pytest.approx(1 + w["questionType"]), period
    assert rerank.factor(time_case[0], "", "每一个单位") == 1.0
    assert rerank.factor(condition_case[0], "", condition_case[2]) > rerank.factor(condition_case[0], "", "有固定场所")
    # A fine: the article that sets the amount, not the one that only says it is punished.
    unpriced = rerank.factor(penalty_case[0], "", "依照有关法律的规定处以罚款")  # 罚款 in the sentence, no amount
    for priced in ("处二万元以上十万元以下罚款", "处5万元以上50万元以下的罚款", "处违法所得一倍以上三倍以下的罚款"):
        assert rerank.factor(penalty_case[0], "", priced) == pytest.approx(unpriced * (1 + w["questionType"])), priced
    assert rerank.factor(other_case[0], "", "处二万元以上十万元以下") == rerank.factor(other_case[0], "", "依法处理")
    in_chapter = rerank.factor(penalty_case[0], "第五章 法律责任", "处罚款")
    assert in_chapter == pytest.approx((1 + w["penalty"]) * rerank.factor(penalty_case[0], "第一章 总则", "处罚款"))
    assert rerank.factor(other_case[0], "第五章 法律责任", "无关") == pytest.approx(1 + w["nonPenalty"])
    # Proximity: both words in one sentence beat the same words in different sentences.
    assert rerank.factor(other_case[0], "", "燃气经营。") > rerank.factor(other_case[0], "", "燃气。经营。")
    assert rerank.factor(single[0], "", "燃气经营。") == 1.0  # one word: nothing to bring together


def test_ablated_mechanisms_weigh_nothing(monkeypatch):
    monkeypatch.setenv(ENV, "proximity,question_types,penalty_intent")
    assert not any(rerank.weights().values())
    assert all(rerank.factor(case[0], case[1], case[2]) == 1.0 for case in CASES)


@needs_node
def test_the_browser_computes_the_same_factors():
    """The same patterns and weights (shipped in the manifest), the same arithmetic."""
    config = rerank.manifest_config()
    cases = [{"parsed": {"text": p.text, "phrases": p.phrases,
                         "terms": [{"text": t.text, "weight": t.weight, "source": t.source} for t in p.terms]},
              "chapter": chapter, "text": text} for p, chapter, text in CASES]
    script = (f"const r = require({json.dumps(str(RANKING_JS))});"
              "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(input.cases.map(c => r.rerankFactor(c.parsed, c.chapter, c.text, input.config))));")
    out = subprocess.run(["node", "-e", script], input=json.dumps({"cases": cases, "config": config}),
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [rerank.factor(p, chapter, text) for p, chapter, text in CASES]
    assert len(set(json.loads(out))) >= 4  # the cases exercise different mechanisms


#: name -> (query, the article the mechanism lifts, the factor it gives that article).
QUERIES = {
    "question_types": ("燃气经营许可证 多久", "laws/燃气经营许可管理办法/#article-10", 1 + rerank.QUESTION_TYPE_WEIGHT),
    "penalty_intent": ("燃气经营许可证 罚款", "laws/燃气经营许可管理办法/#article-45", 1 + rerank.PENALTY_WEIGHT),
    "proximity": ("燃气经营许可证 统一印制", "laws/燃气经营许可管理办法/#article-8", 1 + rerank.PROXIMITY_WEIGHT),
}


def scores(ix: object, node: object, query: str) -> dict[str, float]:
    """url -> score of the top ten, after checking that both engines give the same ones in the same order."""
    whoosh = [(h.url, h.score) for h in search(ix, query, limit=10)]  # type: ignore[arg-type]
    browser = [(h["url"], round(h["score"], 4)) for h in node.query(query, 10)]  # type: ignore[attr-defined]
    assert [u for u, _ in browser] == [u for u, _ in whoosh], query
    for (_, a), (_, b) in zip(browser, whoosh, strict=True):
        assert a == pytest.approx(b, rel=1e-3), query  # impacts are stored rounded (impactScale)
    return dict(whoosh)


@needs_node
def test_both_engines_rerank_alike_and_each_mechanism_can_be_switched_off(docs, tmp_path, monkeypatch):
    ix, node = engines(docs, tmp_path / "on")
    try:
        on = {name: scores(ix, node, query) for name, (query, _url, _f) in QUERIES.items()}
    finally:
        node.close()
    for name, (query, url, lift) in QUERIES.items():
        assert next(iter(on[name])) == url, (name, on[name])
        monkeypatch.setenv(ENV, name)
        ix, node = engines(docs, tmp_path / name)
        try:
            off = scores(ix, node, query)
        finally:
            node.close()
        assert on[name][url] / off[url] == pytest.approx(lift, rel=1e-3), name
