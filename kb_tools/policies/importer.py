"""`kb import` of a notice as it comes out of OA: ``.docx`` or pasted text (UTF-8 or GBK).

The layout of a 红头文件 is read from both ends: issuer line(s) and 文号 on top, then the title
and 主送 (the line ending in “：”); at the bottom the signature block, the date under it, and the
附件 list above the signature. What the text says about dates (“自2024年4月1日起施行”,
“自印发之日起施行”, “有效期五年”, “有效期至…”) fills the front matter; everything it cannot
read is listed in the result so the author fills it in. Input it cannot read at all raises a
:class:`~kb_tools.problems.KbError` naming the file and line, what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb_tools.importing.law import _CN_DATE, parse_cn_date
from kb_tools.importing.sources import read_lines
from kb_tools.policies.lookup import DOC_NUMBER_RE
from kb_tools.policies.model import NORMATIVE
from kb_tools.policies.parser import match_item, parse_items
from kb_tools.problems import KbError
from kb_tools.text import md_text

_ISSUER_RE = re.compile(r"^(?P<name>[\u4e00-\u9fff（）()]{3,40}?)(?:文件)?$")
_ORG_END_RE = re.compile(r"(?:局|委员会|委|厅|政府|办公室|办|中心|公司|院|处|队|部)$")
_TITLE_END_RE = re.compile(
    r"(?:通知|办法|规定|意见|方案|制度|细则|规则|决定|举措|措施|指引|要点|计划|批复|函|通报|公告)$")
_ADDRESSEE_RE = re.compile(r"^(?P<to>.{2,120}?)[：:]$")
_ATTACHMENT_RE = re.compile(r"^附\s*件\s*[：:]?\s*(?P<rest>.*)$")
_ATTACHMENT_ITEM_RE = re.compile(r"^(?:\d{1,2}\s*[.．、]\s*)?(?P<name>\S.*)$")
#: Lines after the date: （此件公开发布）, 抄送, the 印发 line, contact persons.
_TRAILER_RE = re.compile(
    r"^(?:[（(]此件.*[）)]|抄送[：:].*|.*\d{4}年\d{1,2}月\d{1,2}日\s*印发|联系人[：:].*|[（(]联系人.*)$")
_EFFECTIVE_RE = re.compile(r"自\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起(?:施行|执行|实施)")
_FROM_ISSUE_RE = re.compile(r"自(?:印发|发布|公布|下发)之日起(?:施行|执行|实施)")
_PERIOD_RE = re.compile(r"有效期(?:为)?\s*(?P<n>\d{1,2}|[一二三四五六七八九十])\s*年")
_UNTIL_RE = re.compile(r"有效期至\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_MD_START_RE = re.compile(r"^([#>*+\-=|`]|\d+\.\s)")


@dataclass
class ImportedPolicy:
    """What one import produced: the page written, its title and items, and what to fill in by hand."""

    path: Path
    title: str
    items: int
    meta: dict[str, object]
    missing: list[str] = field(default_factory=list)


@dataclass
class _Line:
    number: int
    text: str


def import_policy(source: Path, docs_dir: Path, *, slug: str | None = None, kind: str | None = None,
                  overwrite: bool = False) -> ImportedPolicy:
    """Read a notice and write ``docs/policies/<year>/<slug>.md``."""
    raw, _how = read_lines(source)
    meta, body, missing = parse_notice(raw, str(source))
    if kind:
        meta["kind"] = kind
    issued = meta.get("issued")
    year = issued.year if isinstance(issued, dt.date) else "undated"
    name = slug or _slug(meta)
    target = docs_dir / "policies" / str(year) / f"{name}.md"
    if target.exists() and not overwrite:
        raise KbError(f"{target}: 页面已存在。如需替换，请加 --overwrite；如是另一份文件，请用 --slug 指定页面名。")
    text = render_page(meta, body)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    items = parse_items(text.split("---\n", 2)[2])
    return ImportedPolicy(target, str(meta["title"]), len(items), meta, missing)


def parse_notice(raw: list[str], name: str) -> tuple[dict[str, object], list[str], list[str]]:
    """Front matter, body paragraphs and the list of what could not be read, from the lines of a notice."""
    lines = [_Line(i, _clean(t)) for i, t in enumerate(raw, start=1) if _clean(t)]
    if not lines:
        raise KbError(f"{name}:1: 文件是空的（没有正文）。请确认导出的是 OA 中的正文，而不是附件或空白模板。")
    missing: list[str] = []
    meta: dict[str, object] = {}
    # Top: issuer line(s), then the 文号 line.
    pos = 0
    numbers: list[str] = []
    issuers: list[str] = []
    for index, line in enumerate(lines[:8]):
        found = [m.group(0).replace(" ", "") for m in DOC_NUMBER_RE.finditer(line.text)]
        if found and len("".join(found)) >= len(line.text.replace(" ", "")) - 4:
            numbers, pos = found, index + 1
            issuers = [_issuer(x.text) for x in lines[:index] if _issuer(x.text)]
            break
    if not numbers:
        missing.append("文号（OA 正文开头没有单独成行的“海住建〔2024〕12号”形式的文号）")
        issuers = [_issuer(lines[0].text)] if _issuer(lines[0].text) and _ORG_END_RE.search(
            _issuer(lines[0].text)) else []
        pos = 1 if issuers else 0
    # Title: up to three lines, until it ends like a title.
    title_parts: list[str] = []
    start = pos
    while pos < len(lines) and len(title_parts) < 3:
        text = lines[pos].text
        if _ADDRESSEE_RE.match(text) or match_item(text):
            break
        title_parts.append(text)
        pos += 1
        if _TITLE_END_RE.search(text):
            break
    title = "".join(title_parts).strip("《》")
    if not title or not _TITLE_END_RE.search(title):
        at = lines[start] if start < len(lines) else lines[-1]
        raise KbError(f"{name}:{at.number}: 没有找到文件标题：标题应在文号之后单独成行，以“通知”“办法”“方案”等结尾，"
                      f"这里是“{at.text[:30]}”。请检查是否漏复制了标题，或标题被拆成了多于三行。")
    meta["title"] = title
    if numbers:
        meta["doc_number"] = numbers if len(numbers) > 1 else numbers[0]
    # 主送.
    if pos < len(lines):
        to = _ADDRESSEE_RE.match(lines[pos].text)
        if to and not match_item(lines[pos].text) and len(lines[pos].text) <= 120:
            meta["recipients"] = to.group("to")
            pos += 1
    # Bottom: trailers, the date, the signature block.
    end = len(lines)
    while end > pos and _TRAILER_RE.match(lines[end - 1].text):
        end -= 1
    issued = None
    if end > pos:
        last = lines[end - 1]
        match = _CN_DATE.fullmatch(last.text.replace(" ", ""))
        if match:
            issued = parse_cn_date(match)
            if issued is None:
                raise KbError(f"{name}:{last.number}: 落款日期“{last.text}”不是有效日期。"
                              "请核对 OA 中的成文日期后再导入。")
            end -= 1
    signature: list[str] = []
    while end > pos and len(signature) < 4 and _is_signature(lines[end - 1].text):
        signature.insert(0, lines[end - 1].text)
        end -= 1
    # 附件 list, between the body and the signature.
    attachments: list[str] = []
    for index in range(end - 1, pos - 1, -1):
        head = _ATTACHMENT_RE.match(lines[index].text)
        if head and index >= end - 12:
            names = [head.group("rest")] + [x.text for x in lines[index + 1:end]]
            attachments = [_ATTACHMENT_ITEM_RE.match(n).group("name").strip("《》")  # type: ignore[union-attr]  # the pattern matched when the enclosing clause did
                           for n in names if n]
            end = index
            break
    body_lines = lines[pos:end]
    if not body_lines:
        raise KbError(f"{name}:{lines[pos - 1].number if pos else 1}: 标题之后没有正文。请确认复制了完整的 OA 正文。")
    authorities = issuers or signature
    if authorities:
        meta["authority"] = authorities if len(authorities) > 1 else authorities[0]
    else:
        missing.append("发文机关（没有找到版头或落款中的机关名称）")
    meta["kind"] = _kind(title, numbers)
    if issued:
        meta["issued"] = issued
    else:
        missing.append("印发日期（落款下没有“2024年3月1日”形式的成文日期）")
    text = "\n".join(x.text for x in body_lines)
    effective = _EFFECTIVE_RE.search(text)
    if effective:
        meta["effective"] = parse_cn_date(_CN_DATE.search(effective.group("date").replace(" ", "")))  # type: ignore[arg-type]  # the pattern matched when the enclosing clause did
    elif _FROM_ISSUE_RE.search(text) and issued:
        meta["effective"] = issued
    else:
        missing.append("施行日期（正文没有“自…起施行”）")
    until = _UNTIL_RE.search(text)
    period = _PERIOD_RE.search(text)
    if until:
        meta["valid_until"] = parse_cn_date(_CN_DATE.search(until.group("date").replace(" ", "")))  # type: ignore[arg-type]  # the pattern matched when the enclosing clause did
    elif period:
        meta["validity"] = f"有效期{period.group('n')}年"
    elif meta["kind"] == NORMATIVE:
        missing.append("有效期（行政规范性文件应写明有效期，正文没有“有效期X年”）")
    if attachments:
        meta["attachments"] = attachments
    missing += ["统一编号 register_number", "合法性审核 legality_review", "备案 filing（行政规范性文件）"] \
        if meta["kind"] == NORMATIVE else []
    return meta, _body(body_lines), missing


def _is_signature(text: str) -> bool:
    """A line of the signature block: an organisation's name, short, no sentence punctuation."""
    return (bool(_ORG_END_RE.search(text)) and len(text) <= 40 and not match_item(text)
            and not re.search(r"[，。；：、,;:]", text))


