"""Declared lists (清单): what a legal officer writes in ``list.yaml``, and the entries read from its rows.

A list kind is data, not code: its columns say which one is the code (page address), which the
title, which hold legal bases (citations, resolved like every other citation), which are filters,
and the type of each value. The power list shares the basis types defined here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb_tools.lists.tiers import Tier

#: Labels of the power list's basis kinds; a declared list's basis kind is its column label.
BASIS_LABELS = {"establishing": "设定依据", "implementing": "实施依据", "inspection": "检查依据"}


@dataclass(frozen=True)
class BasisRef:
    """One citation found in a basis text, resolved (or not) against the corpus.

    Attributes:
        text: the citation as written (``《中华人民共和国建筑法》第七条``).
        law_slug: the regulation it resolves to, None when unresolved.
        articles: ``(number, suffix)`` of each cited article; empty when the whole law is cited.
        problem: why it did not resolve (Chinese), None when it did.
        policy_slug: the 本局文件 it resolves to instead of a regulation (海住建〔2021〕27号第四条).
        clauses: ``(number, suffix, 款)`` of each 款 named (第八条第二款 -> ``(8, 0, 2)``).
    """

    text: str
    law_slug: str | None
    articles: tuple[tuple[int, int], ...] = ()
    problem: str | None = None
    policy_slug: str | None = None
    clauses: tuple[tuple[int, int, int], ...] = ()

    def clauses_of(self, number: int, suffix: int) -> tuple[int, ...]:
        """The 款 named of one cited article (1-based), empty when the whole article is cited."""
        return tuple(c for n, s, c in self.clauses if (n, s) == (number, suffix))


@dataclass(frozen=True)
class LegalBasis:
    """One line of legal basis: the text as written and the citations in it.

    Attributes:
        kind: ``establishing`` / ``implementing`` / ``inspection`` (power list) or the column
            label of a declared list (``法律依据``).
        text: the line as the legal officer wrote it.
        refs: the citations found in it, in order.
        line: where it is written in the data file (0 when unknown).
    """

    kind: str
    text: str
    refs: tuple[BasisRef, ...] = ()
    line: int = 0

    @property
    def label(self) -> str:
        return BASIS_LABELS.get(self.kind, self.kind)


@dataclass(kw_only=True)
class Provenance:
    """Where a list entry came from and who may see it, shared by every kind of list entry.

    Attributes:
        public: 公开属性; ``false`` entries never reach a public build.
        source: the data file (below ``docs/``) the entry was read from.
        line: the entry's first line in that file; ``key_lines`` has each field's line.
        sample: whether the file is marked 示例数据.
    """

    public: bool = True
    source: str = ""
    line: int = 0
    sample: bool = False
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """Line of a field in the data file (the item's first line when unknown)."""
        return self.key_lines.get(key, self.line)


class ColumnType(str, Enum):
    """How a column's cells are read, shown, sorted and exported."""

    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    CHOICE = "choice"
    #: 裁量档次: graded tiers (档次, 情节, 幅度, 其他处罚), checked against the fines of the basis
    #: column named by the column's ``of`` (``kb_tools.lists.tiers``, ``kb_tools.discretion``).
    TIERS = "tiers"


class Role(str, Enum):
    """What a column means to the machinery (beyond being shown)."""

    CODE = "code"
    TITLE = "title"
    BASIS = "basis"


@dataclass(frozen=True)
class Column:
    """One declared column.

    Attributes:
        key: ASCII name (``category``): the YAML key of rows, the filter's name in the address.
        label: the Chinese header (``执法类别``): table head, export header, spreadsheet header.
        type: text, date, number or choice.
        role: code, title or basis (citations), None for an ordinary column.
        filter: whether the table gets a drop-down for it (and the overview counts it).
        required: a row without it is not read.
        choices: the allowed values of a choice column, in display order.
        aliases: other headers that mean this column in imported spreadsheets.
        in_table: shown as a table column (entry pages show every column).
        of: for a tiers column, the key of the basis column (处罚依据) whose statutory fines
            every tier's 幅度 must stay within.
    """

    key: str
    label: str
    type: ColumnType = ColumnType.TEXT
    role: Role | None = None
    filter: bool = False
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    in_table: bool = True
    of: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every header or key that means this column."""
        return (self.key, self.label, *self.aliases)


@dataclass(frozen=True)
class ListSpec:
    """A list kind as declared in ``docs/lists/<name>/list.yaml``.

    Attributes:
        name: the folder name, ASCII (``legal-review``): the list's address ``lists/<name>/``.
        title: the list's Chinese name (重大行政执法决定法制审核目录清单).
        columns: in display order; exactly one code and one title column.
        description: a paragraph shown above the table.
        sample: marked 示例数据 (a note on every page of the list).
        source: the declaration file below ``docs/``.
        unit: the counting word of entries (``项`` by default: 共 12 项; ``件`` for 决策事项).
        adopted: the date the list (a 裁量基准) was adopted: a basis article amended since then is
            reported, as revision alerts of citations are.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    description: str = ""
    sample: bool = False
    source: str = ""
    unit: str = "项"
    adopted: dt.date | None = None

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def code(self) -> Column:
        return next(c for c in self.columns if c.role is Role.CODE)

    @property
    def title_column(self) -> Column:
        return next(c for c in self.columns if c.role is Role.TITLE)

    @property
    def basis_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role is Role.BASIS)

    @property
    def tier_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.type is ColumnType.TIERS)

    @property
    def filters(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.filter)

    @property
    def url(self) -> str:
        return f"lists/{self.name}/"


