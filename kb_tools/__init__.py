"""kb_tools: the build tools of 法规知识库 (a MkDocs plugin and the `kb` command).

Public names are re-exported here; everything else is internal.
"""

from __future__ import annotations

from kb_tools.corpus import Corpus, load_corpus
from kb_tools.laws.model import Article, Division, Law
from kb_tools.model import GeneratedPage, Level, Status
from kb_tools.numerals import cn_to_int, int_to_cn
from kb_tools.problems import ContentProblem, KbError

__all__ = [
    "Article",
    "ContentProblem",
    "Corpus",
    "Division",
    "GeneratedPage",
    "KbError",
    "Law",
    "Level",
    "Status",
    "cn_to_int",
    "int_to_cn",
    "load_corpus",
]
