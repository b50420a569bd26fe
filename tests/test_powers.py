"""权力清单: the sample list builds, every check fires, exports and pages carry the data."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from kb_tools.checks import check_docs
from kb_tools.corpus import load_corpus
from kb_tools.features import default_features
from kb_tools.powers.model import PowerType, page_name, parse_type
from kb_tools.powers.spreadsheet import map_header, normalise_header
from tests.conftest import BUILDING_LAW, REPO, STATUS_DATE, law_page, make_config, read, run_build, write_files

SAMPLE = REPO / "docs" / "powers" / "示例权力清单.yaml"
#: The regulations the sample list cites (file names below docs/laws/).
SAMPLE_LAWS = [
    "人民防空法", "城市房地产管理法", "建筑法", "招标投标法", "政府信息公开条例", "消防法", "行政处罚法", "行政许可法",
    "保障农民工工资支付条例", "历史文化名城名镇名村保护条例", "国有土地上房屋征收与补偿条例", "城市供水条例",
    "城市房地产开发经营管理条例", "城镇排水与污水处理条例", "城镇燃气管理条例", "建设工程勘察设计管理条例",
    "建设工程安全生产管理条例", "建设工程抗震管理条例", "建设工程质量管理条例", "民用建筑节能条例",
    "浙江省房屋使用安全管理条例", "浙江省燃气管理条例", "物业管理条例", "浙江省实施人民防空法办法",
]


def sample_docs(root: Path) -> Path:
    """A docs folder with the sample list and the regulations it cites (copied from the repository)."""
    docs = root / "docs"
    (docs / "laws").mkdir(parents=True)
    (docs / "powers").mkdir()
    for name in SAMPLE_LAWS:
        shutil.copy(REPO / "docs" / "laws" / f"{name}.md", docs / "laws" / f"{name}.md")
    shutil.copy(SAMPLE, docs / "powers" / SAMPLE.name)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    return docs


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample list built once (strict: any unresolved basis or broken link fails the build)."""
    root = tmp_path_factory.mktemp("powers-sample")
    sample_docs(root)
    config = make_config(root, {"search_index": False}, not_in_nav="/laws/**\n/powers/items/**\n"
                         "/powers/inspection-items/**\n", nav=[
                             {"首页": "index.md"},
                             {"权力清单": ["powers/index.md", {"权力事项一览": "powers/list.md"},
                                       {"检查事项一览": "powers/inspections.md"}]},
                         ])
    return run_build(config, strict=True)


def sample_data() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def test_sample_is_large_enough_and_marked():
    data = sample_data()
    assert data["示例数据"] is True
    assert len(data["权力事项"]) >= 30
    assert len(data["检查事项"]) >= 20
    names = {item["事项名称"] for item in data["权力事项"]}
    assert {"建筑工程施工许可证核发", "商品房预售许可", "建设工程竣工验收备案",
            "房屋建筑和市政基础设施工程施工图设计文件审查备案", "城镇污水排入排水管网许可证核发",
            "燃气经营许可证核发"} <= names


def test_every_sample_basis_resolves_and_no_power_problem(tmp_path):
    docs = sample_docs(tmp_path)
    problems = [p for p in check_docs(docs, STATUS_DATE) if p.path.startswith("powers/")]
    assert problems == []
    corpus = load_corpus(docs, None, features=default_features())
    plist = corpus.powers
    refs = [ref for item in [*plist.items, *plist.inspections] for basis in item.bases for ref in basis.refs]
    assert refs and all(ref.law_slug and ref.articles and ref.problem is None for ref in refs)
    permit = plist.item("XK-001")
    assert [(r.law_slug, r.articles) for r in permit.establishing[0].refs] == [("建筑法", ((7, 0),))]


def test_overview_counts_per_type_and_department(sample_site):
    html = read(sample_site, "powers/index.html")
    data = sample_data()
    n_powers, n_inspections = len(data["权力事项"]), len(data["检查事项"])
    assert f"本局权力事项 <strong>{n_powers}</strong> 项、检查事项 <strong>{n_inspections}</strong> 项" in html
    licences = sum(1 for i in data["权力事项"] if i["事项类型"] == "行政许可")
    assert f'<a href="list/?type=行政许可">行政许可</a></td><td>{licences}</td>' in html
    city = sum(1 for i in data["权力事项"] if i["承办科室"] == "城市建设科")
    assert f'<a href="list/?dept=城市建设科">{city}</a>' in html
    assert "示例数据" in html
    assert 'href="export/power-items.xlsx" download="权力清单.xlsx"' in html
    assert 'href="export/inspection-items.csv" download="检查事项清单.csv"' in html


