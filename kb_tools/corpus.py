"""Walk ``docs/``, read and check every regulation, and return one Corpus.

The Corpus is the single in-memory model that pages, citations and search read. Loading
never stops at the first mistake: every problem is collected with its file and line, so
`kb check` and `mkdocs build` show the author the whole list at once.

Other content kinds (power list, study plans, lectures) register a loader in ``LOADERS``;
each gets the half-built Corpus (laws already loaded) and adds its own objects and problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb_tools.frontmatter import Document, as_date, load_page
from kb_tools.law_parser import parse_body
from kb_tools.model import HistoryEvent, Law, Level, Status
from kb_tools.problems import ContentProblem, Severity

LAWS_DIR = "laws"
_PREFIX = "中华人民共和国"
_INNER_MARKS = str.maketrans("〈〉<>＜＞", "《》《》《》")

#: Front-matter keys of a regulation page: key -> (kind, required).
LAW_KEYS: dict[str, tuple[str, bool]] = {
    "title": ("str", True),
    "short_title": ("str", False),
    "aliases": ("list[str]", False),
    "level": ("level", True),
    "authority": ("str", False),
    "doc_number": ("str", False),
    "promulgated": ("date", False),
    "effective": ("date", False),
    "amended": ("list[date]", False),
    "repealed": ("date", False),
    "category": ("list[str]", False),
    "public": ("bool", False),
    "version_of": ("str", False),
    "successor": ("str", False),
    "history": ("list[str]", False),
    "source": ("str", False),
    "import_notes": ("list[str]", False),
}


@dataclass
class Corpus:
    """Everything the site is built from.

    Attributes:
        docs_dir: the docs directory the corpus was read from.
        today: the date statuses are computed for (fixed by config for reproducible builds).
        laws: every regulation page, current texts and older versions, by slug.
        problems: everything wrong that was found, in file order.
        extras: objects added by other loaders (``powers``, ``plans``, ``lectures`` …).
    """

    docs_dir: Path
    today: dt.date
    laws: dict[str, Law] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    public_only: bool = False

    def status(self, law: Law) -> Status:
        """时效性 of a regulation on the corpus date."""
        return law.status(self.today)

    @property
    def current_laws(self) -> list[Law]:
        """Regulations that are not older versions of another page, in a stable order."""
        return [law for law in self.laws.values() if law.version_of is None]

    def by_name(self, name: str) -> Law | None:
        """Find the current text of a regulation by full title, short title or alias.

        ``中华人民共和国`` is optional either way, and 《》 around the name are ignored.
        """
        return self._names().get(normalise_title(name))

    def ambiguous_names(self) -> dict[str, list[str]]:
        """Names (short titles, aliases) that more than one regulation claims."""
        self._names()
        return self.__dict__["_ambiguous"]

    def suggest_title(self, name: str) -> str | None:
        """The closest known title, for "did you mean" hints.

        Memoised: each lookup compares the name with every known name, and the same unknown
        title is cited on many pages (a build of 1,500 regulations asked thousands of times).
        """
        names = self._names()
        cache = self.__dict__.setdefault("_suggestions", {})
        if cache.get(None) is not names:  # the name index was rebuilt: old answers may be stale
            cache.clear()
            cache[None] = names
        key = normalise_title(name)
        if key not in cache:
            match = difflib.get_close_matches(key, list(names), n=1, cutoff=0.5)
            cache[key] = names[match[0]].title if match else None
        return cache[key]

    def _names(self) -> dict[str, Law]:
        cache = self.__dict__.get("_name_index")
        if cache is not None and self.__dict__.get("_name_count") == len(self.laws):
            return cache
        index: dict[str, Law] = {}
        claims: dict[str, list[str]] = {}
        for law in self.current_laws:
            for name in law.names:
                key = normalise_title(name)
                titles = claims.setdefault(key, [])
                if law.title not in titles:  # 建筑法 is both the short title and the bare title
                    titles.append(law.title)
        for law in self.current_laws:
            for name in law.names:
                key = normalise_title(name)
                # Full titles always win; a shared short name resolves to nobody.
                if name == law.title or len(claims[key]) == 1:
                    index.setdefault(key, law)
        self.__dict__["_name_index"] = index
        self.__dict__["_name_count"] = len(self.laws)
        self.__dict__["_ambiguous"] = {k: v for k, v in claims.items() if len(v) > 1}
        return index


def normalise_title(name: str) -> str:
    """The lookup form of a title: no outer 《》, no 中华人民共和国 prefix, no spaces.

    A title inside a title is written 〈…〉, <…> or 《…》 depending on who typed it; all
    three spellings look up the same regulation.

    >>> normalise_title("《中华人民共和国建筑法》")
    '建筑法'
    >>> normalise_title("浙江省实施〈中华人民共和国人民防空法〉办法")
    '浙江省实施《中华人民共和国人民防空法》办法'
    """
    name = name.strip().strip("《》〈〉<> \u3000")
    name = name.replace(" ", "").replace("\u3000", "").translate(_INNER_MARKS)
    if name.startswith(_PREFIX) and len(name) > len(_PREFIX):
        name = name[len(_PREFIX):]
    return name.replace("（", "(").replace("）", ")")


def slug_for_title(title: str) -> str:
    """The page name of a regulation: its title without 中华人民共和国 and punctuation.

    >>> slug_for_title("中华人民共和国建筑法")
    '建筑法'
    >>> slug_for_title("最高人民法院关于适用《中华人民共和国行政诉讼法》的解释")
    '最高人民法院关于适用行政诉讼法的解释'
    """
    slug = title.replace(_PREFIX, "") if title != _PREFIX else title
    for ch in "《》〈〉<>\"'“”‘’/\\?？#%:：*|（）() \u3000,，、":
        slug = slug.replace(ch, "")
    return slug or title


Loader = Callable[[Corpus], None]
#: Loaders of other content kinds, run in order after the laws are read.
LOADERS: list[Loader] = []


def load_corpus(docs_dir: Path, today: dt.date | None = None, *, public_only: bool = False) -> Corpus:
    """Read every regulation under ``docs/laws/`` and every other registered content kind.

    Args:
        docs_dir: the MkDocs docs directory.
        today: date for status computation; defaults to the real date.
        public_only: drop pages whose front matter says ``public: false`` (public builds).
    """
    corpus = Corpus(docs_dir=docs_dir, today=today or dt.date.today(), public_only=public_only)
    laws_dir = docs_dir / LAWS_DIR
    if laws_dir.is_dir():
        for path in sorted(laws_dir.rglob("*.md")):
            rel = path.relative_to(docs_dir).as_posix()
            if path.name == "index.md":
                continue
            law = _load_law(path, rel, corpus.problems)
            if law is None or (public_only and not law.public):
                continue
            corpus.laws[law.slug] = law
    _link_versions(corpus)
    _check_titles(corpus)
    for loader in LOADERS:
        loader(corpus)
    corpus.problems.sort(key=lambda p: (p.path, p.line))
    return corpus


def _load_law(path: Path, rel: str, problems: list[ContentProblem]) -> Law | None:
    doc = load_page(path, rel, problems, missing=(
        "法规页面缺少文件头（front matter）。",
        "请在文件开头加上 ---、title、level 等字段和结束的 ---，或用 `kb import` 导入原文。",
        "front-matter",
    ))
    if doc is None:
        return None
    meta = check_meta(doc, LAW_KEYS, problems)
    if meta is None:
        return None
    slug = rel[len(LAWS_DIR) + 1: -len(".md")]
    level = meta["level"]
    parsed = parse_body(doc.body, rel, doc.body_line)
    problems.extend(parsed.problems)
    law = Law(
        slug=slug,
        src_path=rel,
        title=meta["title"],
        level=level,
        short_title=meta.get("short_title") or "",
        aliases=tuple(meta.get("aliases") or ()),
        authority=meta.get("authority") or "",
        doc_number=meta.get("doc_number") or "",
        promulgated=meta.get("promulgated"),
        effective=meta.get("effective"),
        amended=tuple(sorted(meta.get("amended") or ())),
        repealed=meta.get("repealed"),
        category=tuple(meta.get("category") or ()),
        public=meta.get("public", True),
        version_of=meta.get("version_of"),
        successor=meta.get("successor"),
        history=tuple(_history(meta.get("history") or ())),
        divisions=tuple(parsed.divisions),
        articles=tuple(parsed.articles),
        preamble=tuple(parsed.preamble),
        body_line=doc.body_line,
        meta_lines=dict(doc.key_lines),
    )
    _check_dates(law, doc, problems)
    return law


def _history(lines: Iterable[str]) -> Iterable[HistoryEvent]:
    for line in lines:
        head, _, text = line.partition(" ")
        date = as_date(head)
        if date:
            yield HistoryEvent(date, text.strip())


def check_meta(
    doc: Document, keys: dict[str, tuple[str, bool]], problems: list[ContentProblem]
) -> dict[str, Any] | None:
    """Check front matter against a key table; convert dates and levels.

    Unknown keys are errors too: a misspelt ``efective`` would otherwise be silently ignored
    and the status computed from the wrong dates.

    Returns:
        The converted values, or None when a required key is missing or a value is wrong.
    """
    ok = True
    out: dict[str, Any] = {}
    known = "、".join(keys)
    for key, value in doc.meta.items():
        line = doc.line_of(str(key))
        if key not in keys:
            close = difflib.get_close_matches(str(key), list(keys), n=1)
            hint = f"是不是想写 `{close[0]}`？" if close else f"可用的字段有：{known}。"
            problems.append(ContentProblem(doc.path, line, f"文件头中有未知字段 `{key}`。", hint,
                                           code="unknown-key"))
            ok = False
            continue
        kind = keys[key][0]
        converted, error = _convert(kind, value)
        if error:
            problems.append(ContentProblem(doc.path, line, f"字段 `{key}` 的值无效：{error}",
                                           _HINTS.get(kind, ""), code="bad-value"))
            ok = False
            continue
        out[key] = converted
    for key, (_, required) in keys.items():
        if required and out.get(key) in (None, "") and key not in doc.meta:
            problems.append(ContentProblem(doc.path, 1, f"文件头缺少必填字段 `{key}`。",
                                           f"请在文件头中加上 `{key}: …`。", code="missing-key"))
            ok = False
    return out if ok else None


_HINTS = {
    "date": "日期请写成 2024-01-01 的形式。",
    "list[date]": "请写成日期列表，例如 [2011-04-22, 2019-04-23]。",
    "level": "效力级别可选：" + "、".join(level.value for level in Level) + "。",
    "bool": "请写 true 或 false。",
    "list[str]": "请写成列表，例如 [建筑市场, 工程质量安全]。",
}


def _convert(kind: str, value: Any) -> tuple[Any, str]:
    if value is None:
        return None, ""
    if kind == "str":
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value).strip(), ""
        return None, f"应为文字，实际是 {value!r}。"
    if kind == "bool":
        return (value, "") if isinstance(value, bool) else (None, f"应为 true 或 false，实际是 {value!r}。")
    if kind == "date":
        date = as_date(value)
        return (date, "") if date else (None, f"“{value}”不是有效日期。")
    if kind == "level":
        try:
            return Level(str(value).strip()), ""
        except ValueError:
            return None, f"未知的效力级别“{value}”。"
    if kind.startswith("list["):
        items = value if isinstance(value, list) else [value]
        inner = kind[5:-1]
        out = []
        for item in items:
            converted, error = _convert(inner, item)
            if error:
                return None, error
            out.append(converted)
        return out, ""
    raise AssertionError(kind)


def _check_dates(law: Law, doc: Document, problems: list[ContentProblem]) -> None:
    if law.promulgated and law.effective and law.effective < law.promulgated:
        problems.append(ContentProblem(
            doc.path, doc.line_of("effective"),
            f"施行日期 {law.effective} 早于公布日期 {law.promulgated}。",
            "请核对原文：施行日期不能早于公布日期。", code="impossible-date",
        ))
    if law.repealed and law.promulgated and law.repealed < law.promulgated:
        problems.append(ContentProblem(
            doc.path, doc.line_of("repealed"),
            f"废止日期 {law.repealed} 早于公布日期 {law.promulgated}。",
            "请核对废止日期。", code="impossible-date",
        ))
    for date in law.amended:
        if law.promulgated and date < law.promulgated:
            problems.append(ContentProblem(
                doc.path, doc.line_of("amended"),
                f"修改日期 {date} 早于公布日期 {law.promulgated}。",
                "`promulgated` 是首次公布日期，`amended` 只列之后的修正/修订日期。",
                code="impossible-date",
            ))


def _link_versions(corpus: Corpus) -> None:
    """Attach older versions to their current text and compute when each was superseded."""
    for law in corpus.laws.values():
        if law.version_of is None:
            continue
        current = corpus.laws.get(law.version_of)
        if current is None or current.version_of is not None:
            corpus.problems.append(ContentProblem(
                law.src_path, law.line_of("version_of"),
                f"`version_of: {law.version_of}` 指向的现行文本不存在。",
                "请填写现行文本在 docs/laws/ 下的文件名（不含 .md），例如 `version_of: 行政复议法`。",
                code="bad-version",
            ))
            law.version_of = None
            continue
        current.versions.append(law)
    for current in corpus.laws.values():
        current.versions.sort(key=lambda v: v.version_date or dt.date.min, reverse=True)
        chain = [current, *current.versions]
        for newer, older in itertools.pairwise(chain):
            dates = [d for d in (newer.effective, newer.version_date) if d]
            # An amendment's own date counts when the text only states the original effective date.
            older.superseded_on = max(dates) if dates else None


def _check_titles(corpus: Corpus) -> None:
    seen: dict[str, Law] = {}
    for law in corpus.current_laws:
        key = normalise_title(law.title)
        if key in seen:
            corpus.problems.append(ContentProblem(
                law.src_path, law.line_of("title"),
                f"标题“{law.title}”与 {seen[key].src_path} 重复。",
                "同一法规的旧版本请用 `version_of:` 指向现行文本；不同法规请核对标题。",
                code="duplicate-title",
            ))
        else:
            seen[key] = law
    for law in corpus.current_laws:
        if law.successor and corpus.by_name(law.successor) is None:
            corpus.problems.append(ContentProblem(
                law.src_path, law.line_of("successor"), f"`successor` 指向的《{law.successor}》不在知识库中。",
                "请填写取代本法规的法规的完整标题，并先导入它。",
                severity=Severity.WARNING, code="bad-successor",
            ))
