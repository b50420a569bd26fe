"""Read the lecture pages under ``docs/classroom/`` into Lecture objects and check them.

The lecture page itself stays an ordinary MkDocs page; this loader only reads its front matter
and runs the citation resolver over its text, so the classroom index, the feed and the
"本讲引用的条文" list all work from one model and every cited article can list the lecture back.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from kb_tools.citations.resolver import Citation, CitingRef, add_citing, find_citations
from kb_tools.classroom.model import CLASSROOM_DIR, CitedArticle, Lecture
from kb_tools.classroom.scaffold import TEMPLATE_PLACEHOLDERS
from kb_tools.corpus import Corpus
from kb_tools.frontmatter import Document, load_page, privacy_of_value
from kb_tools.laws.model import Article, Law
from kb_tools.problems import ContentProblem, Severity
from kb_tools.schema import check_meta
from kb_tools.text import join_cjk

LECTURE_KIND = "讲堂"
#: Splits a Markdown body before each heading line, keeping the pieces' text intact.
_HEADING_SPLIT_RE = re.compile(r"(?m)(?=^#{1,6} )")
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\(<?([^)\s>]+)>?")
_CODE_RE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]*`", re.M | re.S)
#: Pages of the classroom section that are not lectures (generated or hand-written indexes).
NOT_LECTURES = {"index.md", "by-lecturer.md", "by-topic.md"}

#: Front-matter keys of a lecture page: key -> (kind, required). ``hours`` is checked on its own.
LECTURE_KEYS: dict[str, tuple[str, bool]] = {
    "title": ("str", True),
    "lecturer": ("str", True),
    "date": ("date", True),
    "hours": ("number", True),
    "audience": ("str", False),
    "topics": ("list[str]", False),
    "attachments": ("list[str]", False),
    "summary": ("str", False),
    "public": ("bool", False),
    "draft": ("bool", False),
}


def load(corpus: Corpus) -> None:
    """Corpus loader: every lecture into ``corpus.lectures``, newest first."""
    folder = corpus.docs_dir / CLASSROOM_DIR
    lectures: list[Lecture] = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            rel = path.relative_to(corpus.docs_dir).as_posix()
            if path.relative_to(folder).as_posix() in NOT_LECTURES:
                continue
            lecture = read_lecture(corpus, rel)
            if lecture is not None:
                lectures.append(lecture)
    lectures.sort(key=lambda lec: (lec.date, lec.src_uri), reverse=True)
    corpus.lectures = lectures
    _register_citing(corpus, lectures)


def read_lecture(corpus: Corpus, rel: str) -> Lecture | None:
    """One lecture page; problems go to ``corpus.problems``. None when it cannot be listed."""
    problems = corpus.problems
    doc = load_page(corpus.docs_dir / rel, rel, problems, sources=corpus.sources, missing=(
        "讲堂讲稿缺少文件头（front matter）。",
        '请用 `kb new lecture "标题"` 生成模板，或在开头补上 title、lecturer、date、hours 等字段。',
        "lecture-front-matter",
    ))
    if doc is None:
        return None
    if corpus.public_only and privacy_of_value(doc.meta.get("public")) is not False:
        _withhold_files(corpus, rel, doc)
        return None
    hours = _hours(doc, problems)
    plain = Document(doc.path, {k: v for k, v in doc.meta.items() if k != "hours"}, doc.body, doc.body_line,
                     doc.key_lines)
    keys = {k: v for k, v in LECTURE_KEYS.items() if k != "hours"}
    meta = check_meta(plain, keys, problems)
    if meta is None or hours is None:
        return None
    _check_placeholders(doc, problems)
    if meta.get("draft"):  # `kb new lecture` writes draft: true; the trainer removes it when ready
        corpus.drafts.add(rel)
        return None
    attachments = tuple(meta.get("attachments") or ())
    folder = (corpus.docs_dir / rel).parent
    for name in attachments:
        if not (folder / name).is_file():
            problems.append(ContentProblem(
                rel, doc.line_of("attachments"), f"附件“{name}”不存在。",
                f"请把文件放在讲稿旁边（{folder.relative_to(corpus.docs_dir).as_posix()}/），或从 attachments 中删除。",
                code="lecture-missing-attachment",
            ))
    return Lecture(
        src_uri=rel,
        title=meta["title"],
        lecturer=meta["lecturer"],
        date=meta["date"],
        hours=hours,
        audience=meta.get("audience") or "",
        topics=tuple(meta.get("topics") or ()),
        attachments=attachments,
        summary=join_cjk(meta.get("summary") or first_paragraph(doc.body)),  # prose: no stray gaps
        cited=tuple(_cited(corpus, doc, meta["date"])),
        line=doc.body_line,
    )


def _check_placeholders(doc: Document, problems: list[ContentProblem]) -> None:
    """Warn about text left from the `kb new lecture` template (its parenthesised instructions)."""
    text = doc.body + "\n" + "\n".join(str(v) for v in doc.meta.values())
    for placeholder in TEMPLATE_PLACEHOLDERS:
        at = text.find(placeholder)
        if at < 0:
            continue
        line = doc.body_line + doc.body.count("\n", 0, at) if at < len(doc.body) else 1
        problems.append(ContentProblem(
            doc.path, line, f"讲稿中还留有模板的提示文字“{placeholder[:24]}”。",
            "请换成讲稿的实际内容，或删除这段提示。", severity=Severity.WARNING, code="lecture-placeholder",
        ))


def _withhold_files(corpus: Corpus, rel: str, doc: Document) -> None:
    """A private lecture's attachments and images stay out of a public build too."""
    folder = rel.rpartition("/")[0]
    names = [str(n) for n in doc.meta.get("attachments") or () if isinstance(n, str)]
    names += _IMAGE_RE.findall(doc.body)
    private = corpus.private_files
    for name in names:
        if "://" not in name and not name.startswith("/"):
            private.add(posixpath.normpath(f"{folder}/{name}"))


