"""Read the 罚则 out of one article: the acts, the provisions violated, each sanction and its range.

Statutes write penalties in one shape — "违反本法规定，<act>的，由<body>责令改正，处<range>的罚款；
情节严重的，<more>" — and this module follows that shape clause by clause instead of guessing from
keywords: the article is split into 款 (with their listed items), clauses (；), and segments (，).
Segments before the first sanction are the acts; a segment ending in 的 after a sanction opens a
graded tier; "对<whom>" names the target; "由<body>" the imposing body.

Honesty comes first. Every amount, percentage and base is read from the article's words and kept
with them; a segment that looks like a sanction (a trigger word such as 罚, 吊销, 责令) but fits no
pattern is reported verbatim in ``unread`` and the article is marked incomplete, never guessed.
Criminal and civil consequences (刑事责任, 赔偿) are not administrative sanctions and are skipped.
Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from kb_tools.laws.model import article_anchor
from kb_tools.numerals import NUMERAL_CHARS, article_label, cn_to_int, cn_to_number, parse_article_label
from kb_tools.penalties.model import PenaltyArticle, Sanction

# --- text shapes -------------------------------------------------------------------------------

_NUM = f"[{NUMERAL_CHARS}0-9０-９.．点]"
_ITEM_RE = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*")
_LIST_LEAD_RE = re.compile(r"下列(?:[^，；。]{0,8}?)(?:行为|情形|情况|活动|事项|违法行为)")
_VIOLATION_LEAD_RE = re.compile(r"^(?:违反|依照)(?:本(?:法|条例|规定|办法|细则)|前款|本条)[^，；。]*?规定$")
_MODAL = "可以|可|并|依法依规|依法|分别|予以|单|或者|同时|还|应当|再|即|直至|也|另"
_MODAL_RE = re.compile(rf"^(?:{_MODAL})+")
_VERBS = "责令|处以?|给予|没收|吊销|降低|取消|警告|通报|追回|收回|暂扣|暂停|禁止|予以|撤销|取缔|恢复|限期"
_AUTHORITY_RE = re.compile(
    rf"^(?:{_MODAL})*由(?P<body>[^，；。]+?)(?:依据职权|依据管理职权|按照职责分工|依照职责|依法)?"
    rf"(?=(?:{_MODAL})*(?:{_VERBS})|对|$)"
)
_TARGET_RE = re.compile(
    rf"^对(?P<who>.+?)(?=(?:{_MODAL})*(?:处以?|给予|予以|没收|责令|吊销|降低|取消|警告|通报|追回|暂停|禁止|依照|按照|"
    rf"追究|根据|比照)|$)"
)
_WHO_SUFFIX = (
    "人员", "单位", "个人", "企业", "机构", "用户", "成员", "负责人", "组织", "者", "人", "部门",
    "机关", "中心", "公司", "业主", "法人",
)
_AUTHORITY_SUFFIX = (
    "部门", "机关", "政府", "机构", "中心", "委员会", "办事处", "单位", "局", "委", "院", "组织",
)
# Words pointing back at an earlier 款 ("除依照前款规定处罚外"): sanctions may follow without a new act.
_EARLIER_RE = re.compile(r"前款|前两款|前三款|前项|本条第[一二三四五六七八九十]+款|上述|该款")
# The earlier 款's acts themselves ("有前款所列行为", "有前款第一项、第三项所列行为之一的"): what follows
# is a graded part of them, not a new act ("修建前款所列工程设施的" is a new act).
_REFERENCE_RE = re.compile(
    r"(?:前款|前两款|前三款|本条第[一二三四五六七八九十]+款|上述|该款)(?:规定|所列|所述)?的?"
    r"(?:第[^，；。]{1,16}?项)?(?:所列|规定)?的?(?:违法)?(?:行为|情形)"
)
_TIER_START = (
    "情节", "逾期", "有违法所得", "违法所得", "没有违法所得", "无违法所得", "造成", "导致", "致使",
    "给", "拒不", "经", "尚可", "无法", "不能", "构成", "不构成", "尚不构成", "尚不够", "尚未", "再次",
    "屡次", "发生", "危及", "未中标", "多次", "有前款", "其中", "属于", "数额", "有收益",
)
_CRIMINAL_RE = re.compile(r"刑事责任|刑事处罚|刑法|有期徒刑|拘役|管制|罚金|死刑|无期徒刑|剥夺政治权利|犯罪")
_CIVIL_RE = re.compile(r"赔偿|连带|返工|修理|无效|不予退还|承担[^，；。]*责任|^除[^，；。]*外$")
_TRIGGER_RE = re.compile(
    r"罚款|没收|吊销|责令|给予[^，；。]*处分|警告|通报批评|取消[^，；。]*资格|降低资质等级|不予注册|停止执业|暂扣|"
    r"拘留|取缔|追回|限期改正|限期拆除|禁止[^，；。]*(?:参加|代理|从事)|"
    r"(?:依照|按照|依据|依)[^，；。]*(?:处罚|追究法律责任)$|予以处罚$"
)
# Words that say a sanction is not imposed, or only talk about sanctions in general.
_NEGATED_RE = re.compile(
    r"不予|不得|不再|免予|从轻|减轻|不停止|行政处罚决定|处罚决定书|设定|被告|被申请人|监护人|限额|"
    r"罚款数额高|缴纳罚款|加收|加处|抵缴|受理|纠正"
)
# Orders in procedure (a court or a reviewing body ordering an agency), not sanctions.
_NOT_AN_ORDER_RE = re.compile(
    r"被告|被申请人|监护人|机关|处罚|部门作出|重新作出|提交|受理|说明理由|应当|载明|最长|不得"
)
# A sanction word inside a mention ("本法规定的责令停业整顿…的行政处罚", "作出责令停止建设的决定后").
_MENTION_RE = re.compile(r"规定的|作出|的行政处罚$|的处罚$|决定|的行为$|的种类|建议")

_FINE = rf"(?:单处或者并处|处以?|(?<=或者)(?={_NUM}))(?P<fbody>[^，；。警]{{0,80}}?)的?罚款(?!数额|金额|额)"
# "按照事故造成的直接经济损失的一倍以上三倍以下计算罚款", "罚款额为违法所得的10%以上50%以下".
_FINE_COMPUTED = r"按照?(?P<cbody>[^，；。]{0,60}?)计算罚款|罚款额为(?P<abody>[^，；。]{1,60})"
_CONFISCATE = r"没收(?:其)?(?P<obj>[^，；。]*?)(?=并处|，|；|。|$)"
_GENERIC_STOP = r"(?=或者|并处|并|、|，|；|。|$)"

#: (kind, pattern) in priority order: at one position the first that matches wins.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("处分", r"给予(?P<who>[^，；。]{0,30}?人员)?[^，；。]{0,30}?处分"),
    ("警告", r"处警告"),
    ("拘留", rf"处?{_NUM}+日(?:以上{_NUM}+日)?以下的?(?:行政)?拘留|处[^，；。]{{0,20}}?拘留"),
    ("罚款", _FINE),
    ("罚款", _FINE_COMPUTED),
    ("*没收", r"予以没收"),
    ("*没收", _CONFISCATE),
    ("责令停止违法行为", r"责令(?:其)?(?:立即)?停止违法行为"),
    ("责令停止施工", r"责令[^，；。、]{0,12}?停止施工"),
    ("停止执业", r"(?:责令)?(?:其)?停止执业[^，；。、]*?" + _GENERIC_STOP),
    ("责令停业整顿", r"责令[^，；。、]{0,12}?(?:停产)?停业整顿"),
    ("限期拆除", r"(?:责令)?(?:其)?限期拆除(?:（[^）]*）)?"),
    ("恢复原状", r"(?:责令)?(?:其)?(?:限期)?恢复原状"),
    ("责令改正", r"责令(?:其)?(?:限期|立即)?改正(?:违法行为)?|限期改正"),
    ("降低资质等级", r"降低(?:其)?资质等级"),
    ("吊销资质证书", r"吊销(?:其)?资质证书"),
    ("吊销营业执照", r"吊销(?:其)?营业执照"),
    ("吊销执业资格证书", r"吊销(?:其)?执业资格证书"),
    ("不予注册", rf"(?:{_NUM}+年(?:以内|内)|终身)?不予注册"),
    ("通报批评", r"(?:给予|予以)?通报批评"),
    ("通报", r"予以通报"),
    ("警告", r"(?:给予|予以)?警告"),
    ("取缔", r"(?:予以)?取缔"),
    ("拆除", r"(?:可以|予以|依法)拆除"),
    ("*words", r"(?:责令|限期)(?:其)?[^，；。、]+?" + _GENERIC_STOP),
    ("*words", r"(?:暂扣或者)?吊销(?:其)?[^，；。、]+?(?:证件|证书|许可证|执照|资格|资质|证|照)"),
    ("*words", r"暂扣(?:其)?[^，；。、]+?(?:证件|证书|许可证|执照|证|照)"),
    ("*words", r"取消(?:其)?[^，；。]+(?:资格|项目|活动|业务)(?:并予以公告)?"),
    ("*words", r"禁止(?:其)?[^，；。]+"),
    ("*words", r"(?:暂停|追回|收回)[^，；。、]+?" + _GENERIC_STOP),
)
_SANCTION_RE = re.compile("|".join(f"(?P<p{i}>{pattern})" for i, (_, pattern) in enumerate(_PATTERNS)))
_MODAL_BEFORE_RE = re.compile(rf"(?:{_MODAL})+$")
# Time spans dropped from an order's words to name its kind ("取消其一年至二年内参加…的投标资格").
_SPAN_RE = re.compile(
    rf"{_NUM}+(?:个月|年|日)(?:(?:至|到|以上){_NUM}+(?:个月|年|日))?(?:以内|内|以下)?|一定期限内|终身"
)

# Every pattern above and every trigger contains one of these: an article without any is skipped.
_ANY_SANCTION_WORD_RE = re.compile(
    r"罚|没收|吊销|责令|处分|警告|通报|取缔|拘留|资格|注册|执业|停业|拆除|限期|暂扣|暂停|禁止|收回|追回|"
    r"恢复原状|降低|追究法律责任"
)

# --- amounts -----------------------------------------------------------------------------------

_AMOUNT_RE = re.compile(
    rf"(?P<share>百分之|千分之)(?P<snum>{_NUM}+)"
    rf"|(?P<num>{_NUM}+?)(?P<unit>万元|亿元|元|倍|%|％|‰)"
)
#: The shapes a range takes once each amount is replaced by @, and which bounds they give
#: (a: lower only, b: upper only, ab: both, =: a fixed amount).
_RANGE_FORMS = (
    (re.compile(r"^@以上@以下$"), "ab"),
    (re.compile(r"^@(?:至|到|－|-|~|～)@$"), "ab"),
    (re.compile(r"^@以下$"), "b"),
    (re.compile(r"^(?:不超过|不高于|最高)@$"), "b"),
    (re.compile(r"^@以上$"), "a"),
    (re.compile(r"^@$"), "="),
)
_YUAN = {"元": 1, "万元": 10_000, "亿元": 100_000_000}


@dataclass(frozen=True)
class _Amount:
    value: int | float
    unit: str
    text: str


def _amount(match: re.Match[str]) -> _Amount:
    if match.group("share"):
        unit = "%" if match.group("share") == "百分之" else "‰"
        return _Amount(cn_to_number(match.group("snum")), unit, match.group(0))
    unit = {"％": "%"}.get(match.group("unit"), match.group("unit"))
    return _Amount(cn_to_number(match.group("num")), unit, match.group(0))


def read_amount(text: str) -> tuple[int | float, str] | None:
    """One written amount (``百分之二``, ``5万元``, ``一倍``) as (number, unit), or None."""
    match = _AMOUNT_RE.fullmatch(text)
    if not match:
        return None
    try:
        amount = _amount(match)
    except ValueError:
        return None
    return amount.value, amount.unit


def in_unit(value: int | float, written: str, unit: str) -> int | float | None:
    """``value`` (in ``written`` units) expressed in ``unit``; None when they do not convert."""
    if written == unit:
        return value
    if unit == "元" and written in _YUAN:
        return _scale(value, _YUAN[written])
    return None


def _scale(value: int | float, factor: int) -> int | float:
    scaled = value * factor
    return int(scaled) if float(scaled).is_integer() else scaled


@dataclass(frozen=True)
class FineRange:
    """A fine's range as read from ``处<base><range>的罚款``."""

    min: int | float | None = None
    max: int | float | None = None
    unit: str | None = None
    base: str | None = None
    min_text: str = ""
    max_text: str = ""