Value = str | int | float | dt.date


@dataclass
class Entry(Provenance):
    """One row of a declared list.

    Attributes:
        values: column key -> typed value (text, number, date); missing cells are absent.
        bases: basis column key -> the lines of legal basis in it, citations resolved at load.
        tiers: tiers column key -> the 裁量档次 read from it.
    """

    spec: ListSpec
    values: dict[str, Value] = field(default_factory=dict)
    bases: dict[str, tuple[LegalBasis, ...]] = field(default_factory=dict)
    tiers: dict[str, tuple[Tier, ...]] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return str(self.values.get(self.spec.code.key, ""))

    @property
    def title(self) -> str:
        return str(self.values.get(self.spec.title_column.key, ""))

    @property
    def all_bases(self) -> tuple[LegalBasis, ...]:
        return tuple(b for c in self.spec.basis_columns for b in self.bases.get(c.key, ()))

    @property
    def src_uri(self) -> str:
        return f"lists/{self.spec.name}/items/{page_name(self.code)}.md"

    def text(self, key: str) -> str:
        """A cell as shown: dates ISO, whole numbers without ``.0``, bases one per line."""
        column = self.spec.column(key)
        if column is not None and column.role is Role.BASIS:
            return "\n".join(b.text for b in self.bases.get(key, ()))
        if column is not None and column.type is ColumnType.TIERS:
            return "\n".join(t.line_text() for t in self.tiers.get(key, ()))
        return display(self.values.get(key, ""))


def display(value: Value) -> str:
    """A typed value as text.

    >>> display(3.0), display(2.5), display(dt.date(2026, 1, 5)), display("甲")
    ('3', '2.5', '2026-01-05', '甲')
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class DeclaredList:
    """A list kind and the entries read for it: one value of ``corpus.lists``."""

    spec: ListSpec
    entries: list[Entry] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def entry(self, code: str) -> Entry | None:
        return next((e for e in self.entries if e.code == code), None)


def page_name(code: str) -> str:
    """A URL-safe page name for an entry code.

    >>> page_name("330217001000"), page_name("XK 01/2"), page_name("审核-1")
    ('330217001000', 'XK-01-2', '审核-1')
    """
    out = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in code.strip())
    return out.strip("-.") or "item"
