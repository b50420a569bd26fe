"""Wires each content kind into the corpus loaders, page generators and checks.

Feature modules import ``corpus``/``pages``/``checks`` (imports go one way), so those modules
cannot list them; this module does, and ``plugin.py`` and ``checks.py`` call :func:`register`.
Add one block per feature module, in the order their data depends on each other.
"""

from __future__ import annotations

from kb_tools import checks, corpus, pages

_registered = False


def register() -> None:
    """Register every feature once (idempotent: the plugin, `kb check` and tests all call it)."""
    global _registered
    if _registered:
        return
    _registered = True
    loaders: list[corpus.Loader] = []
    generators: list[pages.Generator] = []
    feature_checks: list[checks.Check] = []
    # Feature blocks go here, e.g.:
    #   from kb_tools import powers
    #   loaders.append(powers.load); generators.append(powers.generate); feature_checks.append(powers.check)
    # 学法计划 and 法治大讲堂: their loaders also report their problems (no regulation, missing focus
    # article, meeting outside its month, bad lecture front matter), so `kb check` lists them.
    from kb_tools import classroom, study

    loaders.append(study.load)
    generators.append(study.generate)
    pages.DATA_DIRS.append(study.STUDY_DIR)  # the plan's YAML is data, not a file of the site
    loaders.append(classroom.load)
    generators.append(classroom.generate)
    pages.FILE_GENERATORS.append(classroom.feed_files)  # classroom/feed.xml (Atom)
    # 权力清单 and 检查事项 (docs/powers/): the loader checks codes, types and legal bases and registers
    # each item with add_citing; pages, the filterable tables and the CSV/.xlsx exports.
    from kb_tools import powers

    loaders.append(powers.load)
    generators.append(powers.generate)
    pages.FILE_GENERATORS.append(powers.export_files)
    pages.DATA_DIRS.append(powers.POWERS_DIR)
    # Citations (after the features that register their own citing pages through add_citing):
    # the cited-by graph, citation problems for `kb check`, the 引用关系 and 新旧对照 pages.
    from kb_tools import citation_pages, cited_by, version_pages

    loaders.append(cited_by.load)
    feature_checks.append(cited_by.check)
    generators.append(citation_pages.generate)
    generators.append(version_pages.generate)
    corpus.LOADERS.extend(loaders)
    pages.GENERATORS.extend(generators)
    checks.CHECKS.extend(feature_checks)
