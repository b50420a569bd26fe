"""行政处罚裁量基准: a declared list with a tiers column, checked against the statutes it rests on.

Each test writes a small docs/ in tmp_path (regulations, a 裁量基准 list, power items) and asserts
on what `kb check`, `mkdocs build --strict`, `kb import-list` and the built pages produce.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort
from openpyxl import Workbook

from kb_tools.checks import check_docs
from kb_tools.corpus import load_corpus
from kb_tools.features import default_features
from kb_tools.lists import import_list
from tests.conftest import STATUS_DATE, law_page, make_config, read, run_build, write_files

QUALITY_TEXT = """
    第一条 为了加强工程质量管理，制定本条例。

    第二条 建设单位应当依法取得施工许可证。

    第三条 违反本条例第二条规定，建设单位未取得施工许可证擅自施工的，责令停止施工，限期改正，
    处工程合同价款百分之一以上百分之二以下的罚款。

    第四条 违反本条例规定，建设单位将建设工程发包给不具有相应资质等级的施工单位的，责令改正，
    处2万元以上10万元以下的罚款。

    第五条 违反本条例规定，施工单位未按规定设置安全警示标志的，责令改正，给予警告。
    """
QUALITY = law_page(
    "某工程质量条例",
    QUALITY_TEXT,
    level="行政法规",
    promulgated="2020-01-01",
)

DECLARATION = """
title: 示例裁量基准
sample: true
adopted: 2024-06-01
columns:
  - key: code
    label: 编号
    role: code
  - key: act
    label: 违法行为
    role: title
  - key: violated
    label: 违法依据
    role: basis
  - key: punish
    label: 处罚依据
    role: basis
  - key: tiers
    label: 裁量档次
    type: tiers
    of: punish
"""


def rows(*entries: str) -> str:
    return "".join(textwrap.dedent(e) for e in entries)


GOOD = """
- 编号: D-1
  违法行为: 未取得施工许可证擅自施工
  违法依据:
    - 《某工程质量条例》第二条
  处罚依据:
    - 《某工程质量条例》第三条
  裁量档次:
    - 档次: 一般
      情节: 及时改正
      幅度: 处工程合同价款百分之一以上百分之一点五以下的罚款
      其他处罚: 责令停止施工
    - 较重 | 逾期未改正 | 工程合同价款1.5%以上2%以下 | 责令停止施工
"""


def out_of_range(low: str = "1万元", high: str = "3万元") -> str:
    return f"""
- 编号: D-2
  违法行为: 发包给不具有相应资质等级的施工单位
  处罚依据:
    - 《某工程质量条例》第四条
  裁量档次:
    - 档次: 一般
      情节: 首次发现
      幅度: 处{low}以上{high}以下的罚款
"""


NO_FINE = """
- 编号: D-3
  违法行为: 未设置安全警示标志
  处罚依据:
    - 《某工程质量条例》第五条
  裁量档次:
    - 轻微 | 及时改正 | 不予罚款 | 责令改正
    - 一般 | 逾期未改正 | 处5000元以上1万元以下的罚款 | 警告
