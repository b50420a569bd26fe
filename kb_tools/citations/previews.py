"""Article previews for citation links: one small JSON file per regulation text.

A citation link (``a.kb-cite``) shows the cited article on hover, focus or a first tap (kb.js).
The site is served on an intranet and often opened offline, so the text comes from files the
build writes beside the pages, ``assets/kb/articles/<page name>.json`` (an older text:
``assets/kb/articles/<page name>/<date>.json``), fetched only when a reader first points at a
link to that regulation. Each holds the title, the status on the build date and the first lines
of every article, so a file stays small even for a long code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Law

#: Where the files go below the site (kb.js builds the same path from a link's target).
PREVIEW_DIR = "assets/kb/articles"
#: Characters of an article kept for its preview: a few lines of the tooltip.
PREVIEW_CHARS = 160


def preview_path(law: Law) -> str:
    """``assets/kb/articles/建筑法.json``; ``…/行政复议法/2017-09-01.json`` for an older text."""
    return f"{PREVIEW_DIR}/{law.slug}.json"


def _excerpt(paragraphs: Iterable[str]) -> str:
    text = "\n".join(p.strip() for p in paragraphs)
    return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS].rstrip() + "……"


def preview_data(corpus: Corpus, law: Law) -> dict[str, object]:
    """The JSON object of one text: title, status, article count and each article's first lines."""
    status = corpus.status(law)
    return {
        "title": law.title,
        "version": law.version_date.isoformat() if law.version_of and law.version_date else "",
        "status": status.value,
        "status_class": status.css_class,
        "count": len(law.articles),
        "articles": {a.anchor: {"label": a.label, "text": _excerpt(a.paragraphs)} for a in law.articles},
    }


def preview_files(corpus: Corpus) -> list[tuple[str, bytes]]:
    """File generator: one preview file per regulation text on the site (current and older)."""
    return [
        (preview_path(law), json.dumps(preview_data(corpus, law), ensure_ascii=False,
                                       separators=(",", ":")).encode("utf-8"))
        for law in corpus.laws.values()
    ]
