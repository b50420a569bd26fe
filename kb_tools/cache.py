"""Source files read once per build, and what is derived from them kept while they do not change.

A build used to read each non-regulation page several times (the plugin's checks, the cited-by
scan, the search documents) and `mkdocs serve` re-parsed every regulation on every rebuild.
:class:`SourceCache` is handed to :func:`kb_tools.corpus.load_corpus` and lives on the corpus:

* :meth:`SourceCache.read` — a file's bytes, read from disk at most once per build;
* :meth:`SourceCache.document` — its text split into front matter and body (YAML parsed once
  per content, not per reader);
* :meth:`SourceCache.derived` — anything computed from a source's content (a parsed regulation,
  a page's search documents …), keyed by the caller with :func:`content_key` of what it reads.

The kb plugin keeps one instance across `mkdocs serve` rebuilds: :meth:`begin` starts a build
(bytes are read again, so an edited file has a new digest and misses), :meth:`end` drops what
the build did not ask for (deleted or edited-away content), so memory stays bounded by one
build's worth. A new instance per process (``mkdocs build``, ``kb check``) changes nothing but
the number of reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from kb_tools.frontmatter import Document
    from kb_tools.problems import ContentProblem

T = TypeVar("T")


def content_key(*parts: object) -> str:
    """A short, stable digest of ``parts`` (strings, bytes, numbers, tuples of them)."""
    h = hashlib.sha1()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class SourceCache:
    """Bytes per build, derived values across builds (see the module docstring)."""

    def __init__(self) -> None:
        self._bytes: dict[Path, tuple[bytes, str]] = {}
        self._derived: dict[tuple[str, str], object] = {}
        self._used: set[tuple[str, str]] = set()
        self.reads = 0
        self.hits = 0
        self.misses = 0

    def begin(self) -> None:
        """A new build: files are read from disk again (their content may have changed)."""
        self._bytes.clear()
        self.reads = self.hits = self.misses = 0

    def end(self) -> None:
        """Forget derived values this build did not use, and the bytes read."""
        for key in [k for k in self._derived if k not in self._used]:
            del self._derived[key]
        self._used = set()
        self._bytes.clear()

    def read(self, path: Path) -> bytes:
        """The bytes of ``path``, from disk the first time this build asks."""
        entry = self._bytes.get(path)
        if entry is None:
            data = path.read_bytes()
            self.reads += 1
            entry = self._bytes[path] = (data, hashlib.sha1(data).hexdigest())
        return entry[0]

    def digest(self, path: Path) -> str:
        """SHA-1 of the file's bytes as read this build."""
        self.read(path)
        return self._bytes[path][1]

    def derived(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """``make()``, or its earlier result for the same ``kind`` and ``key``.

        The value is shared between builds: callers treat it as read-only.
        """
        full = (kind, key)
        self._used.add(full)
        if full in self._derived:
            self.hits += 1
            return self._derived[full]  # type: ignore[return-value]  # stored by make() of the same kind
        self.misses += 1
        value = self._derived[full] = make()
        return value

    def derived_while(self, kind: str, key: str, valid: Callable[[T], bool], make: Callable[[], T]) -> T:
        """:meth:`derived`, made again when the earlier result is no longer ``valid`` (for values
        whose dependencies are only known once they are made)."""
        full = (kind, key)
        if full in self._derived and not valid(self._derived[full]):  # type: ignore[arg-type]  # stored by make() of the same kind
            del self._derived[full]
        return self.derived(kind, key, make)

    def text(self, path: Path, display: str) -> tuple[str | None, ContentProblem | None]:
        """:func:`kb_tools.frontmatter.read_text`, from this build's bytes."""
        from kb_tools.frontmatter import decode_source

        data = self.read(path)
        return self.derived("text", content_key(display, self.digest(path)), lambda: decode_source(data, display))

    def document(self, path: Path, display: str) -> tuple[Document | None, ContentProblem | None]:
        """:func:`kb_tools.frontmatter.load_document`, parsed once per content (read-only result)."""
        from kb_tools.frontmatter import split_front_matter

        def make() -> tuple[Document | None, ContentProblem | None]:
            text, problem = self.text(path, display)
            return (None, problem) if text is None else split_front_matter(text, display)

        return self.derived("document", content_key(display, self.digest(path)), make)
