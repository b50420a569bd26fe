"""Query parsing: what a staff member typed -> terms, phrases, exclusions, filters, references.

Syntax (all optional, mixed freely with plain words and questions):

* ``"exact phrase"`` (also “…” and 「…」): results must contain the phrase;
* ``-word``: results must not contain the word;
* ``level:法律`` / ``效力级别:法律``, ``status:有效`` / ``时效性:有效``, ``law:建筑法`` / ``法规:建筑法``,
  ``category:…`` / ``分类:…``, ``kind:article|section``;
* a regulation's name (full title, short title or alias, with or without 《》 and 中华人民共和国;
  with an article reference also a shortened name such as 复议法 or 物业条例) and an article
  reference (第六十四条, 第64条, 64条, 六十四条, 第十条之一) go straight to that article;
* a 文号 (国务院令第656号, 浙政发〔2020〕1号) finds its document.

Parsing never fails: unbalanced quotes, lone operators and control characters are dropped.
This module knows nothing of whoosh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb_tools.numerals import cn_to_int
from kb_tools.search import mechanisms
from kb_tools.search.analyzer import Analyzer, QueryTerm, normalise

#: Longest query text considered; the rest is ignored (a pasted page is not a query).
MAX_QUERY_CHARS = 500

FILTER_NAMES = {
    "level": "level", "效力级别": "level", "级别": "level",
    "status": "status", "时效性": "status", "时效": "status", "状态": "status",
    "law": "law", "法规": "law",
    "category": "category", "分类": "category",
    "kind": "kind", "类型": "kind",
}
_FILTER_RE = re.compile(r"(?<!\S)(" + "|".join(sorted(FILTER_NAMES, key=len, reverse=True)) + r")\s*[:：]\s*(\S+)")
_PHRASE_RE = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
_EXCLUDE_RE = re.compile(r"(?<!\S)-(\S+)")
_CN_NUM = "零一二三四五六七八九十百千两〇"
_ARTICLE_RE = re.compile(
    rf"第\s*(?P<cn>[{_CN_NUM}]+|\d+)\s*条(?:\s*之\s*(?P<suf>[{_CN_NUM}]+|\d+))?"
    rf"|(?<![\d.])(?P<ar>\d{{1,4}})\s*条(?:\s*之\s*(?P<suf2>[{_CN_NUM}]+|\d+))?"
    # 五十七条 without 第: a numeral of ten or more (one digit alone is too often a count: 两条路)
    rf"|(?<![第\d{_CN_NUM}])(?P<cn2>[{_CN_NUM}]*[十百][{_CN_NUM}]*)\s*条(?![例件])(?:\s*之\s*(?P<suf3>[{_CN_NUM}]+|\d+))?"
)
_DOCNO_RE = re.compile(
    r"[^\s〔\[(]*\s*[〔\[(]\s*\d{4}\s*[〕\])]\s*\d+\s*号|\S*?令\s*第?\s*\d+\s*号|(?:\S*?第\s*)?(?<![\d.])\d+\s*号令"
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff]")


@dataclass
class ParsedQuery:
    """A query taken apart.

    Attributes:
        text: the free text left after operators, names and references were taken out.
        terms: analysed query terms of the free text and the phrases (with weights and sources).
        phrases: normalised exact phrases the result must contain.
        excluded: normalised words the result must not contain.
        filters: field -> allowed values (``level``, ``status``, ``category``, ``kind``, and
            ``current``: slugs of the regulations a ``law:`` filter names).
        laws: slugs of regulations named in the query (current texts).
        article: ``(number, suffix)`` of an article reference, or None.
        doc_number: a normalised 文号 found in the query, or "".
    """

    text: str = ""
    terms: list[QueryTerm] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    laws: list[str] = field(default_factory=list)
    article: tuple[int, int] | None = None
    doc_number: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing to search for (no terms, no reference, no filter)."""
        return not (self.terms or self.phrases or self.laws or self.article or self.doc_number or self.filters)


