"""Markdown body of a regulation -> divisions (编/章/节) and articles (条). Pure, no file I/O.

The body follows the official structure: ``## 第一章 总则``, ``### 第一节 …`` and articles as
paragraphs beginning ``第一条　…``; further paragraphs (款, 项) follow without a label.
The kind of a heading comes from its label (编/章/节), not from its Markdown depth, because
the 民法典 uses one level more than other codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kb_tools.laws.model import Article, Division, DivisionKind
from kb_tools.numerals import NUMBER_CLASS, cn_to_int, int_to_cn
from kb_tools.problems import ContentProblem, Severity

_SPACE = " \t\u3000\u00a0"
# Zero-width characters copied from web pages: invisible, but they break label matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t#]*$")
DIVISION_RE = re.compile(
    rf"^第(?P<num>{NUMBER_CLASS}+)(?P<kind>分编|编|章|节)[{_SPACE}]*(?P<name>.*)$"
)
ARTICLE_RE = re.compile(
    rf"^第(?P<num>{NUMBER_CLASS}+)条(?:之(?P<suffix>{NUMBER_CLASS}+))?(?P<sep>[{_SPACE}]+|(?=\S)|$)"
)
# A paragraph starting with "第十条规定的…" is a cross-reference, not a new article.
_NOT_A_LABEL_FOLLOWER = "规的、，,和与及或至到中所第之"


@dataclass
class ParsedBody:
    """What the parser found; problems carry line numbers in the original file."""

    divisions: list[Division] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)


def _paragraphs(lines: list[str], first_line: int) -> list[tuple[int, str]]:
    """Group Markdown lines into paragraphs; a heading is always its own paragraph.

    Lines of one paragraph are joined without a separator, as Chinese text has no spaces.
    """
    result: list[tuple[int, str]] = []
    buf: list[str] = []
    start = 0
    for offset, raw in enumerate(lines):
        line = raw.translate(_INVISIBLE).strip(_SPACE + "\r")
        number = first_line + offset
        if not line or line.startswith("<!--"):
            if buf:
                result.append((start, "".join(buf)))
                buf = []
            continue
        if HEADING_RE.match(line):
            if buf:
                result.append((start, "".join(buf)))
                buf = []
            result.append((number, line))
            continue
        if not buf:
            start = number
        buf.append(line)
    if buf:
        result.append((start, "".join(buf)))
    return result


def _normalise_name(name: str) -> str:
    """``总 则`` -> ``总则``: the spacing inside short heading names is typographic only."""
    compact = re.sub(f"[{_SPACE}]+", "", name)
    return compact if len(compact) <= 6 else re.sub(f"[{_SPACE}]+", " ", name).strip()


def parse_body(text: str, path: str = "", first_line: int = 1) -> ParsedBody:
    """Parse a regulation's Markdown body.

    Args:
        text: the body (without front matter).
        path: file path for problem messages.
        first_line: line number of the body's first line in the file.

    Returns:
        The divisions, articles, text before the first article, and problems found.
    """
    parsed = ParsedBody()
    stack: list[tuple[int, str]] = []  # (rank, anchor) of open divisions
    counters: dict[str, int] = {}
    current: dict[str, Any] | None = None
    seen: dict[tuple[int, int], int] = {}
    ranks = {DivisionKind.PART: 0, DivisionKind.SUBPART: 1, DivisionKind.CHAPTER: 2,
             DivisionKind.SECTION: 3, DivisionKind.HEADING: 2}

    def flush() -> None:
        nonlocal current
        if current is not None:
            parsed.articles.append(Article(
                number=current["number"],
                suffix=current["suffix"],
                paragraphs=tuple(current["paragraphs"]),
                line=current["line"],
                divisions=current["divisions"],
            ))
            current = None

    last_key: tuple[int, int] | None = None
    for line_no, para in _paragraphs(text.split("\n"), first_line):
        heading = HEADING_RE.match(para)
        if heading:
            flush()
            depth = len(heading.group("hashes"))
            htext = heading.group("text").strip()
            match = DIVISION_RE.match(htext)
            if match:
                kind = DivisionKind(match.group("kind"))
                try:
                    number = cn_to_int(match.group("num"))
                except ValueError:
                    number = 0
                label = f"第{match.group('num')}{match.group('kind')}"
                name = _normalise_name(match.group("name"))
            else:
                kind = DivisionKind.HEADING
                label, name = "", htext
                number = counters.get("heading", 0) + 1
            rank = ranks[kind]
            while stack and stack[-1][0] >= rank:
                stack.pop()
            if kind is DivisionKind.SECTION and stack:
                anchor = f"{stack[-1][1]}-section-{number}"
            elif kind is DivisionKind.SUBPART and stack:
                anchor = f"{stack[-1][1]}-subpart-{number}"
            else:
                base = {DivisionKind.PART: "part", DivisionKind.CHAPTER: "chapter",
                        DivisionKind.SECTION: "section", DivisionKind.SUBPART: "subpart",
                        DivisionKind.HEADING: "heading"}[kind]
                anchor = f"{base}-{number}"
                if kind is DivisionKind.CHAPTER and any(d.anchor == anchor for d in parsed.divisions):
                    # 民法典-style codes restart chapter numbers in each 编.
                    anchor = f"{stack[-1][1]}-{anchor}" if stack else anchor
            counters["heading" if kind is DivisionKind.HEADING else kind.value] = number
            division = Division(kind, label, name, anchor, depth, line_no)
            parsed.divisions.append(division)
            stack.append((rank, anchor))
            continue

        match = ARTICLE_RE.match(para)
        is_label = False
        if match:
            rest = para[match.end():]
            number = cn_to_int(match.group("num"))
            suffix = cn_to_int(match.group("suffix")) if match.group("suffix") else 0
            if match.group("sep"):
                is_label = True
            else:
                expected = last_key is None or (number, suffix) > last_key
                is_label = bool(expected and rest and rest[0] not in _NOT_A_LABEL_FOLLOWER)
        if match and is_label:
            flush()
            key = (number, suffix)
            label = f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
            if key in seen:
                parsed.problems.append(ContentProblem(
                    path, line_no,
                    f"条号重复：{label}已在第 {seen[key]} 行出现。",
                    "请检查是否把后一条的条号写错，同一部法规中每个条号只能出现一次。",
                    code="duplicate-article",
                ))
            elif last_key is not None and suffix == 0 and number > last_key[0] + 1:
                missing = "、".join(f"第{int_to_cn(n)}条" for n in range(last_key[0] + 1, number)[:3])
                parsed.problems.append(ContentProblem(
                    path, line_no,
                    f"条号不连续：第{int_to_cn(last_key[0])}条之后是{label}。",
                    f"请检查是否漏写了{missing}，或确认原文确实如此。",
                    severity=Severity.WARNING, code="article-gap",
                ))
            elif last_key is not None and key < last_key:
                parsed.problems.append(ContentProblem(
                    path, line_no,
                    f"条号顺序倒退：第{int_to_cn(last_key[0])}条之后是{label}。",
                    "请检查条号是否写错。",
                    severity=Severity.WARNING, code="article-order",
                ))
            seen.setdefault(key, line_no)
            last_key = max(key, last_key) if last_key else key
            first = rest.strip(_SPACE)
            current = {
                "number": number, "suffix": suffix, "line": line_no,
                "paragraphs": [first] if first else [],
                "divisions": tuple(anchor for _, anchor in stack),
            }
            continue
        if current is not None:
            current["paragraphs"].append(para)
        else:
            parsed.preamble.append(para)
    flush()
    # Articles before the first heading when chapters exist: check them too.
    chapters = [d for d in parsed.divisions if d.kind is DivisionKind.CHAPTER]
    if chapters:
        # Some statutes really open with an article before 第一章 (全国人民代表大会议事规则
        # 第一条): only a warning then. Before a later chapter, 第一章 was lost: an error.
        leading = chapters[0].anchor == "chapter-1"
        for article in parsed.articles:
            if not article.divisions and article.line < parsed.divisions[0].line:
                parsed.problems.append(ContentProblem(
                    path, article.line,
                    f"{article.label}不在任何章节之内，而本法规其他条文分属各章。",
                    "若原文确实如此（条文位于第一章之前），可以忽略；否则请把这一条移到所属的“## 第X章”标题之下。"
                    if leading else "请把这一条移到所属的“## 第X章”标题之下。",
                    severity=Severity.WARNING if leading else Severity.ERROR,
                    code="article-outside-chapter",
                ))
    return parsed
