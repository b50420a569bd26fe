"""Regenerate ``tokenize_vectors.json``: inputs and what the Python analyzer makes of them.

Run after any change to kb_tools/search/analyzer.py or its word lists:

    .venv/bin/python tests/data/make_tokenize_vectors.py

The same file is checked by tests/test_tokenize_parity.py (Python) and
tests/js/tokenize.test.mjs (the browser engine under Node), so both languages agree with
one recorded truth.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from kb_tools.search.analyzer import default_analyzer
from kb_tools.search.static_index import synonym_terms

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = HERE / "tokenize_vectors.json"

EDGE_CASES = [
    "",
    "   ",
    "施工许可证要什么条件",
    "城乡规划法 64条",
    "《建筑法》第八条",
    "开发商预售商品房要满足哪些条件",
    "什么",
    "怎么办？",
    "ＡＢＣ１２３　《建筑法》ｘｙｚ",
    "GB50016-2014 建筑设计防火规范 ISO9001:2015",
    "a.b_c%d-e+f#g&h 100%",
    "浙政发〔2024〕1号",
    "第一百一十四条之一",
    "二十日内 15日 三个月 二〇一九年 一万元 三万元罚款 多少天",
    "2019年4月23日修正",
    "Hello World 你好世界",
    "line1\r\nline2\nline3\tend",
    "\u00a0不间断\u2003空格\u3000全角",
    "👪 PS: 我觉得开源有一个好处",
    "𠀀𠀁 扩展B区汉字",
    "Ｃ＃程序员和c#",
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "住宅专项维修资金的使用",
    "违章建筑 违建 违法建设",
    "物业公司撤场 资料和物业用房怎么交接",
    "ÀÉÎÕÜ àéîõü Straße",
    "①②③ ½ Ⅻ",
]


def corpus_lines(count: int, seed: int = 7) -> list[str]:
    lines: list[str] = []
    for path in sorted((REPO / "docs" / "laws").glob("*.md")):
        lines.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return random.Random(seed).sample(lines, min(count, len(lines)))


def dev_queries() -> list[str]:
    path = REPO.parent / "shared" / "eval" / "queries-dev.tsv"
    if not path.is_file():
        return []
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return [row.split("\t")[1] for row in rows if row.count("\t") >= 2]


def main() -> None:
    analyzer = default_analyzer()
    inputs = EDGE_CASES + dev_queries() + corpus_lines(250)
    vectors = []
    for text in inputs:
        vectors.append({
            "input": text,
            "tokens": [[t.text, t.startchar, t.endchar] for t in analyzer.tokenize(text)],
            "query": [[q.text, q.weight, q.source, q.whole] for q in analyzer.query_tokens(text)],
        })
    data = {
        "about": "Inputs and the tokens kb_tools/search/analyzer.py (default_analyzer) makes of them; "
                 "regenerate with tests/data/make_tokenize_vectors.py.",
        "dictionary_entries": analyzer.dictionary_entries(),
        "stopwords": sorted(analyzer.stopwords),
        "question_words": sorted(analyzer.question_words),
        "synonyms": {
            w: [synonym_terms(analyzer, f) for f in formal] for w, formal in sorted(analyzer.synonyms.items())
        },
        "vectors": vectors,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
