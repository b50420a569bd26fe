"""Run a command in a child process and measure its wall time and peak memory.

Peak memory is the child's own maximum resident set size, read from ``os.wait4`` (the
rusage of exactly that child), so builds measured one after the other in the same run do
not blur each other's figures as ``RUSAGE_CHILDREN`` (a running maximum) would.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Measurement:
    """Wall seconds, peak RSS in MiB, exit status and where the output went."""

    label: str
    seconds: float
    peak_mib: float
    returncode: int
    log: Path


def child_env() -> dict[str, str]:
    """The environment for measured children: the checkout importable, MkDocs' banner silenced."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}


def run_measured(label: str, command: list[str], *, cwd: Path, log: Path) -> Measurement:
    """Run ``command``; stdout and stderr go to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=child_env(), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    peak_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return Measurement(label, seconds, peak_kib / 1024, process.returncode, log)


def python_command(*args: str) -> list[str]:
    """This interpreter with arguments (the venv's Python when run as .venv/bin/python)."""
    return [sys.executable, *args]
