"""Every importer answers a broken or oversized file with one line (file, what is wrong, what to
do), never a traceback; NUL bytes never reach the pages written."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from kb_tools.cli import main

COMMANDS = {"law": ["import"], "lecture": ["import-lecture"], "powers": ["import-powers"]}


def _valid_docx(path: Path) -> None:
    document = docx.Document()
    document.add_heading("讲稿", level=1)
    document.add_paragraph("正文。")
    document.save(str(path))


def _rewrite(path: Path, member: str, data: bytes) -> None:
    """Replace one member of a zip archive (a .docx or .xlsx)."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[member] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)


def _broken_xml_docx(path: Path) -> Path:
    _valid_docx(path)
    _rewrite(path, "word/document.xml", b"<w:document xmlns:w='x'><w:body><w:p>unclosed")
    return path


def _bomb_docx(path: Path) -> Path:
    """Inflates to 8 MiB from a few KiB: above the 1 MiB limit the tests set."""
    _valid_docx(path)
    _rewrite(path, "word/media/big.bin", b"\0" * (8 * 1024 * 1024))
    return path


def _broken_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["事项编码", "事项名称"])
    workbook.save(path)
    _rewrite(path, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>")
    return path


def _random(path: Path, size: int = 4096) -> Path:
    path.write_bytes(random.Random(15).randbytes(size))
    return path


CASES = {
    "docx-broken-xml-law": ("law", lambda d: _broken_xml_docx(d / "法规.docx"), "无法读取 Word 文档"),
    "docx-broken-xml-lecture": ("lecture", lambda d: _broken_xml_docx(d / "讲稿.docx"), "无法读取 Word 文档"),
    "docx-bomb-lecture": ("lecture", lambda d: _bomb_docx(d / "讲稿.docx"), "超过导入上限"),
    "docx-bomb-law": ("law", lambda d: _bomb_docx(d / "法规.docx"), "超过导入上限"),
    "random-xlsx": ("powers", lambda d: _random(d / "清单.xlsx"), "不是可读取的 Excel 工作簿"),
    "broken-xml-xlsx": ("powers", lambda d: _broken_xlsx(d / "清单.xlsx"), "无法读取 Excel 工作簿"),
    "random-docx-lecture": ("lecture", lambda d: _random(d / "讲稿.docx"), "不是可读取的 Word 文档"),
    "wrong-encoding-txt": ("law", lambda d: (d / "法规.txt").write_bytes(b"\xff\xfe\xff" * 3 + b"\x00\xd8")
                           and d / "法规.txt", "编码"),
    "wrong-encoding-csv": ("powers", lambda d: (d / "清单.csv").write_bytes(b"\xff" * 64) and d / "清单.csv", "编码"),
    "too-large-txt": ("law", lambda d: (d / "大.txt").write_text("第一条 很长。\n" * 200000, encoding="utf-8")
                      and d / "大.txt", "超过导入上限"),
    "too-large-csv": ("powers", lambda d: (d / "大.csv").write_text("事项编码,事项名称\n" + "A,B\n" * 400000,
                                                                    encoding="utf-8") and d / "大.csv", "超过导入上限"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_gets_one_line_not_a_traceback(tmp_path, monkeypatch, case):
    kind, make, expected = CASES[case]
    monkeypatch.setenv("KB_IMPORT_MAX_MB", "1")
    source = make(tmp_path)
    result = CliRunner().invoke(main, [*COMMANDS[kind], str(source), "--docs-dir", str(tmp_path / "docs")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert source.name in lines[0] and expected in lines[0]
    assert "请" in lines[0]  # says what to do
    assert not (tmp_path / "docs").exists() or not any((tmp_path / "docs").rglob("*.md"))


def test_the_limit_is_configurable(tmp_path, monkeypatch):
    source = tmp_path / "大.txt"
    source.write_text("某某办法\n（2020年1月1日公布）\n" + "第一条 很长的一条。\n" * 100000, encoding="utf-8")
    monkeypatch.setenv("KB_IMPORT_MAX_MB", "1")
    assert CliRunner().invoke(main, ["import", str(source), "--docs-dir", str(tmp_path / "docs")]).exit_code == 1
    monkeypatch.setenv("KB_IMPORT_MAX_MB", "20")
    result = CliRunner().invoke(main, ["import", str(source), "--docs-dir", str(tmp_path / "docs"),
                                       "--level", "地方政府规章"])
    assert result.exit_code == 0, result.output


def test_nul_bytes_are_removed_from_imported_text(tmp_path):
    law = tmp_path / "法规.txt"
    law.write_bytes("某某办法\n（2020年1月1日公布）\n第一条 空\x00字节。\n".encode())
    sheet = tmp_path / "清单.csv"
    sheet.write_bytes("事项编码,事项名称,事项类型,承办科室,设定依据\nA-1,空\x00字节,行政许可,甲科,《建筑法》第七条\n".encode())
    docs = tmp_path / "docs"
    runner = CliRunner()
    for args in (["import", str(law), "--level", "地方政府规章"], ["import-powers", str(sheet)]):
        result = runner.invoke(main, [*args, "--docs-dir", str(docs)])
        assert result.exit_code == 0, result.output
    written = [p.read_text(encoding="utf-8") for p in docs.rglob("*") if p.is_file()]
    assert written and all("\x00" not in text for text in written)
    assert sum("空字节" in text for text in written) == 2
