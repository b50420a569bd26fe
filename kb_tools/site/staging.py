"""Build into a staging folder, swap it in when the build succeeded.

A failed build (a content error, ``--strict`` warnings, an exception in any plugin) must leave
the previous ``site/`` as it was: staff keep working on the last good site while the author
fixes the problem.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

from kb_tools.problems import KbError


class StagedOutput:
    """Redirects a build's output to ``<site>.kb-staging`` and promotes it on success."""

    def __init__(self, final_dir: Path, *, lock_timeout: float = 60) -> None:
        self.final_dir = final_dir
        self.staging_dir = final_dir.with_name(f".{final_dir.name}.kb-staging-{os.getpid()}")
        self.lock_path = final_dir.with_name(f".{final_dir.name}.kb-lock")
        self.lock_timeout = lock_timeout
        self.lock_handle: object | None = None
        self.failed = False
        self.finished = False

    def begin(self) -> Path:
        """Take the build lock, remove what killed builds left, and create an empty staging
        folder; return it as the build's site_dir.

        Raises:
            KbError: another build of the same site is still running after ``lock_timeout``.
        """
        self._lock()
        remove_stale(self.final_dir)
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        self.staging_dir.mkdir(parents=True)
        return self.staging_dir

    def _lock(self) -> None:
        """One build at a time per site: a second one waits (bounded), then says so."""
        self.final_dir.parent.mkdir(parents=True, exist_ok=True)
        handle = self.lock_path.open("a+")
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "未知"
                    handle.close()
                    raise KbError(f"另一个构建正在进行（进程 {holder}，锁文件 {self.lock_path}），"
                                  f"已等待 {self.lock_timeout:g} 秒。请等它结束后再构建。") from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.lock_handle = handle

    def release(self) -> None:
        """Let the next build in (called after the swap, or after giving up)."""
        handle = self.lock_handle
        if handle is not None:
            self.lock_handle = None
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)  # type: ignore[attr-defined]  # the lock handle is open while the lock is held
            handle.close()  # type: ignore[attr-defined]  # the lock handle is open while the lock is held

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


def remove_stale(final_dir: Path) -> list[Path]:
    """Remove the staging and old folders of builds whose process is gone (killed builds)."""
    return [folder for prefix in (f".{final_dir.name}.kb-staging-", f".{final_dir.name}.kb-old-")
            for folder in remove_dead_folders(final_dir.parent, prefix)]


def remove_dead_folders(parent: Path, prefix: str) -> list[Path]:
    """Remove the folders ``<prefix><pid>`` below ``parent`` whose process is gone; return them."""
    removed = []
    for folder in parent.glob(prefix + "*"):
        pid = folder.name[len(prefix):]
        if pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def is_temporary(site_dir: str) -> bool:
    """``mkdocs serve`` builds into its own temporary folder; staging it would break serving."""
    return Path(site_dir).resolve().is_relative_to(Path(tempfile.gettempdir()).resolve()) and (
        Path(site_dir).name.startswith("mkdocs_")
    )