def parse_fine(body: str) -> FineRange | None:
    """Read the words between 处 and 罚款; ``None`` when they do not fit a known form.

    >>> parse_fine("工程合同价款百分之二以上百分之四以下")
    FineRange(min=2, max=4, unit='%', base='工程合同价款', min_text='百分之二', max_text='百分之四')
    >>> parse_fine("5000元以上5万元以下").max
    50000
    >>> parse_fine("")
    FineRange(min=None, max=None, unit=None, base=None, min_text='', max_text='')
    """
    body = body.strip().removesuffix("的")
    if not body:
        return FineRange()  # "处以罚款": a fine without a range
    try:
        found = [(match, _amount(match)) for match in _AMOUNT_RE.finditer(body)]
    except ValueError:
        return None
    if not 1 <= len(found) <= 2:
        return None
    base = body[: found[0][0].start()]
    base = re.sub(r"(?:不超过|不高于|最高)$", "", base)
    shape = body[len(base) :]
    for match, _ in reversed(found):  # "百分之二以上百分之四以下" -> "@以上@以下"
        shape = shape[: match.start() - len(base)] + "@" + shape[match.end() - len(base) :]
    base = base.strip().removeprefix("按").removesuffix("的").removesuffix("人民币")
    amounts = [amount for _, amount in found]
    slots = next((slots for form, slots in _RANGE_FORMS if form.match(shape)), None)
    if slots is None or len(amounts) != (1 if slots == "=" else len(slots)):
        return None
    units = {a.unit for a in amounts}
    if len(units) == 1 and "亿元" not in units:
        unit, numbers = amounts[0].unit, [a.value for a in amounts]
    elif units <= set(_YUAN):  # "5000元以上5万元以下": both in 元
        unit, numbers = "元", [_scale(a.value, _YUAN[a.unit]) for a in amounts]
    else:
        return None
    if (unit in ("倍", "%", "‰")) != bool(base) and "每" not in base:
        return None  # a share needs its base; a fixed amount has none, unless it is a rate (每平方米)
    texts = [a.text for a in amounts]
    low, high = {"ab": (0, 1), "b": (None, 0), "a": (0, None), "=": (0, 0)}[slots]
    return FineRange(
        min=None if low is None else numbers[low],
        max=None if high is None else numbers[high],
        unit=unit,
        base=base or None,
        min_text="" if low is None else texts[low],
        max_text="" if high is None else texts[high],
    )


