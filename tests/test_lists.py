"""清单 declared in YAML: pages, filters, exports, cited-by, search, and every problem at its line."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kb_tools.checks import check_docs
from kb_tools.corpus import load_corpus
from kb_tools.features import default_features
from kb_tools.lists.export import export_files
from kb_tools.search.documents import search_documents
from tests.conftest import BUILDING_LAW, REPO, STATUS_DATE, law_page, make_config, read, run_build, write_files

DECLARATION = """\
title: 测试审核目录
description: 说明文字 <b>不是标签</b>
columns:
  - key: code
    label: 编号
    role: code
  - key: name
    label: 事项
    role: title
  - key: category
    label: 类别
    type: choice
    choices: [行政处罚, 行政强制]
    filter: true
  - key: department
    label: 承办科室
    filter: true
  - key: amount
    label: 金额（万元）
    type: number
  - key: due
    label: 完成时间
    type: date
  - key: basis
    label: 依据
    role: basis
  - key: note
    label: 备注
    table: false
"""

ROWS = """\
- 编号: A-1
  事项: 未取得施工许可证擅自施工
  类别: 行政处罚
  承办科室: 建筑业管理科
  金额（万元）: 5
  完成时间: 2026年3月1日
  依据:
    - 《中华人民共和国建筑法》第七条
- 编号: A-2
  事项: 拆除违法建筑 <script>alert(1)</script>
  类别: 行政强制
  承办科室: 政策法规科
  金额（万元）: 12.5
  依据: 《建筑法》第八条第一款
  备注: =HYPERLINK("http://example.invalid")
- code: A-3
  name: 用英文键写的一行
  category: 行政处罚
  department: 建筑业管理科
  amount: -3
  basis: 《中华人民共和国建筑法》第八条之一
