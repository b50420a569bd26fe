"""Turn a regulation's text into a page under ``docs/laws/`` with front matter.

Inputs arrive in several shapes: LawRefBook-style Markdown (``# 标题``, history lines, the
``<!-- INFO END -->`` marker, ``## 第一章`` headings), plain text pasted from Word (GBK,
CRLF, indentation, wrapped lines, a 目录 block) and ``.docx``. Every shape is first reduced to
plain lines (:mod:`kb_tools.import_sources`), then one pipeline here finds the title, the
history, the structure and the metadata, and writes normalised Markdown. What the text does
not say is left out of the front matter and reported, never guessed silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb_tools.corpus import slug_for_title
from kb_tools.law_parser import ARTICLE_RE, DIVISION_RE, parse_body
from kb_tools.model import Level
from kb_tools.numerals import cn_to_int, int_to_cn
from kb_tools.problems import KbError

_CN_DATE = re.compile(
    r"(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_HISTORY_LINE = re.compile(r"^[（(]?\s*" + _CN_DATE.pattern)
_EFFECTIVE = re.compile(
    r"本(?:法|条例|规定|办法|细则|解释|决定|准则)(?:修订后)?自\s*" + _CN_DATE.pattern + r"\s*起施行"
)
_EFFECTIVE_ON_PUBLICATION = re.compile(r"本(?:法|条例|规定|办法|细则|解释|决定)自(?:公布|发布|印发)之日起施行")
_ORDER_NUMBER = re.compile(
    r"((?:中华人民共和国)?(?:主席|国务院|[\u4e00-\u9fff]{1,8}令)令?第\s*[0-9一二三四五六七八九十百零]+\s*号)"
)
_AMEND_WORDS = ("修正", "修订", "修改")

#: The bureau's subject tree, assigned from words in the title; editors refine it by hand.
CATEGORY_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("城乡规划", ("规划", "历史文化", "风景名胜", "文物", "土地")),
    ("建筑市场与工程质量安全", ("建筑", "建设工程", "招标投标", "安全生产", "工程质量", "勘察设计",
                                "绿色建筑", "抗震", "农民工", "节约能源", "无障碍")),
    ("房地产与住房保障", ("房地产", "房屋", "物业", "住房", "不动产", "土地", "拆迁", "征收", "公积金")),
    ("城市建设与市政公用", ("城市", "燃气", "供水", "排水", "市容", "环境卫生", "道路", "园林", "绿化",
                            "人民防空", "消防", "噪声", "固体废物")),
    ("依法行政", ("行政", "处罚", "许可", "复议", "诉讼", "强制", "信访", "立法", "规章", "备案",
                  "政府信息", "营商环境", "政务处分", "监察", "国家赔偿", "突发事件", "执法", "公职人员")),
]


@dataclass
class ImportResult:
    """What one import produced; ``notes`` lists what could not be determined or was repaired."""

    path: Path
    title: str
    articles: int
    chapters: int
    notes: list[str] = field(default_factory=list)


def parse_cn_date(match: re.Match[str]) -> dt.date | None:
    """A date from a match of ``_CN_DATE`` (Arabic or Chinese numerals)."""
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        y = int(year) if year.isdigit() else cn_to_int(year)
        m = int(month) if month.isdigit() else cn_to_int(month)
        d = int(day) if day.isdigit() else cn_to_int(day)
        return dt.date(y, m, d)
    except ValueError:
        return None


def guess_level(title: str, history: list[str]) -> Level | None:
    """效力级别 from the title and the history lines; None when the text does not tell."""
    text = " ".join(history)
    if title.startswith(("最高人民法院", "最高人民检察院")):
        return Level.JUDICIAL_INTERPRETATION
    if "全国人民代表大会" in text and ("法" in title[-3:] or title.endswith(("决定", "法典"))):
        return Level.LAW
    if "全国人民代表大会" in text and "国务院" not in text:
        return Level.LAW
    if re.search(r"(省|自治区|市)[^，。]*人民代表大会", text):
        return Level.LOCAL_REGULATION
    if re.search(r"(省|市)人民政府令", text):
        return Level.LOCAL_GOVERNMENT_RULE
    if "国务院" in text:
        return Level.ADMINISTRATIVE_REGULATION
    if re.search(r"部令|委员会令|总局令", text):
        return Level.DEPARTMENTAL_RULE
    if title.startswith("中华人民共和国") and title.endswith("法"):
        return Level.LAW
    return None


def guess_authority(level: Level | None, history: list[str]) -> str:
    """制定机关 from the first history line."""
    first = history[0] if history else ""
    if level is Level.LAW:
        return "全国人民代表大会常务委员会" if "常务委员会" in first else "全国人民代表大会"
    if level is Level.ADMINISTRATIVE_REGULATION:
        return "国务院"
    match = re.search(
        r"([\u4e00-\u9fff]{2,6}?(?:省|市|自治区))第[一二三四五六七八九十]+届人民代表大会(常务委员会)?", first
    )
    if match:
        return match.group(1) + "人民代表大会" + (match.group(2) or "")
    if level is Level.JUDICIAL_INTERPRETATION:
        return "最高人民检察院" if "检察" in first and "法院" not in first else "最高人民法院"
    return ""


def guess_doc_number(history: list[str]) -> str:
    """文号 such as 中华人民共和国国务院令第279号 (the latest one in the history)."""
    found = ""
    for line in history:
        for match in re.finditer(_ORDER_NUMBER, line):
            found = match.group(1).replace(" ", "")
        match = re.search(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d+号", line)
        if match:
            found = match.group(0)
    return found


def categories_for(title: str) -> list[str]:
    """Subject categories from words in the title (at most two)."""
    out = [name for name, words in CATEGORY_RULES if any(w in title for w in words)]
    return out[:2] or ["其他"]


def split_header(lines: list[str]) -> tuple[str, list[str], list[str]]:
    """Split plain lines into (title, history lines, body lines).

    The LawRefBook marker ends the header when present; otherwise the header is the title and
    the dated lines that follow it, up to the first heading, article or 目录 line.
    """
    title = ""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index < len(lines):
        title = lines[index].strip().lstrip("#").strip()
        index += 1
    history: list[str] = []
    marker = next((i for i, line in enumerate(lines) if line.strip() == "<!-- INFO END -->"), None)
    if marker is not None:
        buf = ""
        for line in lines[index:marker]:
            stripped = line.strip(" \t\u3000")
            if not stripped:
                continue
            if _HISTORY_LINE.match(stripped) or not buf:
                if buf:
                    history.append(buf)
                buf = stripped
            else:
                buf += stripped  # a long history line broken in two
        if buf:
            history.append(buf)
        return title, history, lines[marker + 1:]
    body_start = index
    for i in range(index, len(lines)):
        stripped = lines[i].strip(" \t\u3000()（）")
        if not stripped:
            continue
        if _HISTORY_LINE.match(stripped) and not ARTICLE_RE.match(stripped):
            history.append(stripped)
            body_start = i + 1
            continue
        break
    return title, history, lines[body_start:]


def normalise_body(lines: list[str], notes: list[str]) -> list[str]:
    """Plain body lines -> Markdown paragraphs: headings marked, articles one paragraph each.

    Handles indentation, stray blank lines, a 目录 block, and an article wrapped over several
    lines (a line that is neither a heading, an article label, nor an item starts nothing new
    when the previous line did not end a sentence).
    """
    out: list[str] = []
    skipping_toc = False
    for raw in lines:
        line = raw.strip(" \t\u3000\r\u200b\ufeff")
        if not line:
            continue
        plain = line.lstrip("#").strip()
        compact = re.sub(r"[ \t\u3000]", "", plain)
        if compact in ("目录", "目次"):
            skipping_toc = True
            notes.append("已跳过原文中的目录。")
            continue
        division = DIVISION_RE.match(plain)
        if skipping_toc:
            # The table of contents repeats the headings; it ends when the first heading comes
            # again followed by an article, which we detect as the first article label.
            if ARTICLE_RE.match(plain) and not division:
                skipping_toc = False
                # Drop the headings collected from the 目录 and keep only the body's repeat.
                out = _drop_toc_headings(out)
            else:
                out.append(_heading(plain, division) if division else plain)
                continue
        if division:
            out.append(_heading(plain, division))
        elif line.startswith("#"):
            out.append(line)
        elif ARTICLE_RE.match(plain) and _starts_article(plain):
            out.append(_article_paragraph(plain))
        elif out and _continues(out[-1], plain):
            out[-1] += plain
        else:
            out.append(plain)
    return out


def _drop_toc_headings(out: list[str]) -> list[str]:
    """When a 目录 was copied, headings appear twice: keep the second run only."""
    headings = [i for i, line in enumerate(out) if line.startswith("#")]
    if not headings:
        return out
    first = out[headings[0]]
    repeats = [i for i in headings[1:] if out[i] == first]
    return out[: headings[0]] + out[repeats[-1]:] if repeats else out


def _heading(text: str, match: re.Match[str]) -> str:
    kind = match.group("kind")
    depth = {"编": 2, "分编": 2, "章": 2, "节": 3}[kind]
    name = re.sub(r"[ \t\u3000]+", " ", match.group("name")).strip()
    return f"{'#' * depth} 第{match.group('num')}{kind} {name}".rstrip()


def _starts_article(text: str) -> bool:
    match = ARTICLE_RE.match(text)
    if match is None:
        return False
    rest = text[match.end():]
    return bool(match.group("sep")) or (bool(rest) and rest[0] not in "规的、，,和与及或至到中所第之")


def _article_paragraph(text: str) -> str:
    """``第八条　申请…`` / ``第8条申请…`` -> ``第八条 申请…`` (one ASCII space, Chinese numeral)."""
    match = ARTICLE_RE.match(text)
    assert match is not None
    number = cn_to_int(match.group("num"))
    label = f"第{int_to_cn(number)}条"
    if match.group("suffix"):
        label += f"之{int_to_cn(cn_to_int(match.group('suffix')))}"
    return f"{label} {text[match.end():].strip()}"


_SENTENCE_END = tuple("。；：！？」』”）)")


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` is the wrapped tail of ``previous`` rather than a new paragraph."""
    if previous.startswith("#"):
        return False
    if re.match(r"^[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+、|^\d+[.、]", line):
        return False
    return not previous.endswith(_SENTENCE_END)