# --- structure ---------------------------------------------------------------------------------


def _split(text: str, marks: str) -> list[str]:
    """Split on any of ``marks`` outside （…） brackets, dropping empty parts."""
    if "（" not in text and "(" not in text:
        return [p.strip() for p in re.split(f"[{marks}]", text) if p.strip()]
    parts: list[str] = []
    depth = 0
    buf: list[str] = []
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        if ch in marks and not depth:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p.strip() for p in parts if p.strip()]


def _paragraphs(body: str) -> list[tuple[str, list[str]]]:
    """款 with their listed items: ``[(lead, [item, …]), …]``."""
    result: list[tuple[str, list[str]]] = []
    for line in body.split("\n"):
        line = line.strip()
        if not line:
            continue
        if _ITEM_RE.match(line) and result:
            result[-1][1].append(_ITEM_RE.sub("", line).rstrip("；;。，,：:"))
        else:
            result.append((line, []))
    return result


_VIOLATES_RE = re.compile(
    r"(?:违反|未按照|未依照|不按照|不依照|不具备|不符合|有)本(?:法|条例|规定|办法|细则)"
    rf"(?P<refs>(?:第{_NUM}+条(?:之{_NUM}+)?(?:第{_NUM}+款)?(?:第{_NUM}+项)?"
    rf"(?:(?:至|到)第{_NUM}+[条款项])?(?:、|和|及|或者|以及)?)+)"
)
_REF_RE = re.compile(
    rf"第(?P<n>{_NUM}+)条(?:之(?P<s>{_NUM}+))?(?:第{_NUM}+款)?(?:第{_NUM}+项)?(?:(?:至|到)第(?P<to>{_NUM}+)条)?"
)