def test_table_page_has_one_row_per_item_with_filters(sample_site):
    html = read(sample_site, "powers/list.html" if (sample_site / "powers/list.html").exists()
                else "powers/list/index.html")
    assert html.count("<tr data-type=") == len(sample_data()["权力事项"])
    assert '<tr data-type="行政许可" data-dept="建筑业管理科" data-rank="0"><td>XK-001</td>' in html
    assert '<a href="../items/XK-001/">建筑工程施工许可证核发</a>' in html
    assert '<select name="type" data-filter="type">' in html
    assert 'src="../../assets/kb/lists.js"' in html
    assert (sample_site / "assets/kb/lists.js").is_file()
    inspections = read(sample_site, "powers/inspections/index.html")
    assert inspections.count("<tr data-type=") == len(sample_data()["检查事项"])
    assert 'data-type="双随机抽查|日常巡查"' in inspections


def test_item_page_links_basis_to_article_with_text_on_expand(sample_site):
    html = read(sample_site, "powers/items/XK-001/index.html")
    assert "<h1" in html and "建筑工程施工许可证核发</h1>" in html
    # One box per basis line: the summary links the article, the box holds its whole text.
    section = html[html.index('id="establishing"'):html.index('id="implementing"')]
    assert section.count("<details") == 1 and section.count('href="../../../laws/建筑法/#article-7"') == 1
    assert ('<details class="kb-pw-article" data-kb-no-preview><summary class="kb-pw-basis-text">'
            '<a class="kb-cite" href="../../../laws/建筑法/#article-7"') in section
    assert '<span class="kb-status kb-status--in-force kb-cite-status"' in section
    assert '<section class="kb-pw-cited" data-law="建筑法" data-article="article-7">' in section
    assert ('<strong class="kb-pw-cited-label">第七条</strong>\u3000建筑工程开工前，建设单位应当按照国家有关规定'
            in section)
    assert 'href="../../../laws/建设工程安全生产管理条例/#article-42"' in html
    assert '<a href="../../inspection-items/JC-001/">建筑工程施工许可办理情况检查</a>' in html
    inspection = read(sample_site, "powers/inspection-items/JC-001/index.html")
    assert '<a href="../../items/XK-001/">建筑工程施工许可证核发</a>' in inspection


def test_regulation_page_lists_the_items_grounded_on_an_article(sample_site):
    html = read(sample_site, "laws/建筑法/index.html")
    section = html[html.index('id="article-7"'):html.index('id="article-8"')]
    assert '<a href="../../powers/items/XK-001/">建筑工程施工许可证核发（行政许可）</a>' in section
    assert "建筑工程施工许可办理情况检查（检查事项）" in section
    section = read(sample_site, "laws/建设工程质量管理条例/index.html")
    assert "建设工程竣工验收备案（行政备案）" in section


def test_exports_hold_the_current_list(sample_site):
    data = sample_data()
    text = (sample_site / "powers/export/power-items.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff事项编码,事项名称,子项,事项类型")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(data["权力事项"]) + 1
    assert rows[1][:2] == ["XK-001", "建筑工程施工许可证核发"]
    workbook = load_workbook(sample_site / "powers/export/inspection-items.xlsx")
    sheet = workbook.active
    assert sheet.title == "检查事项"
    assert [c.value for c in sheet[1]][:3] == ["检查事项编码", "检查事项名称", "检查对象"]
    assert sheet.max_row == len(data["检查事项"]) + 1
    powers = load_workbook(sample_site / "powers/export/power-items.xlsx").active
    establishing = [c.value for c in powers[1]].index("设定依据")
    assert powers.cell(2, establishing + 1).value == "《中华人民共和国建筑法》第七条"
    # The raw data file is read by the loader, not published as it is.
    assert not list(sample_site.rglob("*.yaml"))


PROBLEM_LIST = """\
权力事项:
  - 事项编码: A-1
    事项名称: 建筑工程施工许可证核发
    事项类型: 行政许可
    承办科室: 建筑业管理科
    设定依据:
      - 《中华人民共和国建筑法》第七条
  - 事项编码: A-1
    事项名称: 重复编码的事项
    事项类型: 行政许可
    承办科室: 建筑业管理科
    设定依据: 《建筑法》第八条
  - 事项编码: A-2
    事项名称: 类型写错的事项
    事项类型: 行政审批
    承办科室: 办公室
    设定依据: 《建筑法》第八条
  - 事项编码: A-3
    事项名称: 依据不存在的事项
    事项类型: 行政备案
    承办科室: 办公室
    设定依据:
      - 《中华人民共和国建筑法》第九十九条
      - 《建筑工程施工许可管理办法》第二条
  - 事项编码: A-4
    事项名称: 没有依据的事项
    事项类型: 公共服务
    承办科室: 办公室
  - 事项编码: A-5
    事项名称: 依据已废止的事项
    事项类型: 其他行政权力
    承办科室: 办公室
    实施依据:
      - 《旧条例》第一条
  - 事项编码: A-6
    事项名称: 依据尚未施行的事项
    事项类型: 行政确认
    承办科室: 办公室
    设定依据: 《将来施行的条例》第一条
    备案: 多余字段
检查事项:
  - 检查事项名称: 施工许可检查
    检查对象: 建设单位
    检查方式: 双随机抽查
    承办科室: 建筑业管理科
    检查依据: 《中华人民共和国建筑法》第七条
    关联事项编码: Z-9
"""