def _hours(doc: Document, problems: list[ContentProblem]) -> float | None:
    value: Any = doc.meta.get("hours")
    if value is None:
        problems.append(ContentProblem(doc.path, 1, "文件头缺少必填字段 `hours`（课时）。",
                                       "请填写课时数，例如 `hours: 2`（可写 1.5）。", code="missing-key"))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 16:
        problems.append(ContentProblem(doc.path, doc.line_of("hours"),
                                       f"课时 `hours` 应为 0 到 16 之间的数，实际是 {value!r}。",
                                       "例如 `hours: 2` 或 `hours: 1.5`。", code="bad-value"))
        return None
    return float(value)


def _cited(corpus: Corpus, doc: Document, on: dt.date) -> list[CitedArticle]:
    """Articles cited in the text, resolved to the texts in force on the lecture's date.

    Lecture notes name a regulation once and then write （第四十二条、第五十五条）: within a
    section (up to the next heading), a bare article reference means the regulation named last,
    so each stretch of text after a 《title》 mention is resolved with that regulation as context.
    """
    seen: dict[tuple[str, tuple[int, int] | None], CitedArticle] = {}
    for offset, chunk, law in _chunks(corpus, doc.body, on):
        for citation in find_citations(chunk, corpus, current=law, on=on):
            if citation.problem:
                corpus.problems.append(_citation_problem(doc, offset, citation, contextual=law is not None))
            if citation.law is None or (citation.problem and not citation.articles):
                continue
            targets = citation.articles or (None,)
            for article in targets:
                key = (citation.law.slug, article.key if article else None)
                seen.setdefault(key, CitedArticle(citation.law, article))
    return list(seen.values())


def _citation_problem(doc: Document, offset: int, citation: Citation, *, contextual: bool) -> ContentProblem:
    """A citation problem worded like the citation checker's, so ``kb check`` shows it once."""
    line = doc.body_line + doc.body.count("\n", 0, offset + citation.start)
    severity = citation.severity
    if contextual and citation.code == "citation-missing-article":
        severity = Severity.ERROR  # 第N条 after a named regulation: as wrong as with the title
    hint = citation.hint or (f"是不是《{citation.suggestion}》？" if citation.suggestion else "请核对法规名称和条号。")
    return ContentProblem(doc.path, line, f"“{citation.text}”：{citation.problem}", hint,
                          severity=severity, code=citation.code or "lecture-bad-citation")


def _blank_code(text: str) -> str:
    """Code (fenced blocks, `inline`) blanked out, offsets kept: examples in code are not citations.

    >>> _blank_code("见`《某法》第一条`。")
    '见         。'
    """
    return _CODE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _chunks(corpus: Corpus, body: str, on: dt.date) -> list[tuple[int, str, Law | None]]:
    """``(offset, text, regulation in context)`` pieces of a body: cut at headings and 《title》 mentions."""
    pieces: list[tuple[int, str, Law | None]] = []
    offset = 0
    for section in _HEADING_SPLIT_RE.split(_blank_code(body)):
        named = find_citations(section, corpus, on=on)  # cut at named mentions (《title》) only
        cuts = [(c.start, c.law) for c in named if c.law is not None and "《" in c.text]
        starts = [0, *[start for start, _ in cuts]]
        laws: list[Law | None] = [None, *[law for _, law in cuts]]
        for i, start in enumerate(starts):
            stop = starts[i + 1] if i + 1 < len(starts) else len(section)
            if stop > start:
                pieces.append((offset + start, section[start:stop], laws[i]))
        offset += len(section)
    return pieces


@dataclass(frozen=True)
class BareReference:
    """A 第N条 in a lecture that names no regulation but follows one in the same section."""

    start: int
    end: int
    law: Law
    article: Article


def bare_references(corpus: Corpus, body: str, on: dt.date) -> list[BareReference]:
    """The article references that only the section's context resolves, for linking them in the page.

    The citation linker links every 《title》第N条 in the rendered page; these are the rest.
    """
    found: list[BareReference] = []
    for offset, chunk, law in _chunks(corpus, body, on):
        if law is None:
            continue
        for citation in find_citations(chunk, corpus, current=law, on=on):
            if citation.law is None or "《" in citation.text or citation.self_ref:
                continue
            for part in citation.parts:
                if part.article is not None:
                    found.append(BareReference(offset + part.start, offset + part.end, citation.law, part.article))
    return found


def first_paragraph(body: str, limit: int = 160) -> str:
    """The first paragraph of plain text in a Markdown body, shortened for lists and the feed.

    >>> first_paragraph("# 标题\\n\\n本讲介绍听证程序。\\n\\n第二段")
    '本讲介绍听证程序。'
    """
    for block in re.split(r"\n\s*\n", body):
        text = block.strip()
        if not text or text.startswith(("#", "|", "!", "<", "-", "*", "```", ">")) or re.match(r"\d+\.", text):
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"[*_`]", "", " ".join(text.split()))
        return text if len(text) <= limit else text[: limit - 1] + "…"
    return ""


def _register_citing(corpus: Corpus, lectures: list[Lecture]) -> None:
    """Each cited article lists the lecture among the pages citing it (kind 讲堂)."""
    for lecture in lectures:
        for cited in lecture.cited:
            if cited.article is not None:
                add_citing(corpus, cited.law, cited.article, CitingRef(LECTURE_KIND, lecture.title, lecture.src_uri))