def clean(text: str) -> str:
    """Drop control characters, cap the length, collapse whitespace.

    >>> clean("  违法\\x00建设\\t罚款  ")
    '违法建设 罚款'
    """
    text = _CONTROL_RE.sub("", str(text)[: MAX_QUERY_CHARS * 4])
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def parse_query(text: str, analyzer: Analyzer, names: dict[str, str] | None = None) -> ParsedQuery:
    """Take a query apart; never raises.

    Args:
        text: what the user typed.
        analyzer: the site's analyzer (the one the index was built with).
        names: normalised regulation name -> slug of its current text.
    """
    names = names or {}
    parsed = ParsedQuery()
    text = normalise(clean(text))

    def take_filter(m: re.Match[str]) -> str:
        name, value = FILTER_NAMES[m.group(1)], m.group(2).strip("\"'“”")
        if name == "law":
            slug = find_law(value, names)
            if slug:
                parsed.laws.append(slug)
                parsed.filters.setdefault("current", []).append(slug)
                return " "
            return " " + value + " "
        parsed.filters.setdefault(name, []).append(value)
        return " "

    text = _FILTER_RE.sub(take_filter, text)
    for m in _PHRASE_RE.finditer(text):
        phrase = next(g for g in m.groups() if g is not None).strip()
        if phrase:
            parsed.phrases.append(phrase)
    text = _PHRASE_RE.sub(" ", text)
    text = text.replace('"', " ").replace("“", " ").replace("”", " ").replace("「", " ").replace("」", " ")
    for m in _EXCLUDE_RE.finditer(text):
        word = m.group(1).strip("-")
        if word and any(ch.isalnum() for ch in word):
            parsed.excluded.append(word)
    text = _EXCLUDE_RE.sub(" ", text)

    docno = _DOCNO_RE.search(text)
    if docno:  # its documents come first; the other words rank them (国务院令第379号 专项维修资金)
        parsed.doc_number = query_docno(docno.group(0))
        text = text[: docno.start()] + " " + text[docno.end():]
    text = take_article(text, parsed)
    text = take_laws(text, names, parsed)
    text = take_abbreviation(text, names, parsed)
    parsed.text = " ".join(text.split())
    terms: dict[str, QueryTerm] = {}
    for part in [parsed.text, *parsed.phrases]:
        for term in analyzer.query_tokens(part):
            terms.setdefault(term.text, term)
    parsed.terms = list(terms.values())
    return parsed


def take_article(text: str, parsed: ParsedQuery) -> str:
    """Find the first article reference; remove it from the text."""
    m = _ARTICLE_RE.search(text)
    if not m:
        return text
    try:
        number = cn_to_int(m.group("cn") or m.group("ar") or m.group("cn2"))
        suf = m.group("suf") or m.group("suf2") or m.group("suf3")
        suffix = cn_to_int(suf) if suf else 0
    except ValueError:
        return text
    if number <= 0:
        return text
    parsed.article = (number, suffix)
    return text[: m.start()] + " " + text[m.end():]


def take_laws(text: str, names: dict[str, str], parsed: ParsedQuery) -> str:
    """Find regulation names (longest first); remove them from the text."""
    if not names:
        return text
    for name in sorted(names, key=len, reverse=True):
        if len(name) < 3 or name not in text:
            continue
        slug = names[name]
        if slug not in parsed.laws:
            parsed.laws.append(slug)
        text = text.replace(name, " ")
    for prefix in ("《中华人民共和国", "中华人民共和国"):
        text = text.replace(prefix, " ")
    return text.replace("《", " ").replace("》", " ")


#: What a shortened regulation name ends with (复议法, 燃气条例); longer endings first.
NAME_ENDINGS = ("条例", "规定", "办法", "细则", "解释", "法")
_SHORTENED_RE = re.compile(r"[\u4e00-\u9fff]*?(?:条例|规定|办法|细则|解释|法)(?![\u4e00-\u9fff])")
#: A shortened name stands for the regulations with the shortest names it fits, and for those
#: up to this many characters longer (浙江省、嘉兴市: the province's or city's text of the same name).
SHORTENED_SLACK = 3
#: Said in a shortened name but not part of any title (商品房买卖合同司法解释): left out before matching.
SHORTENED_FILLER = ("司法",)
#: What is left before the ending must say which regulation: not one of these generic words.
SHORTENED_GENERIC = frozenset({"管理", "实施", "暂行", "若干", "有关", "相关", "关于", "法律", "行政", "办理"})


def take_abbreviation(text: str, names: dict[str, str], parsed: ParsedQuery) -> str:
    """An article reference with a shortened name no table knows (复议法第二十条, 噪声法 第六十六条,
    物业条例第十一条): the regulations whose names hold its characters in order and end the same
    way are named (:func:`shortened_name`); the word is removed from the text. Only with an
    article reference and when no name was recognised: a word like 管理办法 alone is no name."""
    if parsed.laws or not parsed.article or not names or not mechanisms.enabled("article_numbers"):
        return text
    for m in _SHORTENED_RE.finditer(text):
        run = m.group(0)
        for start in range(len(run) - 2):  # 关于复议法: try 关于复议法, 于复议法, 复议法
            slugs = shortened_name(run[start:], names)
            if slugs:
                parsed.laws.extend(slugs)
                return text[: m.start() + start] + " " + text[m.end():]
    return text


