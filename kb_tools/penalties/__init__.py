"""罚则索引: the sanctions every article imposes, read from the texts (see ``extract``)."""

from __future__ import annotations

from kb_tools.penalties.extract import extract, find_violated, parse_fine
from kb_tools.penalties.model import KINDS, UNITS, PenaltyArticle, Sanction

__all__ = ["KINDS", "UNITS", "PenaltyArticle", "Sanction", "extract", "find_violated", "parse_fine"]
