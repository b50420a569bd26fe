"""文号 from a regulation's header lines (its history), for the importer and for pages without one.

The official texts name the number in the line that announces promulgation: 中华人民共和国国务院令
第279号, 浙江省人民代表大会常务委员会公告第44号, 法释〔2020〕25号, 某建〔2023〕1号. The texts of
法律 as published carry only the meeting lines (no 主席令 number), so those stay without one;
nothing here invents a number the text does not give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kb_tools.numerals import NUMBER_CLASS

_N = NUMBER_CLASS
# 主席令第N号, 国务院令第N号, 住房和城乡建设部令第N号, 浙江省人民政府令第N号, …公告第N号
_ORDER_RE = re.compile(
    rf"((?:中华人民共和国)?[\u4e00-\u9fff]{{0,20}}?(?:主席令|国务院令|令|公告)\s*第\s*{_N}+\s*号)"
)
# 法释〔2020〕25号, 浙建〔2019〕3号; the brackets are often typed as [ ] ［ ］ 【 】 or （ ）.
_BRACKET_RE = re.compile(r"([\u4e00-\u9fff]{1,10})\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?\s*(\d+)\s*号")
_LEAD_RE = re.compile(r"^(?:.*?(?:以|经|由|发布|公布|通过|根据))?")


def doc_number_from_history(lines: Iterable[str]) -> str:
    """The latest 文号 named in ``lines`` (a later amendment's order replaces the first), or "".

    Only the part after the date is read, and words such as 以/公布 before the issuer are
    dropped, so ``2016年7月29日 浙江省人民代表大会常务委员会公告第44号公布`` gives
    ``浙江省人民代表大会常务委员会公告第44号``.
    """
    found = ""
    for line in lines:
        text = re.sub(r"^\s*\S*?\d{4}年\d{1,2}月\d{1,2}日\s*", "", str(line))
        for match in _ORDER_RE.finditer(text):
            found = _trim(match.group(1).replace(" ", ""))
        for match in _BRACKET_RE.finditer(text):
            found = f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号"
    return found


def _trim(number: str) -> str:
    """Drop words that precede the issuer (以, 经…公布) but keep 中华人民共和国 and the issuer."""
    for word in ("以", "经", "由"):
        if number.startswith(word):
            number = number[len(word):]
    return number
