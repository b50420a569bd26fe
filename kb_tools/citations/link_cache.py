"""Citation links of unchanged pages, kept across the rebuilds of one ``mkdocs serve``.

:func:`~kb_tools.citations.resolver.link_citations` scans every text node of every page on every
rebuild, about a tenth of a rebuild after one edit. Its output depends on the page's HTML and
settings (base path, date, the regulation or policy the page shows) and on what the corpus says
about citation targets: names and aliases, URLs, statuses, article anchors and labels, version
chains, and, for regulations with versions, the article texts (revision alerts compare them;
an unversioned target's wording and paragraph count are never read: 第N款 is kept as written).
:func:`targets_fingerprint` condenses that second part into one hash per build, so editing a
lecture, or a regulation's wording without changing its articles, names or status, reuses
every other page's links; any change to a target relinks every page (conservative: a stale
link is worse than a slow rebuild). Cited-by lists are not links and are recomputed always.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Law
    from kb_tools.policies.model import Policy


def targets_fingerprint(corpus: Corpus) -> str:
    """A hash of everything :func:`link_citations` reads from the corpus besides the page."""
    digest = hashlib.sha1(repr(corpus.today).encode())
    for slug in sorted(corpus.laws):
        law = corpus.laws[slug]
        versioned = bool(law.versions) or law.version_of is not None
        articles = tuple((a.key, a.anchor, a.label, tuple(a.paragraphs) if versioned else ())
                         for a in law.articles)
        parts = (slug, law.url, law.title, tuple(law.names), law.status(corpus.today).value, law.effective,
                 law.version_date, law.version_of, law.successor, law.superseded_on,
                 tuple(v.slug for v in law.versions), len(law.preamble), articles)
        digest.update(repr(parts).encode())
    names = sorted((name, law.slug) for name, law in corpus._names().items())
    digest.update(repr((names, sorted(corpus.ambiguous_names().items()))).encode())
    for slug in sorted(corpus.policies):
        digest.update(repr(corpus.policies[slug]).encode())  # a policy edit relinks every page
    return digest.hexdigest()


class LinkCache:
    """``{page: (key, linked HTML)}``: the latest link result of each page."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str]] = {}
        self.fingerprint = ""
        self.hits = 0
        self.misses = 0

    def begin(self, corpus: Corpus) -> None:
        """Start a build: fingerprint its citation targets once."""
        self.fingerprint = targets_fingerprint(corpus)
        self.hits = self.misses = 0

    def key(self, html: str, *, base: str, current: Law | None, on: dt.date | None,
            policy: Policy | None) -> str:
        """Everything a page's links depend on."""
        setting = repr((base, current.slug if current else None, on, policy.slug if policy else None))
        return hashlib.sha1(f"{self.fingerprint}\0{setting}\0{html}".encode()).hexdigest()

    def get(self, page: str, key: str) -> str | None:
        """The linked HTML of ``page`` when it was linked with the same key last time."""
        kept = self.pages.get(page)
        if kept is not None and kept[0] == key:
            self.hits += 1
            return kept[1]
        self.misses += 1
        return None

    def put(self, page: str, key: str, html: str) -> None:
        """Remember the linked HTML of ``page`` (the previous one is dropped)."""
        self.pages[page] = (key, html)
