"""Analysed text, counted once: the term counts both index writers need, by text.

The static index (BM25F impacts) and the whoosh index (postings, field lengths) analyse the
same fields of the same documents; a regulation's title and chapter headings repeat on every
article. :class:`TermCounts` runs the analyzer once per distinct text and hands both writers
the same counts. The kb plugin keeps one instance across `mkdocs serve` rebuilds, so a rebuild
analyses only the texts that changed; a different analyzer (new dictionary words, stopwords or
analyzer code) starts afresh, as its terms would differ.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from sys import intern
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb_tools.search.analyzer import Analyzer


@dataclasses.dataclass(frozen=True)
class TermChanges:
    """What a build in another process (the serve's index process) did to a :class:`TermCounts`:
    its analyzer's identity, the texts it analysed anew and the ones it forgot."""

    identity: str
    added: dict[str, list[tuple[str, int]]]
    dropped: list[str]


class TermCounts:
    """``text -> [(term, count)]`` of one analyzer, in first-occurrence order (as ``Counter`` gives)."""

    def __init__(self, *, remember: bool = True) -> None:
        #: Keep every text's counts (serve, and builds that share them between both writers);
        #: False keeps only the texts a caller marks (titles, chapters), for one-off large builds.
        self.remember = remember
        self.analyzer: Analyzer | None = None
        self.identity = ""
        self._memo: dict[str, list[tuple[str, int]]] = {}
        self._used: set[str] = set()

    def use(self, analyzer: Analyzer) -> TermCounts:
        """Count with ``analyzer`` from now on; forget everything when it tokenizes differently."""
        from kb_tools.search.whoosh_index import fingerprint  # the index's own notion of "same terms"

        identity = fingerprint(analyzer)
        if identity != self.identity:
            self._memo.clear()
            self.identity = identity
        self.analyzer = analyzer
        return self

    def counts(self, text: str, *, remember: bool = False) -> list[tuple[str, int]]:
        """The analyzer's terms of ``text`` with their frequencies (kept for the next caller when
        this instance remembers everything, or when ``remember`` says this text repeats)."""
        hit = self._memo.get(text)
        if hit is None:
            assert self.analyzer is not None, "TermCounts.use(analyzer) first"
            # Interned: the same term of a hundred thousand documents is one string, not one each
            # (at the 1,510-regulation scale the copies were most of the index process's memory).
            hit = [(intern(t), c) for t, c in Counter(self.analyzer.analyze(text)).items()]
            if not (self.remember or remember):
                return hit
            self._memo[text] = hit
        self._used.add(text)
        return hit

    def knows(self, text: str) -> bool:
        """Whether ``text`` was analysed already (no analyzer run needed)."""
        return text in self._memo

    def forget_unused(self) -> None:
        """Drop the texts no writer asked for since the last call (edited-away text): bounded memory."""
        for text in [t for t in self._memo if t not in self._used]:
            del self._memo[text]
        self._used = set()

    def changes_since(self, identity: str, keys: set[str]) -> TermChanges:
        """The changes since the state ``(identity, keys)`` (taken with :meth:`state_keys`)."""
        return TermChanges(self.identity, {t: c for t, c in self._memo.items() if t not in keys},
                           [t for t in keys if t not in self._memo])

    def state_keys(self) -> tuple[str, set[str]]:
        """The identity and the texts known now (what :meth:`changes_since` compares with)."""
        return self.identity, set(self._memo)

    def apply(self, changes: TermChanges) -> None:
        """Bring this instance to the other process's state (the analyzer object stays unset
        until the next :meth:`use`; counting always goes through ``use`` first)."""
        if changes.identity != self.identity:
            self._memo.clear()
            self.identity = changes.identity
        for text in changes.dropped:
            self._memo.pop(text, None)
        self._memo.update(changes.added)
        self._used = set()

    def __len__(self) -> int:
        return len(self._memo)
