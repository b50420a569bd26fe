"""The static index's files of the previous build, kept across the rebuilds of one ``mkdocs serve``.

``mkdocs serve`` empties its site directory before every livereload rebuild, so the ~3,400
files of ``search/kb/`` were written again although an edit of one page changes a handful of
them. The kb plugin lives across those rebuilds and keeps a :class:`ShardStore`: the bytes each
file had last time, in memory, and one copy of each file in a folder beside the site directory
(outside it, so the emptying does not reach it). A file whose bytes did not change is
hard-linked from that folder into the new index instead of being written; a changed one is
written into the index and linked into the folder (replacing the old link, never writing over
a file an older site may share). Where a link is refused (another filesystem, a filesystem without links) the store
gives up linking and every file is written, as without a store.

The comparison is on the bytes the build computed, never on times or sizes, so a rebuild's
index is the one a fresh build writes (``tests/test_rebuild.py``).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb_tools.search.impacts import ImpactMemo
    from kb_tools.search.static_index import Layout


@dataclasses.dataclass(frozen=True)
class StoreState:
    """Everything a :class:`ShardStore` knows, to hand it from the serve's index process back to
    the plugin (the folder on disk is shared; this is its description)."""

    folder: Path | None
    previous: dict[str, bytes]
    linking: bool
    folders: set[Path]
    reused: int
    written: int
    dictionary: tuple[object, object] | None
    memo: tuple[ImpactMemo, Layout] | None = None


class ShardStore:
    """The previous build's index files: ``{relative path: bytes}`` plus their copies on disk."""

    def __init__(self) -> None:
        #: The folder's name: fixed here, so that the serve's index process (another pid) uses it too.
        self.name = f".kb-index-store-{os.getpid()}-{id(self):x}"
        self.folder: Path | None = None
        self.previous: dict[str, bytes] = {}
        self.current: dict[str, bytes] = {}
        self.linking = True
        self.folders: set[Path] = set()
        #: Files linked unchanged / written in the last build (logged by the plugin).
        self.reused = 0
        self.written = 0
        #: ``(entries, shards)`` of the last analyzer's dictionary (its extra words rarely change).
        self.dictionary: tuple[object, object] | None = None
        #: ``(ImpactMemo, Layout)`` of the files in the folder (see :mod:`kb_tools.search.impacts`):
        #: set by the static index writer when it has written every file, None otherwise.
        self.memo: tuple[ImpactMemo, Layout] | None = None

    def begin(self, site_dir: Path) -> None:
        """Start a build whose index goes below ``site_dir``: the folder sits beside it."""
        folder = site_dir.resolve().parent / self.name
        if folder != self.folder:  # another site directory: nothing of the old one applies
            self.close()
            folder.mkdir(parents=True, exist_ok=True)
            self.folder = folder
        self.current = {}
        self.reused = self.written = 0

    def place(self, rel: str, raw: bytes, target: Path) -> None:
        """Put ``raw`` at ``target`` (the file ``rel`` of the index being written)."""
        self.current[rel] = raw
        if self.folder is None or not self.linking:
            target.write_bytes(raw)
            self.written += 1
            return
        kept = self.folder / rel
        if self.previous.get(rel) == raw:
            try:
                os.link(kept, target)
                self.reused += 1
                return
            except OSError:
                pass  # removed from under us: write it again below
        target.write_bytes(raw)
        self.written += 1
        self.previous.pop(rel, None)  # the folder's copy is stale from here on
        kept.unlink(missing_ok=True)  # not written over: an older site may share its inode
        if rel.count("/") and kept.parent not in self.folders:
            kept.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(kept.parent)
        try:
            os.link(target, kept)
        except OSError:
            self.linking = False  # another filesystem: write every file from now on
            return
        self.previous[rel] = raw  # what the folder holds now, even if this build fails later

    def end(self) -> None:
        """The build's files become the previous ones (files no longer in the index are dropped)."""
        if self.folder is not None:
            for rel in self.previous.keys() - self.current.keys():
                (self.folder / rel).unlink(missing_ok=True)
        self.previous, self.current = self.current, {}

    def state(self) -> StoreState:
        """What this store knows (see :meth:`restore`)."""
        return StoreState(self.folder, self.previous, self.linking, self.folders, self.reused, self.written,
                          self.dictionary, self.memo)

    def restore(self, state: StoreState) -> None:
        """Take over the state another process left this store's folder in."""
        self.folder, self.previous, self.linking = state.folder, state.previous, state.linking
        self.folders, self.reused, self.written = state.folders, state.reused, state.written
        self.dictionary = state.dictionary
        self.memo = state.memo
        self.current = {}

    def close(self) -> None:
        """Remove the folder (``mkdocs serve`` stopped, or the site directory moved)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
        self.previous = {}
        self.folders = set()
        self.linking = True
        self.memo = None
