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
    # 权力清单 and 检查事项 (docs/powers/): the loader checks codes, types and legal bases and registers
    # each item with add_citing; pages, the filterable tables and the CSV/.xlsx exports.
    from kb_tools import powers

    loaders.append(powers.load)
    generators.append(powers.generate)
    pages.FILE_GENERATORS.append(powers.export_files)
    pages.DATA_DIRS.append(powers.POWERS_DIR)
    corpus.LOADERS.extend(loaders)
    pages.GENERATORS.extend(generators)
    checks.CHECKS.extend(feature_checks)
