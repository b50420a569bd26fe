"""学法计划 ("一月一法"): one plan per year, one regulation per month, read before the director's meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb_tools.laws.model import Article, Law

#: Characters of statute text a reader gets through in a minute, read carefully (legal text is dense).
READING_CHARS_PER_MINUTE = 300


@dataclass(frozen=True)
class StudyMonth:
    """One month of a plan.

    Attributes:
        year: the plan's year.
        month: 1–12.
        regulation: the citation as written in the data file (``《中华人民共和国行政处罚法》``).
        law: the resolved regulation, None when it could not be resolved.
        articles: the focus articles, resolved against the knowledge base, in plan order.
        article_labels: the focus articles as written (``第四十四条``), for messages.
        meeting: date of the meeting where the regulation is studied.
        presenter: who presents (领学人).
        notes: optional study notes (学习要点) in the plan author's words.
        line: line of the month's entry in the data file.
    """

    year: int
    month: int
    regulation: str
    law: Law | None
    articles: tuple[Article, ...]
    article_labels: tuple[str, ...]
    meeting: dt.date | None
    presenter: str
    notes: str
    line: int

    @property
    def src_uri(self) -> str:
        """The reading pack's virtual page: ``study/2026/01.md``."""
        return f"study/{self.year}/{self.month:02d}.md"

    @property
    def characters(self) -> int:
        """Characters of the focus articles' text (what a reader actually reads)."""
        return sum(len("".join(a.text.split())) for a in self.articles)

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time, rounded up, at least one minute when there is any text."""
        chars = self.characters
        return -(-chars // READING_CHARS_PER_MINUTE) if chars else 0


@dataclass(frozen=True)
class StudyPlan:
    """A year's plan as read from ``docs/study/<year>.yml``."""

    year: int
    title: str
    src_path: str
    months: tuple[StudyMonth, ...]

    @property
    def index_uri(self) -> str:
        """The year calendar's virtual page."""
        return f"study/{self.year}/index.md"

    def month(self, number: int) -> StudyMonth | None:
        """The entry for a month, or None when the plan skips it."""
        return next((m for m in self.months if m.month == number), None)