"""


def write_docs(root: Path, row_text: str, declaration: str = DECLARATION, **more: str) -> Path:
    docs = root / "docs"
    write_files(docs, {"index.md": "# 首页\n", "laws/某工程质量条例.md": QUALITY,
                       "lists/discretion/list.yaml": declaration, "lists/discretion/rows.yaml": row_text, **more})
    return docs


def messages(docs: Path, code_prefix: str = "discretion") -> list[str]:
    return [p.format() for p in check_docs(docs, STATUS_DATE) if p.code.startswith(code_prefix)]


def test_tiers_inside_the_statute_pass_and_are_read_in_both_forms(tmp_path):
    docs = write_docs(tmp_path, rows(GOOD))
    problems = [p for p in check_docs(docs, STATUS_DATE) if p.path.startswith("lists/")]
    assert [p.format() for p in problems] == []
    entry = load_corpus(docs, None, features=default_features()).lists["discretion"].entries[0]
    tiers = entry.tiers["tiers"]
    assert [(t.level, t.min, t.max, t.unit, t.base, t.others) for t in tiers] == [
        ("一般", 1, 1.5, "%", "工程合同价款", "责令停止施工"),
        ("较重", 1.5, 2, "%", "工程合同价款", "责令停止施工"),
    ]


def test_an_out_of_range_tier_is_an_error_with_both_ranges(tmp_path):
    docs = write_docs(tmp_path, rows(GOOD, out_of_range()))
    found = [p for p in check_docs(docs, STATUS_DATE) if p.code == "discretion-out-of-range"]
    assert len(found) == 1 and found[0].is_error
    assert found[0].path == "lists/discretion/rows.yaml" and found[0].line == 19
    assert found[0].message == ("“发包给不具有相应资质等级的施工单位”的“一般”档幅度 1万元至3万元 "
                                "超出《某工程质量条例》第四条规定的 2万元以上10万元以下。")


@pytest.mark.parametrize(("low", "high", "fits"), [
    ("2万元", "10万元", True),        # the whole statutory range
    ("20000元", "5万元", True),       # mixed units are compared in 元
    ("1万元", "3万元", False),        # below the statutory minimum
    ("8万元", "12万元", False),       # above the statutory maximum
])
def test_tier_bounds_are_compared_in_the_same_unit(tmp_path, low, high, fits):
    docs = write_docs(tmp_path, rows(out_of_range(low, high)))
    errors = [p for p in check_docs(docs, STATUS_DATE) if p.code == "discretion-out-of-range"]
    assert (errors == []) is fits
    if not fits:
        assert f"幅度 {low}至{high} 超出《某工程质量条例》第四条规定的 2万元以上10万元以下" in errors[0].message


def test_a_tier_fining_on_a_basis_without_fine_is_an_error(tmp_path):
    docs = write_docs(tmp_path, rows(NO_FINE))
    assert messages(docs) == [
        "lists/discretion/rows.yaml:7: “未设置安全警示标志”的“一般”档处罚款（5000元至1万元），"
        "而处罚依据《某工程质量条例》第五条没有规定罚款（该条规定的处罚：责令改正、警告）。\n"
        "  → 请删除该档的罚款，或核对处罚依据是否引错条款。"]


def test_out_of_range_fails_a_strict_build(tmp_path):
    write_docs(tmp_path, rows(out_of_range()))
    with pytest.raises(Abort):
        run_build(make_config(tmp_path, {"search_index": False}), strict=True)


@pytest.mark.parametrize(("tier", "message"), [
    ("普通 | 首次 | 1万元以下", "裁量档次“普通”无法识别。"),
    ("一般 | 首次", "裁量档次“一般 | 首次”应至少有档次、情节、幅度三部分（用 | 分隔）。"),
    ("一般 | 首次 | 处若干3万元元罚款", "“一般”档的幅度“处若干3万元元罚款”无法读取。"),
    ("一般 | 首次 | 处5万元以上2万元以下的罚款", "“一般”档的幅度“处5万元以上2万元以下的罚款”下限高于上限。"),
])
def test_an_unreadable_tier_is_one_line_at_its_line(tmp_path, tier, message):
    text = f"- 编号: D-9\n  违法行为: 某行为\n  处罚依据:\n    - 《某工程质量条例》第四条\n  裁量档次:\n    - {tier}\n"
    docs = write_docs(tmp_path, text)
    found = [p for p in check_docs(docs, STATUS_DATE) if p.code == "list-bad-tier"]
    assert [(p.line, p.message) for p in found] == [(6, message)]
    assert "Traceback" not in found[0].format()


def test_a_tiers_column_must_name_a_basis_column(tmp_path):
    docs = write_docs(tmp_path, rows(GOOD), DECLARATION.replace("of: punish", "of: act"))
    found = [p for p in check_docs(docs, STATUS_DATE) if p.code == "list-column"]
    assert [p.message for p in found] == ["裁量档次列“裁量档次”的 of“act”不是本清单的依据列。"]


OLD_QUALITY = QUALITY.replace("level:", "version_of: 某工程质量条例\nlevel:")  # the 2020 text: 2万元 to 10万元
NEW_QUALITY = law_page(
    "某工程质量条例",
    QUALITY_TEXT.replace("处2万元以上10万元以下", "处5万元以上20万元以下"),
    level="行政法规",
    promulgated="2020-01-01",
    amended=["2025-03-01"],
)


def test_a_basis_amended_since_adoption_is_a_warning_with_the_change(tmp_path):
    docs = write_docs(tmp_path, rows(GOOD, out_of_range("5万元", "8万元")),
                      **{"laws/某工程质量条例.md": NEW_QUALITY, "laws/某工程质量条例/2020-01-01.md": OLD_QUALITY})
    found = [p for p in check_docs(docs, STATUS_DATE) if p.code == "discretion-basis-revised"]
    assert [(p.line, p.is_error, p.message) for p in found] == [(
        17, False,
        "“发包给不具有相应资质等级的施工单位”的处罚依据“《某工程质量条例》第四条”在本基准施行（2024-06-01）后已变化："
        "《某工程质量条例》第四条 在 2025-03-01 修订后内容有修改。")]
    # 第三条 did not change: D-1 rests on the same words as when it was adopted.
    assert not any("未取得施工许可证" in p.message for p in found)


def test_xlsx_import_reads_tier_lines_and_numbers_bad_rows(tmp_path):
    docs = write_docs(tmp_path, "")
    (docs / "lists/discretion/rows.yaml").unlink()
    book = Workbook()
    sheet = book.active
    sheet.title = "裁量基准"
    sheet.append(["示例市住房和城乡建设局行政处罚裁量基准"])
    sheet.append(["编号", "违法行为", "违法依据", "处罚依据", "裁量档次"])
    sheet.append(["D-1", "未取得施工许可证擅自施工", "《某工程质量条例》第二条", "《某工程质量条例》第三条",
                  "一般 | 及时改正 | 工程合同价款1%以上1.5%以下 | 责令停止施工\n"
                  "严重 | 拒不改正 | 工程合同价款1.5%以上2%以下"])
    sheet.append(["D-2", "档次写错", "", "《某工程质量条例》第四条", "很重 | 拒不改正 | 5万元以下"])
    source = tmp_path / "裁量基准.xlsx"
    book.save(source)
    result = import_list("discretion", source, docs)
    assert [p.format().splitlines()[0] for p in result.problems] == [
        "裁量基准.xlsx（工作表“裁量基准”）:4: 第 4 行：裁量档次“很重”无法识别。"]
    written = yaml.safe_load((docs / "lists/discretion/rows.yaml").read_text(encoding="utf-8"))
    assert written[0]["裁量档次"] == [
        {"档次": "一般", "情节": "及时改正", "幅度": "工程合同价款1%以上1.5%以下", "其他处罚": "责令停止施工"},
        {"档次": "严重", "情节": "拒不改正", "幅度": "工程合同价款1.5%以上2%以下"}]
    assert [p.format() for p in check_docs(docs, STATUS_DATE) if p.path.startswith("lists/")] == []


POWERS = """
示例数据: true
权力事项:
  - 事项编码: CF-1
    事项名称: 对建设单位未取得施工许可证擅自施工的行政处罚
    事项类型: 行政处罚
    实施主体: 示例局
    承办科室: 法规科
    设定依据:
      - 《某工程质量条例》第三条
  - 事项编码: CF-2
    事项名称: 对未设置安全警示标志的行政处罚
    事项类型: 行政处罚
    实施主体: 示例局
    承办科室: 法规科
    设定依据:
      - 《某工程质量条例》第五条
