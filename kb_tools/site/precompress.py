"""``<file>.gz`` beside every text file of a built site, for servers that send them as they are.

nginx's ``gzip_static on`` (``deploy/nginx/kb.conf``) and ``kb serve`` answer a browser that
accepts gzip with ``index.html.gz`` instead of compressing ``index.html`` again on every
request: the intranet machine keeps its two cores for searches. Each ``.gz`` carries no
file name and no time stamp (two builds of the same content write the same bytes) and gets its
source's modification time, which is how ``kb serve`` tells a current ``.gz`` from a stale one.
"""

from __future__ import annotations

import dataclasses
import gzip
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: What is compressed: pages, search shards, scripts, stylesheets (and other text formats).
SUFFIXES = frozenset({".html", ".json", ".js", ".css", ".svg", ".xml", ".txt"})
#: Smaller files are not worth a second file (most are search shards; a server compresses
#: them on the fly in no time).
MIN_BYTES = 1024
#: zlib's default: level 9 makes the docs/ site 0.6 % smaller for a fifth more build time.
LEVEL = 6


@dataclasses.dataclass(frozen=True)
class PrecompressStats:
    """Files compressed, and their bytes before and after."""

    files: int
    raw_bytes: int
    gzip_bytes: int

    def __add__(self, other: PrecompressStats) -> PrecompressStats:
        return PrecompressStats(self.files + other.files, self.raw_bytes + other.raw_bytes,
                                self.gzip_bytes + other.gzip_bytes)


def precompress_site(site_dir: Path, *, threads: int | None = None, skip: Iterable[str] = ()) -> PrecompressStats:
    """Write the ``.gz`` of every text file below ``site_dir`` that compression makes smaller.

    zlib releases the GIL while it compresses, so a few threads use every core. ``skip``: folders
    (relative to ``site_dir``) whose files are compressed already (the search index's, written
    by the build's index process).
    """
    skipped = tuple(site_dir / folder for folder in skip)
    paths = sorted(p for p in site_dir.rglob("*") if p.suffix in SUFFIXES and p.is_file()
                   and not any(p.is_relative_to(folder) for folder in skipped))
    with ThreadPoolExecutor(max_workers=threads or min(4, os.cpu_count() or 1)) as pool:
        results = [r for r in pool.map(compress_file, paths) if r is not None]
    return PrecompressStats(len(results), sum(r[0] for r in results), sum(r[1] for r in results))


def compress_file(path: Path) -> tuple[int, int] | None:
    """``(raw, gzip)`` sizes after writing ``path.gz``; None when the file stays alone."""
    target = path.with_name(path.name + ".gz")
    data = path.read_bytes()
    packed = gzip.compress(data, LEVEL, mtime=0) if len(data) >= MIN_BYTES else data
    if len(packed) >= len(data):
        target.unlink(missing_ok=True)  # a .gz left from an earlier build would be stale
        return None
    target.write_bytes(packed)
    stat = path.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return len(data), len(packed)
