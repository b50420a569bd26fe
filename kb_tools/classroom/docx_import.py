"""`kb import-lecture FILE.docx`: turn a trainer's Word document into a lecture page.

Keeps what survives the trip to Markdown: headings (Word's 标题 1 becomes ``##`` because the
page title is the front matter's), bulleted and numbered lists with their nesting, tables, bold
and italic runs, and images, which are saved beside the page and linked. Everything else
(fonts, colours, page layout) is dropped on purpose: the site's stylesheet decides how it looks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb_tools.classroom.scaffold import front_matter, lecture_path
from kb_tools.importing.limits import check_archive, unreadable
from kb_tools.problems import KbError
from kb_tools.text import clean_text, md_text

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

_HEADING_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/bmp": "bmp",
                "image/svg+xml": "svg", "image/x-emf": "emf", "image/x-wmf": "wmf"}


@dataclass
class ConvertedLecture:
    """A Word document as Markdown: the title found in it, the body, and the images to save."""

    title: str
    markdown: str
    images: list[tuple[str, bytes]] = field(default_factory=list)
    author: str = ""
    created: dt.date | None = None
    keywords: list[str] = field(default_factory=list)
    headings: int = 0
    tables: int = 0
    list_items: int = 0


@dataclass(frozen=True)
class ImportedLecture:
    """What `kb import-lecture` wrote."""

    path: Path
    title: str
    images: tuple[Path, ...]
    headings: int
    tables: int
    list_items: int


def convert_docx(path: Path, image_stem: str) -> ConvertedLecture:
    """Convert a .docx file; images are named ``<image_stem>-图N.<ext>``.

    Raises:
        KbError: when the file is not a readable Word document.
    """
    import docx

    check_archive(path, "Word 文档（.docx）")  # size, and what it inflates to (a zip bomb)
    try:
        document = docx.Document(str(path))
        return _Converter(document, image_stem).run()
    except Exception as exc:  # broken XML, missing parts: python-docx and lxml raise many kinds
        raise unreadable(path, "Word 文档（.docx）", exc) from exc


class _Converter:
    """Walks the document body once, in order, paragraphs and tables alike."""

    def __init__(self, document: DocxDocument, image_stem: str) -> None:
        self.document = document
        self.image_stem = image_stem
        props = document.core_properties
        keywords = [k.strip() for k in re.split(r"[,，;；、]", props.keywords or "") if k.strip()]
        created = props.created.date() if props.created else None
        self.out = ConvertedLecture(title="", markdown="", author=clean_text(props.author or "").strip(),
                                    created=created, keywords=[clean_text(k) for k in keywords])
        self.doc_title = clean_text(props.title or "").strip()
        self.blocks: list[str] = []
        self.in_list = False

    def run(self) -> ConvertedLecture:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        for child in self.document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                self.paragraph(Paragraph(child, self.document))
            elif tag == "tbl":
                self.table(Table(child, self.document))
        self.out.title = self.out.title or self.doc_title
        self.out.markdown = "\n\n".join(b for b in self.blocks if b is not None).strip() + "\n"
        # Consecutive list items belong to one list: no blank line between them.
        self.out.markdown = re.sub(r"(\n(?: {4})*(?:-|\d+\.) [^\n]*)\n\n(?=(?: {4})*(?:-|\d+\.) )", r"\1\n",
                                   self.out.markdown)
        return self.out

    def paragraph(self, para: Any) -> None:
        style = (para.style.name if para.style is not None else "") or ""
        text = self.inline(para)
        if style.lower() == "title":
            if not self.out.title:
                self.out.title = clean_text(para.text).strip()
            return
        heading = _HEADING_RE.match(style)
        if heading:
            level = int(heading.group(1))
            plain = clean_text(para.text).strip()
            if not plain:
                return
            if level == 1 and not self.out.title and not self.doc_title and not self.out.headings:
                self.out.title = plain  # the first 标题 1 names a document without a title
                return
            self.out.headings += 1
            self.blocks.append("#" * min(level + 1, 6) + " " + md_text(plain))
            return
        list_kind = self.list_kind(para, style)
        if list_kind is not None:
            kind, depth = list_kind
            marker = "1." if kind == "number" else "-"
            self.out.list_items += 1
            self.blocks.append("    " * depth + f"{marker} {text.strip()}")
            return
        if text.strip():
            self.blocks.append(_escape_start(text.strip()))

    def inline(self, para: Any) -> str:
        """A paragraph's runs with **bold**, *italic* and images kept."""
        parts: list[str] = []
        for run in para.runs:
            for blip in run.element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
                image = self.image(blip)
                if image:
                    parts.append(image)
            text = run.text
            if not text:
                continue
            text = md_text(text)  # Word text is text: no HTML, links or emphasis of its own
            if run.bold and text.strip():
                text = f"**{text.strip()}**"
            elif run.italic and text.strip():
                text = f"*{text.strip()}*"
            parts.append(text)
        return "".join(parts)

    def image(self, blip: Any) -> str:
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        part = self.document.part.related_parts.get(rid) if rid else None
        if part is None:
            return ""
        ext = _IMAGE_TYPES.get(part.content_type) or Path(str(part.partname)).suffix.lstrip(".") or "bin"
        name = f"{self.image_stem}-图{len(self.out.images) + 1}.{ext}"
        self.out.images.append((name, part.blob))
        return f"![图{len(self.out.images)}]({name})"

    def list_kind(self, para: Any, style: str) -> tuple[str, int] | None:
        """("bullet" | "number", depth) when the paragraph is a list item."""
        lowered = style.lower()
        depth = 0
        match = re.search(r"(\d)$", style)
        if match and lowered.startswith("list"):
            depth = max(int(match.group(1)) - 1, 0)
        if lowered.startswith("list bullet"):
            return "bullet", depth
        if lowered.startswith("list number"):
            return "number", depth
        ppr = para._p.pPr
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        level = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        return self.numbering_format(int(num_pr.numId.val), level), level

    def numbering_format(self, num_id: int, level: int) -> str:
        """Whether a Word numbering definition draws bullets or numbers at a level."""
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return "bullet"
        ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        abstract_id = None
        for num in numbering.iter(f"{ns}num"):
            if num.get(f"{ns}numId") == str(num_id):
                ref = num.find(f"{ns}abstractNumId")
                abstract_id = ref.get(f"{ns}val") if ref is not None else None
        for abstract in numbering.iter(f"{ns}abstractNum"):
            if abstract.get(f"{ns}abstractNumId") != abstract_id:
                continue
            for lvl in abstract.iter(f"{ns}lvl"):
                if lvl.get(f"{ns}ilvl") == str(level):
                    fmt = lvl.find(f"{ns}numFmt")
                    if fmt is not None and fmt.get(f"{ns}val") not in ("bullet", "none"):
                        return "number"
        return "bullet"

    def table(self, table: Any) -> None:
        rows = []
        for row in table.rows:
            cells = []
            for cell in row.cells:
                text = "<br>".join(self.inline(p).strip() for p in cell.paragraphs if p.text.strip())
                cells.append(text)  # md_text escaped | already
            rows.append(cells)
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        self.out.tables += 1
        self.blocks.append("\n".join(lines))


