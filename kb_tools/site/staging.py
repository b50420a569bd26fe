"""Build into a staging folder, swap it in when the build succeeded.

A failed build (a content error, ``--strict`` warnings, an exception in any plugin) must leave
the previous ``site/`` as it was: staff keep working on the last good site while the author
fixes the problem.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class StagedOutput:
    """Redirects a build's output to ``<site>.kb-staging`` and promotes it on success."""

    def __init__(self, final_dir: Path) -> None:
        self.final_dir = final_dir
        self.staging_dir = final_dir.with_name(f".{final_dir.name}.kb-staging-{os.getpid()}")
        self.failed = False
        self.finished = False

    def begin(self) -> Path:
        """Create an empty staging folder and return it as the build's site_dir."""
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        self.staging_dir.mkdir(parents=True)
        return self.staging_dir

    def commit(self) -> None:
        """Swap the staging folder in place of the final one (two renames, old one removed)."""
        old = self.final_dir.with_name(f".{self.final_dir.name}.kb-old-{os.getpid()}")
        if self.final_dir.exists():
            self.final_dir.rename(old)
        self.staging_dir.rename(self.final_dir)
        shutil.rmtree(old, ignore_errors=True)

    def abandon(self) -> None:
        """Drop a failed build's output; the previous site stays."""
        shutil.rmtree(self.staging_dir, ignore_errors=True)


def is_temporary(site_dir: str) -> bool:
    """``mkdocs serve`` builds into its own temporary folder; staging it would break serving."""
    return Path(site_dir).resolve().is_relative_to(Path(tempfile.gettempdir()).resolve()) and (
        Path(site_dir).name.startswith("mkdocs_")
    )
