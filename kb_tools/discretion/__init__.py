"""行政处罚裁量基准 and the 不予处罚/从轻/减轻 lists, as declared lists (``docs/lists/<name>/``).

The entries, their pages, table, exports, import and search documents are the list machinery's
(``kb_tools.lists``; the graded tiers are its ``tiers`` column type). This package adds what a
裁量基准 means beyond a table: ``check`` (a tier's fine inside the statutory range of its 处罚依据,
the basis amended since the standard's adoption), ``links`` (entries by article, for the 罚则 card,
power items and 新旧对照) and ``pages`` (the tiers beside the statutory range on an entry page).
"""

from __future__ import annotations

from kb_tools.discretion.checks import check
from kb_tools.discretion.links import entries_for_article, power_entries

__all__ = ["check", "entries_for_article", "power_entries"]
