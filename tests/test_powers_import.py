"""`kb import-powers`: spreadsheet exports with title rows, merged cells, blank and bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook

from kb_tools.cli import main
from kb_tools.corpus import load_corpus
from kb_tools.features import default_features
from kb_tools.powers import import_powers
from kb_tools.problems import KbError
from tests.conftest import BUILDING_LAW, write_files

BASIS_7 = "《中华人民共和国建筑法》第七条"
BASIS_8 = "《中华人民共和国建筑法》第八条"


def exported_workbook(path: Path) -> Path:
    """A workbook shaped like a 政务服务 export.

    Sheet 权力清单: row 1 a merged title, row 2 a date line, row 3 blank, row 4 the header (with
    variant names and a 序号 column), rows 5–7 one merged 权力类型 cell, row 8 blank, row 9 a row
    without a name (bad), row 10 a heading row 二、行政备案（2项） merged across, rows 11–12 备案
    items with an empty type cell, row 13 an unknown type (bad). Sheet 检查事项: an inspection list.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "权力清单"
    sheet.append(["示例县住房和城乡建设局权力清单（2026年版）"])
    sheet.merge_cells("A1:I1")
    sheet.append(["", "", "", "", "", "", "", "更新日期：2026-11-01"])
    sheet.append([])
    sheet.append(["序号", "权力编码", "权力名称", "子项名称", "权力类型", "承办机构", "法律依据",
                  "法定办结时限\n（工作日）", "承诺期限"])
    sheet.append([1, 330421001000, "建筑工程施工许可证核发", None, "行政许可", "建筑业管理科",
                  f"{BASIS_7}\n{BASIS_8}", 7, "1个工作日"])
    sheet.append([2, "330421002000", "燃气经营许可证核发", "管道燃气", None, "城市建设科", BASIS_7, 20, "10个工作日"])
    sheet.append([3, "330421003000", "燃气经营许可证核发", "瓶装燃气", None, "城市建设科", BASIS_7, 5, "5个工作日"])
    sheet.merge_cells("E5:E7")
    sheet.append([])
    sheet.append([4, "330421004000", None, None, "行政许可", "城市建设科", BASIS_8, 20, None])
    sheet.append(["二、行政备案（2项）"])
    sheet.merge_cells("A10:I10")
    sheet.append([5, "330421005000", "建设工程竣工验收备案", None, None, "质量安全监管科", BASIS_8, None, "即办"])
    sheet.append([6, "330421006000", "房屋租赁登记备案", None, None, "房地产市场监管科", BASIS_7, None, "即办"])
    sheet.append([7, "330421007000", "某某审批", None, "行政审批", "办公室", BASIS_7, None, None])
    inspections = workbook.create_sheet("检查事项")
    inspections.append(["抽查事项清单"])
    inspections.append(["序号", "抽查事项名称", "检查对象", "抽查依据", "抽查方式", "抽查比例和频次", "检查主体"])
    inspections.append([1, "施工许可办理情况检查", "建设单位", BASIS_7, "双随机抽查", "每年1次", "建筑业管理科"])
    inspections.append([2, "没有对象的检查", None, BASIS_7, "双随机抽查", "每年1次", "建筑业管理科"])
    workbook.save(path)
    return path


@pytest.fixture
def imported(tmp_path: Path):
    docs = tmp_path / "docs"
    write_files(docs, {"index.md": "# 首页\n", "laws/建筑法.md": BUILDING_LAW})
    source = exported_workbook(tmp_path / "权力清单导出.xlsx")
    return import_powers(source, docs), docs


def test_xlsx_import_reads_merged_cells_and_reports_bad_rows(imported):
    result, docs = imported
    assert result.output == docs / "powers" / "权力清单导出.yaml"
    powers, inspections = result.tables
    assert (powers.kind, powers.sheet, powers.header_row) == ("powers", "权力清单", 4)
    assert (inspections.kind, inspections.header_row) == ("inspections", 2)
    assert result.count("powers") == 5
    assert result.count("inspections") == 1
    messages = [(p.path, p.line, p.message) for p in result.problems]
    assert messages == [
        ("权力清单导出.xlsx（工作表“权力清单”）", 9, "第 9 行：缺少“事项名称”。"),
        ("权力清单导出.xlsx（工作表“权力清单”）", 13, "第 13 行：未知的事项类型“行政审批”。"),
        ("权力清单导出.xlsx（工作表“检查事项”）", 4, "第 4 行：缺少“检查对象”。"),
    ]
    assert powers.skipped == 2
    assert "2 行的事项类型为空，沿用了上方的分组或上一行（合并单元格）。" in powers.notes


def test_imported_yaml_keeps_codes_types_and_bases(imported):
    result, _ = imported
    data = yaml.safe_load(result.output.read_text(encoding="utf-8"))
    items = data["权力事项"]
    assert [i["事项编码"] for i in items] == ["330421001000", "330421002000", "330421003000", "330421005000",
                                           "330421006000"]
    assert [i["事项类型"] for i in items] == ["行政许可", "行政许可", "行政许可", "行政备案", "行政备案"]
    assert items[0]["设定依据"] == [BASIS_7, BASIS_8]
    assert items[0]["法定期限"] == "7"
    assert items[1]["子项"] == "管道燃气"
    assert data["检查事项"] == [{
        "检查事项名称": "施工许可办理情况检查", "检查对象": "建设单位", "检查依据": [BASIS_7],
        "检查方式": "双随机抽查", "频次": "每年1次", "承办科室": "建筑业管理科",
    }]


