"""罚则: what a penalty article punishes and with what, as read from the article's own words.

The vocabulary of sanction kinds is the one issue 13 names, so that the cross-law table, the
exports and a later 裁量基准 can be filtered and compared on the same words. Orders the
vocabulary does not name keep the article's words ("责令限期补报"). Every amount, percentage
and base is kept together with the words it was read from (``min_text``, ``max_text``), so a
check can prove that nothing shown was invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Sanction kinds of issue 13, in the order the card and the filters list them.
KINDS: tuple[str, ...] = (
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "责令停止违法行为",
    "责令停止施工",
    "责令改正",
    "限期拆除",
    "责令停业整顿",
    "降低资质等级",
    "吊销资质证书",
    "吊销营业执照",
    "停止执业",
    "吊销执业资格证书",
    "不予注册",
    "警告",
    "通报批评",
    "处分",
)

#: Units a fine's range can have: fixed amounts, multiples and shares of a base.
UNITS: tuple[str, ...] = ("元", "万元", "倍", "%", "‰")


@dataclass(frozen=True)
class Sanction:
    """One sanction of a penalty article.

    Attributes:
        kind: a word of :data:`KINDS`, or the article's own words for other orders.
        text: the words of the article it was read from (a substring of the article).
        min: lower bound of a fine, ``None`` when open or not a fine.
        max: upper bound of a fine, ``None`` when open or not a fine.
        unit: 元, 万元, 倍, % or ‰ (mixed 元 and 万元 are given in 元); ``None`` without a range.
        base: what a multiple or percentage is taken of (工程合同价款, 违法所得 …), ``None`` for
            fixed amounts.
        tier: the graded condition as worded (情节严重的, 逾期不改正的 …), ``None`` for the
            article's main sanctions.
        target: whom it falls on when the article names someone other than the offender
            (单位, 个人, 直接负责的主管人员和其他直接责任人员 …), ``None`` for the offender.
        paragraph: the 款 (1-based) the sanction stands in.
        min_text: the written lower bound (``百分之二``, ``5000元``), ``""`` when none.
        max_text: the written upper bound, ``""`` when none.
    """

    kind: str
    text: str
    min: int | float | None = None
    max: int | float | None = None
    unit: str | None = None
    base: str | None = None
    tier: str | None = None
    target: str | None = None
    paragraph: int = 1
    min_text: str = ""
    max_text: str = ""

    @property
    def is_fine(self) -> bool:
        return self.kind == "罚款"

    @property
    def on_individuals(self) -> bool:
        """True when the sanction falls on persons rather than on the offending unit."""
        target = self.target or ""
        return any(word in target for word in ("人员", "个人", "负责人", "成员", "居民"))

    def range_text(self) -> str:
        """The range in Chinese for cards and tables: ``工程合同价款 2%–4%``, ``10万元以下``."""
        if self.min is None and self.max is None:
            return ""
        unit = self.unit or ""

        def fmt(value: int | float) -> str:
            return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"

        if self.min is not None and self.max is not None:
            amount = fmt(self.min) if self.min == self.max else f"{fmt(self.min)}–{fmt(self.max)}"
        elif self.max is not None:
            amount = f"{fmt(self.max)}以下"
        else:
            amount = f"{fmt(self.min)}以上"  # type: ignore[arg-type]
        return f"{self.base} {amount}" if self.base else amount


@dataclass(frozen=True)
class PenaltyArticle:
    """An article that imposes at least one sanction (or says it does in words not yet read).

    Attributes:
        law_title: the regulation's full title.
        article_label: ``第六十四条``.
        anchor: the article's fragment id on the law page (``article-64``).
        acts: the punished acts (违法行为) as the article words them.
        violates: 第N条 of the same regulation named as the provisions violated.
        sanctions: what is imposed, in the article's order.
        authority: the imposing body when the article names it (several joined by ``；``).
        complete: False when some sanction-like words could not be read (listed in ``unread``).
        unread: the clauses that were not read, verbatim.
    """

    law_title: str
    article_label: str
    anchor: str
    acts: tuple[str, ...]
    violates: tuple[str, ...]
    sanctions: tuple[Sanction, ...]
    authority: str | None
    complete: bool
    unread: tuple[str, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """Distinct sanction kinds, first appearance first."""
        return tuple(dict.fromkeys(s.kind for s in self.sanctions))


@dataclass
class PenaltyIndex:
    """Every penalty article of the corpus, and the way back from an obligation to its penalties.

    Attributes:
        by_law: slug -> anchor -> penalty article (current texts and older versions).
        violated_by: slug -> anchor of a violated article -> anchors of the penalty articles
            that name it ("违反本条例第十一条规定…"), in article order.
    """

    by_law: dict[str, dict[str, PenaltyArticle]] = field(default_factory=dict)
    violated_by: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def article(self, slug: str, anchor: str) -> PenaltyArticle | None:
        return self.by_law.get(slug, {}).get(anchor)

    def of_law(self, slug: str) -> list[PenaltyArticle]:
        return list(self.by_law.get(slug, {}).values())
