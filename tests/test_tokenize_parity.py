"""The browser must cut text exactly as the build does.

Two proofs: the shared vectors (``tests/data/tokenize_vectors.json``) still match the Python
analyzer (the JavaScript test ``tests/js/tokenize.test.mjs`` checks the browser engine against the
same file), and the Python twin of the browser's algorithm (``kb_tools.search.segmenter``) agrees
with rjieba on every line of the corpus.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import rjieba

from kb_tools.search.analyzer import default_analyzer
from kb_tools.search.segmenter import Segmenter
from kb_tools.search.static_index import analyzer_segmenter

from .conftest import CORPUS, REPO

VECTORS = Path(__file__).parent / "data" / "tokenize_vectors.json"


@pytest.fixture(scope="module")
def vectors() -> dict:
    return json.loads(VECTORS.read_text(encoding="utf-8"))


def corpus_lines() -> list[str]:
    paths = sorted((REPO / "docs" / "laws").glob("*.md")) + sorted((CORPUS / "laws").glob("*.md"))
    lines = [line for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return random.Random(3).sample(lines, min(6000, len(lines)))


def test_vectors_match_the_python_analyzer(vectors):
    analyzer = default_analyzer()
    assert vectors["dictionary_entries"] == [list(e) for e in analyzer.dictionary_entries()], (
        "analyzer word lists changed: run tests/data/make_tokenize_vectors.py"
    )
    assert len(vectors["vectors"]) > 250
    for case in vectors["vectors"]:
        tokens = [[t.text, t.startchar, t.endchar] for t in analyzer.tokenize(case["input"])]
        assert tokens == case["tokens"], case["input"]
        query = [[q.text, q.weight, q.source, q.whole] for q in analyzer.query_tokens(case["input"])]
        assert query == case["query"], case["input"]


def test_vectors_cover_the_hard_cases(vectors):
    tokens = {case["input"]: [t[0] for t in case["tokens"]] for case in vectors["vectors"]}
    assert tokens["ＡＢＣ１２３　《建筑法》ｘｙｚ"][0] == "abc123"
    assert tokens["什么"] == ["什么"]  # a question word alone is kept
    assert "script" in tokens["<script>alert(1)</script><img src=x onerror=alert(2)>"]
    assert any("\U00020000" in t for t in tokens["𠀀𠀁 扩展B区汉字"])


def test_python_twin_matches_rjieba_with_default_dictionary():
    twin = Segmenter()
    for line in corpus_lines():
        assert twin.cut_for_search(line) == rjieba.cut_for_search(line, False), line


def test_python_twin_matches_the_analyzer_dictionary():
    analyzer = default_analyzer()
    twin = analyzer_segmenter(analyzer)
    for line in corpus_lines()[:3000]:
        expected = [w for w, _s, _e in analyzer._jieba.tokenize(line, "search", False)]
        assert twin.cut_for_search(line) == expected, line


@pytest.mark.parametrize("text", ["abc网球拍卖会def", "x\r\ny  z", "１２３ｂ超", "c#和AT&T", "第64条之1", ""])
def test_python_twin_on_mixed_scripts(text):
    assert Segmenter().cut_for_search(text) == rjieba.cut_for_search(text, False)


def test_add_word_without_frequency_matches_rjieba():
    jieba, twin = rjieba.Jieba(), Segmenter()
    for word in ["住宅专项维修资金", "首违不罚", "双随机一公开", "建设工程规划许可证"]:
        assert twin.add_word(word) == jieba.add_word(word, None, None)
    line = "住宅专项维修资金和首违不罚以及双随机一公开"
    assert twin.cut_for_search(line) == jieba.cut_for_search(line, False)
