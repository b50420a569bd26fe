"""`kb check`: every validation of the build, as a report, without building.

Runs the same features as the plugin, through the same function (:func:`validate`), so the
messages are identical and a check that fails `kb check` fails `mkdocs build --strict` too.
"""

from __future__ import annotations

from pathlib import Path

from kb_tools.corpus import Corpus, SiteOptions, feature_problems, load_corpus
from kb_tools.features import default_features
from kb_tools.frontmatter import as_date
from kb_tools.problems import ContentProblem, KbError


def validate(corpus: Corpus) -> list[ContentProblem]:
    """Every problem of a loaded corpus: loading problems and the features' checks, sorted."""
    problems = [*corpus.problems, *feature_problems(corpus)]
    return sorted(problems, key=lambda p: (p.path, p.line))


def check_docs(docs_dir: Path, status_date: str | None = None,
               options: SiteOptions | None = None) -> list[ContentProblem]:
    """All problems in ``docs_dir``, sorted by file and line (``options``: the site's plugin options)."""
    if not docs_dir.is_dir():
        raise KbError(f"文档目录 {docs_dir} 不存在。")
    date = as_date(status_date) if status_date else None
    return validate(load_corpus(docs_dir, date, features=default_features(), options=options))