def _fix_missing_first_chapter(body: list[str], notes: list[str]) -> list[str]:
    """Some sources drop ``第一章 总则`` while keeping 第二章…: put it back before 第一条."""
    first_heading = next((i for i, line in enumerate(body) if line.startswith("## ")), None)
    first_article = next((i for i, line in enumerate(body) if ARTICLE_RE.match(line)), None)
    if first_heading is None or first_article is None or first_article > first_heading:
        return body
    match = DIVISION_RE.match(body[first_heading][3:])
    if match and match.group("kind") == "章" and cn_to_int(match.group("num")) == 2:
        notes.append("原文缺少“第一章 总则”标题（第二章之前的条文不在任何章内），已补上。")
        return [*body[:first_article], "## 第一章 总则", *body[first_article:]]
    return body


@dataclass
class LawText:
    """A regulation reduced to title, history and normalised Markdown body."""

    title: str
    history: list[str]
    body: list[str]
    notes: list[str] = field(default_factory=list)


def law_text_from_lines(lines: list[str]) -> LawText:
    """Run the whole normalisation on plain lines from any source format."""
    notes: list[str] = []
    title, history, body_lines = split_header(lines)
    if not title:
        raise KbError("无法识别标题：文件第一行应为法规名称。")
    body = normalise_body(body_lines, notes)
    body = _fix_missing_first_chapter(body, notes)
    return LawText(title, history, body, notes)


