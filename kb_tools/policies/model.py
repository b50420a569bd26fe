"""本局文件: a policy document of the bureau, its numbered items, and its 时效性.

A 行政规范性文件 is void when its validity period ends, so the status is computed from the dates
(issued, effective, valid until, repealed) on the corpus date, never typed. Pure: no file I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kb_tools.model import Status

#: The kinds of document a 住建局 keeps (front matter ``kind``); others are allowed but named here first.
KINDS = ("行政规范性文件", "其他政策文件", "内部制度", "工作方案", "通知")
#: The kind that must carry a 文号 and a validity period.
NORMATIVE = "行政规范性文件"


@dataclass(frozen=True)
class Item:
    """One numbered item of a document: 一、 / （一） / 1. / （1） or 第N条.

    Attributes:
        label: the number as written (``三、``, ``（一）``, ``1.``, ``（1）``, ``第五条``).
        anchor: stable ASCII anchor (``part-3``, ``part-3-item-1``, ``article-5`` …).
        cite: how the item is cited after the title (``第三部分``, ``第三部分第（一）项``, ``第五条``).
        numbers: the number of each level down to this item (``(3, 1)`` for 三、（一）).
        level: 1 for 一、 and 第N条, 2 for （一）, 3 for 1., 4 for （1）.
        heading: the item's first line without its number.
        text: the whole text of the item, its sub-items included, as plain lines.
        line: source line of the item's number.
    """

    label: str
    anchor: str
    cite: str
    numbers: tuple[int, ...]
    level: int
    heading: str
    text: str
    line: int


@dataclass(frozen=True)
class Review:
    """合法性审核: when, by whom, the opinion's reference."""

    date: dt.date | None = None
    reviewer: str = ""
    opinion: str = ""


@dataclass(frozen=True)
class Filing:
    """备案: the authority a document was filed with, and when."""

    authority: str = ""
    date: dt.date | None = None


@dataclass
class Policy:
    """One document under ``docs/policies/``.

    ``valid_until`` is the last day of validity: written in the front matter, or computed from a
    period (``有效期五年`` → the day before the fifth anniversary of ``effective``).
    ``successor`` / ``amended_by`` name another document by title or 文号, as written.
    """

    slug: str
    src_path: str
    title: str
    kind: str
    doc_numbers: list[str] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    issued: dt.date | None = None
    effective: dt.date | None = None
    valid_until: dt.date | None = None
    validity_years: int | None = None
    validity_text: str = ""
    register_number: str = ""
    legality_review: Review | None = None
    filing: Filing | None = None
    repealed: dt.date | None = None
    amended_by: str = ""
    amended: dt.date | None = None
    successor: str = ""
    basis: list[str] = field(default_factory=list)
    public: bool = True
    sample: bool = False
    items: list[Item] = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Site-relative URL of the page (``policies/2024/haizhujian-2024-12/``)."""
        stem = self.src_path[: -len(".md")]
        return (stem[: -len("index")] if stem.endswith("/index") else stem + "/")

    @property
    def doc_number(self) -> str:
        """All 文号, joined for display (联合发文 has one per issuer)."""
        return "、".join(self.doc_numbers)

    @property
    def year(self) -> int | None:
        """The year of issue, for the catalogue."""
        date = self.issued or self.effective
        return date.year if date else None

    def line_of(self, key: str) -> int:
        """Source line of a front-matter key (1 when it is absent)."""
        return self.key_lines.get(key, 1)

    def item(self, anchor: str) -> Item | None:
        """The numbered item with this anchor."""
        return next((i for i in self.items if i.anchor == anchor), None)

    @property
    def has_articles(self) -> bool:
        """True when the document is numbered by 第N条 (a 办法, a 制度) rather than by parts."""
        return any(i.anchor.startswith("article-") and i.level == 1 for i in self.items)


def status_of(policy: Policy, on: dt.date, *, amended_on: dt.date | None = None) -> Status:
    """时效性 on a date: repealed, not yet effective, expired, amended, or in force.

    Args:
        amended_on: the date the amending document took effect (None when not amended or not known;
            an ``amended_by`` whose document is not in the knowledge base counts from ``amended``).
    """
    if policy.repealed and policy.repealed <= on:
        return Status.REPEALED
    start = policy.effective or policy.issued
    if start and start > on:
        return Status.NOT_YET_EFFECTIVE
    if policy.valid_until and policy.valid_until < on:
        return Status.EXPIRED
    when = amended_on or policy.amended
    if policy.amended_by and (when is None or when <= on):
        return Status.AMENDED
    return Status.IN_FORCE


def expiring(policy: Policy, on: dt.date, days: int) -> bool:
    """True when a document in force ends within ``days`` days of ``on`` (即将失效)."""
    if policy.valid_until is None or policy.valid_until < on:
        return False
    return (policy.valid_until - on).days <= days


def period_end(start: dt.date, years: int) -> dt.date:
    """The last day of a period of whole years starting on ``start`` (2024-03-01, 5 → 2029-02-28)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + years, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)