def shortened_name(word: str, names: dict[str, str]) -> list[str]:
    """The regulations a shortened name stands for: every name with the word's characters in
    order and the same ending (法, 条例 …); those with the shortest such name and the ones at most
    :data:`SHORTENED_SLACK` characters longer, shortest first (ties by slug).

    >>> table = {"行政复议法": "a", "行政复议法实施条例": "b", "浙江省物业管理条例": "c", "物业管理条例": "d"}
    >>> shortened_name("复议法", table), shortened_name("物业条例", table), shortened_name("物业法", table)
    (['a'], ['d', 'c'], [])
    >>> shortened_name("管理条例", table), shortened_name("司法解释", {"行政诉讼法司法解释": "e"})
    ([], [])
    """
    ending = next(e for e in NAME_ENDINGS if word.endswith(e))
    for filler in SHORTENED_FILLER:
        word = word.replace(filler, "")
    core = word[: len(word) - len(ending)]
    if len(core) < 2 or core in SHORTENED_GENERIC:
        return []
    best: dict[str, int] = {}
    for name, slug in names.items():
        if name.endswith(ending) and _in_order(word, name):
            best[slug] = min(best.get(slug, len(name)), len(name))
    if not best:
        return []
    shortest = min(best.values())
    return sorted((s for s, n in best.items() if n <= shortest + SHORTENED_SLACK), key=lambda s: (best[s], s))


def _in_order(word: str, name: str) -> bool:
    """Whether every character of ``word`` occurs in ``name`` in the same order."""
    rest = iter(name)
    return all(ch in rest for ch in word)


def find_law(value: str, names: dict[str, str]) -> str | None:
    """The slug for a regulation name typed in a filter (``law:建筑法``)."""
    key = normalise(value).strip("《》")
    if key.startswith("中华人民共和国"):
        key = key[len("中华人民共和国"):]
    return names.get(key) or names.get("中华人民共和国" + key)


def compact_docno(text: str) -> str:
    """A 文号 in the form used to compare: no spaces, brackets unified.

    >>> compact_docno("浙政发 [2020] 1号")
    '浙政发(2020)1号'
    """
    text = normalise(text)
    for a, b in (("〔", "("), ("〕", ")"), ("[", "("), ("]", ")"), ("（", "("), ("）", ")")):
        text = text.replace(a, b)
    return "".join(text.split())


def query_docno(text: str) -> str:
    """A 文号 as typed, in the form :func:`compact_docno` gives the documents' own: the spoken
    forms 583号令 and 国务院令583号 become 令第583号 and 国务院令第583号.

    >>> query_docno("583号令"), query_docno("国务院令 583号"), query_docno("浙政发〔2020〕1号")
    ('令第583号', '国务院令第583号', '浙政发(2020)1号')
    >>> query_docno("第583号令"), query_docno("国务院第583号令"), query_docno("国令第583号")
    ('令第583号', '国务院令第583号', '国务院令第583号')
    """
    text = compact_docno(text)
    m = re.fullmatch(r"(.*?)第?(\d+)号令", text)
    if m:
        return f"{m.group(1)}令第{m.group(2)}号"
    if text.startswith("国令"):  # the short form of 国务院令
        text = "国务院令" + text[2:]
    return re.sub(r"令(\d+)号$", r"令第\1号", text)


def name_table(laws: list[tuple[list[str], str]]) -> dict[str, str]:
    """``{normalised name: slug}`` from each regulation's names (full title first; current texts only).

    Full titles are also entered without 中华人民共和国. A full title always names its own
    regulation; a short name or alias claimed by two regulations is left out (it cannot say
    which one is meant), as in :meth:`kb_tools.corpus.Corpus.by_name`.
    """
    titles: dict[str, str] = {}
    claims: dict[str, set[str]] = {}
    for law_names, slug in laws:
        for i, name in enumerate(law_names):
            key = normalise(name).strip("《》")
            keys = [key]  # a list: the table's order decides ties in parsing, and must not vary by build
            if key.startswith("中华人民共和国") and len(key) > 7:
                keys.append(key[len("中华人民共和国"):])
            for k in keys:
                if i == 0:
                    titles.setdefault(k, slug)
                claims.setdefault(k, set()).add(slug)
    shared = {k: next(iter(v)) for k, v in claims.items() if len(v) == 1}
    return {**shared, **titles}