def _clean(text: str) -> str:
    return text.replace("\u3000", " ").replace("\xa0", " ").strip()


def _issuer(text: str) -> str:
    match = _ISSUER_RE.match(text.replace(" ", ""))
    if not match:
        return ""
    name = match.group("name")
    return name if _ORG_END_RE.search(name) else ""


def _kind(title: str, numbers: list[str]) -> str:
    if any("规〔" in n for n in numbers):
        return NORMATIVE
    if title.endswith(("方案", "举措", "措施", "计划", "要点")):
        return "工作方案"
    if title.endswith(("制度", "规则")):
        return "内部制度"
    if title.endswith("通知"):
        return "通知"
    return "其他政策文件"


def _body(lines: list[_Line]) -> list[str]:
    """Paragraphs of the body: short 一、 lines as headings, Markdown-looking starts escaped.

    The text comes from outside (OA, Word): it is escaped as text (``md_text``), so that no HTML
    or Markdown link in the notice can become markup on the page.
    """
    out = []
    for line in lines:
        text = line.text
        hit = match_item(text)
        if hit and hit[0] == "part" and len(text) <= 30 and not text.endswith(("。", "；")):
            out.append(f"## {md_text(text)}")
            continue
        escaped = md_text(text)
        if _MD_START_RE.match(escaped) and not hit and not escaped.startswith("|"):
            escaped = "\\" + escaped
        out.append(escaped)
    return out


def _slug(meta: dict[str, object]) -> str:
    number = meta.get("doc_number")
    first = number[0] if isinstance(number, list) else number
    if isinstance(first, str):
        match = re.match(r"(?P<code>.+?)[〔\[［(（](?P<year>\d{4})[〕\]］)）]第?(?P<n>\d+)号", first)
        if match:
            return f"{match.group('code')}-{match.group('year')}-{match.group('n')}"
    return re.sub(r"[^\w\u4e00-\u9fff-]+", "", str(meta["title"]))[:40]


def render_page(meta: dict[str, object], body: list[str]) -> str:
    """The page text: YAML front matter, then the body paragraphs separated by blank lines."""
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n" + "\n\n".join(body) + "\n"
