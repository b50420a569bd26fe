"""Chinese numerals <-> integers, as used in article, chapter and paragraph numbers.

Statutes number articles in Chinese numerals (第一百零三条), people type Arabic ones
(第103条, 103条); both must land on the same article. Pure functions, no I/O.
"""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}
_SMALL = "零一二三四五六七八九"

#: Characters that may make up a Chinese numeral (for building regular expressions).
NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)
#: A regular-expression class matching one Chinese-numeral, Arabic or full-width digit.
NUMBER_CLASS = f"[{NUMERAL_CHARS}0-9０-９]"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(text: str) -> int:
    """Convert a Chinese (or Arabic, or full-width) numeral to an integer.

    >>> cn_to_int("一百零三")
    103
    >>> cn_to_int("十二")
    12
    >>> cn_to_int("６４")
    64

    Raises:
        ValueError: when the text is not a numeral.
    """
    text = text.strip().translate(_FULLWIDTH_DIGITS)
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    # Positional form without units: 二〇一九 -> 2019.
    if all(ch in _DIGITS for ch in text):
        if len(text) == 1:
            return _DIGITS[text]
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0  # completed 万 groups
    section = 0  # value below 万
    digit = 0
    pending = False
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            pending = True
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                section += digit
                total += (section or 1) * unit
                section = 0
            else:
                # A bare 十 at the start means 一十 (十二 = 12).
                section += (digit if pending else 1) * unit
            digit = 0
            pending = False
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + digit


def int_to_cn(number: int) -> str:
    """Convert a non-negative integer to the numeral form used in statutes.

    >>> int_to_cn(103)
    '一百零三'
    >>> int_to_cn(12)
    '十二'
    >>> int_to_cn(110)
    '一百一十'
    """
    if number < 0:
        raise ValueError("negative numbers have no statute numeral")
    if number == 0:
        return "零"
    if number >= 10000:
        high, low = divmod(number, 10000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + int_to_cn(low)
        return int_to_cn(high) + "万" + rest
    parts: list[str] = []
    units = [(1000, "千"), (100, "百"), (10, "十")]
    zero = False
    for value, name in units:
        digit, number = divmod(number, value)
        if digit:
            if zero:
                parts.append("零")
                zero = False
            parts.append(_SMALL[digit] + name)
        elif parts:
            zero = True
    if number:
        if zero:
            parts.append("零")
        parts.append(_SMALL[number])
    result = "".join(parts)
    # Statutes write 十二, not 一十二, but 一百一十 keeps its 一.
    if result.startswith("一十"):
        result = result[1:]
    return result


ARTICLE_LABEL_RE = re.compile(
    rf"^第(?P<num>{NUMBER_CLASS}+)条(?:之(?P<suffix>{NUMBER_CLASS}+))?"
)


def article_label(number: int, suffix: int = 0) -> str:
    """The label of an article as printed in the statute.

    >>> article_label(10, 1)
    '第十条之一'
    """
    label = f"第{int_to_cn(number)}条"
    return f"{label}之{int_to_cn(suffix)}" if suffix else label


def parse_article_label(label: str) -> tuple[int, int]:
    """Parse ``第十条之一`` / ``第64条`` into ``(number, suffix)``.

    >>> parse_article_label("第十条之一")
    (10, 1)

    Raises:
        ValueError: when the text does not start with an article label.
    """
    match = ARTICLE_LABEL_RE.match(label.strip())
    if not match:
        raise ValueError(f"not an article label: {label!r}")
    suffix = match.group("suffix")
    return cn_to_int(match.group("num")), cn_to_int(suffix) if suffix else 0


_DECIMAL_POINTS = ".．点"


def cn_to_number(text: str) -> int | float:
    """Convert an amount as statutes write it, decimals included, to a number.

    Fines are written ``0.5%``, ``百分之零点五``, ``二十万`` or ``1000``; whole numbers come back
    as ``int`` so that 50 stays ``50`` in JSON and spreadsheets.

    >>> cn_to_number("二十万")
    200000
    >>> cn_to_number("0.5")
    0.5
    >>> cn_to_number("零点五")
    0.5

    Raises:
        ValueError: when the text is not a numeral.
    """
    text = text.strip().translate(_FULLWIDTH_DIGITS)
    point = next((i for i, ch in enumerate(text) if ch in _DECIMAL_POINTS), -1)
    if point < 0:
        return cn_to_int(text)
    whole, fraction = text[:point], text[point + 1 :]
    if not whole or not fraction:
        raise ValueError(f"decimal point without digits on both sides: {text!r}")
    digits = "".join(str(_DIGITS[ch]) if ch in _DIGITS else ch for ch in fraction)
    if not digits.isdigit():
        raise ValueError(f"not a decimal numeral: {text!r}")
    value = float(f"{cn_to_int(whole)}.{digits}")
    return int(value) if value.is_integer() else value
