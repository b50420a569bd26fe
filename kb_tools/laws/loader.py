"""Read every regulation under ``docs/laws/`` into the corpus, check it, and link its versions.

Loading never stops at the first mistake: every problem is collected with its file and line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.cache import content_key
from kb_tools.frontmatter import as_date, load_page
from kb_tools.laws.docnumber import doc_number_from_history
from kb_tools.laws.model import HistoryEvent, Law
from kb_tools.laws.names import normalise_title
from kb_tools.laws.parser import parse_body
from kb_tools.problems import ContentProblem, Severity
from kb_tools.schema import KeyTable, check_meta

if TYPE_CHECKING:
    from kb_tools.cache import SourceCache
    from kb_tools.corpus import Corpus
    from kb_tools.frontmatter import Document

LAWS_DIR = "laws"

#: Front-matter keys of a regulation page: key -> (kind, required).
LAW_KEYS: KeyTable = {
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


def load_laws(corpus: Corpus) -> None:
    """Every regulation page into ``corpus.laws`` (public ones only in a public build)."""
    laws_dir = corpus.docs_dir / LAWS_DIR
    if laws_dir.is_dir():
        for path in sorted(laws_dir.rglob("*.md")):
            rel = path.relative_to(corpus.docs_dir).as_posix()
            if path.name == "index.md":
                continue
            law = _cached_law(corpus, path, rel)
            if law is not None:
                corpus.laws[law.slug] = law
    if corpus.public_only:  # an older text inherits its regulation's privacy (it has no public: line)
        private = {slug for slug, law in corpus.laws.items() if not law.public}
        for slug, law in list(corpus.laws.items()):
            if not law.public or (law.version_of is not None and (
                    law.version_of in private or law.version_of not in corpus.laws)):
                del corpus.laws[slug]
    _link_versions(corpus)
    _check_titles(corpus)


def _cached_law(corpus: Corpus, path: Path, rel: str) -> Law | None:
    """A regulation parsed once per content of its file (`mkdocs serve` re-parses only edited ones).

    The parse and its problems are shared between builds; the corpus links versions by
    mutating ``versions``, ``version_of`` and ``superseded_on``, so each build gets its own copy
    of the Law (articles and divisions, immutable, are shared).
    """
    sources = corpus.sources

    def parse() -> tuple[Law | None, tuple[ContentProblem, ...]]:
        problems: list[ContentProblem] = []
        return _load_law(path, rel, problems, sources), tuple(problems)

    law, problems = sources.derived("law", content_key(rel, sources.digest(path)), parse)
    corpus.problems.extend(problems)
    return dataclasses.replace(law, versions=[], meta_lines=dict(law.meta_lines)) if law is not None else None


def _load_law(path: Path, rel: str, problems: list[ContentProblem], sources: SourceCache | None = None) -> Law | None:
    doc = load_page(path, rel, problems, sources=sources, missing=(
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
        # Pages imported before the importer knew a form (…公告第N号) still show the number
        # their header lines give.
        doc_number=meta.get("doc_number") or doc_number_from_history(meta.get("history") or ()),
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
