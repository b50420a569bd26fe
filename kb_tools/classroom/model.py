"""法治大讲堂: a lecture note is an ordinary Markdown page under ``docs/classroom/`` with front matter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb_tools.laws.model import Article, Law

CLASSROOM_DIR = "classroom"


@dataclass(frozen=True)
class CitedArticle:
    """An article a lecture cites (an empty ``article`` means the whole regulation)."""

    law: Law
    article: Article | None


@dataclass(frozen=True)
class Lecture:
    """One lecture.

    Attributes:
        src_uri: the page below ``docs/`` (``classroom/2026/行政处罚程序.md``).
        title: 讲稿标题.
        lecturer: 主讲人.
        date: 授课日期.
        hours: 课时 (may be fractional: 1.5).
        audience: 授课对象.
        topics: 主题 (the index groups lectures by them).
        attachments: files beside the page (slides as PDF), as written in the front matter.
        summary: one paragraph for lists and the feed (the ``summary`` key, else the first paragraph).
        cited: articles cited in the text, in order of first mention, via the citation resolver.
        line: line of the body's first line (for problems found in the text).
    """

    src_uri: str
    title: str
    lecturer: str
    date: dt.date
    hours: float
    audience: str
    topics: tuple[str, ...]
    attachments: tuple[str, ...]
    summary: str
    cited: tuple[CitedArticle, ...] = ()
    line: int = 1

    def held(self, on: dt.date) -> bool:
        """Whether the lecture has taken place by ``on``: only held lectures count towards the target."""
        return self.date <= on

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def folder(self) -> str:
        """The page's folder below ``docs/`` (attachments live there)."""
        return self.src_uri.rpartition("/")[0]

    def url(self, use_directory_urls: bool = True) -> str:
        """Site-relative URL of the page."""
        stem = self.src_uri[: -len(".md")]
        if stem.endswith("/index") or stem == "index":
            stem = stem[: -len("index")].rstrip("/")
            return f"{stem}/" if use_directory_urls else f"{stem}/index.html"
        return f"{stem}/" if use_directory_urls else f"{stem}.html"


def format_hours(hours: float) -> str:
    """Class hours without a useless decimal.

    >>> format_hours(2.0), format_hours(1.5)
    ('2', '1.5')
    """
    return f"{hours:g}"
