"""The model of regulations: their structure (编/章/节) and articles.

Everything downstream (pages, citations, search) reads these objects; nothing re-parses
Markdown on its own. Field names are English, values stay Chinese.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from enum import Enum

from kb_tools.model import Level, Status
from kb_tools.numerals import article_label

#: A paragraph that is a listed 项 of the 款 before it: （一）, (二), 三、.
_ITEM_LINE_RE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


class DivisionKind(str, Enum):
    """Structural headings above articles."""

    PART = "编"
    SUBPART = "分编"
    CHAPTER = "章"
    SECTION = "节"
    HEADING = "标题"  # an unnumbered or 一、-style heading (judicial interpretations)


@dataclass(frozen=True)
class Division:
    """A 编 / 章 / 节 heading.

    Attributes:
        kind: which level of structure.
        label: the numbered part, e.g. ``第一章`` (empty for free headings).
        name: the heading text after the label, e.g. ``总则``.
        anchor: stable, ASCII-safe fragment id, e.g. ``chapter-1`` or ``chapter-2-section-1``.
        depth: Markdown heading level (2 for chapters, 3 for sections, …).
        line: 1-based line in the source file.
    """

    kind: DivisionKind
    label: str
    name: str
    anchor: str
    depth: int
    line: int

    @property
    def heading(self) -> str:
        """The heading as printed: ``第一章 总则``."""
        return f"{self.label} {self.name}".strip()


@dataclass(frozen=True)
class Article:
    """One 条 of a regulation.

    Attributes:
        number: the article number (第十条之一 -> 10).
        suffix: the 之N part (第十条之一 -> 1), 0 when absent.
        paragraphs: the article's 款 and 项 as printed, the first one starting
            after the label (``申请领取施工许可证，应当具备下列条件：``).
        line: 1-based line of the label in the source file.
        divisions: anchors of the enclosing 编/章/节, outermost first.
    """

    number: int
    suffix: int
    paragraphs: tuple[str, ...]
    line: int
    divisions: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``第十条之一``."""
        return article_label(self.number, self.suffix)

    @property
    def anchor(self) -> str:
        """Stable, ASCII-safe fragment id: ``article-10`` or ``article-10-1``."""
        return article_anchor(self.number, self.suffix)

    @property
    def key(self) -> tuple[int, int]:
        """Sort and lookup key."""
        return (self.number, self.suffix)

    @property
    def text(self) -> str:
        """The whole article as plain text, paragraphs joined by newlines, with its label."""
        return self.label + "\u3000" + "\n".join(self.paragraphs)

    @property
    def body(self) -> str:
        """The article's text without its label."""
        return "\n".join(self.paragraphs)

    @property
    def clauses(self) -> tuple[tuple[str, ...], ...]:
        """The article's 款, each with the 项 listed under it, as ``paragraphs`` holds them.

        A citation of 第八条第二款 counts 款 this way: a （一） line belongs to the 款 that lists it.

        >>> Article(8, 0, ("应当具备下列条件：", "（一）甲；", "（二）乙。", "前款规定……"), 1).clauses
        (('应当具备下列条件：', '（一）甲；', '（二）乙。'), ('前款规定……',))
        """
        out: list[list[str]] = []
        for para in self.paragraphs:
            if out and _ITEM_LINE_RE.match(para):
                out[-1].append(para)
            else:
                out.append([para])
        return tuple(tuple(c) for c in out)


def article_anchor(number: int, suffix: int = 0) -> str:
    """The fragment id of an article; documented in README as a stable address.

    >>> article_anchor(8)
    'article-8'
    >>> article_anchor(10, 1)
    'article-10-1'
    """
    return f"article-{number}-{suffix}" if suffix else f"article-{number}"


@dataclass(frozen=True)
class HistoryEvent:
    """One line of a regulation's history (通过, 修正, 修订, 公布, 施行 …)."""

    date: dt.date
    text: str


@dataclass
class Law:
    """A regulation (or one version of it) as loaded from ``docs/laws/``.

    Attributes:
        slug: the page path below ``laws/`` without ``.md``; the stable URL is ``laws/<slug>/``.
        src_path: path of the Markdown file relative to ``docs/``.
        version_of: slug of the current text when this page is an older version.
        versions: on the current text, its older versions, newest first (set by the corpus).
        superseded_on: on an older version, the date the next version took effect (set by the corpus).
        successor: title of the regulation that replaced this one (信访条例 -> 信访工作条例).
    """

    slug: str
    src_path: str
    title: str
    level: Level
    short_title: str = ""
    aliases: tuple[str, ...] = ()
    authority: str = ""
    doc_number: str = ""
    promulgated: dt.date | None = None
    effective: dt.date | None = None
    amended: tuple[dt.date, ...] = ()
    repealed: dt.date | None = None
    category: tuple[str, ...] = ()
    public: bool = True
    version_of: str | None = None
    successor: str | None = None
    history: tuple[HistoryEvent, ...] = ()
    divisions: tuple[Division, ...] = ()
    articles: tuple[Article, ...] = ()
    preamble: tuple[str, ...] = ()
    body_line: int = 1
    #: Line of each front-matter key in the file, so that later checks point at the right line.
    meta_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    versions: list[Law] = field(default_factory=list)
    superseded_on: dt.date | None = None

    def line_of(self, key: str) -> int:
        """Line of a front-matter key in the source file (1 when unknown)."""
        return self.meta_lines.get(key, 1)

    @property
    def url(self) -> str:
        """Site-relative URL of the page (with ``use_directory_urls``)."""
        return f"laws/{self.slug}/"

    @property
    def version_date(self) -> dt.date | None:
        """The date that identifies this text among its versions."""
        return self.amended[-1] if self.amended else self.promulgated

    @property
    def names(self) -> tuple[str, ...]:
        """Every name people use for this regulation, full title first."""
        names = [self.title]
        if self.short_title:
            names.append(self.short_title)
        names.extend(self.aliases)
        return tuple(dict.fromkeys(n for n in names if n))

    def article(self, number: int, suffix: int = 0) -> Article | None:
        """The article with that number, or None."""
        return self._by_key().get((number, suffix))

    def _by_key(self) -> dict[tuple[int, int], Article]:
        return self._article_index

    @functools.cached_property
    def _article_index(self) -> dict[tuple[int, int], Article]:
        """Articles by (number, suffix): ``articles`` is a tuple, so this never goes stale (and
        ``dataclasses.replace`` makes a new object without it)."""
        return {a.key: a for a in self.articles}

    def position(self, article: Article) -> int:
        """Index of an article in this text, -1 when it is not one of its articles."""
        return self._positions.get(article.key, -1)

    @functools.cached_property
    def _positions(self) -> dict[tuple[int, int], int]:
        return {a.key: i for i, a in enumerate(self.articles)}

    def status(self, on: dt.date) -> Status:
        """时效性 on a given date, computed from the dates, never typed by hand."""
        if self.repealed and self.repealed <= on:
            return Status.REPEALED
        start = self.effective or self.promulgated
        if start and start > on:
            return Status.NOT_YET_EFFECTIVE
        if self.version_of is not None and (self.superseded_on is None or self.superseded_on <= on):
            # An older version is 已修改 once the next text of the same regulation is in force.
            return Status.AMENDED
        return Status.IN_FORCE
