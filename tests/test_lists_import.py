"""`kb import-list NAME FILE`: a spreadsheet into a declared list; good rows written, bad rows numbered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook

from kb_tools.cli import main
from kb_tools.corpus import load_corpus
from kb_tools.features import default_features
from kb_tools.lists import import_list
from kb_tools.problems import KbError
from tests.conftest import BUILDING_LAW, write_files
from tests.test_lists import DECLARATION

BASIS_7 = "《中华人民共和国建筑法》第七条"
BASIS_8 = "《中华人民共和国建筑法》第八条"


def workbook(path: Path) -> Path:
    """A sheet as people keep it: a merged title row, a date line, a header with an alias, bad rows.

    Row 1 title, row 2 date line, row 3 the header (承办机构 is an alias of 承办科室, 序号 is not a
    column), row 4 good, row 5 blank, row 6 a number that is not one, row 7 no 事项, row 8 a
    category not on the list, row 9 good with a real date cell and a formula-like note.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "审核目录"
    sheet.append(["示例市住房和城乡建设局重大执法决定法制审核目录（2026年）"])
    sheet.merge_cells("A1:H1")
    sheet.append(["", "", "", "", "", "", "更新日期：2026-11-01"])
    sheet.append(["序号", "编号", "事项", "类别", "承办机构", "金额（万元）", "完成时间", "依据", "备注"])
    sheet.append([1, "X-1", "施工许可处罚", "行政处罚", "建筑业管理科", 5, "2026-03-01", f"{BASIS_7}\n{BASIS_8}", None])
    sheet.append([])
    sheet.append([2, "X-2", "金额写错", "行政处罚", "建筑业管理科", "五万", None, BASIS_7, None])
    sheet.append([3, "X-3", None, "行政处罚", "建筑业管理科", 3, None, BASIS_7, None])
    sheet.append([4, "X-4", "类别写错", "行政审批", "办公室", 1, None, BASIS_8, None])
    sheet.append([5, "X-5", "强制拆除", "行政强制", "政策法规科", 12.5, dt.datetime(2026, 5, 1), BASIS_8, "@备注"])
    book.save(path)
    return path


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    declaration = DECLARATION.replace("    label: 承办科室\n", "    label: 承办科室\n    aliases: [承办机构]\n")
    write_files(docs, {"laws/建筑法.md": BUILDING_LAW, "lists/review/list.yaml": declaration})
    return docs


def test_good_rows_are_written_and_bad_rows_listed_with_their_numbers(docs, tmp_path):
    result = import_list("review", workbook(tmp_path / "目录.xlsx"), docs)
    assert result.output == docs / "lists/review/rows.yaml"
    assert result.sheets == [("审核目录", 3, 2)]
    assert [(p.line, p.message) for p in result.problems] == [
        (6, "第 6 行：“金额（万元）”的值“五万”不是数字。"),
        (7, "第 7 行：缺少“事项”。"),
        (8, "第 8 行：“类别”的值“行政审批”不在可选值中。"),
    ]
    assert result.problems[0].path == "目录.xlsx（工作表“审核目录”）"
    rows = yaml.safe_load(result.output.read_text(encoding="utf-8"))
    assert rows == [
        {"编号": "X-1", "事项": "施工许可处罚", "类别": "行政处罚", "承办科室": "建筑业管理科", "金额（万元）": 5,
         "完成时间": "2026-03-01", "依据": [BASIS_7, BASIS_8]},
        {"编号": "X-5", "事项": "强制拆除", "类别": "行政强制", "承办科室": "政策法规科", "金额（万元）": 12.5,
         "完成时间": "2026-05-01", "依据": [BASIS_8], "备注": "@备注"},
    ]
    corpus = load_corpus(docs, None, features=default_features())
    assert [p for p in corpus.problems if p.path.startswith("lists/")] == []
    assert [e.code for e in corpus.lists["review"].entries] == ["X-1", "X-5"]


def test_cli_exits_non_zero_when_rows_were_left_out(docs, tmp_path):
    source = workbook(tmp_path / "目录.xlsx")
    result = CliRunner().invoke(main, ["import-list", "review", str(source), "--docs-dir", str(docs)])
    assert result.exit_code == 1
    assert "工作表“审核目录”：表头在第 3 行，读取 2 行。" in result.output
    assert "目录.xlsx（工作表“审核目录”）:7: 第 7 行：缺少“事项”。" in result.output
    assert "3 行有问题（见上）" in result.output
    assert (docs / "lists/review/rows.yaml").is_file()
    again = CliRunner().invoke(main, ["import-list", "review", str(source), "--docs-dir", str(docs)])
    assert again.exit_code == 1 and "已存在" in again.output


def test_clean_gbk_csv_imports_with_exit_zero(docs, tmp_path):
    source = tmp_path / "目录.csv"
    source.write_bytes(f"编号,事项,类别,依据\nC-1,燃气处罚,行政处罚,{BASIS_7}\n".encode("gbk"))
    result = CliRunner().invoke(main, ["import-list", "review", str(source), "--docs-dir", str(docs)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((docs / "lists/review/rows.yaml").read_text(encoding="utf-8")) == [
        {"编号": "C-1", "事项": "燃气处罚", "类别": "行政处罚", "依据": [BASIS_7]}]


def test_unknown_list_and_file_without_header_are_refused(docs, tmp_path):
    with pytest.raises(KbError, match=r"没有名为“其他”的清单.*已有的清单：review"):
        import_list("其他", tmp_path / "x.csv", docs)
    source = tmp_path / "无表头.csv"
    source.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(KbError, match=r"没有找到清单表.*应为：编号、事项"):
        import_list("review", source, docs)
    old = tmp_path / "旧.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(KbError, match="另存为"):
        import_list("review", old, docs)


def test_a_workbook_beside_the_declaration_is_read_as_rows(docs, tmp_path):
    workbook(docs / "lists/review/目录.xlsx")
    corpus = load_corpus(docs, None, features=default_features())
    assert [e.code for e in corpus.lists["review"].entries] == ["X-1", "X-5"]
    assert corpus.lists["review"].entry("X-5").values["due"] == dt.date(2026, 5, 1)
    where = "lists/review/目录.xlsx（工作表“审核目录”）"
    assert [(p.path, p.line, p.code) for p in corpus.problems if p.path.startswith("lists/")] == [
        (where, 6, "list-bad-value"), (where, 7, "list-missing-field"), (where, 8, "list-bad-value")]