def _escape_start(text: str) -> str:
    """A paragraph that merely begins like a heading, list or quote stays a paragraph.

    >>> _escape_start("1. 不是列表")
    '1\\\\. 不是列表'
    """
    text = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)
    return re.sub(r"^(#|[-+>])(\s)", r"\\\1\2", text)


def import_lecture(source: Path, docs_dir: Path, *, title: str | None = None, lecturer: str | None = None,
                   date: dt.date | None = None, hours: float = 2, audience: str = "全局干部职工",
                   topics: list[str] | None = None, overwrite: bool = False,
                   today: dt.date | None = None) -> ImportedLecture:
    """Convert ``source`` and write the lecture page and its images under ``docs/classroom/``.

    Front matter comes from the options, else from the document (title, author, created date,
    keywords as topics); the author checks it afterwards with `kb check`.
    """
    if not source.is_file():
        raise KbError(f"文件 {source} 不存在。")
    if source.suffix.lower() != ".docx":
        raise KbError(f"{source.name} 不是 .docx 文件；旧版 .doc 请先在 Word 中另存为 .docx。")
    probe = convert_docx(source, "probe")
    final_title = (title or probe.title or source.stem).strip()
    when = date or probe.created or today or dt.date.today()
    path = lecture_path(docs_dir, final_title, when)
    if path.exists() and not overwrite:
        raise KbError(f"{path} 已存在；如需覆盖请加 --overwrite。")
    converted = convert_docx(source, path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    images = []
    for name, blob in converted.images:
        target = path.parent / name
        target.write_bytes(blob)
        images.append(target)
    head = front_matter(final_title, lecturer=lecturer or converted.author or "（主讲人）", date=when, hours=hours,
                        audience=audience, topics=topics or converted.keywords or ["（主题）"])
    path.write_text(head + "\n" + converted.markdown, encoding="utf-8")
    return ImportedLecture(path, final_title, tuple(images), converted.headings, converted.tables,
                           converted.list_items)
