"""The switchable search mechanisms, so that a maintainer can measure each one off.

Every mechanism that bridges the user's words to the statute's is named here. All are on by
default; ``kb eval --ablate NAME`` (or the environment variable ``KB_SEARCH_ABLATE=a,b``, which
child processes inherit) turns some off for one run. Both engines read the same switches: the
whoosh engine at query time and when its index is built, the static engine when its index is
written (the switches travel in ``manifest.json``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

#: name -> what it does (shown by ``kb eval --help``).
MECHANISMS: dict[str, str] = {
    "synonyms": "同义词表扩展（kb_tools/data/synonyms.txt、docs/search/synonyms.txt）",
    "definitions": "从条文中提取的定义与简称（本法所称X，是指Y；X（以下简称Y））双向扩展",
    "chapters": "条文所在的编、章、节标题（法律责任、申请与受理……）作为低权重字段",
    "anchors": "局内页面（讲堂、学法计划、权力事项、检查事项等）引用条文处的上下文，作为被引条文的低权重字段",
    "bigrams": "词匹配太少时，按查询的相邻二字回退检索",
    "questions": "去掉疑问词（什么、怎么办、多少……）",
    "article_numbers": ("条号引用而法规名称没有识别出来时：简称中的字按顺序出现在法规名称里的"
                        "（复议法 第二十条、物业条例 第十一条），该法规的该条直达；"
                        "否则（行诉法解释 第一条）检索词最匹配的法规的该条排在该法规最前"),
    "proximity": "二次排序：查询的词出现在条文的同一句话里的越多越靠前",
    "question_types": ("二次排序：问期限（多久、几日）的优先给出规定期限的条文，问条件的优先给出列出条件的条文，"
                       "问罚款的优先给出规定罚款数额的条文"),
    "diversity": "前 5 条中同一法规最多 4 条，第 5 位留给前 10 条中另一部法规最好的一条（国家与本省的规定常常都回答）",
    "penalty_intent": "二次排序：问处罚（罚款、怎么罚）的优先给出法律责任章的条文，其他问题稍后给出",
}
ENV = "KB_SEARCH_ABLATE"


def ablated() -> frozenset[str]:
    """The mechanisms switched off for this process."""
    return frozenset(n.strip() for n in os.environ.get(ENV, "").split(",") if n.strip())


def enabled(name: str) -> bool:
    """Whether a mechanism is on (every one is, unless ablated)."""
    return name not in ablated()


def ablate(names: Iterable[str]) -> None:
    """Switch mechanisms off for this process and its children; unknown names raise ValueError."""
    names = [n.strip() for n in names if n.strip()]
    unknown = [n for n in names if n not in MECHANISMS]
    if unknown:
        raise ValueError(f"未知的检索机制：{'、'.join(unknown)}；可用的有：{'、'.join(MECHANISMS)}。")
    os.environ[ENV] = ",".join(sorted(ablated() | set(names)))
