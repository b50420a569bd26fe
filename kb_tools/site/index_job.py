"""The search indexes of a ``mkdocs build``, written by a forked process while the pages render.

Why: both indexes (the static shards and the whoosh index, each with its ``.gz`` files) depend
only on the corpus, which is complete at the end of ``on_files``; written after the last page
they were a third of a full build, with the second core idle. A forked child shares the parsed
corpus copy-on-write, so nothing is read or parsed twice, and it writes while the parent renders.

The child writes the static index into a scratch folder beside the site directory (MkDocs
empties ``site_dir`` after ``on_files``) and the whoosh index as usual; ``on_post_build`` waits
for it and moves the static index in. What the child logs is sent back and logged again by the
parent, so a warning still fails ``--strict``. Where ``fork`` does not exist, the plugin writes
the indexes itself after the build, as before.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import shutil
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.problems import KbError
from kb_tools.search.documents import search_documents
from kb_tools.search.generations import current_generation, discard_build
from kb_tools.search.paths import INDEX_DIR
from kb_tools.search.terms import TermCounts
from kb_tools.site.precompress import PrecompressStats, precompress_site
from kb_tools.site.staging import remove_dead_folders

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from kb_tools.corpus import Corpus
    from kb_tools.search.shard_store import ShardStore, StoreState
    from kb_tools.search.static_index import StaticIndexStats
    from kb_tools.search.terms import TermChanges
    from kb_tools.search.whoosh_index import BuildStats

#: Above this many search documents a one-off build keeps no text's term counts for the whoosh
#: writer (at the scale site they cost more memory than the time they save).
SHARED_TERMS_MAX_DOCS = 20_000


#: The child's scratch folder, beside the site directory: ``.kb-index-job-<pid of the build>``.
SCRATCH_PREFIX = ".kb-index-job-"


@dataclasses.dataclass(frozen=True)
class IndexResult:
    """What the child wrote, and what it logged (``(logger name, level, message)``); in
    ``mkdocs serve`` also what it did to the plugin's term counts and shard store."""

    static: StaticIndexStats
    whoosh: BuildStats
    packed: PrecompressStats | None
    records: list[tuple[str, int, str]]
    terms: TermChanges | None = None
    store: StoreState | None = None


def can_fork() -> bool:
    """Whether this platform can run the job (Linux and the BSDs; not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def warm_analyzer(corpus: Corpus) -> None:
    """Build the corpus's analyzer in this process (`mkdocs serve`): the analyzer cache keeps it,
    and every rebuild's child inherits it instead of loading jieba's dictionary again."""
    from kb_tools.search.analyzer import analyzer_for_corpus

    analyzer_for_corpus(corpus)


def write_indexes(corpus: Corpus, site_dir: Path, index_dir: Path, *, commit: bool, precompress: bool,
                  terms: TermCounts | None = None, store: ShardStore | None = None,
                  ) -> tuple[StaticIndexStats, BuildStats, PrecompressStats | None]:
    """Both indexes from the same documents and one analysis of their texts (in any process).

    ``terms`` and ``store``: what `mkdocs serve` keeps across rebuilds (texts analysed before,
    the previous index files); a one-off build passes neither. The writers (jieba, whoosh, numpy)
    are imported here, not at the top: a build's main process then never loads them.
    """
    from kb_tools.search.analyzer import analyzer_for_corpus
    from kb_tools.search.engine import index_corpus
    from kb_tools.search.static_index import write_site_index

    analyzer = analyzer_for_corpus(corpus)
    # A large one-off build keeps no text's counts (but titles' and chapters'): each writer analyses
    # each text once anyway, and the kept counts were most of this process's memory at scale.
    large = terms is None and len(search_documents(corpus)) > SHARED_TERMS_MAX_DOCS
    counts = (terms if terms is not None else TermCounts(remember=not large)).use(analyzer)  # empty is falsy
    static = write_site_index(corpus, site_dir, analyzer=analyzer, terms=counts, store=store)
    whoosh = index_corpus(corpus, index_dir, commit=commit, analyzer=analyzer, terms=counts)
    counts.forget_unused()  # texts edited away since the last rebuild
    packed = precompress_site(site_dir / INDEX_DIR) if precompress else None
    return static, whoosh, packed


class _Capture(logging.Handler):
    """Keeps the child's log records for the parent (its stderr would bypass --strict).

    It takes the place of every handler the child inherited, on the same loggers: MkDocs' command
    line gives its ``mkdocs`` logger its own handlers and stops propagation there, so a handler on
    the root logger alone would never see the plugin's warnings. A record that reaches it through
    two loggers is kept once.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []
        self._last: logging.LogRecord | None = None  # one record reaches the handlers of each logger in turn

    def emit(self, record: logging.LogRecord) -> None:
        if record is self._last:
            return
        self._last = record
        self.records.append((record.name, record.levelno, record.getMessage()))

    def replace_handlers(self) -> None:
        """Put this handler wherever the child inherited handlers (and on the root logger)."""
        loggers = [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]
        for logger in loggers:
            if logger.handlers or logger is logging.root:
                for handler in list(logger.handlers):
                    logger.removeHandler(handler)
                logger.addHandler(self)