def test_imported_file_loads_into_the_corpus_without_problems(imported):
    _, docs = imported
    corpus = load_corpus(docs, None, features=default_features())
    plist = corpus.powers
    assert len(plist.items) == 5 and len(plist.inspections) == 1
    assert [p for p in corpus.problems if p.path.startswith("powers/")] == []
    assert plist.item("330421001000").establishing[1].refs[0].articles == ((8, 0),)


def test_import_refuses_to_overwrite(imported, tmp_path):
    result, docs = imported
    with pytest.raises(KbError, match="已存在"):
        import_powers(tmp_path / "权力清单导出.xlsx", docs)
    again = import_powers(tmp_path / "权力清单导出.xlsx", docs, overwrite=True)
    assert again.output == result.output


def test_gbk_csv_import_with_title_row(tmp_path):
    text = ("示例县住建局高频检查事项\n"
            "序号,检查事项,检查对象,检查依据,检查方式,检查频次,承办科室\n"
            f"1,燃气经营企业检查,燃气经营企业,{BASIS_7},专项检查,每年2次,城市建设科\n"
            "\n"
            f"2,排水户检查,排水户,{BASIS_8},双随机抽查,每年1次,城市建设科\n")
    source = tmp_path / "检查事项.csv"
    source.write_bytes(text.encode("gbk"))
    result = import_powers(source, tmp_path / "docs")
    assert result.count("inspections") == 2 and result.problems == []
    data = yaml.safe_load(result.output.read_text(encoding="utf-8"))
    assert [i["检查事项名称"] for i in data["检查事项"]] == ["燃气经营企业检查", "排水户检查"]


def test_cli_import_powers(tmp_path):
    docs = tmp_path / "docs"
    source = exported_workbook(tmp_path / "导出.xlsx")
    result = CliRunner().invoke(main, ["import-powers", str(source), "--docs-dir", str(docs)])
    assert result.exit_code == 1, result.output  # some rows were bad: the good ones are written all the same
    assert "工作表“权力清单”：表头在第 4 行，读取权力事项 5 项，跳过 2 行。" in result.output
    assert "第 9 行：缺少“事项名称”。" in result.output
    assert "3 行无法导入" in result.output  # 2 power rows and 1 inspection row
    assert (docs / "powers" / "导出.yaml").is_file()
    missing = CliRunner().invoke(main, ["import-powers", str(tmp_path / "无.xlsx"), "--docs-dir", str(docs)])
    assert missing.exit_code == 1
    assert "不存在" in missing.output


def test_file_without_a_list_is_refused(tmp_path):
    source = tmp_path / "其他.csv"
    source.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(KbError, match="没有找到权力清单或检查事项表"):
        import_powers(source, tmp_path / "docs")
    old = tmp_path / "旧.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(KbError, match="另存为"):
        import_powers(old, tmp_path / "docs")


def test_two_row_header_with_merged_group_cells(tmp_path):
    """依据 spans 设定依据/实施依据 in the first header row; the other headers are merged down."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["事项编码", "事项名称", "事项类型", "承办科室", "依据", None])
    sheet.append([None, None, None, None, "设定依据", "实施依据"])
    for column in "ABCD":
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("E1:F1")
    sheet.append(["K-1", "施工许可", "行政许可", "甲科", BASIS_7, BASIS_8])
    source = tmp_path / "两行表头.xlsx"
    workbook.save(source)
    result = import_powers(source, tmp_path / "docs")
    assert result.tables[0].header_row == 2
    item = yaml.safe_load(result.output.read_text(encoding="utf-8"))["权力事项"][0]
    assert (item["设定依据"], item["实施依据"]) == ([BASIS_7], [BASIS_8])


def test_a_sheet_without_a_department_column_is_imported_with_a_warning(tmp_path):
    """Provincial exports often carry only 实施主体: the rows come in, 承办科室 is left empty."""
    text = ("事项编码,事项名称,事项类型,实施主体,设定依据\n"
            f"A-1,建筑工程施工许可,行政许可,市住建局,{BASIS_7}\n"
            f"A-2,燃气经营许可,行政许可,市住建局,{BASIS_8}\n")
    source = tmp_path / "省系统导出.csv"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["import-powers", str(source), "--docs-dir", str(tmp_path / "docs")])
    assert result.exit_code == 0, result.output
    assert "读取权力事项 2 项，跳过 0 行" in result.output
    assert result.output.count("（警告）") == 2 and "未填写“承办科室”" in result.output
    data = yaml.safe_load((tmp_path / "docs/powers/省系统导出.yaml").read_text(encoding="utf-8"))
    assert [i["事项编码"] for i in data["权力事项"]] == ["A-1", "A-2"]
