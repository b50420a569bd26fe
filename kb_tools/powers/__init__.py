"""权力清单与检查事项: the bureau's powers and inspection items, each tied to the articles that ground it.

``load`` (corpus loader), ``generate`` (pages) and ``export_files`` (CSV/.xlsx downloads) are
registered in ``kb_tools/features.py``; ``import_powers`` backs ``kb import-powers``.
"""

from __future__ import annotations

from kb_tools.powers.export import export_files
from kb_tools.powers.loader import POWERS_DIR, load
from kb_tools.powers.model import InspectionItem, LegalBasis, PowerItem, PowerList, PowerType
from kb_tools.powers.pages import generate
from kb_tools.powers.spreadsheet import ImportResult, import_powers

__all__ = [
    "POWERS_DIR",
    "ImportResult",
    "InspectionItem",
    "LegalBasis",
    "PowerItem",
    "PowerList",
    "PowerType",
    "export_files",
    "generate",
    "import_powers",
    "load",
]
