"""罚则索引: the sanctions every article imposes, read from the texts (see ``extract``).

``load`` (corpus loader), ``generate`` (the ``laws/penalties/`` page), ``export_files`` (CSV, .xlsx,
JSON) and ``article_terms`` (words for the search documents) are the penalties ``Feature`` in
``kb_tools/features.py``; ``decorate_law_html`` adds the cards to regulation pages.
"""

from __future__ import annotations

from kb_tools.penalties.export import export_files
from kb_tools.penalties.extract import extract, find_violated, parse_fine
from kb_tools.penalties.loader import load
from kb_tools.penalties.model import KINDS, UNITS, PenaltyArticle, PenaltyIndex, Sanction
from kb_tools.penalties.pages import article_terms, decorate_law_html, generate

__all__ = [
    "KINDS",
    "UNITS",
    "PenaltyArticle",
    "PenaltyIndex",
    "Sanction",
    "article_terms",
    "decorate_law_html",
    "export_files",
    "extract",
    "find_violated",
    "generate",
    "load",
    "parse_fine",
]
