"""`kb new lecture` and `kb import-lecture`: the pages they write load cleanly and keep the Word structure."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path

import docx
import yaml
from click.testing import CliRunner

from kb_tools.checks import check_docs
from kb_tools.cli import main
from tests.conftest import make_config, read, run_build, write_files
from tests.test_study import PENALTY_LAW


def tiny_png() -> bytes:
    """A 2×2 red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def front_matter(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---", 2)
    return yaml.safe_load(head), body


def test_new_lecture_scaffolds_a_page_that_loads(tmp_path):
    docs = tmp_path / "docs"
    write_files(docs, {"laws/行政处罚法.md": PENALTY_LAW})
    args = ["new", "lecture", "行政处罚听证实务", "--docs-dir", str(docs), "--date", "2026-09-01",
            "--lecturer", "丙", "--hours", "1.5", "--topic", "行政处罚"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    page = docs / "classroom/2026/行政处罚听证实务.md"
    meta, body = front_matter(page)
    assert meta == {"title": "行政处罚听证实务", "lecturer": "丙", "date": dt.date(2026, 9, 1),
                    "hours": 1.5, "audience": "全局干部职工", "topics": ["行政处罚"], "attachments": [],
                    "draft": True}
    assert "## 一、本讲要点" in body
    problems = [p for p in check_docs(docs, "2026-11-26") if p.path.startswith("classroom/")]
    assert problems and {(p.code, p.is_error) for p in problems} == {("lecture-placeholder", False)}
    assert any("用两三句话说明" in p.message for p in problems)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1 and "已存在" in again.output


def test_new_lecture_rejects_a_bad_date(tmp_path):
    result = CliRunner().invoke(main, ["new", "lecture", "标题", "--docs-dir", str(tmp_path), "--date", "2026-02-30"])
    assert result.exit_code == 2 and "不是有效日期" in result.output


def word_lecture(path: Path, image: Path) -> None:
    document = docx.Document()
    document.core_properties.author = "丁（法规科）"
    document.core_properties.keywords = "行政处罚，执法程序"
    document.add_paragraph("听证程序实务", style="Title")
    document.add_heading("一、听证的范围", level=1)
    para = document.add_paragraph("拟作出较大数额罚款的，应当告知")
    para.add_run("听证权利").bold = True
    para.add_run("（《中华人民共和国行政处罚法》第五条）。")
    document.add_paragraph("当事人五日内提出", style="List Bullet")
    document.add_paragraph("非本案调查人员主持", style="List Bullet")
    document.add_heading("二、流程", level=2)
    document.add_paragraph("送达听证通知书", style="List Number")
    document.add_paragraph("举行听证并制作笔录", style="List Number")
    table = document.add_table(rows=3, cols=2)
    cells = [("环节", "期限"), ("申请听证", "告知后五日内"), ("通知", "听证七日前")]
    for row, (a, b) in zip(table.rows, cells, strict=True):
        row.cells[0].text, row.cells[1].text = a, b
    document.add_picture(str(image))
    document.add_paragraph("1. 这一段以数字开头，但不是列表。")
    document.save(str(path))


def test_import_lecture_converts_a_word_document(tmp_path):
    image = tmp_path / "流程图.png"
    image.write_bytes(tiny_png())
    source = tmp_path / "讲稿.docx"
    word_lecture(source, image)
    docs = tmp_path / "docs"
    write_files(docs, {"index.md": "# 首页\n", "laws/行政处罚法.md": PENALTY_LAW})
    result = CliRunner().invoke(main, ["import-lecture", str(source), "--docs-dir", str(docs),
                                       "--date", "2026-09-15", "--hours", "1"])
    assert result.exit_code == 0, result.output
    assert "标题 2 个，列表项 4 个，表格 1 个，图片 1 张" in result.output
    page = docs / "classroom/2026/听证程序实务.md"
    meta, body = front_matter(page)
    assert meta["title"] == "听证程序实务"
    assert meta["lecturer"] == "丁（法规科）"
    assert meta["topics"] == ["行政处罚", "执法程序"]
    assert meta["hours"] == 1
    assert "## 一、听证的范围" in body and "### 二、流程" in body
    assert "拟作出较大数额罚款的，应当告知**听证权利**（《中华人民共和国行政处罚法》第五条）。" in body
    assert "- 当事人五日内提出\n- 非本案调查人员主持" in body
    assert "1. 送达听证通知书\n1. 举行听证并制作笔录" in body
    assert "| 环节 | 期限 |\n|---|---|\n| 申请听证 | 告知后五日内 |\n| 通知 | 听证七日前 |" in body
    assert "![图1](听证程序实务-图1.png)" in body
    assert "1\\. 这一段以数字开头，但不是列表。" in body
    assert (docs / "classroom/2026/听证程序实务-图1.png").read_bytes() == tiny_png()

    # The imported page builds: the image is copied, the citation is listed, the article lists it back.
    site = run_build(make_config(tmp_path, {"search_index": False}))
    html = read(site, "classroom/2026/听证程序实务/index.html")
    assert 'src="../%E5%90%AC%E8%AF%81%E7%A8%8B%E5%BA%8F%E5%AE%9E%E5%8A%A1-%E5%9B%BE1.png"' in html
    assert (site / "classroom/2026/听证程序实务-图1.png").is_file()
    assert "<li>当事人五日内提出</li>" in html and "<table>" in html
    assert "听证程序实务" in read(site, "laws/行政处罚法/index.html")


def test_import_lecture_refuses_other_files(tmp_path):
    text = tmp_path / "讲稿.doc"
    text.write_bytes(b"\xd0\xcf\x11\xe0 old word")
    result = CliRunner().invoke(main, ["import-lecture", str(text), "--docs-dir", str(tmp_path)])
    assert result.exit_code == 1 and "另存为 .docx" in result.output
    fake = tmp_path / "坏.docx"
    fake.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["import-lecture", str(fake), "--docs-dir", str(tmp_path)])
    assert result.exit_code == 1 and "不是可读取的 Word 文档" in result.output