def _child(conn: Connection, corpus: Corpus, scratch: Path, index_dir: Path, commit: bool, precompress: bool,
           terms: TermCounts | None, store: ShardStore | None) -> None:
    capture = _Capture()
    before = terms.state_keys() if terms is not None else None
    capture.replace_handlers()
    try:
        static, whoosh, packed = write_indexes(corpus, scratch, index_dir, commit=commit, precompress=precompress,
                                               terms=terms, store=store)
        changes = terms.changes_since(*before) if terms is not None and before is not None else None
        conn.send(("ok", IndexResult(static, whoosh, packed, capture.records, changes,
                                     store.state() if store is not None else None)))
    except KbError as exc:  # a content problem: one line, as in the parent
        conn.send(("problem", str(exc)))
    except BaseException:  # anything else travels as text: the parent raises it
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class IndexJob:
    """One forked child writing the indexes of one build."""

    def __init__(self, process: BaseProcess, conn: Connection, scratch: Path, index_dir: Path) -> None:
        self.process = process
        self.conn = conn
        self.scratch = scratch
        self.index_dir = index_dir

    @classmethod
    def start(cls, corpus: Corpus, site_dir: Path, index_dir: Path, *, commit: bool, precompress: bool,
              terms: TermCounts | None = None, store: ShardStore | None = None) -> IndexJob:
        """Fork the child; its scratch folder is a sibling of ``site_dir`` (same file system,
        so the static index is moved in with one rename). ``terms`` and ``store``: the serve's
        (the child works on copies; :meth:`finish` returns what became of them)."""
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_dead_folders(site_dir.parent, SCRATCH_PREFIX)  # of killed builds
        scratch = site_dir.parent / f"{SCRATCH_PREFIX}{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        context = multiprocessing.get_context("fork")
        parent_end, child_end = context.Pipe(duplex=False)
        process = context.Process(target=_child, name="kb-index", daemon=True,
                                  args=(child_end, corpus, scratch, index_dir, commit, precompress, terms, store))
        process.start()
        child_end.close()
        return cls(process, parent_end, scratch, index_dir)

    def finish(self, site_dir: Path) -> IndexResult:
        """Wait for the child, move its static index into ``site_dir`` and return what it did.

        Raises:
            KbError: the child met a content problem (its message).
            RuntimeError: the child failed otherwise (its traceback as the message).
        """
        try:
            try:
                status, payload = self.conn.recv()
            except EOFError:  # killed (out of memory?) before it could say anything
                self.process.join()
                raise RuntimeError(f"检索索引进程意外退出（退出码 {self.process.exitcode}）。") from None
            self.process.join()
            if status == "problem":
                raise KbError(str(payload))
            if status != "ok":
                raise RuntimeError(f"检索索引进程出错：\n{payload}")
            assert isinstance(payload, IndexResult)
            target = site_dir / INDEX_DIR
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(target, ignore_errors=True)
            (self.scratch / INDEX_DIR).rename(target)
            return payload
        finally:
            self.conn.close()
            shutil.rmtree(self.scratch, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the child of a failed build and drop what it wrote (the live index stays)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        if self.conn.poll():
            try:
                status, payload = self.conn.recv()
            except EOFError:
                status, payload = "", None
            if status == "ok" and isinstance(payload, IndexResult) and payload.whoosh.pending is not None:
                discard_build(payload.whoosh.pending)
        self.conn.close()
        shutil.rmtree(self.scratch, ignore_errors=True)
        # A generation the child had begun (its folder names the child's pid; never the live one).
        live = current_generation(self.index_dir)
        for folder in self.index_dir.glob(f"gen-*-{self.process.pid}"):
            if live is None or folder.name != live.name:
                shutil.rmtree(folder, ignore_errors=True)
