"""Generations of the on-disk whoosh index: which one is live, and switching to a new one.

``index_dir/CURRENT`` names the live ``gen-…`` folder; a build writes a new generation and
points ``CURRENT`` at it in one rename, so a reader sees the old index or the new one. These
few functions live apart from the writer and reader (:mod:`kb_tools.search.whoosh_index`) so
that the site build's main process can make a generation live, or drop it, without loading
whoosh and numpy (the index itself is written by the build's index process).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
CURRENT = "CURRENT"


@dataclass(frozen=True)
class Pending:
    """A finished but not yet live index build, waiting for the site build to succeed."""

    index_dir: Path
    generation: str | None = None  # a new generation folder below index_dir
    manifest: dict[str, Any] | None = None  # or: a new manifest for the live generation
    previous: str = ""


def commit_build(pending: Pending) -> None:
    """Make a pending build live: point ``CURRENT`` at it (or write the new manifest), prune."""
    if pending.generation is not None:
        point_current(pending.index_dir, pending.generation)
        prune(pending.index_dir, keep={pending.generation, pending.previous})
    elif pending.manifest is not None and pending.previous:
        write_json(pending.index_dir / pending.previous / MANIFEST, pending.manifest)


def discard_build(pending: Pending) -> None:
    """Drop a pending build: the live generation stays exactly as it was."""
    if pending.generation is not None:
        shutil.rmtree(pending.index_dir / pending.generation, ignore_errors=True)


def read_manifest(gen_dir: Path) -> dict[str, Any] | None:
    """The manifest of a generation, or None when missing or unreadable."""
    try:
        return json.loads((gen_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def current_generation(index_dir: Path) -> Path | None:
    """The live generation, or None when there is no complete index."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    gen = index_dir / name
    if not name or not (gen / MANIFEST).is_file():
        return None
    return gen


def write_json(path: Path, value: Any) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def point_current(index_dir: Path, name: str) -> None:
    tmp = index_dir / f"{CURRENT}.{os.getpid()}.tmp"
    tmp.write_text(name, encoding="utf-8")
    tmp.replace(index_dir / CURRENT)  # atomic: readers see the old name or the new one


def prune(index_dir: Path, keep: set[str]) -> None:
    """Remove generations other than the live one and the one before (a reader may hold it)."""
    for child in index_dir.iterdir():
        if child.name.startswith("gen-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(f"{CURRENT}.") and child.name.endswith(".tmp"):
            child.unlink(missing_ok=True)