PROBLEM_LAWS = {
    "laws/建筑法.md": BUILDING_LAW,
    "laws/旧条例.md": law_page("旧条例", "第一条 甲。", level="行政法规", promulgated="2005-01-10",
                               repealed="2022-05-01"),
    "laws/将来法.md": law_page("将来施行的条例", "第一条 甲。", level="行政法规", promulgated="2026-10-01",
                               effective="2027-01-01"),
}


def test_check_reports_every_kind_of_problem_with_its_line(tmp_path):
    write_files(tmp_path / "docs", {**PROBLEM_LAWS, "powers/list.yaml": PROBLEM_LIST})
    problems = [p for p in check_docs(tmp_path / "docs", STATUS_DATE) if p.path == "powers/list.yaml"]
    found = {(p.line, p.code) for p in problems}
    assert (8, "power-duplicate-code") in found
    assert (15, "power-unknown-type") in found
    assert (23, "power-basis-unresolved") in found  # article beyond the last one
    assert (24, "power-basis-unresolved") in found  # regulation not in the knowledge base
    assert (25, "power-no-basis") in found
    assert (34, "power-basis-repealed") in found
    assert (39, "power-basis-not-in-force") in found
    assert (40, "power-unknown-key") in found
    assert (42, "power-unknown-link") in found
    messages = {p.code: p.message for p in problems}
    assert messages["power-duplicate-code"] == (
        "事项编码“A-1”重复：powers/list.yaml:2 的“建筑工程施工许可证核发”已使用。")
    assert messages["power-unknown-type"] == "未知的事项类型“行政审批”。"
    assert "第九十九条不存在" in next(p.message for p in problems if "第九十九条" in p.message)
    assert "《建筑工程施工许可管理办法》不在知识库中" in next(p.message for p in problems if "管理办法" in p.message)
    assert messages["power-basis-repealed"].endswith("所依据的《旧条例》已废止。")
    assert "尚未生效（2027-01-01 起施行）" in messages["power-basis-not-in-force"]
    assert sorted((p.line, p.code) for p in problems if not p.is_error) == [
        (2, "power-no-time-limit"), (8, "power-no-time-limit"), (29, "power-no-establishing")]
    assert next(p for p in problems if p.code == "power-unknown-key").hint == "是不是想写 `备注`？"


def test_strict_build_fails_on_a_bad_basis(tmp_path):
    write_files(tmp_path / "docs", {**PROBLEM_LAWS, "index.md": "# 首页\n", "powers/list.yaml": PROBLEM_LIST})
    config = make_config(tmp_path, {"search_index": False})
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        run_build(config, strict=True)


def test_public_build_leaves_out_private_items(build_site):
    site = build_site({
        "laws/建筑法.md": BUILDING_LAW,
        "powers/list.yaml": """\
            权力事项:
              - 事项编码: P-1
                事项名称: 公开事项
                事项类型: 行政许可
                承办科室: 甲科
                设定依据: 《中华人民共和国建筑法》第七条
              - 事项编码: P-2
                事项名称: 内部事项
                事项类型: 行政许可
                承办科室: 甲科
                设定依据: 《中华人民共和国建筑法》第八条
                公开: 否
            """,
    }, public_build=True, search_index=False)
    assert (site / "powers/items/P-1/index.html").is_file()
    assert not (site / "powers/items/P-2").exists()
    assert "内部事项" not in read(site, "powers/list/index.html")
    assert "内部事项" not in (site / "powers/export/power-items.csv").read_text(encoding="utf-8-sig")
    assert "内部事项" not in read(site, "laws/建筑法/index.html")
    assert "示例数据" not in read(site, "powers/index.html")


def test_csv_data_file_in_docs_is_read_with_row_numbers(tmp_path):
    text = "事项编码,权力名称,权力类型,承办机构,法律依据\nC-1,施工许可,行政许可,甲科,《中华人民共和国建筑法》第七条\n" \
           "C-2,,行政许可,甲科,《中华人民共和国建筑法》第八条\n"
    write_files(tmp_path / "docs", {"laws/建筑法.md": BUILDING_LAW})
    (tmp_path / "docs/powers").mkdir()
    (tmp_path / "docs/powers/清单.csv").write_bytes(text.encode("gbk"))
    corpus = load_corpus(tmp_path / "docs", None, features=default_features())
    assert [i.code for i in corpus.powers.items] == ["C-1"]
    problem = next(p for p in corpus.problems if p.path.startswith("powers/") and p.is_error)
    assert (problem.path, problem.line, problem.message) == ("powers/清单.csv", 3, "第 3 行：缺少“事项名称”。")