def find_violated(text: str) -> tuple[str, ...]:
    """第N条 of the same regulation that the text names as violated.

    >>> find_violated("违反本条例第十九条第二款至第四款和第二十条第一款、第二款规定的")
    ('第十九条', '第二十条')
    >>> find_violated("违反本法第十条至第十二条规定")
    ('第十条', '第十一条', '第十二条')
    """
    found: dict[str, None] = {}
    for match in _VIOLATES_RE.finditer(text):
        for ref in _REF_RE.finditer(match.group("refs")):
            try:
                start = cn_to_int(ref.group("n"))
                suffix = cn_to_int(ref.group("s")) if ref.group("s") else 0
                end = cn_to_int(ref.group("to")) if ref.group("to") else start
            except ValueError:
                continue
            if end < start or end - start > 50:
                end = start
            for number in range(start, end + 1):
                found[article_label(number, suffix if number == start else 0)] = None
    return tuple(found)


@dataclass
class _State:
    """What one 款 has read so far; reset between 款, partly between clauses."""

    paragraph: int
    acts: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # act words not yet closed by 的
    pending_tier: list[str] = field(default_factory=list)
    in_sanctions: bool = False
    condition: bool = False  # an act, tier or reference seen: sanctions may follow
    violation: bool = False  # the 款 began "违反本法…规定"
    reference: bool = False  # "有前款所列行为…"
    tier: str | None = None
    target: str | None = None
    authority: str | None = None  # "由<body>" last named; recorded once a sanction follows