def front_matter_for(text: LawText, level: Level | None = None) -> tuple[dict[str, object], list[str]]:
    """Front matter the text supports, and notes on what it could not determine."""
    notes: list[str] = []
    meta: dict[str, object] = {"title": text.title}
    if text.title.startswith("中华人民共和国") and len(text.title) > 7:
        meta["short_title"] = text.title[len("中华人民共和国"):]
    level = level or guess_level(text.title, text.history)
    if level is None:
        notes.append("无法判断效力级别，已暂填“其他”，请用 --level 指定或手工修改 level。")
        level = Level.OTHER
    meta["level"] = level.value
    authority = guess_authority(level, text.history)
    if authority:
        meta["authority"] = authority
    else:
        notes.append("无法判断制定机关（authority），请手工填写。")
    number = guess_doc_number(text.history)
    if number:
        meta["doc_number"] = number
    dates = []
    for line in text.history:
        match = _CN_DATE.search(line)
        date = parse_cn_date(match) if match else None
        if date:
            dates.append((date, line))
    if dates:
        meta["promulgated"] = dates[0][0]
        amended = [d for d, line in dates[1:] if any(w in line for w in _AMEND_WORDS)]
        if amended:
            meta["amended"] = amended
    else:
        notes.append("原文没有公布日期，请手工填写 promulgated。")
    body_text = "\n".join(text.body)
    effective = _EFFECTIVE.search(body_text)
    if effective and parse_cn_date(effective):
        meta["effective"] = parse_cn_date(effective)
    elif _EFFECTIVE_ON_PUBLICATION.search(body_text) and dates:
        meta["effective"] = dates[0][0]
    else:
        notes.append("原文没有写明施行日期，请核对后填写 effective。")
    meta["category"] = categories_for(text.title)
    if text.history:
        meta["history"] = text.history
    return meta, notes


