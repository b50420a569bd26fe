"""Reducing input files to plain lines: encodings, line endings, .docx paragraphs and tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_tools.importing.law import import_lines
from kb_tools.importing.sources import decode_text, docx_lines, read_lines
from kb_tools.problems import KbError

TEXT = "某某办法\n\n第一条　为了规范管理，制定本办法。\n第二条　本办法自发布之日起施行。\n"


@pytest.mark.parametrize(("data", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8-sig"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("gbk"), "gb18030"),
    (TEXT.encode("gb18030"), "gb18030"),
    (TEXT.encode("utf-16"), "utf-16"),  # Notepad's "Unicode", with a byte-order mark
    (TEXT.replace("\n", "\r\n").encode("gbk"), "gb18030"),
    (TEXT.replace("\n", "\r").encode("utf-8"), "utf-8-sig"),
])
def test_decode_text(data: bytes, encoding: str):
    assert decode_text(data, "x.txt") == (TEXT, encoding)


def test_undecodable_bytes_are_a_one_line_error():
    with pytest.raises(KbError) as info:
        decode_text(b"\x81\x20\xff\xfe\x00" * 3, "坏.txt")
    assert str(info.value) == "坏.txt: 无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030），请另存为 UTF-8 后再导入。"


def test_read_lines_reports_how_it_read(tmp_path: Path):
    path = tmp_path / "办法.txt"
    path.write_bytes(TEXT.encode("gbk"))
    lines, how = read_lines(path)
    assert how == "gb18030"
    assert lines[:3] == ["某某办法", "", "第一条　为了规范管理，制定本办法。"]


def test_docx_paragraphs_soft_breaks_and_tables(tmp_path: Path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("某某办法", style="Title")
    document.add_heading("第一章　总则", level=2)
    document.add_paragraph("第一条　申请人应当提交下列材料：")
    table = document.add_table(rows=3, cols=2)
    for row, (a, b) in zip(table.rows, [("序号", "材料名称"), ("1", "申请表"), ("2", "身份证明")], strict=True):
        row.cells[0].text, row.cells[1].text = a, b
    document.add_paragraph("第二条　本办法自发布之日起施行，\n由某某局负责解释。")
    path = tmp_path / "办法.docx"
    document.save(str(path))
    lines = [line for line in docx_lines(path) if line]
    assert lines == [
        "某某办法", "第一章　总则", "第一条　申请人应当提交下列材料：",
        "| 序号 | 材料名称 |", "| 1 | 申请表 |", "| 2 | 身份证明 |",
        "第二条　本办法自发布之日起施行，", "由某某局负责解释。",
    ]
    result = import_lines(docx_lines(path), tmp_path / "docs")
    assert (result.articles, result.chapters) == (2, 1)
    body = result.path.read_text(encoding="utf-8").split("---\n", 2)[2]
    # Table rows stay separate paragraphs of 第一条; the soft break is joined back.
    assert "\n\n| 序号 | 材料名称 |\n\n| 1 | 申请表 |\n\n| 2 | 身份证明 |\n\n" in body
    assert "第二条 本办法自发布之日起施行，由某某局负责解释。" in body


def test_old_doc_and_broken_docx_are_refused(tmp_path: Path):
    doc = tmp_path / "旧.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(KbError) as info:
        read_lines(doc)
    assert str(info.value) == f"{doc}: 不支持旧版 .doc 格式，请在 Word 中另存为 .docx 或 .txt 后再导入。"
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(KbError, match="不是可读取的 Word"):
        read_lines(bad)
