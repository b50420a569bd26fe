"""Shared vocabulary of every content kind: 效力级别, 时效性, and generated pages.

Laws, policies and lists all speak of levels and statuses with the same words and the same
badge classes, so these live apart from any one kind's model.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """效力级别, in the order of precedence used for sorting."""

    CONSTITUTION = "宪法"
    LAW = "法律"
    ADMINISTRATIVE_REGULATION = "行政法规"
    SUPERVISORY_REGULATION = "监察法规"
    JUDICIAL_INTERPRETATION = "司法解释"
    DEPARTMENTAL_RULE = "部门规章"
    LOCAL_REGULATION = "地方性法规"
    LOCAL_GOVERNMENT_RULE = "地方政府规章"
    NORMATIVE_DOCUMENT = "规范性文件"
    PARTY_REGULATION = "党内法规"
    OTHER = "其他"

    @property
    def rank(self) -> int:
        """Position in the precedence order (0 = highest)."""
        return list(Level).index(self)


class Status(str, Enum):
    """时效性, the vocabulary of the national laws and regulations database."""

    IN_FORCE = "有效"
    AMENDED = "已修改"
    REPEALED = "已废止"
    NOT_YET_EFFECTIVE = "尚未生效"
    #: A policy document whose validity period is over (行政规范性文件 are valid for a stated period).
    EXPIRED = "已失效"

    @property
    def css_class(self) -> str:
        """ASCII class name used by the status badge."""
        return {
            Status.IN_FORCE: "in-force",
            Status.AMENDED: "amended",
            Status.REPEALED: "repealed",
            Status.NOT_YET_EFFECTIVE: "not-yet-effective",
            Status.EXPIRED: "expired",
        }[self]


@dataclass(frozen=True)
class GeneratedPage:
    """A page made at build time (an index, a power item, a calendar …).

    ``src_uri`` is the path below ``docs/`` the page pretends to have; it is never written there.
    """

    src_uri: str
    markdown: str
