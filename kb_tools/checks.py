"""`kb check`: every validation of the build, as a report, without building.

Runs the same loaders as the plugin (so the messages are identical) plus the checks that a
build only finds while rendering (citations), collected in ``CHECKS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kb_tools.corpus import Corpus, load_corpus
from kb_tools.frontmatter import as_date
from kb_tools.problems import ContentProblem, KbError

Check = Callable[[Corpus], list[ContentProblem]]
#: Checks beyond loading (citation resolution, …), run in order by :func:`check_docs`.
CHECKS: list[Check] = []


def check_docs(docs_dir: Path, status_date: str | None = None) -> list[ContentProblem]:
    """All problems in ``docs_dir``, sorted by file and line."""
    if not docs_dir.is_dir():
        raise KbError(f"文档目录 {docs_dir} 不存在。")
    from kb_tools.features import register

    register()
    date = as_date(status_date) if status_date else None
    corpus = load_corpus(docs_dir, date)
    problems = list(corpus.problems)
    for check in CHECKS:
        problems.extend(check(corpus))
    return sorted(problems, key=lambda p: (p.path, p.line))