def render_page(meta: dict[str, object], body: list[str]) -> str:
    """The page text: YAML front matter then the body, paragraphs separated by blank lines."""
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n" + "\n\n".join(body) + "\n"


def import_lines(
    lines: list[str],
    docs_dir: Path,
    *,
    level: Level | None = None,
    slug: str | None = None,
    version_of: str | None = None,
    extra: dict[str, object] | None = None,
    overwrite: bool = False,
) -> ImportResult:
    """Import one regulation from plain lines and write its page.

    Args:
        lines: the text, one line per item, in any of the accepted shapes.
        docs_dir: the MkDocs docs directory.
        level: 效力级别 when known (overrides the guess).
        slug: page name below ``laws/``; defaults to the title without 中华人民共和国.
        version_of: slug of the current text when importing an older version; the page then
            goes to ``laws/<version_of>/<date>.md``.
        extra: more front-matter fields (``repealed``, ``successor`` …).
        overwrite: replace an existing page instead of refusing.
    """
    text = law_text_from_lines(lines)
    meta, notes = front_matter_for(text, level)
    if extra:
        meta.update({k: v for k, v in extra.items() if v is not None})
    if version_of:
        meta["version_of"] = version_of
        date = (meta.get("amended") or [meta.get("promulgated")])[-1]  # type: ignore[index]
        slug = f"{version_of}/{date}"
    slug = slug or slug_for_title(text.title)
    target = docs_dir / "laws" / f"{slug}.md"
    if target.exists() and not overwrite:
        raise KbError(f"{target} 已存在。如需覆盖请加 --overwrite。")
    rel = f"laws/{slug}.md"
    page = render_page(meta, text.body)
    body_line = page.split("\n").index("---", 1) + 3
    parsed = parse_body("\n".join(page.split("\n")[body_line - 1:]), rel, body_line)
    notes = text.notes + notes + [p.format() for p in parsed.problems]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".md.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    chapters = sum(1 for d in parsed.divisions if d.kind.value == "章")
    return ImportResult(target, text.title, len(parsed.articles), chapters, notes)