@dataclass
class _Article:
    acts: list[str] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def _authority(segment: str) -> re.Match[str] | None:
    """``由<body>…``, when the body names an office (not "由两个以上的单位联合承包")."""
    match = _AUTHORITY_RE.match(segment)
    if match and match.group("body").endswith(_AUTHORITY_SUFFIX):
        return match
    return None


def _clean_act(text: str) -> str:
    text = text.strip("，, ")
    text = re.sub(r"^(?:或者|以及|或)", "", text)
    return text.rstrip("：:；;。")


# "货值金额不足1万元的", "违法所得五万元以上的": thresholds that grade, not acts.
_THRESHOLD_RE = re.compile(r"(?:货值|金额|数额|所得|收入|损失)[^，；。]*(?:不足|以上|以下|超过|未达到)[^，；。]*的$")


def _is_tier_words(text: str) -> bool:
    return text.startswith(_TIER_START) or bool(_THRESHOLD_RE.search(text))


def _who_or_tier(who: str) -> tuple[str | None, str | None]:
    """``对<who>``: a target when it names someone, else a condition (tier)."""
    who = who.strip("，, ")
    if who.endswith("的"):
        return None, who
    if who.endswith(_WHO_SUFFIX) or not re.search(r"项目|行为|情形|情况|违反|规定", who):
        return who, None
    return None, "对" + who


