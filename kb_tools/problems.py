"""Problems found in content, and the few exceptions the tools raise.

Every problem names the file, the line, what is wrong and how to fix it, in Chinese for the
content authors who read them. Problems are collected and reported together, never raised one
by one, so an author sees the whole list after one build.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """An error fails `kb check` and `mkdocs build --strict`; a warning is only printed."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class ContentProblem:
    """One problem in one file.

    Attributes:
        path: file path relative to the docs directory (or as given on the command line).
        line: 1-based line number, 0 when the problem concerns the whole file.
        message: what is wrong, one sentence in Chinese.
        hint: what to do about it, one sentence in Chinese.
        severity: error or warning.
        code: a short stable identifier for scripts and tests (``duplicate-article``).
    """

    path: str
    line: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """``docs/laws/x.md:48: 条号不连续…`` followed by ``  → hint`` on its own line."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "" if self.is_error else "（警告）"
        text = f"{where}: {kind}{self.message}"
        if self.hint:
            text += f"\n  → {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for ``kb check --json``."""
        return {
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity.value,
            "code": self.code,
        }


class KbError(Exception):
    """A failure the user can act on; the CLI prints it as one line, never a traceback."""


class ContentError(KbError):
    """Raised when content problems make it impossible to go on (for example `kb check`)."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(f"内容检查发现 {len(errors)} 个错误")
