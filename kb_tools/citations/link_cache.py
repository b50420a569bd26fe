"""Citation links of unchanged pages, kept across the rebuilds of one ``mkdocs serve``.

:func:`~kb_tools.citations.resolver.link_citations` scans every text node of every page on every
rebuild, about a tenth of a rebuild after one edit. Its output depends on the page's HTML and
settings (base path, date, the regulation or policy the page shows) and on what the corpus says
about citation targets: names and aliases, URLs, statuses, article anchors and labels, version
chains, and, for regulations with versions, the article texts (revision alerts compare them;
an unversioned target's wording and paragraph count are never read: 第N款 is kept as written).

:class:`Targets` condenses that second part per build into one hash of what every page reads
(the date, the name table, the policies) and one hash per regulation. A page's links are kept
with the regulations they resolved to (and the page's own), widened to their version families;
they are reused while the page, the common hash and those regulations' hashes are the same. So
editing a lecture, or one regulation's wording — even of a regulation with versions, which
changes its hash — relinks only the pages that cite it (at the 1,510-regulation scale, editing
such a regulation used to relink all 3,000 pages: some 13 s of a rebuild). A name added or
changed relinks every page (conservative: a stale link is worse than a slow rebuild). Cited-by
lists are not links and are recomputed always.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb_tools.citations.resolver import Citation
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Law
    from kb_tools.policies.model import Policy


@dataclass(frozen=True)
class Targets:
    """What resolving citations reads of one build's corpus, hashed (see the module docstring)."""

    #: The date, every name and alias with its regulation, ambiguous names, every policy.
    common: str
    #: slug -> hash of what a citation of that regulation reads of it.
    laws: dict[str, str]
    #: slug -> the slugs of its version family (current text, older texts, successor).
    families: dict[str, frozenset[str]]

    def depends(self, cited: Iterable[str]) -> tuple[str, ...]:
        """The regulations a result that resolved to ``cited`` depends on, in a stable order."""
        out: set[str] = set()
        for slug in cited:
            out |= self.families.get(slug, frozenset((slug,)))
        return tuple(sorted(out))

    def stamp(self, depends: tuple[str, ...]) -> str:
        """One hash of the common part and of the regulations ``depends`` (a removed one counts)."""
        digest = hashlib.sha1(self.common.encode())
        for slug in depends:
            digest.update(f"\0{slug}\0{self.laws.get(slug, '-')}".encode())
        return digest.hexdigest()


def cited_slugs(citations: Iterable[Citation], current: Law | None = None) -> set[str]:
    """The regulations ``citations`` resolved to, and the page's own."""
    out = {c.law.slug for c in citations if c.law is not None}
    if current is not None:
        out.add(current.slug)
    return out


def targets_of(corpus: Corpus) -> Targets:
    """The :class:`Targets` of ``corpus`` (computed once per build: ``corpus.citations.targets``)."""
    if corpus.citations.targets is not None:
        return corpus.citations.targets
    laws: dict[str, str] = {}
    edges: dict[str, set[str]] = {slug: {slug} for slug in corpus.laws}
    for slug, law in corpus.laws.items():
        versioned = bool(law.versions) or law.version_of is not None
        articles = tuple((a.key, a.anchor, a.label, tuple(a.paragraphs) if versioned else ())
                         for a in law.articles)
        parts = (slug, law.url, law.title, tuple(law.names), law.status(corpus.today).value, law.effective,
                 law.version_date, law.version_of, law.successor, law.superseded_on,
                 tuple(v.slug for v in law.versions), len(law.preamble), articles)
        laws[slug] = hashlib.sha1(repr(parts).encode()).hexdigest()
        related = [v.slug for v in law.versions]
        if law.version_of:
            related.append(law.version_of)
        successor = corpus.by_name(law.successor) if law.successor else None
        if successor is not None:
            related.append(successor.slug)
        for other in related:
            if other in edges:
                edges[slug].add(other)
                edges[other].add(slug)
    families: dict[str, frozenset[str]] = {}
    for slug in edges:  # connected components: a family is small, a walk each is cheap
        if slug in families:
            continue
        seen, todo = {slug}, [slug]
        while todo:
            for other in edges[todo.pop()]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        family = frozenset(seen)
        for member in family:
            families[member] = family
    common = hashlib.sha1(repr(corpus.today).encode())
    names = sorted((name, law.slug) for name, law in corpus._names().items())
    common.update(repr((names, sorted(corpus.ambiguous_names().items()))).encode())
    for slug in sorted(corpus.policies):
        common.update(repr(corpus.policies[slug]).encode())  # a policy edit relinks every page
    targets = Targets(common.hexdigest(), laws, families)
    corpus.citations.targets = targets
    return targets


class LinkCache:
    """``{page: (key, regulations it depends on, their stamp, linked HTML)}``: the latest link
    result of each page."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, tuple[str, ...], str, str]] = {}
        self.targets: Targets | None = None
        self.hits = 0
        self.misses = 0
        #: Pages linked anew in this build (the tests check which).
        self.relinked: set[str] = set()

    def begin(self, corpus: Corpus) -> None:
        """Start a build: hash its citation targets once."""
        self.targets = targets_of(corpus)
        self.hits = self.misses = 0
        self.relinked = set()

    def key(self, html: str, *, base: str, current: Law | None, on: dt.date | None,
            policy: Policy | None) -> str:
        """Everything a page's links depend on but the regulations they resolve to."""
        assert self.targets is not None, "LinkCache.begin(corpus) first"
        setting = repr((base, current.slug if current else None, on, policy.slug if policy else None))
        return hashlib.sha1(f"{self.targets.common}\0{setting}\0{html}".encode()).hexdigest()

    def get(self, page: str, key: str) -> str | None:
        """The linked HTML of ``page`` when it was linked with the same key last time and none of
        the regulations it resolved to changed since."""
        assert self.targets is not None, "LinkCache.begin(corpus) first"
        kept = self.pages.get(page)
        if kept is not None and kept[0] == key and self.targets.stamp(kept[1]) == kept[2]:
            self.hits += 1
            return kept[3]
        self.misses += 1
        self.relinked.add(page)
        return None

    def put(self, page: str, key: str, html: str, found: Iterable[Citation], current: Law | None) -> None:
        """Remember the linked HTML of ``page`` and what it resolved to (the previous one is dropped)."""
        assert self.targets is not None, "LinkCache.begin(corpus) first"
        depends = self.targets.depends(cited_slugs(found, current))
        self.pages[page] = (key, depends, self.targets.stamp(depends), html)