"""


def list_files(rows: str = ROWS, declaration: str = DECLARATION) -> dict[str, str]:
    return {"laws/建筑法.md": BUILDING_LAW, "lists/review/list.yaml": declaration, "lists/review/rows.yaml": rows}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lists")
    write_files(root / "docs", {"index.md": "# 首页\n", **list_files()})
    return run_build(make_config(root, {"search_index": False}), strict=True)


def test_overview_lists_every_declared_list_with_its_count(site):
    html = read(site, "lists/index.html")
    assert '<a href="review/">测试审核目录</a>' in html
    assert "<td>3</td>" in html


def test_table_has_a_filter_per_filter_column_and_a_row_per_entry(site):
    html = read(site, "lists/review/index.html")
    assert html.count('<tr data-category="') == 3
    assert '<select name="category" data-filter="category">' in html
    assert '<option value="行政处罚">行政处罚</option><option value="行政强制">行政强制</option>' in html
    assert '<select name="department" data-filter="department">' in html
    assert '<tr data-category="行政处罚" data-department="建筑业管理科"><td>A-1</td>' in html
    assert '<a href="items/A-1/">未取得施工许可证擅自施工</a>' in html
    assert '<th data-sort="amount" data-sort-kind="number"' in html
    assert '<td data-value="12.5">12.5</td>' in html
    assert "<td>2026-03-01</td>" in html
    assert 'data-sort="note"' not in html  # table: false keeps a column to the entry page
    assert 'href="export/review.xlsx" download="测试审核目录.xlsx"' in html
    assert '按类别：<a href="?category=行政处罚">行政处罚</a> 2 · <a href="?category=行政强制">行政强制</a> 1' in html
    assert 'src="../../assets/kb/lists.js"' in html and (site / "assets/kb/lists.js").is_file()
    # Data-file text is escaped wherever it becomes HTML.
    assert "<script>alert(1)</script>" not in html
    assert "拆除违法建筑 &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "说明文字 &lt;b&gt;不是标签&lt;/b&gt;" in html
    assert "示例数据" not in html


def test_entry_page_links_each_basis_to_its_article(site):
    html = read(site, "lists/review/items/A-1/index.html")
    assert "未取得施工许可证擅自施工</h1>" in html
    assert '<section class="kb-pw-cited" data-law="建筑法" data-article="article-7">' in html
    assert html.count("<details") == 1
    assert 'href="../../../../laws/建筑法/#article-7"' in html
    assert "<dt>完成时间</dt><dd>2026-03-01</dd>" in html
    other = read(site, "lists/review/items/A-2/index.html")
    assert "<dt>备注</dt><dd>=HYPERLINK(&quot;http://example.invalid&quot;)</dd>" in other
    assert 'data-article="article-8"' in other
    # 《建筑法》第八条第一款: the 款 (with the 项 it lists) is marked in the whole article.
    assert '<div class="kb-pw-clause kb-pw-clause--cited"><p><span class="kb-pw-clause-label">第一款</span>' in other
    assert "（二）有保证工程质量和安全的具体措施。</p></div>" in other
    assert 'data-article="article-8-1"' in read(site, "lists/review/items/A-3/index.html")


def test_articles_list_the_entries_that_rest_on_them(site):
    html = read(site, "laws/建筑法/index.html")
    section = html[html.index('id="article-7"'):html.index('id="article-8"')]
    assert '<span class="kb-cited-kind">清单</span>' in section
    assert '<a href="../../lists/review/items/A-1/">未取得施工许可证擅自施工（测试审核目录）</a>' in section


def test_exports_keep_numbers_and_dates_and_neutralise_formulas(site):
    text = (site / "lists/review/export/review.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff编号,事项,类别,承办科室,金额（万元）,完成时间,依据,备注,公开\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][:7] == ["A-1", "未取得施工许可证擅自施工", "行政处罚", "建筑业管理科", "5", "2026-03-01",
                           "《中华人民共和国建筑法》第七条"]
    assert rows[2][7] == "'=HYPERLINK(\"http://example.invalid\")"
    assert rows[3][4] == "-3"  # a negative number is a number, not a formula
    sheet = load_workbook(site / "lists/review/export/review.xlsx").active
    assert sheet.title == "测试审核目录"
    assert [c.value for c in sheet[1]][:3] == ["编号", "事项", "类别"]
    assert sheet.cell(2, 5).value == 5 and sheet.cell(3, 5).value == 12.5 and sheet.cell(4, 5).value == -3
    assert sheet.cell(2, 6).value.date().isoformat() == "2026-03-01"
    assert sheet.cell(3, 8).value == "'=HYPERLINK(\"http://example.invalid\")"
    assert sheet.cell(3, 8).data_type == "s"
    # The raw data files are read by the loader, not published.
    assert not list((site / "lists").rglob("*.yaml"))


def test_xlsx_export_is_byte_reproducible(tmp_path):
    write_files(tmp_path / "docs", list_files())
    corpus = load_corpus(tmp_path / "docs", None, features=default_features())
    first = dict(export_files(corpus))
    again = dict(export_files(load_corpus(tmp_path / "docs", corpus.today, features=default_features())))
    xlsx = first["lists/review/export/review.xlsx"]
    assert xlsx == again["lists/review/export/review.xlsx"]
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(xlsx)).infolist()}
    assert stamps == {(corpus.today.year, corpus.today.month, corpus.today.day, 0, 0, 0)}


def test_each_entry_is_a_search_document_of_category_list(tmp_path):
    write_files(tmp_path / "docs", list_files())
    corpus = load_corpus(tmp_path / "docs", None, features=default_features())
    docs = {d.url: d for d in search_documents(corpus) if d.category == "清单"}
    assert set(docs) == {"lists/review/items/A-1/", "lists/review/items/A-2/", "lists/review/items/A-3/"}
    entry = docs["lists/review/items/A-1/"]
    assert (entry.title, entry.chapter, entry.doc_number) == ("未取得施工许可证擅自施工", "测试审核目录", "A-1")
    assert "依据：《中华人民共和国建筑法》第七条" in entry.text
    # The table page itself is not indexed (its rows are the entries' documents).
    assert not [d for d in search_documents(corpus) if d.page == "lists/review/index.md"]


BAD_ROWS = """\
- 编号: B-1
  事项: 金额写成文字
  类别: 行政处罚
  金额（万元）: 五万
- 编号: B-2
  事项: 类别不在选项中
  类别: 行政审批
- 编号: B-3
  类别: 行政处罚
- 编号: B-4
  事项: 日期写错
  完成时间: 2026-13-40
  依据: 《中华人民共和国建筑法》第九十九条
- 编号: B-5
  事项: 依据已废止
  依据:
    - 《中华人民共和国建筑法》第七条
    - 《旧条例》第一条
  备考: 多余字段
- 编号: B-5
  事项: 编码重复
- 编号: B-6
  事项: 依据没有条款格式
  依据: 按有关规定办理
