"""Markdown -> HTML of unchanged pages, kept across the rebuilds of one ``mkdocs serve``.

MkDocs converts every page again on every livereload rebuild, although an author edited one
file; Python-Markdown and its extensions were the largest share of such a rebuild. The kb
plugin lives across those rebuilds, so it keeps what :meth:`Page.render` produced per page and,
when the same Markdown is rendered in the same setting again, restores it instead.

The key covers everything the conversion reads: the page's final Markdown (after every
``on_page_markdown``, so a regulation whose status, cited-by or successor changed renders
anew), its source path and URL, the Markdown extensions and their options, and every file of
the site with its URL (relative links are resolved against them). What the kb plugin adds
afterwards in ``on_page_content`` (citation links, 罚则 cards, 被引用 lists) depends on the
whole corpus and is recomputed on every build, from the restored HTML.

Pages that pull in Python docstrings (``::: module`` of mkdocstrings) also depend on source
files: their key adds the size and modification time of every Python file of the documented
packages (:func:`autodoc_stamp`); when a package is not found they are converted every time.
Warnings the conversion logged (broken
links …) are recorded and logged again when the page is restored, so ``--strict`` counts them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import TableOfContents

#: The logger MkDocs' link validation writes to while a page is converted.
PAGES_LOGGER = "mkdocs.structure.pages"
#: A mkdocstrings block: rendered from Python sources, never cached.
_AUTODOC_RE = re.compile(r"^:::\s", re.MULTILINE)
_AUTODOC_NAME_RE = re.compile(r"^:::\s+([\w.]+)", re.MULTILINE)
#: ``<object at 0x7f…>`` in a repr: differs for equal objects of two config loads.
_ADDRESS_RE = re.compile(r" at 0x[0-9a-fA-F]+")


@dataclass(frozen=True)
class Rendered:
    """What :meth:`Page.render` leaves on a page, in a form that outlives the build's objects."""

    key: str
    content: str
    toc: TableOfContents
    title: str | None
    present_anchor_ids: frozenset[str] | None
    #: ``{src_uri of the linked file: {anchor: original link}}`` (Files differ between builds).
    links_to_anchors: dict[str, dict[str, str]] | None
    #: ``(level, message)`` logged by the conversion, replayed on a restore.
    records: tuple[tuple[int, str], ...]


class RenderCache:
    """The last rendering of each page, by ``src_uri``; one entry per page (bounded memory)."""

    def __init__(self) -> None:
        self.entries: dict[str, Rendered] = {}
        self.setting = ""
        self.hits = 0
        self.misses = 0

    def begin(self, config: MkDocsConfig, files: Files) -> None:
        """Fix the build's setting: extensions, their options, every file and its URL."""
        h = hashlib.sha1()
        if config.config_file_path and Path(config.config_file_path).is_file():  # every option, as written
            h.update(Path(config.config_file_path).read_bytes())
        # Plugins add extension objects (mkdocstrings): their class names, not their addresses.
        names = [ext if isinstance(ext, str) else type(ext).__qualname__
                 for ext in config.markdown_extensions]
        options = sorted((config.mdx_configs or {}).items(), key=lambda kv: str(kv[0]))
        h.update(_ADDRESS_RE.sub("", repr((names, options, config.use_directory_urls, config.site_url))).encode())
        for file in sorted(files, key=lambda f: f.src_uri):
            h.update(f"{file.src_uri}\0{file.dest_uri}\0{file.url}\n".encode())
        self.setting = h.hexdigest()
        self.hits = self.misses = 0
        known = {file.src_uri for file in files}
        for gone in [uri for uri in self.entries if uri not in known]:  # deleted pages: drop
            del self.entries[gone]

    def key(self, page: Page) -> str:
        """The cache key of a page whose ``markdown`` is final."""
        h = hashlib.sha1(self.setting.encode())
        h.update(f"{page.file.src_uri}\0{page.url}\0".encode())
        h.update((page.markdown or "").encode("utf-8"))
        return h.hexdigest()

    def install(self, page: Page) -> None:
        """Make ``page.render`` restore the cached result when its key matches."""
        original: Callable[[MkDocsConfig, Files], None] = page.render

        def render(config: MkDocsConfig, files: Files) -> None:
            if page.markdown is None:
                original(config, files)
                return
            key = self.key(page)
            if _AUTODOC_RE.search(page.markdown):  # docstrings: the Python sources are part of the key
                stamp = autodoc_stamp(page.markdown, config)
                if stamp is None:
                    original(config, files)
                    return
                key = hashlib.sha1(f"{key}\0{stamp}".encode()).hexdigest()
            entry = self.entries.get(page.file.src_uri)
            if entry is not None and entry.key == key:
                self.hits += 1
                _restore(page, entry, files)
                return
            self.misses += 1
            with _recording() as records:
                original(config, files)
            self.entries[page.file.src_uri] = _capture(page, key, records)

        page.render = render  # type: ignore[method-assign]  # this page only, for this build


def autodoc_stamp(markdown: str, config: MkDocsConfig) -> str | None:
    """Size and modification time of every Python file the page's ``::: module`` blocks document,
    found below mkdocstrings' ``paths``; None when a module is not found (the page is then
    converted every time)."""
    packages = sorted({name.split(".")[0] for name in _AUTODOC_NAME_RE.findall(markdown)})
    root = Path(config.config_file_path or ".").parent
    plugin = config.plugins.get("mkdocstrings")
    handlers = getattr(plugin, "config", {}).get("handlers", {}) if plugin is not None else {}
    paths = [root / p for p in (handlers.get("python", {}) or {}).get("paths", ["."])]
    h = hashlib.sha1()
    for package in packages:
        found = [p for base in paths for p in (base / package, base / f"{package}.py") if p.exists()]
        if not found:
            return None
        for source in sorted(f for p in found for f in ([p] if p.is_file() else p.rglob("*.py"))):
            st = source.stat()
            h.update(f"{source} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _capture(page: Page, key: str, records: list[tuple[int, str]]) -> Rendered:
    links = None
    if page.links_to_anchors is not None:
        links = {file.src_uri: dict(anchors) for file, anchors in page.links_to_anchors.items()}
    return Rendered(
        key=key, content=page.content or "", toc=page.toc, title=page._title_from_render,
        present_anchor_ids=frozenset(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
        links_to_anchors=links, records=tuple(records),
    )


def _restore(page: Page, entry: Rendered, files: Files) -> None:
    page.content = entry.content
    page.toc = entry.toc
    page._title_from_render = entry.title
    page.present_anchor_ids = set(entry.present_anchor_ids) if entry.present_anchor_ids is not None else None
    if entry.links_to_anchors is not None:
        links = {}
        for src_uri, anchors in entry.links_to_anchors.items():
            target = files.get_file_from_path(src_uri)
            if target is not None:
                links[target] = dict(anchors)
        page.links_to_anchors = links
    logger = logging.getLogger(PAGES_LOGGER)
    for level, message in entry.records:
        logger.log(level, message)


class _Recorder(logging.Handler):
    def __init__(self, records: list[tuple[int, str]]) -> None:
        super().__init__(logging.INFO)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


@contextmanager
def _recording() -> Iterator[list[tuple[int, str]]]:
    """The INFO-and-above messages of MkDocs' page logger while the block runs."""
    records: list[tuple[int, str]] = []
    handler = _Recorder(records)
    logger = logging.getLogger(PAGES_LOGGER)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def describe(cache: RenderCache) -> str:
    """One log line: how many pages were restored."""
    return f"页面缓存：{cache.hits} 个页面未变、直接复用，{cache.misses} 个页面重新转换。"

