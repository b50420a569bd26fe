"""清单: list kinds declared in YAML (``docs/lists/<name>/list.yaml``), with tables, pages and exports.

``load`` (corpus loader), ``generate`` (pages), ``export_files`` (CSV/.xlsx) and ``documents``
(search) are registered in ``kb_tools/features.py``; ``import_list`` backs ``kb import-list``.
The table, export and basis code here is also what the power list (``kb_tools/powers``) uses.
"""

from __future__ import annotations

from kb_tools.lists.export import export_files
from kb_tools.lists.loader import LISTS_DIR, load
from kb_tools.lists.model import Column, DeclaredList, Entry, ListSpec
from kb_tools.lists.pages import generate
from kb_tools.lists.search import documents
from kb_tools.lists.spreadsheet import ListImport, import_list

__all__ = [
    "LISTS_DIR",
    "Column",
    "DeclaredList",
    "Entry",
    "ListImport",
    "ListSpec",
    "documents",
    "export_files",
    "generate",
    "import_list",
    "load",
]
