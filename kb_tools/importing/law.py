"""Turn a regulation's text into a page under ``docs/laws/`` with front matter.

Inputs arrive in several shapes: LawRefBook-style Markdown (``# 标题``, history lines, the
``<!-- INFO END -->`` marker, ``## 第一章`` headings), plain text pasted from Word (GBK,
CRLF, indentation, wrapped lines, a 目录 block) and ``.docx``. Every shape is first reduced to
plain lines (:mod:`kb_tools.importing.sources`), then one pipeline here finds the title, the
history, the structure and the metadata, and writes normalised Markdown. What the text does
not say is left out of the front matter and reported, never guessed silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb_tools.laws.docnumber import doc_number_from_history
from kb_tools.laws.names import slug_for_title
from kb_tools.laws.parser import ARTICLE_RE, DIVISION_RE, parse_body
from kb_tools.model import Level
from kb_tools.numerals import NUMBER_CLASS, cn_to_int, int_to_cn
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
    text = " ".join(history)
    if level is Level.LOCAL_GOVERNMENT_RULE:
        match = re.search(r"([\u4e00-\u9fff]{2,10}?(?:省|市|自治区|自治州|县|区)人民政府)令", text)
        return match.group(1) if match else ""
    if level is Level.DEPARTMENTAL_RULE:
        match = re.search(r"(?:中华人民共和国)?([\u4e00-\u9fff]{2,12}?(?:部|委员会|总局|署|局|银行))令", text)
        return match.group(1) if match else ""
    return ""


def guess_doc_number(history: list[str]) -> str:
    """文号 such as 中华人民共和国国务院令第279号 (the latest one in the history)."""
    return doc_number_from_history(history)


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
    pending = ""  # a parenthesised history note that Word broke over several lines
    for i in range(index, len(lines)):
        stripped = lines[i].strip(" \t\u3000")
        if not stripped:
            continue
        if pending:
            pending += stripped
        elif _HISTORY_LINE.match(stripped) and not ARTICLE_RE.match(stripped):
            pending = stripped
        else:
            break
        body_start = i + 1
        closed = pending.count("（") + pending.count("(") <= pending.count("）") + pending.count(")")
        if closed or i - index > 5:  # after a few lines an unclosed bracket is a typo: stop joining
            history.extend(split_history(pending))
            pending = ""
    if pending:
        history.extend(split_history(pending))
    return title, history, lines[body_start:]


_EVENT_START = re.compile(r"[ \t\u3000]+(?=(?:根据|自)?" + _CN_DATE.pattern.replace("(", "(?:") + ")")


def split_history(text: str) -> list[str]:
    """One bracketed history note -> one ``YYYY年M月D日 event`` line per dated event.

    Word texts put every event in one line: ``（2023年4月18日…审议通过　2023年5月6日…令第125号公布
    自2023年7月1日起施行）``. Dates are written with Arabic numerals so that the corpus reads them.

    >>> split_history("（二〇二三年五月六日某市人民政府令第1号公布　自2023年7月1日起施行）")
    ['2023年5月6日 某市人民政府令第1号公布', '2023年7月1日 起施行']
    """
    text = text.strip(" \t\u3000")
    if text[:1] in "（(" and text[-1:] in "）)":
        text = text[1:-1]
    events = []
    for part in _EVENT_START.split(text):
        part = part.strip(" \t\u3000")
        match = _CN_DATE.search(part)
        date = parse_cn_date(match) if match else None
        if match is None or date is None or match.start() > 2:
            if part:
                events.append(part)
            continue
        rest = part[match.end():].strip(" \t\u3000")
        prefix = part[: match.start()]
        if prefix == "自":
            rest = rest or "起施行"
        elif prefix:
            rest = f"{prefix}{rest}" if not rest.startswith(prefix) else rest
        events.append(f"{date.year}年{date.month}月{date.day}日 {rest}".rstrip())
    return events


def normalise_body(lines: list[str], notes: list[str], title: str = "") -> list[str]:
    """Plain body lines -> Markdown paragraphs: headings marked, articles one paragraph each.

    Handles indentation (ASCII and full-width spaces), stray blank lines, a 目录 block (which
    lists the headings that the body then repeats), the title repeated after the 目录, and an
    article wrapped over several lines (see :func:`_continues`).
    """
    out: list[str] = []
    toc: list[str] | None = None  # the 目录 entries while inside one
    toc_first: tuple[str, int] | None = None
    last_article = 0
    title_key = _title_key(title)
    for raw in lines:
        line = raw.strip(" \t\u3000\r\u200b\ufeff\u00a0")
        if not line:
            continue
        plain = line.lstrip("#").strip()
        compact = _compact(plain)
        if compact in ("目录", "目次") and toc is None and not any(ARTICLE_RE.match(p) for p in out):
            toc = []
            continue
        division = DIVISION_RE.match(_TOC_LEADER.sub("", plain))
        if division and not line.startswith("#") and not _is_heading(plain, division):
            division = None  # a Markdown heading is one by its author's word
        if toc is not None:
            # The 目录 ends where its first entry comes again as the body's heading, or, when
            # the body has no headings, at the first article.
            key = _division_key(division)
            if toc_first is None and key is not None:
                toc_first = key
                toc.append(plain)
                continue
            if (key is None or key != toc_first) and not (ARTICLE_RE.match(plain) and _starts_article(plain)):
                toc.append(plain)
                continue
            if toc:
                notes.append(f"已跳过原文中的目录（{len(toc)} 行）。")
            toc = None
        if title_key and _title_key(plain) == title_key and not any(ARTICLE_RE.match(p) for p in out):
            continue  # the title printed again after the 目录
        if division:
            out.append(_heading(_TOC_LEADER.sub("", plain), division))
            continue
        if line.startswith("#"):
            out.append(line)
            continue
        match = ARTICLE_RE.match(plain)
        if match and _starts_article(plain) and not (
            out and _is_wrapped_reference(out[-1], match, last_article)
        ):
            out.append(_article_paragraph(plain))
            last_article = cn_to_int(match.group("num"))
        elif out and _continues(out[-1], plain):
            # A label on a line of its own (第一条 / 为了……) is joined with the one space labels get.
            out[-1] += (" " if ARTICLE_RE.fullmatch(out[-1]) else "") + plain
        else:
            out.append(plain)
    if toc is not None:
        # No repeat and no article: the "目录" was something else; keep the lines as text.
        notes.append("原文有“目录”二字，但其后没有重复的章节标题或条文，已按正文处理。")
        return normalise_body([line for line in lines if _compact(line) not in ("目录", "目次")], [], title)
    if title_key:  # the title printed again over several lines, now joined into one paragraph
        first_article = next((i for i, p in enumerate(out) if ARTICLE_RE.match(p)), len(out))
        out = [p for i, p in enumerate(out) if i >= first_article or _title_key(p) != title_key]
    return _drop_unmarked_toc(out, notes)


_TOC_LEADER = re.compile(r"[ \t\u3000]*[.…·．\-—_]{2,}[ \t\u3000]*\d*$|[ \t\u3000]+\d+$")


def _is_heading(text: str, match: re.Match[str]) -> bool:
    """``第二章 许可`` is a heading; ``第二章的规定处理。`` (a wrapped cross-reference) is not.

    Headings carry no sentence punctuation and their name does not continue a sentence.
    """
    name = match.group("name").lstrip(" \t\u3000")
    if name.startswith(_NOT_A_NAME_START) or re.match(rf"第{NUMBER_CLASS}+[节条款项]", name):
        return False
    return not re.search(r"[。；，,：:]", text)


# How a cross-reference goes on after 第二章: never how a heading's name begins (规划… and 所有权 are names).
_NOT_A_NAME_START = ("的", "规定", "、", "，", ",", "之", "及", "或", "至", "到", "中的", "和第", "所规定")


def _title_key(text: str) -> str:
    """A title without spacing and punctuation: a title printed again in the body is often broken
    over lines or spaced differently (最高人民法院 最高人民检察院… for 最高人民法院、最高人民检察院…)."""
    return re.sub(r"[\s\u3000#、，,《》〈〉<>()（）“”\"]", "", text)


def _compact(text: str) -> str:
    return re.sub(r"[ \t\u3000\u00a0#]", "", text)


def _division_key(match: re.Match[str] | None) -> tuple[str, int] | None:
    if match is None:
        return None
    try:
        return match.group("kind"), cn_to_int(match.group("num"))
    except ValueError:
        return None


def _is_wrapped_reference(previous: str, match: re.Match[str], last_article: int) -> bool:
    """``…违反本办法`` + ``第十六条处理。``: a label that only continues an unfinished sentence.

    A new article follows a finished sentence (or a heading) and carries the next number; a
    line that starts with 第N条 after an unfinished sentence, with no space after the label or
    with a number out of sequence, is the wrapped tail of a cross-reference.
    """
    if previous.startswith("#") or previous.endswith(_SENTENCE_END):
        return False
    number = cn_to_int(match.group("num"))
    in_sequence = number == last_article + 1 or (number == last_article and bool(match.group("suffix")))
    return not (match.group("sep") and in_sequence)


def _drop_unmarked_toc(out: list[str], notes: list[str]) -> list[str]:
    """Headings listed twice in a row without a 目录 line: keep the second run only."""
    first = next((i for i, line in enumerate(out) if line.startswith("#")), None)
    if first is None:
        return out
    key = _division_key(DIVISION_RE.match(out[first].lstrip("#").strip()))
    if key is None:
        return out
    for j in range(first + 1, len(out)):
        if not out[j].startswith("#"):
            return out
        if _division_key(DIVISION_RE.match(out[j].lstrip("#").strip())) == key:
            notes.append(f"原文开头的 {j - first} 个章节标题是目录（正文中重复出现），已跳过。")
            return out[:first] + out[j:]
    return out


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
    return bool(match.group("sep")) or not rest or rest[0] not in "规的、，,和与及或至到中所第之"


def _article_paragraph(text: str) -> str:
    """``第八条　申请…`` / ``第8条申请…`` -> ``第八条 申请…`` (one ASCII space, Chinese numeral)."""
    match = ARTICLE_RE.match(text)
    assert match is not None
    number = cn_to_int(match.group("num"))
    label = f"第{int_to_cn(number)}条"
    if match.group("suffix"):
        label += f"之{int_to_cn(cn_to_int(match.group('suffix')))}"
    return f"{label} {text[match.end():].strip()}".rstrip()


_DOC_NUMBER_LINE = re.compile(r"[（(]?[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*第?\d+\s*号[）)]?")
_SENTENCE_END = tuple("。；：！？」』”）)")


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` is the wrapped tail of ``previous`` rather than a new paragraph."""
    if previous.startswith(("#", "|")) or line.startswith("|"):  # headings and table rows stand alone
        return False
    if _DOC_NUMBER_LINE.fullmatch(previous) or _DOC_NUMBER_LINE.fullmatch(line):  # 法释〔2024〕6号
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
    body = normalise_body(body_lines, notes, title)
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
        meta["promulgated"] = _promulgation(dates)
        amended = [d for d, line in dates[1:] if any(w in line for w in _AMEND_WORDS)]
        if amended:
            meta["amended"] = amended
    else:
        notes.append("原文没有公布日期，请手工填写 promulgated。")
    body_text = "\n".join(text.body)
    effective = _EFFECTIVE.search(body_text)
    in_history = [d for d, line in dates if re.search(r"^\S+ (?:起)?施行", line)]
    if effective and parse_cn_date(effective):
        meta["effective"] = parse_cn_date(effective)
    elif in_history:
        meta["effective"] = in_history[0]
    elif _EFFECTIVE_ON_PUBLICATION.search(body_text) and dates:
        meta["effective"] = meta["promulgated"]
    else:
        notes.append("原文没有写明施行日期，请核对后填写 effective。")
    meta["category"] = categories_for(text.title)
    if text.history:
        meta["history"] = text.history
    return meta, notes


def _promulgation(dates: list[tuple[dt.date, str]]) -> dt.date:
    """公布日期: the event that says 公布/发布 before any amendment, else the first event.

    A 规章 is adopted at a meeting (审议通过) and published days later by an order (令…公布).
    """
    for date, line in dates:
        if any(w in line for w in _AMEND_WORDS):
            break
        if re.search(r"公布|发布|印发", line):
            return date
    return dates[0][0]


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
        date = (meta.get("amended") or [meta.get("promulgated")])[-1]  # type: ignore[index]  # the front matter holds dates here
        if date is None:  # the page would be laws/<slug>/None.md
            raise KbError(f"《{text.title}》：原文没有公布或修改日期，无法确定这一历史版本的地址。"
                          "请用 --promulgated 指定该文本的日期，例如 --promulgated 2019-04-23。")
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