@pytest.mark.parametrize(("text", "expected"), [
    ("行政许可", PowerType.LICENSE),
    ("其他权力", PowerType.OTHER),
    ("公共服务事项", PowerType.PUBLIC_SERVICE),
    (" 行政备案 ", PowerType.FILING),
    ("行政强制措施", PowerType.COMPULSION),
    ("行政审批", None),
])
def test_parse_type(text, expected):
    assert parse_type(text) == expected


@pytest.mark.parametrize(("header", "field"), [
    ("事项名称", "事项名称"),
    ("权力名称", "事项名称"),
    ("名称", "事项名称"),
    ("事项名称\n（子项）", "子项"),
    ("*设定依据", "设定依据"),
    ("法律依据", "设定依据"),
    ("法定办结时限（工作日）", "法定期限"),
    ("承办机构", "承办科室"),
    ("序号", None),
])
def test_map_header(header, field):
    from kb_tools.powers.spreadsheet import _POWER_LOOKUP

    assert map_header(header, _POWER_LOOKUP) == field


def test_normalise_header_and_page_name():
    assert normalise_header(" 承诺 期限(工作日)* ") == "承诺期限（工作日）"
    assert page_name("XK 01/2") == "XK-01-2"


def test_warnings_for_rank_of_basis_missing_establishing_basis_and_time_limit(tmp_path):
    write_files(tmp_path / "docs", {
        "laws/建筑法.md": BUILDING_LAW,
        "laws/规章.md": law_page("某某管理办法", "第一条 甲。", level="部门规章", promulgated="2014-06-25"),
        "powers/list.yaml": """\
            权力事项:
              - 事项编码: W-1
                事项名称: 规章设定的许可
                事项类型: 行政许可
                承办科室: 甲科
                设定依据:
                  - 《某某管理办法》第一条
                法定期限: 20日
              - 事项编码: W-2
                事项名称: 只有实施依据的许可
                事项类型: 行政许可
                承办科室: 甲科
                实施依据: 《中华人民共和国建筑法》第八条
        """,
    })
    problems = [p for p in check_docs(tmp_path / "docs", STATUS_DATE) if p.path == "powers/list.yaml"]
    assert [(p.line, p.code, p.is_error) for p in problems] == [
        (7, "power-basis-level", False),
        (9, "power-no-establishing", False),
        (9, "power-no-time-limit", False),
    ]
    assert problems[0].message == "“规章设定的许可”是行政许可，但设定依据《某某管理办法》是部门规章。"
    assert "行政许可法》第十四条至第十七条" in problems[0].hint


def test_codes_that_map_to_the_same_page_are_reported(tmp_path):
    item = "    事项类型: 公共服务\n    承办科室: 甲科\n    设定依据: 《中华人民共和国建筑法》第七条\n"
    write_files(tmp_path / "docs", {
        "laws/建筑法.md": BUILDING_LAW,
        "powers/list.yaml": (f"权力事项:\n  - 事项编码: A/1\n    事项名称: 甲\n{item}"
                             f"  - 事项编码: A-1\n    事项名称: 乙\n{item}"),
    })
    problems = [p for p in check_docs(tmp_path / "docs", STATUS_DATE) if p.path == "powers/list.yaml"]
    assert [(p.line, p.message) for p in problems] == [
        (7, "事项编码“A-1”与“A/1”生成相同的页面地址 powers/items/A-1/。")]


def test_unreadable_csv_in_docs_is_a_problem_not_a_traceback(tmp_path):
    write_files(tmp_path / "docs", {"laws/建筑法.md": BUILDING_LAW, "powers/其他.csv": "甲,乙\n1,2\n"})
    corpus = load_corpus(tmp_path / "docs", None, features=default_features())
    assert [(p.path, p.code) for p in corpus.problems if p.path.startswith("powers/")] == [
        ("powers/其他.csv", "power-csv")]


def test_sample_banner_is_one_plain_sentence_for_staff(sample_site):
    for page in ("powers/index.html", "powers/list/index.html", "powers/inspections/index.html"):
        html = read(sample_site, page)
        banner = html[html.index("kb-pw-sample"):]
        banner = banner[:banner.index("</div>")]
        assert "示例数据" in banner, page
        assert "docs/" not in banner and "kb " not in banner and "<code>" not in banner, page
