"""The ``tiers`` column type: graded 裁量 tiers (档次, 情节, 幅度, 其他处罚) in one cell of a list.

A 行政处罚裁量基准 entry is a list row whose tiers column holds several tiers. A tier is written
either as a YAML mapping (``档次: 一般``, ``情节: …``, ``幅度: …``, ``其他处罚: …``) or, in a
spreadsheet cell, one tier per line: ``一般 | 情节 | 幅度 | 其他处罚``. The 幅度 is read with the
same reader as the statutes' fines (:func:`kb_tools.penalties.extract.parse_fine`), so a tier and
the article it rests on are compared in the same units; what cannot be read is a problem at its
line, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kb_tools.penalties.extract import parse_fine

#: The 裁量阶次, mildest first.
LEVELS: tuple[str, ...] = ("轻微", "一般", "较重", "严重")
#: Names of a tier's fields in YAML rows (Chinese first, as the data is written).
FIELDS = {"档次": "level", "level": "level", "违法程度": "level", "裁量阶次": "level",
          "情节": "circumstances", "circumstances": "circumstances", "适用情形": "circumstances",
          "幅度": "range", "range": "range", "处罚标准": "range", "罚款幅度": "range",
          "其他处罚": "others", "others": "others", "其他": "others"}
_SEPARATOR_RE = re.compile(r"\s*[|｜]\s*")
_FINE_WORDS_RE = re.compile(r"^(?:并处|处以?|罚款)?(?P<body>.*?)(?:的?罚款)?$")
_HAS_AMOUNT_RE = re.compile(r"\d|[一二三四五六七八九十百千万]+(?:万元|元|倍)|百分之|千分之")


@dataclass(frozen=True)
class Tier:
    """One graded tier of a 裁量基准 entry.

    Attributes:
        level: 轻微, 一般, 较重 or 严重.
        circumstances: 情节: when the tier applies, as written.
        range_text: 幅度 as written (``处2万元以上3万元以下的罚款``); ``""`` when the tier imposes no fine.
        min, max, unit, base: the fine read from ``range_text`` (units as the penalty model has them).
        min_text, max_text: the written bounds, for messages that quote them.
        others: sanctions besides the fine (责令改正, 没收违法所得 …), as text.
        line: where the tier is written (YAML line or spreadsheet row).
    """

    level: str
    circumstances: str
    range_text: str = ""
    min: int | float | None = None
    max: int | float | None = None
    unit: str | None = None
    base: str | None = None
    min_text: str = ""
    max_text: str = ""
    others: str = ""
    line: int = 0

    @property
    def has_fine(self) -> bool:
        return self.min is not None or self.max is not None

    def amount_text(self) -> str:
        """The fine as a range in words: ``1万元至3万元``, ``工程合同价款百分之二至百分之三``, ``5万元以下``."""
        base = self.base or ""
        if self.min_text and self.max_text:
            return base + (self.min_text if self.min_text == self.max_text else f"{self.min_text}至{self.max_text}")
        if self.max_text:
            return f"{base}{self.max_text}以下"
        if self.min_text:
            return f"{base}{self.min_text}以上"
        return ""

    def line_text(self) -> str:
        """The tier in the one-line form spreadsheets use: ``一般 | 情节 | 幅度 | 其他处罚``."""
        parts = [self.level, self.circumstances, self.range_text]
        if self.others:
            parts.append(self.others)
        return " | ".join(parts)


def parse_tiers(raw: str | list[str], lines: list[int]) -> tuple[list[Tier], list[tuple[int, str, str]]]:
    """The tiers of one cell and the problems ``(line, message, hint)`` of those that cannot be read.

    Args:
        raw: the cell: a list (YAML sequence; mappings arrive serialised) or text, one tier a line.
        lines: the line of each list element (the row's line for text cells).
    """
    items = raw if isinstance(raw, list) else [line for line in raw.split("\n") if line.strip()]
    tiers: list[Tier] = []
    problems: list[tuple[int, str, str]] = []
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else (lines[-1] if lines else 0)
        fields, why = _fields(str(item))
        if why:
            problems.append((line, why, "每档写成“档次 | 情节 | 幅度 | 其他处罚”，或写档次、情节、幅度三个字段。"))
            continue
        tier, wrong = _tier(fields, line)
        if wrong:
            problems.append((line, *wrong))
            continue
        if tier is not None:
            tiers.append(tier)
    seen: set[str] = set()
    for tier in tiers:
        if tier.level in seen:
            problems.append((tier.line, f"裁量档次“{tier.level}”重复。",
                             "每个档次只写一次；同一档的不同情形写在同一“情节”中。"))
        seen.add(tier.level)
    return tiers, problems


def _fields(item: str) -> tuple[dict[str, str], str]:
    """A tier's fields: from a YAML mapping (serialised by the row reader) or a ``|``-separated line."""
    text = item.strip()
    pairs = _yaml_mapping(text) if ":" in text else None
    if pairs is not None:
        out: dict[str, str] = {}
        for key, cell in pairs:
            name = FIELDS.get(str(key).strip())
            if name is None:
                return {}, f"裁量档次中有未知字段“{key}”（可写档次、情节、幅度、其他处罚）。"
            out[name] = "" if cell is None else str(cell).strip()
        return out, ""
    parts = _SEPARATOR_RE.split(text)
    if len(parts) < 3:
        return {}, f"裁量档次“{text[:40]}”应至少有档次、情节、幅度三部分（用 | 分隔）。"
    return {"level": parts[0], "circumstances": parts[1], "range": parts[2], "others": "；".join(parts[3:])}, ""


@lru_cache(maxsize=8192)
def _yaml_mapping(text: str) -> tuple[tuple[object, object], ...] | None:
    """The items of ``text`` when it is a YAML mapping, else None.

    Kept per text: YAML parsing is most of the time spent on tiers, and `mkdocs serve` reads the
    same tiers again on every rebuild (the items are immutable, so sharing them is safe).
    """
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return tuple(value.items()) if isinstance(value, dict) else None


def _tier(fields: dict[str, str], line: int) -> tuple[Tier | None, tuple[str, str] | None]:
    level = "".join(fields.get("level", "").split()).removesuffix("档")
    if level not in LEVELS:
        return None, (f"裁量档次“{fields.get('level', '')}”无法识别。", f"档次可写：{'、'.join(LEVELS)}。")
    circumstances = fields.get("circumstances", "").strip()
    if not circumstances:
        return None, (f"“{level}”档没有写情节（适用情形）。", "请写明适用该档的情节，例如“首次违法，及时改正”。")
    range_text = fields.get("range", "").strip()
    others = fields.get("others", "").strip()
    if not range_text or not _HAS_AMOUNT_RE.search(range_text):
        # No amount: the tier imposes other sanctions only (不予罚款, 责令改正 …).
        others = "；".join(p for p in (range_text, others) if p and p not in ("无", "—", "-"))
        return Tier(level, circumstances, others=others, line=line), None
    match = _FINE_WORDS_RE.match(range_text.replace(" ", ""))
    fine = parse_fine(match.group("body") if match else range_text)
    if fine is None or (fine.min is None and fine.max is None):
        return None, (f"“{level}”档的幅度“{range_text}”无法读取。",
                      "请按条文的写法书写，例如“处2万元以上3万元以下的罚款”或“工程合同价款百分之二以上百分之三以下”。")
    if fine.min is not None and fine.max is not None and fine.min > fine.max:
        return None, (f"“{level}”档的幅度“{range_text}”下限高于上限。", "请检查上下限是否写反。")
    return Tier(level, circumstances, range_text, fine.min, fine.max, fine.unit, fine.base, fine.min_text,
                fine.max_text, others, line), None
