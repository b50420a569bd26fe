"""Find 《法名》第X条 citations in text and HTML, resolve them against the corpus, link them.

A mention is one of:

- a title in 《》, optionally naming a version (《…（2017年修正）》, 《…》（2017年9月1日）), followed
  by zero or more article references: 第十条, 第64条, 第十条之一, 第十条第二款第（三）项, lists
  (第十条、第十二条 / 第十条和第十二条) and ranges (第十条至第十二条);
- inside a regulation (``current`` given): 本法/本条例/本规定/本办法… 第N条, a bare 第N条, and
  本条 / 前条 / 前款 resolved to the right article; local abbreviations defined with
  ``（以下简称《条例》）`` resolve to the title they abbreviate.

Resolution never raises: an unknown title, an ambiguous short title or a missing article leaves
the mention unlinked with a Chinese ``problem`` and a ``suggestion``. Pure: no MkDocs import, no
file I/O; :func:`link_citations` rewrites rendered HTML and skips ``<a>``, ``<code>``, ``<pre>``,
headings and attributes. The cited-by graph (:class:`CitingRef`, :func:`add_citing`) lives here
too, so every feature registers its citing pages through one function.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html import escape, unescape
from typing import TYPE_CHECKING

from kb_tools.corpus import title_bigrams
from kb_tools.laws.model import Article, Law
from kb_tools.laws.names import normalise_title
from kb_tools.numerals import NUMBER_CLASS, cn_to_int, int_to_cn
from kb_tools.policies.lookup import by_doc_number, by_title, number_pattern, policy_status
from kb_tools.problems import Severity

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.policies.model import Item, Policy

_NUM = NUMBER_CLASS
_SP = "[ \u3000]*"
_ARTICLE_RE = re.compile(rf"第{_SP}(?P<n>{_NUM}+){_SP}条(?:之(?P<s>{_NUM}+))?")
_PARAGRAPH_RE = re.compile(rf"第{_SP}(?P<p>{_NUM}+){_SP}款")
_ITEM_RE = re.compile(rf"第{_SP}[（(]?(?P<i>{_NUM}+)[）)]?{_SP}项")
_LIST_SEP_RE = re.compile(rf"{_SP}(?:、|以及|和|及|或者|或|与){_SP}")
_RANGE_SEP_RE = re.compile(rf"{_SP}(?:至|到|—|－|~|～){_SP}")
# A version named inside or right after the title: （2017年修正） （2017年9月1日） (2017-09-01)
_VERSION = r"[（(](?P<y>\d{4})(?:[年\-.](?P<m>\d{1,2})(?:[月\-.](?P<d>\d{1,2})日?)?)?(?:[^）)]{0,6})[）)]"
_TITLE_VERSION_RE = re.compile(rf"^(?P<title>.+?){_VERSION}$")
_AFTER_VERSION_RE = re.compile(_SP + _VERSION)
_ALIAS_RE = re.compile(r"[（(]以下简称[《“\"]?(?P<alias>[^》”\"）)，,]{1,20})[》”\"]?[）)]")
_SELF_RE = re.compile(r"本(?:法|条例|规定|办法|细则|规则|解释|决定|准则|实施办法|实施细则)")
_CONTEXT_RE = re.compile(r"前(?P<what>条|款|[两二三四]款)|本(?P<this>条|款)")
_LEGAL_SUFFIX_RE = re.compile(
    r"(?:法|法典|条例|规定|办法|细则|规则|解释|决定|意见|通知|规范|准则|批复|答复|纲要|章程)(?:[（(].*[）)])?$"
)
_NAME_TAIL_RE = re.compile(r"[\u4e00-\u9fff]{1,30}(?:法典?|条例|规定|办法|细则|解释)$")
#: 该法第三条, 该条例第五条: the law of that kind named last on the page.
_THAT_KINDS = ("法典", "法", "条例", "规定", "办法", "细则", "解释", "决定")  # 法典 before 法
_THAT_RE = re.compile(f"该(?P<kind>{'|'.join(_THAT_KINDS)})")
_TRAILING_PAREN_RE = re.compile(r"[（(][^）)]*[）)]$")
_KIND_WORDS = [("法典", "该法典"), ("法", "该法"), ("条例", "该条例"), ("规定", "该规定"), ("办法", "该办法"),
               ("细则", "该细则"), ("解释", "该解释")]
_SKIP_TAGS = {"a", "code", "pre", "script", "style", "button", "textarea", "kbd", "samp", "title",
              "h1", "h2", "h3", "h4", "h5", "h6", "svg"}
_BLOCK_TAGS = {"p", "li", "td", "th", "tr", "div", "section", "blockquote", "dd", "dt", "table", "ul", "ol",
               "details", "summary", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr"}
_TAG_RE = re.compile(r"<!--.*?-->|<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9]*)\b(?P<attrs>[^>]*)>", re.S)
_SECTION_ID_RE = re.compile(r'\bid="article-(?P<n>\d+)(?:-(?P<s>\d+))?"')
_LINE_LABEL_RE = re.compile(rf"^第{_NUM}+条(?:之{_NUM}+)?[ \u3000]", re.M)
# References into a policy document: 第三条, 第二部分, 第（一）项, 第1点, and their combinations.
_POLICY_REF_RE = re.compile(
    rf"(?:第{_SP}(?P<a>{_NUM}+){_SP}条|第{_SP}(?P<p>{_NUM}+){_SP}部分|(?P<bare>[一二三四五六七八九十]+)、(?=第))"
    rf"(?:{_SP}第{_SP}[（(](?P<i>{_NUM}+)[）)]{_SP}项)?(?:{_SP}第{_SP}(?P<t>\d+){_SP}点)?"
    rf"|第{_SP}[（(](?P<oi>{_NUM}+)[）)]{_SP}项"
)
#: 本办法第四条, 本通知第二部分: on a policy's own page, its own items.
_POLICY_SELF_RE = re.compile(r"本(?:制度|办法|通知|方案|规定|细则|意见|举措|决定|规则|措施|意见)(?=第)")
_AFTER_DOCNO_RE = re.compile(rf"{_SP}[（(](?P<no>[^（()）]{{4,30}}号)[）)]")


@dataclass(frozen=True)
class CitationPart:
    """One linkable piece of a mention: the title with its first article, or a later list item.

    Attributes:
        start, end: character span in the scanned text.
        article: the article it points to (None when unresolved or when the whole law is cited).
        detail: 款/项 named after the article (``第二款第三项``), kept for the link title.
    """

    start: int
    end: int
    article: Article | None
    detail: str = ""
    item: Item | None = None


@dataclass(frozen=True)
class Citation:
    """One mention of a regulation (and maybe articles) in a text.

    Attributes:
        start, end: character span of the whole mention (title and every article reference).
        text: the mention as written.
        law: the regulation text it resolves to (an older version when one is named or when the
            citing page is dated before a newer version took effect); None when unresolved.
        articles: every article cited, in order (ranges expanded); empty when the whole law is cited.
        problem: why (part of) the mention does not resolve, in Chinese; None when it does.
        suggestion: the closest known title when the one written is not in the knowledge base.
        hint: what to do about the problem, one Chinese sentence (the real article count …).
        severity: error or warning for ``kb check`` (see :func:`find_citations`).
        code: stable identifier of the problem kind.
        parts: the linkable pieces.
        written_title: the title as written, without 《》 and version.
        alert: revision alert when a cited article changed, moved or disappeared in a newer text.
        self_ref: the mention points at the page (and article) it stands in (本条, 前款, 本法).
        title_end: end of the 《…》 title (and a version after it) in the scanned text; 0 when the
            mention has no title. An article that does not exist links the title only.
        policy: the 本局文件 it resolves to, when it names one by title or 文号 (``law`` is then None).
        items: the numbered items of ``policy`` cited (empty when the whole document is cited).
    """

    start: int
    end: int
    text: str
    law: Law | None
    articles: tuple[Article, ...] = ()
    problem: str | None = None
    suggestion: str | None = None
    hint: str | None = None
    severity: Severity = Severity.WARNING
    code: str = ""
    parts: tuple[CitationPart, ...] = ()
    written_title: str = ""
    alert: str | None = None
    self_ref: bool = False
    title_end: int = 0
    policy: Policy | None = None
    items: tuple[Item, ...] = ()

    @property
    def resolved(self) -> bool:
        """True when the regulation (or policy) and every named article (or item) were found."""
        return (self.law is not None or self.policy is not None) and self.problem is None

    def url(self, base: str) -> str | None:
        """Relative link to the regulation page, or to its first cited article.

        Args:
            base: path from the citing page to the site root (``../../``).
        """
        if self.law is None:
            return None
        anchor = f"#{self.articles[0].anchor}" if self.articles else ""
        return f"{base}{self.law.url}{anchor}"

    def article_url(self, article: Article | None, base: str) -> str | None:
        """Relative link to one article of the cited regulation."""
        if self.law is None:
            return None
        return f"{base}{self.law.url}" + (f"#{article.anchor}" if article else "")

    def cite_title(self, article: Article | None = None, detail: str = "") -> str:
        """The full citation for a tooltip: ``《中华人民共和国建筑法》第八条第一款``."""
        if self.law is None:
            return self.text
        name = f"《{self.law.title}》"
        if self.law.version_of is not None and self.law.version_date:
            name = f"《{self.law.title}》（{self.law.version_date.isoformat()}文本）"
        return name + (article.label if article else "") + detail


@dataclass(frozen=True)
class CitingRef:
    """A page (or one article of a regulation) that cites an article.

    Attributes:
        kind: 权力事项, 清单, 学法计划, 讲堂, 法规 or 其他 (the groups of the cited-by list).
        title: what to show (page title; for a regulation, its title and article label).
        src_uri: the citing page below ``docs/`` (``laws/建筑法.md``), real or generated.
        anchor: fragment on that page (the citing article's anchor), if any.
    """

    kind: str
    title: str
    src_uri: str
    anchor: str | None = None


#: The groups of the cited-by lists, in display order.
CITING_KINDS = ("权力事项", "清单", "学法计划", "讲堂", "法规", "本局文件", "其他")
#: Key of a whole-regulation citation in ``corpus.citations.cited_by`` (no article named).
WHOLE_LAW = (0, 0)


def add_policy_citing(corpus: Corpus, policy: Policy, item: Item | None, ref: CitingRef) -> None:
    """Record that ``ref`` cites an item of a policy (the whole document when ``item`` is None)."""
    key = (policy.slug, item.anchor if item else "")
    place = ("policy", *key, ref.src_uri, ref.anchor)
    if place not in corpus.citations.seen:
        corpus.citations.seen.add(place)
        corpus.citations.policy_cited_by.setdefault(key, []).append(ref)


def add_citing(corpus: Corpus, law: Law, article: Article | None, ref: CitingRef) -> None:
    """Record that ``ref`` cites ``article`` of ``law`` (the whole law when ``article`` is None).

    Other features (power list, study plans, lectures) call this from their loaders for the
    citations in their data; the same page citing the same article twice is recorded once.
    """
    graph = corpus.citations.cited_by
    key = (law.slug, *(article.key if article else WHOLE_LAW))
    # One entry per citing place, whoever registers it first (a feature's loader or the scan);
    # a set keeps this constant-time, so building the graph stays linear in the corpus.
    seen = corpus.citations.seen
    place = (*key, ref.src_uri, ref.anchor)
    if place not in seen:
        seen.add(place)
        graph.setdefault(key, []).append(ref)


#: Most characters of anchor text kept per citing place.
ANCHOR_CHARS = 80


def add_anchor(corpus: Corpus, law: Law, article: Article | None, text: str) -> None:
    """Record the words a bureau page uses next to a citation of ``article`` (anchor text for search).

    Regulation names in 《》 are dropped: they name the regulation, not what the article is about.
    """
    if article is None:
        return
    text = " ".join(_ANCHOR_NOISE_RE.sub(" ", text).split())[:ANCHOR_CHARS]
    if text:
        corpus.citations.anchors.setdefault((law.slug, *article.key), []).append(text)


_ANCHOR_NOISE_RE = re.compile(
    r"《[^》]{0,80}》|第[零〇一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十\d]+)?|[\[\]()（）*#>|`]"
)


@dataclass
class _Context:
    """State carried through one page: where we are, and the abbreviations it defined."""

    corpus: Corpus
    current: Law | None
    article: Article | None = None
    on: dt.date | None = None
    aliases: dict[str, Law] = field(default_factory=dict)
    in_law_page: bool = False
    #: Outside a regulation, the law the paragraph cited last: “（第十九条）” then means its article.
    last_law: Law | None = None
    last_end: int = 0
    #: Every title named so far on the page, as (kind, law or None when not in the knowledge
    #: base): 该法第三条 means the law of kind 法 named last.
    named: list[tuple[str | None, Law | None]] = field(default_factory=list)
    #: The policy document the page is, if any: its own 文号 and title are not linked to itself.
    policy: Policy | None = None
    #: Badge every regulation cited, 有效 too (a legal basis must show it is in force).
    every_status: bool = False


@dataclass
class _Ref:
    start: int
    end: int
    number: int
    suffix: int
    detail: str = ""
    closes_range: bool = False


def find_citations(
    text: str,
    corpus: Corpus,
    *,
    current: Law | None = None,
    article: Article | None = None,
    on: dt.date | None = None,
    policy: Policy | None = None,
) -> list[Citation]:
    """Every citation in ``text``, resolved against ``corpus``.

    Args:
        text: plain text (or one HTML text node, already free of tags).
        corpus: the knowledge base.
        current: the regulation the text belongs to; enables 本法/本条例, bare 第N条, 本条/前条/前款.
        article: the article the text belongs to (for 本条/前款/前条); when None, article labels at
            the start of a line (``第十条　…``) set it as the text goes.
        policy: the policy document the text belongs to; enables 本办法第四条 / 本通知第二部分.
        on: the date of the citing page; a citation then resolves to the text in force that day.
            Inside a regulation it defaults to the date its text took effect: a 2007 regulation
            citing 《行政复议法》第二十八条 means the article as numbered then.

    Severity: a regulation missing from the knowledge base is a warning (real texts cite many);
    an ambiguous short title or an article beyond the last one is an error outside regulation
    texts and a warning inside them (a statute may cite another law's older numbering).
    """
    if on is None and current is not None:
        on = _citing_date(current)
    ctx = _Context(corpus, current, article, on, in_law_page=current is not None, policy=policy)
    return _scan(text, ctx)


def find_in_law(law: Law, corpus: Corpus) -> Iterator[tuple[Article | None, int, Citation]]:
    """Every citation in a regulation's own text: (article or None for the preamble, 款 index, citation).

    One context runs through the whole text, so an abbreviation defined in the preamble
    (（以下简称《条例》）) resolves in every article after it.
    """
    ctx = _Context(corpus, law, None, _citing_date(law), in_law_page=True)
    for offset, para in enumerate(law.preamble):
        for citation in _scan(para, ctx):
            yield None, offset, citation
    for article in law.articles:
        ctx.article = article
        for offset, para in enumerate(article.paragraphs):
            if "《" not in para and "第" not in para and "前" not in para and "本" not in para:
                continue
            for citation in _scan(para, ctx):
                yield article, offset, citation


def _scan(text: str, ctx: _Context) -> list[Citation]:
    found: list[Citation] = []
    pos = 0
    ctx.last_end = 0
    # Article labels at the start of a line (a regulation's source text) move the context along.
    labels = list(_LINE_LABEL_RE.finditer(text)) if ctx.current is not None else []
    label_starts = {m.start() for m in labels}
    label_index = 0
    length = len(text)
    numbers = _policy_numbers(text, ctx)
    if ctx.policy is not None and "本" in text:
        numbers = sorted([*numbers, *_POLICY_SELF_RE.finditer(text)], key=lambda m: m.start())
    number_index = 0
    while pos < length:
        # Find the next interesting character.
        next_pos = _next_candidate(text, pos, ctx.current is not None, ctx.last_law is not None, bool(ctx.named))
        while number_index < len(numbers) and numbers[number_index].start() < pos:
            number_index += 1
        number = numbers[number_index] if number_index < len(numbers) else None
        if number is not None and (next_pos < 0 or number.start() < next_pos):
            numbered: Citation | None
            if number.re is _POLICY_SELF_RE and ctx.policy is not None:
                numbered, end = _policy_mention(text, number.start(), number.end(), ctx.policy, ctx)
                numbered = replace(numbered, self_ref=True) if numbered is not None else None
            else:
                numbered, end = _number_mention(text, number, ctx)
            if numbered is not None:
                found.append(numbered)
            pos = max(end, number.start() + 1)
            continue
        if next_pos < 0:
            break
        while label_index < len(labels) and labels[label_index].start() <= next_pos:
            _set_article_from_label(ctx, labels[label_index])
            label_index += 1
        ch = text[next_pos]
        citation: Citation | None = None
        end = next_pos + 1
        if ch == "《":
            citation, end = _title_mention(text, next_pos, ctx)
        elif next_pos in label_starts:
            match = _LINE_LABEL_RE.match(text, next_pos)
            end = match.end() if match else end
        elif ch == "本" or ch == "前":
            citation, end = _context_mention(text, next_pos, ctx)
        elif ch == "该":
            citation, end = _that_mention(text, next_pos, ctx)
        elif ch == "第" and ctx.current is not None:
            citation, end = _bare_mention(text, next_pos, ctx, ctx.current)
        elif ch == "第" and ctx.last_law is not None:
            if "\n\n" in text[ctx.last_end:next_pos]:
                ctx.last_law = None  # a new paragraph: a bare 第N条 no longer refers to that law
            else:
                citation, end = _bare_mention(text, next_pos, ctx, ctx.last_law)
                if citation is not None:
                    ctx.last_end = end
        if citation is not None:
            found.append(citation)
        pos = max(end, next_pos + 1)
    return found


def _policy_numbers(text: str, ctx: _Context) -> list[re.Match[str]]:
    """The 文号 of the knowledge base's issuers in a text (none when there are no policies)."""
    if not ctx.corpus.policies or "号" not in text:
        return []
    pattern = number_pattern(ctx.corpus)
    return list(pattern.finditer(text)) if pattern is not None else []


def _number_mention(text: str, match: re.Match[str], ctx: _Context) -> tuple[Citation | None, int]:
    """海住建〔2024〕12号 (maybe followed by 第三条): the policy with that 文号."""
    start, end = match.start(), match.end()
    policy = by_doc_number(ctx.corpus, match.group(0))
    if policy is None:
        citation = Citation(start, end, text[start:end], None, written_title=match.group(0),
                            problem=f"文号“{match.group(0)}”不在知识库的本局文件中。",
                            hint="请核对文号；如是本局文件，请先用 `kb import` 导入到 docs/policies/。",
                            severity=Severity.WARNING, code="citation-unknown-policy")
        return citation, end
    return _policy_mention(text, start, end, policy, ctx)


def _policy_mention(text: str, start: int, end: int, policy: Policy, ctx: _Context) -> tuple[Citation, int]:
    """A mention of a policy (title or 文号 ending at ``end``) and the items that follow it."""
    after = _AFTER_DOCNO_RE.match(text, end)
    if after and by_doc_number(ctx.corpus, after.group("no")) is policy:
        end = after.end()  # 《关于…的通知》（海住建〔2024〕12号）
    parts: list[CitationPart] = []
    items: list[Item] = []
    problem = hint = None
    pos = end
    while True:
        match = _POLICY_REF_RE.match(text, pos)
        if match is None:
            break
        anchor, label = _policy_anchor(policy, match)
        item = policy.item(anchor) if anchor else None
        if item is None and problem is None:
            problem = f"《{policy.title}》中没有“{label}”。"
            hint = _policy_hint(policy)
        parts.append(CitationPart(start if not parts else match.start(), match.end(), None, item=item))
        if item is not None:
            items.append(item)
        pos = end = match.end()
        sep = _LIST_SEP_RE.match(text, pos)
        if sep is None or _POLICY_REF_RE.match(text, sep.end()) is None:
            break
        pos = sep.end()
    if not parts:
        parts.append(CitationPart(start, end, None))
    ctx.last_law = None
    severity = Severity.WARNING if ctx.in_law_page else Severity.ERROR
    return Citation(start, end, text[start:end], None, problem=problem, hint=hint, severity=severity,
                    code="citation-missing-policy-item" if problem else "", parts=tuple(parts),
                    written_title=policy.title, policy=policy, items=tuple(items)), end


def _policy_anchor(policy: Policy, match: re.Match[str]) -> tuple[str, str]:
    """The anchor a policy reference points to, and the reference as written."""
    label = match.group(0)
    if match.group("oi"):
        return f"item-{_number(match.group('oi'))}", label
    if match.group("a"):
        number = _number(match.group("a"))
        # 第三条 of a notice numbered 一、二、三 means its third part.
        anchor = f"article-{number}" if policy.has_articles else f"part-{number}"
    else:
        anchor = f"part-{_number(match.group('p') or match.group('bare'))}"
    if match.group("i"):
        anchor += f"-item-{_number(match.group('i'))}"
    if match.group("t"):
        anchor += f"-point-{int(match.group('t'))}"
    return anchor, label


def _policy_hint(policy: Policy) -> str:
    top = [i.cite for i in policy.items if i.level == 1]
    if not top:
        return f"《{policy.title}》没有编号的条目，请直接引用文件名称。"
    return f"请核对编号：《{policy.title}》的条目为{top[0]}至{top[-1]}。"


def _next_candidate(text: str, pos: int, in_law: bool, after_title: bool, named: bool = False) -> int:
    best = text.find("《", pos)
    chars = ("本前第" if in_law else "第" if after_title else "") + ("该" if named else "")
    for ch in chars:
        i = text.find(ch, pos)
        if i >= 0 and (best < 0 or i < best):
            best = i
    return best


def _set_article_from_label(ctx: _Context, match: re.Match[str]) -> None:
    if ctx.current is None:
        return
    art_match = _ARTICLE_RE.match(match.group(0))
    if art_match is None:
        return
    key = _number(art_match.group("n")), _number(art_match.group("s")) if art_match.group("s") else 0
    found = ctx.current.article(*key)
    if found is not None:
        ctx.article = found


def _number(text: str | None) -> int:
    if not text:
        return 0
    try:
        return cn_to_int(text)
    except ValueError:
        return -1


def _top_level_title(text: str, start: int) -> int:
    """End index (after 》) of the 《…》 starting at ``start``, honouring nesting; -1 if unclosed."""
    depth = 0
    for i in range(start, min(len(text), start + 200)):
        ch = text[i]
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n":
            return -1
    return -1


def _parse_refs(text: str, pos: int) -> tuple[list[_Ref], int]:
    """Article references starting at ``pos``: 第十条第二款、第十二条至第十五条 …"""
    refs: list[_Ref] = []
    match = _ARTICLE_RE.match(text, pos)
    closes_range = False
    while match is not None:
        number, suffix = _number(match.group("n")), _number(match.group("s"))
        ref = _Ref(match.start(), match.end(), number, suffix, closes_range=closes_range)
        end = _parse_details(text, ref)
        refs.append(ref)
        sep = _LIST_SEP_RE.match(text, end)
        closes_range = False
        if sep is None:
            sep = _RANGE_SEP_RE.match(text, end)
            closes_range = sep is not None
        if sep is None:
            break
        # A list of 款/项 continues the same article: 第三十条第一款、第二款.
        more = _PARAGRAPH_RE.match(text, sep.end()) or _ITEM_RE.match(text, sep.end())
        while more is not None and sep is not None and not closes_range and not _ARTICLE_RE.match(text, sep.end()):
            ref.detail += "、" + more.group(0)
            ref.end = more.end()
            sep = _LIST_SEP_RE.match(text, ref.end)
            more = (_PARAGRAPH_RE.match(text, sep.end()) or _ITEM_RE.match(text, sep.end())) if sep else None
        if sep is None:
            break
        match = _ARTICLE_RE.match(text, sep.end())
    return refs, (refs[-1].end if refs else pos)


def _parse_details(text: str, ref: _Ref) -> int:
    end = ref.end
    para = _PARAGRAPH_RE.match(text, end)
    if para:
        ref.detail += para.group(0)
        end = para.end()
    item = _ITEM_RE.match(text, end)
    if item:
        ref.detail += item.group(0)
        end = item.end()
    ref.end = end
    return end


def _title_mention(text: str, start: int, ctx: _Context) -> tuple[Citation | None, int]:
    close = _top_level_title(text, start)
    if close < 0:
        return None, start + 1
    inner = text[start + 1: close - 1].strip()
    version = None
    title = inner
    vmatch = _TITLE_VERSION_RE.match(inner)
    if vmatch:
        title = vmatch.group("title")
        version = _version_tuple(vmatch)
    end = close
    after = _AFTER_VERSION_RE.match(text, end)
    if after and version is None:
        version = _version_tuple(after)
        end = after.end()
    title_end = end
    # （以下简称《条例》） defines a local abbreviation.
    alias_match = _ALIAS_RE.match(text, end)
    refs, refs_end = _parse_refs(text, end)
    if refs:
        end = refs_end
    law, problem, suggestion, hint, code = _resolve_title(title, ctx)
    if law is None and ctx.corpus.policies:
        policy = by_title(ctx.corpus, title)
        if policy is not None:
            return _policy_mention(text, start, close, policy, ctx)
    if law is not None and alias_match:
        ctx.aliases[normalise_title(alias_match.group("alias"))] = law
    if law is None and not refs and problem is not None and not _LEGAL_SUFFIX_RE.search(title):
        return None, close  # 《人民日报》, a book: not a citation
    if law is None and problem is None:
        return None, close
    citation = Citation(start, end, text[start:end], None, written_title=title, title_end=title_end)
    if law is None:
        severity = Severity.WARNING if code == "citation-unknown-law" or ctx.in_law_page else Severity.ERROR
        parts = _parts(start, refs, [None] * len(refs))
        ctx.last_law = None
        ctx.named.append((_title_kind(title), None))
        return replace(citation, problem=problem, suggestion=suggestion, hint=hint, severity=severity,
                       code=code, parts=parts), end
    citation = _with_articles(citation, law, refs, version, ctx)
    if ctx.current is None:
        ctx.last_law, ctx.last_end = citation.law, end
    ctx.named.append((_title_kind(citation.law.title if citation.law else title), citation.law))
    return citation, end


def _title_kind(title: str) -> str | None:
    """法, 条例, 办法…: the word 该 takes to refer to a title (a trailing （一） aside)."""
    bare = _TRAILING_PAREN_RE.sub("", title.strip())
    return next((kind for kind in _THAT_KINDS if bare.endswith(kind)), None)


def _that_mention(text: str, start: int, ctx: _Context) -> tuple[Citation | None, int]:
    """该法第三条: an article of the law of that kind named last on the page.

    Linked only when that law is in the knowledge base; a reference it cannot place stays text
    (a 该法 may point back past the page's titles). Not finding the article is a warning, as for
    other inferred references.
    """
    match = _THAT_RE.match(text, start)
    if match is None:
        return None, start + 1
    refs, end = _parse_refs(text, match.end())
    if not refs:
        return None, match.end()
    law = next((named for kind, named in reversed(ctx.named) if kind == match.group("kind")), None)
    if law is None:
        return None, end
    citation = Citation(start, end, text[start:end], None, written_title=law.title)
    found = _with_articles(citation, law, refs, None, replace(ctx, on=None))
    return replace(found, severity=Severity.WARNING), end


def _version_tuple(match: re.Match[str]) -> tuple[int, int | None, int | None]:
    month = match.group("m")
    day = match.group("d")
    return int(match.group("y")), int(month) if month else None, int(day) if day else None


def _resolve_title(
    title: str, ctx: _Context
) -> tuple[Law | None, str | None, str | None, str | None, str]:
    """The current text of a title; otherwise why not, the closest title, a hint and a code."""
    title = unescape(title)
    key = normalise_title(title)
    law = ctx.aliases.get(key) or ctx.corpus.by_name(title)
    if law is not None:
        return law, None, None, None, ""
    claimed = ctx.corpus.ambiguous_names().get(key)
    if claimed:
        names = "、".join(f"《{t}》" for t in claimed)
        return None, f"简称《{title}》对应多部法规（{names}），无法确定引用的是哪一部。", None, \
            f"请写出完整标题，例如《{claimed[0]}》。", "citation-ambiguous"
    close = _closest_title(title, ctx.corpus)
    hint = f"是不是《{close}》？如果是，请改正标题；" if close else ""
    hint += "如需链接到该法规，请先用 `kb import` 导入。"
    return None, f"引用的《{title}》不在知识库中。", close, hint, "citation-unknown-law"


def _closest_title(title: str, corpus: Corpus) -> str | None:
    """The closest known title, when it is really close (民法典 is not 人民防空法).

    ``corpus.suggest_title`` compares with every name, which makes a scan quadratic when many
    citations name laws outside the knowledge base; a bigram index narrows the comparison to a
    few candidates, and each title is looked up once per corpus.
    """
    key = normalise_title(title)
    cache = corpus.closest_titles
    if key in cache:
        return cache[key]
    index = corpus.title_grams
    shared: dict[str, int] = {}
    for gram in title_bigrams(key):
        postings = index.get(gram, ())
        if len(postings) > 60:  # 条例, 管理: in every other title, says nothing
            continue
        for name in postings:
            shared[name] = shared.get(name, 0) + 1
    best, best_ratio = None, 0.0
    for name in sorted(shared, key=lambda n: (-shared[n], n))[:8]:
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        if ratio > best_ratio:
            best, best_ratio = name, ratio
    found = None
    if best is not None and (best_ratio >= 0.6 or key in best or best in key):
        law = corpus.by_name(best)
        found = law.title if law else None
    cache[key] = found
    return found


def _parts(start: int, refs: list[_Ref], articles: list[Article | None]) -> tuple[CitationPart, ...]:
    parts = []
    for i, (ref, art) in enumerate(zip(refs, articles, strict=True)):
        parts.append(CitationPart(start if i == 0 else ref.start, ref.end, art, ref.detail))
    return tuple(parts)


def _with_articles(
    citation: Citation,
    law: Law,
    refs: list[_Ref],
    version: tuple[int, int | None, int | None] | None,
    ctx: _Context,
) -> Citation:
    """Resolve the article references against the right text of ``law``."""
    current = ctx.corpus.laws.get(law.version_of, law) if law.version_of else law
    target = law
    note = None
    if version is not None:
        target, note = _named_version(law, version)
    elif ctx.on is not None and law.versions:
        target = in_force_on(law, ctx.on)
    resolved: list[Article | None] = []
    expanded: list[Article] = []
    problem = None
    hint = None
    for ref in refs:
        art = target.article(ref.number, ref.suffix) if ref.number > 0 else None
        resolved.append(art)
        if art is None:
            if problem is None:
                problem = _missing_article(target, ref)
                hint = _count_hint(target)
            continue
        if ref.closes_range and expanded:
            lo = expanded[-1].key
            expanded.extend(a for a in target.articles if lo < a.key < art.key)
        expanded.append(art)
    if not refs:
        parts: tuple[CitationPart, ...] = (CitationPart(citation.start, citation.end, None),)
    else:
        parts = _parts(citation.start, refs, resolved)
    severity = Severity.WARNING if ctx.in_law_page else Severity.ERROR
    alert = note
    if target is not current and expanded and ctx.current is not target:  # a text's own references are its own
        alert = _revision_alert(target, current, expanded) or note
    self_ref = ctx.current is not None and target is ctx.current and (
        not expanded or (ctx.article is not None and all(a is ctx.article for a in expanded)))
    return replace(
        citation, law=target, articles=tuple(dict.fromkeys(expanded)), parts=parts, problem=problem,
        hint=hint, severity=severity, code="citation-missing-article" if problem else "",
        alert=alert, self_ref=self_ref,
    )


def _missing_article(law: Law, ref: _Ref) -> str:
    label = f"第{int_to_cn(ref.number)}条" if ref.number >= 0 else "该条"
    if ref.suffix:
        label += f"之{int_to_cn(ref.suffix)}"
    return f"引用的《{law.title}》{label}不存在（{_count_text(law)}）。"


def _count_text(law: Law) -> str:
    word = next((w for suffix, w in _KIND_WORDS if law.title.endswith(suffix)), "该文件")
    if not law.articles:
        return f"{word}没有按条编号"
    last = max(a.number for a in law.articles)
    if last == len(law.articles):
        return f"{word}共{int_to_cn(last)}条"
    return f"{word}共{len(law.articles)}条，最后一条为第{int_to_cn(last)}条"


def _count_hint(law: Law) -> str:
    if not law.articles:
        return "请核对条号。"
    return f"请核对条号：《{law.title}》的条文为第一条至{law.articles[-1].label}。"


def in_force_on(law: Law, on: dt.date) -> Law:
    """The text of ``law`` (a current text) that was in force on a date.

    Falls back to the oldest text the knowledge base has when the date is earlier than all.
    """
    chain = [law, *law.versions]
    for text in chain:
        start = in_force_from(text)
        if start is not None and start <= on:
            return text
    return chain[-1]


def _citing_date(law: Law) -> dt.date | None:
    """A regulation cites other laws as they stood when its own text was made (施行 or last amended)."""
    return in_force_from(law)


def in_force_from(law: Law) -> dt.date | None:
    """The date a text took effect: its effective date, or its amendment date when later."""
    dates = [d for d in (law.effective, law.version_date) if d]
    return max(dates) if dates else None


def _named_version(law: Law, version: tuple[int, int | None, int | None]) -> tuple[Law, str | None]:
    year, month, day = version
    for text in [law, *law.versions]:
        date = text.version_date
        if date is None or date.year != year:
            continue
        if month is not None and date.month != month:
            continue
        if day is not None and date.day != day:
            continue
        return text, None
    when = f"{year}年" + (f"{month}月" if month else "") + (f"{day}日" if day else "")
    return law, f"知识库未收录《{law.title}》{when}的文本，链接指向现行文本。"


def _revision_alert(older: Law, current: Law, articles: list[Article]) -> str | None:
    from kb_tools.laws.versions import alignment  # versions imports nothing of ours that imports us

    changes = []
    mapping = alignment(older, current)
    when = older.superseded_on.isoformat() if older.superseded_on else "之后"
    for art in articles:
        change = mapping.get(art.key)
        if change is None:
            continue
        if change.new is None:
            changes.append(f"《{current.title}》{art.label} 在 {when} 修订后已删除")
        elif change.also:
            parts = "、".join(a.label for a in (change.new, *change.also))
            changes.append(f"《{current.title}》{art.label} 在 {when} 修订后拆分为{parts}")
        elif change.new.key != art.key:
            changes.append(f"《{current.title}》{art.label} 在 {when} 修订后变为{change.new.label}")
        elif change.kind != "unchanged":
            changes.append(f"《{current.title}》{art.label} 在 {when} 修订后内容有修改")
    return "；".join(changes) or None


def _context_mention(text: str, start: int, ctx: _Context) -> tuple[Citation | None, int]:
    law = ctx.current
    if law is None:
        return None, start + 1
    self_match = _SELF_RE.match(text, start)
    if self_match:
        refs, end = _parse_refs(text, self_match.end())
        if not refs:
            return None, self_match.end()
        citation = Citation(start, end, text[start:end], None, written_title=law.title)
        return _with_articles(citation, law, refs, None, replace(ctx, on=None)), end
    match = _CONTEXT_RE.match(text, start)
    if match is None or ctx.article is None:
        return None, start + 1
    end = match.end()
    target = ctx.article
    detail = ""
    if match.group("what") == "条":
        index = _position(law, ctx.article)
        if index <= 0:
            return None, end
        target = law.articles[index - 1]
    else:
        detail = match.group(0)
    parts = (CitationPart(start, end, target, detail),)
    return Citation(start, end, text[start:end], law, (target,), parts=parts, written_title=law.title,
                    self_ref=target is ctx.article), end


def _position(law: Law, article: Article) -> int:
    """Index of an article in its regulation (kept on the Law: 前条 is common in long codes)."""
    return law.position(article)


def _bare_mention(text: str, start: int, ctx: _Context, law: Law) -> tuple[Citation | None, int]:
    """第N条 without a title: an article of ``law`` unless another law's name precedes it.

    ``law`` is the regulation the text belongs to, or (outside regulations) the one the same
    paragraph cited last; such an inferred citation is only a warning when it does not resolve.
    """
    inferred = law is not ctx.current
    if _ARTICLE_RE.match(text, start) is None:
        return None, start + 1
    tail = text[max(0, start - 30): start]
    named = _NAME_TAIL_RE.search(tail)
    dated = replace(ctx, on=None)  # this law's own articles, or the text the paragraph already chose
    begin = start
    if named:
        other, size = _law_from_tail(named.group(0), ctx)
        if other is None:
            refs, end = _parse_refs(text, start)
            return None, end  # 依照刑法第二十条: another law, not in the knowledge base
        if other is not law:
            law, inferred, dated = other, False, ctx  # 依照行政复议法第三条: as it stood then
        begin = start - size
    elif tail.endswith(("该法", "该条例", "该规定", "该办法", "》")):
        refs, end = _parse_refs(text, start)
        return None, end
    refs, end = _parse_refs(text, start)
    citation = Citation(begin, end, text[begin:end], None, written_title=law.title)
    found = _with_articles(citation, law, refs, None, dated)
    if inferred:
        found = replace(found, severity=Severity.WARNING)
    return found, end


def _law_from_tail(tail: str, ctx: _Context) -> tuple[Law | None, int]:
    """The law named right before a 第N条 (行政复议法第三条), and the length of its name."""
    for size in range(len(tail), 1, -1):  # longest first: 浙江省物业管理条例, not 物业管理条例
        name = tail[-size:]
        key = normalise_title(name)
        law = ctx.aliases.get(key) or ctx.corpus.by_name(name)
        if law is not None:
            return law, size
    return None, 0


def link_citations(
    html: str,
    corpus: Corpus,
    *,
    base: str,
    current: Law | None = None,
    on: dt.date | None = None,
    policy: Policy | None = None,
    every_status: bool = False,
) -> tuple[str, list[Citation]]:
    """Turn every resolved citation in rendered HTML into a link to the article anchor.

    Text inside ``<a>``, ``<code>``, ``<pre>``, headings, buttons and attribute values is left
    alone. Self references (本条, 前款, 本法 without article) are found but not linked: they
    would point at the very place the reader is. A repealed or amended target gets its status
    badge next to the link; a revision alert gets a small badge with the change as tooltip.

    Args:
        html: the page body as rendered by Markdown.
        corpus: the knowledge base.
        base: path from the page to the site root (``../../``).
        current: the regulation rendered by this page, if any.
        on: the page's date (front matter ``date:``), for point-in-time resolution; on a
            regulation's page, the date its text took effect.
        policy: the policy document rendered by this page, if any (its items link to anchors on
            the page, the document itself is not linked).
        every_status: badge every cited regulation with its status, 有效 included (legal bases
            of list entries), not only those no longer or not yet in force.

    Returns:
        The rewritten HTML and every citation found (resolved or not), spans relative to the
        text node they were found in.
    """
    if on is None and current is not None:
        on = _citing_date(current)
    ctx = _Context(corpus, current, None, on, in_law_page=current is not None, policy=policy,
                   every_status=every_status)
    out: list[str] = []
    found: list[Citation] = []
    skip: list[str] = []
    pos = 0
    for match in _TAG_RE.finditer(html):
        if match.start() > pos:
            out.append(_link_text(html[pos:match.start()], ctx, base, found) if not skip
                       else html[pos:match.start()])
        out.append(match.group(0))
        pos = match.end()
        name = (match.group("name") or "").lower()
        if not name:
            continue
        if match.group("close"):
            if skip and skip[-1] == name:
                skip.pop()
            continue
        if name == "section" and current is not None:
            ident = _SECTION_ID_RE.search(match.group("attrs") or "")
            if ident:
                ctx.article = current.article(int(ident.group("n")), int(ident.group("s") or 0))
        if name in _BLOCK_TAGS:
            ctx.last_law = None  # “（第十九条）” refers back only within one paragraph
        if name in _SKIP_TAGS and not match.group(0).endswith("/>"):
            skip.append(name)
    if pos < len(html):
        out.append(_link_text(html[pos:], ctx, base, found) if not skip else html[pos:])
    return "".join(out), found


def _link_text(text: str, ctx: _Context, base: str, found: list[Citation]) -> str:
    if ("《" not in text and not (ctx.named and "该" in text)
            and (ctx.current is None or not any(c in text for c in "本前第"))
            and not (ctx.corpus.policies and "号" in text)
            and not (ctx.policy is not None and "本" in text)):
        return text
    citations = _scan(text, ctx)
    if not citations:
        return text
    found.extend(citations)
    out: list[str] = []
    pos = 0
    for citation in citations:
        if citation.policy is not None and citation.start >= pos:
            out.append(text[pos:citation.start])
            own = citation.policy is ctx.policy
            out.append(_policy_links(citation, text, base, own=own))
            out.append("" if own else _badges(citation, ctx))
            pos = citation.end
            continue
        if citation.law is None or citation.self_ref or citation.start < pos:
            continue
        for part in citation.parts:
            if part.start < pos:
                continue
            if part.article is None and (citation.articles or citation.code == "citation-missing-article"):
                # 《建筑法》第九百条: the article does not exist, so only the title is linked
                # (to the regulation page) and 第九百条 stays plain; kb check reports it.
                if part.start == citation.start and citation.title_end > part.start:
                    title_part = CitationPart(part.start, citation.title_end, None)
                    out.append(text[pos:part.start])
                    out.append(_anchor(citation, title_part, text[part.start:citation.title_end], base,
                                       ctx.current))
                    pos = citation.title_end
                continue
            out.append(text[pos:part.start])
            out.append(_anchor(citation, part, text[part.start:part.end], base, ctx.current))
            pos = part.end
        out.append(text[pos:citation.end])
        pos = citation.end
        out.append(_badges(citation, ctx))
    out.append(text[pos:])
    return "".join(out)


def _policy_links(citation: Citation, text: str, base: str, *, own: bool = False) -> str:
    """A policy mention with each part linked to the document or its item (on the document's own
    page: items to their anchors, the document itself not at all)."""
    policy = citation.policy
    assert policy is not None
    out: list[str] = []
    pos = citation.start
    for part in citation.parts:
        out.append(text[pos:part.start])
        if own and part.item is None:
            out.append(text[part.start:part.end])
            pos = part.end
            continue
        page = "" if own else f"{base}{policy.url}"
        href = page + (f"#{part.item.anchor}" if part.item else "")
        title = f"《{policy.title}》" + (f"（{policy.doc_number}）" if policy.doc_number else "")
        title += part.item.cite if part.item else ""
        out.append(f'<a class="kb-cite kb-cite--policy" href="{escape(href, quote=True)}" '
                   f'title="{escape(title, quote=True)}">{text[part.start:part.end]}</a>')
        pos = part.end
    out.append(text[pos:citation.end])
    return "".join(out)


def _anchor(citation: Citation, part: CitationPart, label: str, base: str, current: Law | None) -> str:
    if current is not None and citation.law is current and part.article is not None:
        href = f"#{part.article.anchor}"  # 本法第四十五条: the anchor on this very page
    else:
        href = citation.article_url(part.article, base) or ""
    title = escape(citation.cite_title(part.article, part.detail), quote=True)
    return f'<a class="kb-cite" href="{escape(href, quote=True)}" title="{title}">{label}</a>'


def _badges(citation: Citation, ctx: _Context) -> str:
    out = ""
    law = citation.law
    if citation.policy is not None:
        status = policy_status(ctx.corpus, citation.policy)
        if status.css_class in ("repealed", "amended", "not-yet-effective", "expired"):
            tip = f"《{citation.policy.title}》{status.value}"
            out += (f'<span class="kb-status kb-status--{status.css_class} kb-cite-status" '
                    f'title="{escape(tip, quote=True)}">{status.value}</span>')
    if law is not None:
        status = law.status(ctx.corpus.today)
        # An older text is 已修改; the revision alert next to it says more, so one badge is enough.
        shown = ("repealed", "not-yet-effective") if citation.alert else ("repealed", "amended", "not-yet-effective")
        if status.css_class in shown or ctx.every_status:
            tip = f"已由《{law.successor}》取代" if law.successor else f"《{law.title}》{status.value}"
            out += (f'<span class="kb-status kb-status--{status.css_class} kb-cite-status" '
                    f'title="{escape(tip, quote=True)}">{status.value}</span>')
    if citation.alert:
        out += (f'<span class="kb-cite-alert" title="{escape(citation.alert, quote=True)}" '
                f'tabindex="0">条文已变化</span>')
    return out