"""


def test_check_reports_each_row_problem_at_its_line(tmp_path):
    files = {**list_files(BAD_ROWS), "laws/旧条例.md": law_page("旧条例", "第一条 甲。", level="行政法规",
                                                              promulgated="2005-01-10", repealed="2022-05-01")}
    write_files(tmp_path / "docs", files)
    problems = [p for p in check_docs(tmp_path / "docs", STATUS_DATE) if p.path == "lists/review/rows.yaml"]
    found = [(p.line, p.code, p.message) for p in problems]
    assert found == [
        (4, "list-bad-value", "“金额（万元）”的值“五万”不是数字。"),
        (7, "list-bad-value", "“类别”的值“行政审批”不在可选值中。"),
        (8, "list-missing-field", "缺少“事项”。"),
        (12, "list-bad-value", "“完成时间”的值“2026-13-40”不是日期。"),
        (18, "list-basis-repealed", "“依据已废止”的依据“《旧条例》第一条”所依据的《旧条例》已废止。"),
        (19, "list-unknown-key", "未知字段“备考”。"),
        (20, "list-duplicate-code", "编号“B-5”重复：lists/review/rows.yaml:14 的“依据已废止”已使用。"),
        (24, "list-basis-unresolved",
         "“依据没有条款格式”的依据“按有关规定办理”中没有找到《法规名称》第X条形式的引用。"),
    ]
    assert problems[0].hint == "请只填数字，例如 12 或 3.5（单位写在列名里）。"
    assert next(p.hint for p in problems if p.line == 7) == "可选：行政处罚、行政强制。"
    assert next(p.hint for p in problems if p.code == "list-unknown-key") == "是不是想写 `备注`？"
    # Bad rows are left out (B-4's unresolvable basis is not judged); a duplicate code is kept once.
    corpus = load_corpus(tmp_path / "docs", None, features=default_features())
    assert [e.code for e in corpus.lists["review"].entries] == ["B-5", "B-6"]
    assert problems[0].format().startswith("lists/review/rows.yaml:4: ")


def test_unresolvable_basis_names_the_article_and_line(tmp_path):
    rows = "- 编号: C-1\n  事项: 条号超出\n  依据:\n    - 《中华人民共和国建筑法》第七条\n" \
           "    - 《中华人民共和国建筑法》第九十九条\n    - 《某某管理办法》第二条\n"
    write_files(tmp_path / "docs", list_files(rows))
    problems = [p for p in check_docs(tmp_path / "docs", STATUS_DATE) if p.path == "lists/review/rows.yaml"]
    assert [(p.line, p.code) for p in problems] == [(5, "list-basis-unresolved"), (6, "list-basis-unresolved")]
    assert "第九十九条不存在" in problems[0].message
    assert "《某某管理办法》不在知识库中" in problems[1].message


@pytest.mark.parametrize(("declaration", "line", "message", "hint"), [
    (DECLARATION.replace("title: 测试审核目录\n", "titel: 测试审核目录\n"), 1,
     "清单声明中有未知字段“titel”。", "是不是想写 `title`？"),
    (DECLARATION.replace("    type: number\n", "    type: money\n"), 20,
     "列“金额（万元）”的类型“money”无法识别。",
     "type 可写 text（文字）、date（日期）、number（数字）、choice（选项）、tiers（裁量档次）。"),
    (DECLARATION.replace("    choices: [行政处罚, 行政强制]\n", ""), 12,
     "选项列“类别”没有列出 choices。", "请写 choices: [行政处罚, 行政强制, 行政许可]。"),
    (DECLARATION.replace("  - key: department\n", "  - key: Department\n"), 15,
     "列声明的 key“Department”不是小写英文开头的字母、数字、下划线。",
     "key 用于网址和文件，请写小写英文，例如 key: department。"),
    (DECLARATION.replace("    role: code\n", ""), 3,
     "清单应有且只有一列 role: code（编码列），现在有 0 列。",
     "请在编码列写 role: code；编码列决定每项的页面地址，标题列是每项的名称。"),
    (DECLARATION.replace("    label: 备注\n", "    label: 事项\n"), 27,
     "列名或键“事项”重复（第 7 行已使用）。", "每列的 key 和 label 都必须唯一。"),
])
def test_declaration_errors_are_one_line_each_and_declare_nothing(tmp_path, declaration, line, message, hint):
    write_files(tmp_path / "docs", list_files(declaration=declaration))
    corpus = load_corpus(tmp_path / "docs", None, features=default_features())
    problems = [(p.line, p.message, p.hint) for p in corpus.problems if p.path == "lists/review/list.yaml"]
    assert problems[0] == (line, message, hint)
    assert len(problems) == 1 or problems[1][1] == "清单声明缺少 title（清单名称）。"  # titel: both are true
    assert "review" not in corpus.lists


def test_folder_name_must_be_an_address(tmp_path):
    write_files(tmp_path / "docs", {"laws/建筑法.md": BUILDING_LAW, "lists/审核目录/list.yaml": DECLARATION})
    problems = [p for p in check_docs(tmp_path / "docs", STATUS_DATE) if p.path.startswith("lists/")]
    assert [(p.path, p.code) for p in problems] == [("lists/审核目录/list.yaml", "list-name")]


def test_gbk_csv_and_inline_rows_beside_the_declaration(tmp_path):
    declaration = DECLARATION + "rows:\n  - 编号: I-1\n    事项: 写在声明里的一行\n    依据: 《建筑法》第七条\n"
    write_files(tmp_path / "docs", {"laws/建筑法.md": BUILDING_LAW, "lists/review/list.yaml": declaration})
    text = ("测试审核目录（2026年）\n编号,事项,类别,金额（万元）,依据\n"
            "G-1,从表格读入,行政强制,\"1,200\",《中华人民共和国建筑法》第八条\n\n"
            "G-2,,行政处罚,3,《中华人民共和国建筑法》第七条\n")
    (tmp_path / "docs/lists/review/rows.csv").write_bytes(text.encode("gbk"))
    corpus = load_corpus(tmp_path / "docs", None, features=default_features())
    entries = corpus.lists["review"].entries
    assert [(e.code, e.values.get("amount")) for e in entries] == [("I-1", None), ("G-1", 1200)]
    problem = next(p for p in corpus.problems if p.path == "lists/review/rows.csv")
    assert (problem.line, problem.message) == (5, "第 5 行：缺少“事项”。")
    assert corpus.lists["review"].sources == ["lists/review/list.yaml", "lists/review/rows.csv"]


def test_public_build_leaves_out_private_entries(build_site):
    rows = ROWS + "- 编号: P-1\n  事项: 内部事项\n  依据: 《建筑法》第七条\n  公开: 否\n"
    site = build_site(list_files(rows), public_build=True, search_index=False)
    assert "内部事项" not in read(site, "lists/review/index.html")
    assert not (site / "lists/review/items/P-1").exists()
    assert "内部事项" not in (site / "lists/review/export/review.csv").read_text(encoding="utf-8-sig")
    assert "内部事项" not in read(site, "laws/建筑法/index.html")


SAMPLES = REPO / "docs" / "lists"


def sample_laws() -> set[str]:
    """The regulations the sample lists cite, as file names below docs/laws/."""
    corpus = load_corpus(REPO / "docs", None, features=default_features())
    return {corpus.laws[r.law_slug].src_path for d in corpus.lists.values() for e in d.entries
            for b in e.all_bases for r in b.refs if r.law_slug}


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample-lists")
    docs = root / "docs"
    shutil.copytree(SAMPLES, docs / "lists")
    for rel in sample_laws():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "docs" / rel, docs / rel)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    return run_build(make_config(root, {"search_index": False}), strict=True)


def test_sample_lists_resolve_every_basis_and_mark_every_page(sample_site):
    docs = sample_site.parent / "docs"
    assert [p.format() for p in check_docs(docs, STATUS_DATE) if p.path.startswith("lists/")] == []
    corpus = load_corpus(docs, None, features=default_features())
    titles = {d.spec.title: len(d.entries) for d in corpus.lists.values()}
    assert set(titles) == {"重大行政执法决定法制审核目录清单", "行政执法音像记录事项清单", "重大行政决策目录",
                           "行政处罚裁量基准", "不予处罚、从轻处罚、减轻处罚清单"}
    assert all(5 <= n <= 50 for n in titles.values())
    assert titles["行政处罚裁量基准"] >= 30
    refs = [r for d in corpus.lists.values() for e in d.entries for b in e.all_bases for r in b.refs]
    assert refs and all(r.law_slug and r.articles and r.problem is None for r in refs)
    pages = [p for p in (sample_site / "lists").rglob("index.html")]
    assert len(pages) == 1 + len(titles) + sum(titles.values())
    assert [p for p in pages if "示例数据" not in p.read_text(encoding="utf-8")] == []
    decisions = read(sample_site, "lists/major-decisions/index.html")
    assert "共 <strong>11</strong> 件" in decisions and 'data-unit="件"' in decisions
    assert '按年度：<a href="?year=2026">2026</a> 9 · <a href="?year=2027">2027</a> 2' in decisions
    assert "未经法制审核或者审核未通过的，不得作出决定" in read(sample_site, "lists/legal-review/index.html")
    review = read(sample_site, "lists/legal-review/items/FZSH-01/index.html")
    assert 'href="../../../../laws/行政处罚法/#article-58"' in review
    assert 'href="../../../../laws/建设工程质量管理条例/#article-57"' in review


def test_entry_without_any_basis_is_a_warning_at_its_row(tmp_path):
    rows = "- 编号: D-1\n  事项: 有依据\n  依据: 《建筑法》第七条\n- 编号: D-2\n  事项: 没有依据\n"
    write_files(tmp_path / "docs", list_files(rows))
    problems = [p for p in check_docs(tmp_path / "docs", STATUS_DATE) if p.path == "lists/review/rows.yaml"]
    assert [(p.line, p.code, p.is_error, p.message) for p in problems] == [
        (4, "list-no-basis", False, "“没有依据”没有填写依据。")]