class _Reader:
    """Reads one article; kept as a small class so each step reads as one method."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.out = _Article()
        self.probing = False  # while only asking whether a segment imposes anything

    def read(self) -> _Article:
        paragraphs = _paragraphs(self.body)
        per_paragraph: list[tuple[list[str], bool, bool]] = []
        for number, (lead, items) in enumerate(paragraphs, start=1):
            before = (len(self.out.sanctions), len(self.out.unread))
            state = _State(paragraph=number)
            acts_from_items = bool(items) and bool(_LIST_LEAD_RE.search(lead))
            # Items under "下列措施/下列行政处罚" list powers or kinds, not acts: they impose nothing.
            listed_other = bool(items) and "下列" in lead and not acts_from_items
            inline = items and not (acts_from_items or listed_other)
            text = lead.rstrip("：:") + "；" + "；".join(items) if inline else lead
            for sentence in _split(text, "。"):
                for clause in _split(sentence, "；;"):
                    self._clause(clause, state, items if acts_from_items else [])
                    self._close_pending(state)
                    state.tier = None
                    state.target = None
                    state.pending_tier = []
            if acts_from_items:
                state.acts.extend(_clean_act(i) for i in items if _clean_act(i))
            punished = (len(self.out.sanctions), len(self.out.unread)) != before
            per_paragraph.append((state.acts, punished, state.reference))
        for index, (acts, punished, _) in enumerate(per_paragraph):
            follows = index + 1 < len(per_paragraph) and all(per_paragraph[index + 1][1:])
            if punished or follows:
                self.out.acts.extend(a for a in acts if a not in self.out.acts)
        return self.out

    # one clause (between ；) ------------------------------------------------------------------

    def _clause(self, clause: str, state: _State, items: list[str]) -> None:
        segments = _split(clause, "，,")
        for position, segment in enumerate(segments):
            self._segment(segment, state, clause, at_start=position == 0, items=items)

    def _segment(self, segment: str, state: _State, clause: str, *, at_start: bool, items: list[str]) -> None:
        segment = segment.rstrip("：:")
        if not segment:
            return
        if segment.endswith("者") and _LIST_LEAD_RE.search(segment) and not state.in_sanctions:
            state.condition = True  # "有下列行为之一者": the listed items are the acts
            state.pending = []
            return
        if _VIOLATION_LEAD_RE.match(segment):
            state.violation = True
            if state.pending and not state.in_sanctions:
                state.pending.append(segment)  # "…的工作人员，违反本法规定，滥用职权…": part of the act
            return
        if not state.in_sanctions:
            self._act_zone(segment, state, clause, items)
        else:
            self._sanction_zone(segment, state, clause, at_start=at_start)

    def _act_zone(self, segment: str, state: _State, clause: str, items: list[str]) -> None:
        if segment.endswith("的"):
            self._condition_in_act_zone(segment, state, items)
            return
        earlier = bool(_EARLIER_RE.search(segment)) and not segment.startswith("违反")
        target = _TARGET_RE.match(segment)
        if target and target.group("who").endswith(_WHO_SUFFIX) and (
            self._sanctions_in(segment, state, probe=True) is None
        ):
            self._close_pending(state)  # "对直接负责的主管人员和其他直接责任人员，依法给予处分"
            state.target = target.group("who")
            state.condition = state.condition or earlier
            state.reference = state.reference or (earlier and bool(_REFERENCE_RE.search(segment)))
            return
        if earlier and self._sanctions_in(segment, state, probe=True) is None:
            state.condition = True
            if _CIVIL_RE.search(segment):
                return  # "除依照前款规定处罚外": the sanctions that follow add to the earlier ones
            state.reference = state.reference or bool(_REFERENCE_RE.search(segment))
            state.pending.append(segment)
            return
        if _CRIMINAL_RE.search(segment) or _CIVIL_RE.search(segment):
            self._close_pending(state)
            return
        if self._sanctions_in(segment, state, probe=True) is not None:
            if (
                not state.condition and len(state.pending) == 1 and state.pending[0].startswith("对")
                and "的" in state.pending[0] and _authority(segment)
            ):
                self._close_pending(state, force=True)  # "对1年内违法超限运输超过3次的货运车辆，由…吊销…"
            self._close_pending(state)
            if state.condition:
                state.in_sanctions = True
                self._add(self._sanctions_in(segment, state) or [], state)
            return
        if _looks_like_sanction(segment) and (state.condition or state.violation):
            self._close_pending(state)
            if state.condition:
                state.in_sanctions = True
                self._unread(clause)
            return
        authority = _authority(segment)
        if authority:
            self._close_pending(state)
            state.authority = authority.group("body")
            return
        state.pending.append(segment)

    def _condition_in_act_zone(self, segment: str, state: _State, items: list[str]) -> None:
        words = "，".join([*state.pending, segment])
        earlier = bool(state.pending or state.acts or self.out.acts or items)
        if (state.reference or _REFERENCE_RE.search(words)) and not words.startswith("违反"):
            state.reference = True
            self._set_tier_or_target(segment if _is_tier_words(segment) else words, state)
        elif (_is_tier_words(segment) or _CRIMINAL_RE.search(segment)) and earlier:
            self._close_pending(state, force=True)
            state.tier = segment
        elif _LIST_LEAD_RE.search(segment):
            pass  # "有下列行为之一的": the items are the acts
        else:
            act = _clean_act(words)
            if act:
                state.acts.append(act)
        state.pending = []
        state.condition = True

    def _set_tier_or_target(self, words: str, state: _State) -> None:
        match = re.match(r"^(个人|单位)有(?:前款|本条第[一二三四五六七八九十]+款)[^，；。]*的$", words)
        if match:
            state.target = match.group(1)
            state.tier = None
        else:
            state.tier = words

    def _close_pending(self, state: _State, *, force: bool = False) -> None:
        """Pending words become an act when the 款 began with "违反…规定" (or when forced)."""
        if state.pending and (state.violation or force) and not state.reference:
            act = _clean_act("，".join(state.pending))
            if act:
                state.acts.append(act)
                state.condition = True
        state.pending = []

    def _sanction_zone(self, segment: str, state: _State, clause: str, *, at_start: bool) -> None:
        pending_tier, state.pending_tier = state.pending_tier, []
        if segment.endswith("的"):
            words = "，".join([*pending_tier, segment])
            if _REFERENCE_RE.search(words) and not words.startswith("违反"):
                self._set_tier_or_target(words, state)
            elif at_start and not _is_tier_words(words) and not _CRIMINAL_RE.search(words):
                act = _clean_act(words)
                if act:
                    state.acts.append(act)
                state.tier = None
            else:
                state.tier = words
            return
        if _CRIMINAL_RE.search(segment) or _CIVIL_RE.search(segment):
            return
        sanctions = self._sanctions_in(segment, state)
        if sanctions is not None:
            self._add(sanctions, state)
            return
        authority = _authority(segment)
        if authority:
            state.authority = authority.group("body")
            return
        target = _TARGET_RE.match(segment)
        if target and target.end() == len(segment):
            who, tier = _who_or_tier(target.group("who"))
            if who:
                state.target = who
            else:
                state.tier = tier
            return
        if _looks_like_sanction(segment):
            self._unread(clause)
            return
        state.pending_tier = [*pending_tier, segment]

    # sanctions inside one segment ----------------------------------------------------------

    def _sanctions_in(self, segment: str, state: _State, *, probe: bool = False) -> list[Sanction] | None:
        """The sanctions a segment imposes, or None when it imposes none (mentions excluded)."""
        self.probing = probe
        try:
            return self._read_sanctions(segment, state, probe=probe)
        finally:
            self.probing = False

    def _read_sanctions(self, segment: str, state: _State, *, probe: bool) -> list[Sanction] | None:
        rest = segment
        authority = _authority(rest)
        if authority and authority.end() < len(rest):
            rest = rest[authority.end() :]
            if not probe:
                state.authority = authority.group("body")
        target, tier = None, None
        who = _TARGET_RE.match(rest)
        if who and who.end() < len(rest):
            target, tier = _who_or_tier(who.group("who"))
            rest = rest[who.end() :]
        found: list[Sanction] = []
        for match in _SANCTION_RE.finditer(rest):
            kind = _PATTERNS[int(match.lastgroup[1:])][0]  # type: ignore[index]
            span = match.group(0)
            before = rest[: match.start()]
            after = rest[match.end() :]
            if _is_mention(before, after):
                continue
            if kind == "*words" and span.startswith("限期") and "应当" in before:
                continue  # "应当按照…限期回填…": an obligation, not an order imposed
            modal = _MODAL_BEFORE_RE.search(before)
            text = (modal.group(0) if modal else "") + span
            found.extend(self._make(kind, span, text, match, state))
        if not found:
            return None
        if probe:
            return found
        leftover = _SANCTION_RE.sub("", rest)
        if _looks_like_sanction(_MODAL_RE.sub("", leftover)):
            self._unread(segment)
        if target or tier:
            found = [replace(s, target=target or s.target, tier=tier or s.tier) for s in found]
            if target:
                state.target = target
        return found

    def _make(self, kind: str, span: str, text: str, match: re.Match[str], state: _State) -> list[Sanction]:
        base = Sanction(kind, text, tier=state.tier, target=state.target, paragraph=state.paragraph)
        if kind == "罚款":
            body = match.group("fbody") or match.group("cbody") or match.group("abody") or ""
            fine = parse_fine(body)
            if fine is None:
                self._unread(text)
                return [base]
            return [replace(base, min=fine.min, max=fine.max, unit=fine.unit, base=fine.base,
                            min_text=fine.min_text, max_text=fine.max_text)]
        if kind == "处分":
            who = match.group("who")
            return [replace(base, target=who) if who and not state.target else base]
        if kind == "*没收":
            return self._confiscations(span, base, state)
        if kind == "*words":
            if _NOT_AN_ORDER_RE.search(span):
                return []
            return [replace(base, kind=_words_kind(span))]
        return [base]

    def _confiscations(self, span: str, base: Sanction, state: _State) -> list[Sanction]:
        if span == "予以没收":
            tier = state.tier or ""
            if "违法所得" in tier:
                return [replace(base, kind="没收违法所得")]
            if "财物" in tier:
                return [replace(base, kind="没收非法财物")]
            self._unread(span)
            return []
        obj = span.removeprefix("没收").removeprefix("其")
        kinds: dict[str, None] = {}
        for part in re.split(r"或者|和|及|、", obj):
            if not part:
                continue
            kinds["没收违法所得" if ("违法所得" in part or "违法收入" in part) else "没收非法财物"] = None
        return [replace(base, kind=kind) for kind in kinds or ("没收非法财物",)]

    def _add(self, sanctions: list[Sanction], state: _State) -> None:
        self.out.sanctions.extend(sanctions)
        if state.authority and sanctions:
            self.out.authorities.append(state.authority)

    def _unread(self, words: str) -> None:
        if not self.probing and words not in self.out.unread:
            self.out.unread.append(words)


_MENTION_BEFORE_RE = re.compile(r"规定的|设定|不得|不予|不再|免予|免于|(?:作出|依照本[法条例规定办]+规定被)$")
_MENTION_AFTER_RE = re.compile(r"^(?:的决定|决定)|的(?:行政)?处罚(?:决定)?|处罚决定|决定书")


def _is_mention(before: str, after: str) -> bool:
    """A sanction word that names a decision, or says it is not imposed, rather than imposing it."""
    return bool(_MENTION_BEFORE_RE.search(before) or _MENTION_AFTER_RE.search(after))


def _looks_like_sanction(segment: str) -> bool:
    """Words that impose something the patterns did not read (to be reported, not dropped)."""
    return bool(_TRIGGER_RE.search(segment)) and not _NEGATED_RE.search(segment) and not _MENTION_RE.search(segment)


def _words_kind(span: str) -> str:
    """An order outside the vocabulary, named by its own words without 其 and time spans."""
    words = span.replace("其", "", 1) if span[2:3] == "其" else span
    words = _SPAN_RE.sub("", words).removesuffix("并予以公告")
    return words


def extract(article_text: str, law_title: str, label: str) -> PenaltyArticle | None:
    """The penalty an article imposes, or None when it imposes none.

    Args:
        article_text: the article's text, with or without its label (款 separated by newlines).
        law_title: the regulation's full title (kept on the result).
        label: the article label, ``第六十四条``.
    """
    body = article_text.strip()
    if body.startswith(label):
        body = body[len(label) :].lstrip(" \u3000")
    if not _ANY_SANCTION_WORD_RE.search(body):
        return None  # most articles: nothing to read
    read = _Reader(body).read()
    if not read.sanctions and not read.unread:
        return None
    number, suffix = parse_article_label(label)
    authorities = tuple(dict.fromkeys(a.strip() for a in read.authorities if a.strip()))
    return PenaltyArticle(
        law_title=law_title,
        article_label=label,
        anchor=article_anchor(number, suffix),
        acts=tuple(read.acts),
        violates=find_violated(body),
        sanctions=tuple(read.sanctions),
        authority="；".join(authorities) or None,
        complete=not read.unread,
        unread=tuple(read.unread),
    )