"""


def test_entry_page_card_and_power_item_link_to_each_other(tmp_path):
    evil = GOOD.replace("及时改正", "<script>alert(1)</script>", 1)
    write_docs(tmp_path, rows(evil, out_of_range("2万元", "5万元")), **{"powers/处罚.yaml": POWERS})
    site = run_build(make_config(tmp_path, {"search_index": False}), strict=True)
    page = read(site, "lists/discretion/items/D-1/index.html")
    assert "<th>档次</th><th>情节</th><th>罚款幅度</th><th>其他处罚</th>" in page
    assert "工程合同价款百分之一至百分之一点五 <span class=\"kb-dc-mark kb-dc-mark--ok\">在法定幅度内</span>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert ('<a href="../../../../laws/某工程质量条例/#article-3">《某工程质量条例》第三条</a>：'
            "罚款 工程合同价款百分之一以上百分之二以下") in page
    assert '<a href="../../../../powers/items/CF-1/">对建设单位未取得施工许可证擅自施工的行政处罚</a>' in page
    law = read(site, "laws/某工程质量条例/index.html")
    article = law[law.index('id="article-3"'):law.index('id="article-4"')]
    assert ('<p class="kb-pen-discretion">示例裁量基准：<a href="../../lists/discretion/items/D-1/">'
            "D-1 未取得施工许可证擅自施工</a></p>") in article
    assert "kb-cited-by" in article and "（示例裁量基准）" in article  # cited-by as every list entry
    power = read(site, "powers/items/CF-1/index.html")
    assert '<a href="../../../lists/discretion/items/D-1/">D-1 未取得施工许可证擅自施工</a>' in power
    other = read(site, "powers/items/CF-2/index.html")  # a 行政处罚 item no entry rests on says so
    assert "本局裁量基准中还没有以本事项依据条文为处罚依据的条目。" in other and "kb-dc-entries" not in other
    table = read(site, "lists/discretion/index.html")
    assert "一般 工程合同价款百分之一至百分之一点五 · 较重 工程合同价款1.5%至2%" in table
    assert "示例数据" in page and "示例数据" in table


def test_comparison_shows_old_and_new_ranges_and_flags_entries_on_the_old_text(tmp_path):
    write_docs(tmp_path, rows(GOOD, out_of_range("5万元", "8万元")),
               **{"laws/某工程质量条例.md": NEW_QUALITY, "laws/某工程质量条例/2020-01-01.md": OLD_QUALITY})
    site = run_build(make_config(tmp_path, {"search_index": False}))
    html = read(site, "laws/某工程质量条例/compare-2020-01-01/index.html")
    row = html[html.index('href="../../../laws/某工程质量条例/2020-01-01/#article-4"'):]
    row = row[:row.index("</tr>")]
    assert ('<span class="kb-compare-penalty-old">责令改正；罚款 2万元–10万元</span> → '
            '<span class="kb-compare-penalty-new">责令改正；罚款 5万元–20万元</span>') in row
    assert ('按修改前条文制定的裁量基准，请复核：<a href="../../../lists/discretion/items/D-2/">'
            "D-2 发包给不具有相应资质等级的施工单位</a>（示例裁量基准，2024-06-01 施行）") in row
    # 第三条 kept its words: no penalty line, and D-1 resting on it is not flagged.
    assert html.count("kb-compare-penalty-old") == 1 and "D-1 未取得施工许可证" not in html


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_a_described_act_finds_the_article_and_its_entry_in_both_engines(tmp_path):
    """The penalty article and its 裁量 entry first, in the same order in kb search and the browser."""
    from kb_tools.search.engine import ensure_index, search
    from kb_tools.search.static_eval import NodeEngine
    from kb_tools.search.static_index import INDEX_DIR

    docs = write_docs(tmp_path, rows(GOOD, out_of_range("2万元", "5万元")), **{
        "notes/施工许可.md": "# 施工许可办理须知\n\n建设单位未取得施工许可证的，不得擅自施工。罚款标准见条例。\n"})
    site = run_build(make_config(tmp_path))
    ix, _ = ensure_index(docs, tmp_path / "whoosh", today=dt.date.fromisoformat(STATUS_DATE))
    node = NodeEngine(site / INDEX_DIR)
    try:
        query = "未取得施工许可证擅自施工 罚款"
        whoosh = [h.url for h in search(ix, query, limit=5)]
        static = [h["url"] for h in node.query(query, 5)]
    finally:
        node.close()
    assert set(whoosh[:2]) == {"laws/某工程质量条例/#article-3", "lists/discretion/items/D-1/"}
    assert static[:3] == whoosh[:3]


def test_an_amendment_after_adoption_without_the_older_text_is_still_a_warning(tmp_path):
    docs = write_docs(tmp_path, rows(GOOD), **{"laws/某工程质量条例.md": NEW_QUALITY})
    found = [p.message for p in check_docs(docs, STATUS_DATE) if p.code == "discretion-basis-revised"]
    assert found == [
        f"“未取得施工许可证擅自施工”的{label}“《某工程质量条例》{article}”所在的《某工程质量条例》在本基准施行"
        "（2024-06-01）后于 2025-03-01 修改，知识库未收录修改前的文本，无法比对该条是否变化。"
        for label, article in (("违法依据", "第二条"), ("处罚依据", "第三条"))]


def test_the_exported_workbook_imports_back_to_the_same_tiers(tmp_path):
    from openpyxl import load_workbook

    write_docs(tmp_path, rows(GOOD, NO_FINE))
    site = run_build(make_config(tmp_path, {"search_index": False}))
    exported = site / "lists/discretion/export/discretion.xlsx"
    sheet = load_workbook(exported).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["编号", "违法行为", "违法依据", "处罚依据", "裁量档次"]
    assert sheet.cell(2, 5).value.splitlines()[1] == "较重 | 逾期未改正 | 工程合同价款1.5%以上2%以下 | 责令停止施工"
    other = tmp_path / "again"
    docs = write_docs(other, "")
    (docs / "lists/discretion/rows.yaml").unlink()
    result = import_list("discretion", exported, docs)
    assert result.problems == []
    original = load_corpus(tmp_path / "docs", None, features=default_features()).lists["discretion"]
    again = load_corpus(docs, None, features=default_features()).lists["discretion"]
    strip = [[(t.level, t.circumstances, t.min, t.max, t.unit, t.base, t.others) for t in e.tiers["tiers"]]
             for e in original.entries]
    assert [[(t.level, t.circumstances, t.min, t.max, t.unit, t.base, t.others) for t in e.tiers["tiers"]]
            for e in again.entries] == strip
