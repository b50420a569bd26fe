"""Reduce an input file of any accepted shape to plain text lines for the importer.

Accepted: Markdown or plain text in UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030
(what Word's "save as text" gives on a Chinese Windows), any line endings; and ``.docx``.
"""

from __future__ import annotations

from pathlib import Path

from kb_tools.importing.limits import check_archive, check_size, unreadable
from kb_tools.problems import KbError
from kb_tools.text import clean_text, decode_chinese


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes, trying UTF-8 first, then GB18030 (a superset of GBK).

    Returns:
        ``(text, encoding)`` with line endings normalised to ``\\n``.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:  # a UTF-16 byte-order mark, then bytes that are not UTF-16
            raise KbError(f"{name}: 文件以 UTF-16 标记开头，但第 {exc.start} 字节起无法按 UTF-16 读取"
                          "（编码错误或文件已损坏），请另存为 UTF-8 后再导入。") from exc
    else:
        decoded = decode_chinese(data)
        if decoded is None:
            raise KbError(f"{name}: 无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030），请另存为 UTF-8 后再导入。")
        text, encoding = decoded
    return clean_text(text.replace("\r\n", "\n").replace("\r", "\n")), encoding  # NUL bytes never reach a page


def docx_lines(path: Path) -> list[str]:
    """Paragraph texts of a Word document, in order; a table row becomes one ``| a | b |`` line
    (kept as its own paragraph by the importer)."""
    try:
        import docx  # python-docx; imported here so text imports do not need it
        import docx.table
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        raise KbError("导入 .docx 需要 python-docx：pip install python-docx") from exc
    check_archive(path, "Word 文档（.docx）")
    try:
        document = docx.Document(str(path))
        return _docx_lines(document)
    except Exception as exc:  # broken XML, missing parts: python-docx and lxml raise many kinds
        raise unreadable(path, "Word 文档（.docx）", exc) from exc


def _docx_lines(document: object) -> list[str]:
    import docx.table

    lines: list[str] = []
    for block in document.iter_inner_content():  # type: ignore[attr-defined]  # paragraphs and tables in document order
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                # Merged cells repeat their text in every grid cell they span: keep one.
                kept = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1]]
                lines.append(clean_text("| " + " | ".join(kept) + " |"))
        else:
            # A soft line break (Shift+Enter) inside a paragraph is one more line of text.
            lines.extend(clean_text(block.text).split("\n"))
        lines.append("")
    return lines


def read_lines(path: Path) -> tuple[list[str], str]:
    """Plain lines of an input file and a description of how it was read."""
    if not path.is_file():
        raise KbError(f"{path}: 文件不存在。")
    if path.suffix.lower() == ".docx":
        return docx_lines(path), "docx"
    if path.suffix.lower() == ".doc":
        raise KbError(f"{path}: 不支持旧版 .doc 格式，请在 Word 中另存为 .docx 或 .txt 后再导入。")
    check_size(path)
    text, encoding = decode_text(path.read_bytes(), str(path))
    return text.split("\n"), encoding
