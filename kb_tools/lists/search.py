"""Search documents of declared lists: one per entry, so a query finds the entry page itself.

The table pages are left out of the section index (a thousand rows in one section would match
every query); each entry becomes one document of category 清单 with every column's text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kb_tools.lists.model import ColumnType
from kb_tools.search.documents import SECTION, STANDARD, SearchDoc, page_url, text_documents

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

#: The category of list entries in search results and facets.
CATEGORY = "清单"


def documents(corpus: Corpus) -> Iterable[SearchDoc]:
    """One search document per entry of every declared list, plus the lists' overview page."""
    from kb_tools.lists.pages import INDEX, index_markdown

    if not corpus.lists:
        return
    yield from text_documents(index_markdown(corpus), INDEX, public_only=corpus.public_only)
    for dlist in corpus.lists.values():
        for entry in dlist.entries:
            url = page_url(entry.src_uri)
            parts = [f"{c.label}：{entry.text(c.key)}" for c in dlist.spec.columns
                     if entry.text(c.key) and c.type is not ColumnType.TIERS]
            if dlist.spec.tier_columns:
                from kb_tools.discretion.search import entry_terms  # 裁量基准 builds on the lists, not back

                parts.append(entry_terms(entry, corpus))
            kind = STANDARD if dlist.spec.tier_columns else SECTION  # 裁量基准 entries rank near articles
            yield SearchDoc(id=url, kind=kind, page=entry.src_uri, title=entry.title, url=url,
                            text="\n".join(parts), chapter=dlist.spec.title, category=CATEGORY,
                            doc_number=entry.code)
