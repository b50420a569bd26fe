"""罚则 on a built site: cards under penalty articles, the way back from obligations, the
cross-law table and its CSV/.xlsx/JSON downloads (escaped, formula-safe, reproducible), and
penalty articles reachable in search by the act they punish."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from tests.conftest import law_page, read

PROPERTY = law_page(
    "某市住宅物业管理条例",
    """
    ## 第一章 总则

    第一条 为了规范物业管理活动，制定本条例。

    第二条 物业服务人应当按要求向业主提供相关资料。

    第三条 建设单位应当书面告知业主大会决定事项。

    ## 第二章 法律责任

    第四条 违反本条例第二条规定，物业服务人未按要求提供相关资料的，由建设主管部门责令限期改正，
    处一万元以上十万元以下罚款。

    第五条 违反本条例第三条规定，建设单位未书面告知业主大会决定事项的，由建设主管部门责令限期改正，
    处五千元以上五万元以下罚款；情节严重的，处工程合同价款百分之二以上百分之四以下的罚款。

    第六条 违反本条例规定，=HYPERLINK("http://x")<script>alert(1)</script>擅自施工的，依照有关规定进行处罚。
    """,
    short_title="某市物业条例",
    level="地方性法规",
)

QUALITY = law_page(
    "某工程质量条例",
    """
    第一条 为了加强工程质量管理，制定本条例。

    第二条 违反本条例规定，承包单位将承包的工程转包或者违法分包的，责令改正，没收违法所得，
    处工程合同价款百分之零点五以上百分之一以下的罚款；可以责令停业整顿，降低资质等级；情节严重的，
    吊销资质证书。

    第三条 违反本条例规定，建设单位未取得施工许可证擅自施工的，责令停止施工，限期改正，
    处工程合同价款1%以上2%以下的罚款。
    """,
    level="行政法规",
)


@pytest.fixture
def site(build_site):
    return build_site({"laws/某市物业条例.md": PROPERTY, "laws/某工程质量条例.md": QUALITY}, search_index=False)


def test_card_under_penalty_article_and_back_link_under_obligation(site):
    html = read(site, "laws/某市物业条例/index.html")
    article = html[html.index('id="article-5"'):html.index('id="article-6"')]
    assert '<span class="kb-pen-title">罚则</span>' in article
    assert '违反：<a href="#article-3">第三条</a>' in article
    assert "实施机关：建设主管部门" in article
    assert '<span class="kb-pen-range">5000元–50000元</span>' in article
    assert "<dt>情节严重的</dt>" in article and "工程合同价款 2%–4%" in article
    assert 'title="原文：处工程合同价款百分之二以上百分之四以下的罚款"' in article
    obligation = html[html.index('id="article-3"'):html.index('id="article-4"')]
    assert '违反本条的法律责任：<a href="#article-5">第五条</a>' in obligation
    assert "kb-pen-title" not in obligation
    assert "kb-pen" not in html[html.index('id="article-1"'):html.index('id="article-2"')]


def test_unread_article_is_marked_and_its_words_escaped(site):
    html = read(site, "laws/某市物业条例/index.html")
    article = html[html.index('id="article-6"'):]
    assert 'data-complete="false"' in article and "未能完整读取" in article
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article


def test_cross_law_table_rows_and_filters(site):
    html = read(site, "laws/penalties/index.html")
    assert html.count("<tr data-law=") == 5  # 某市物业条例 第四、五、六条, 某工程质量条例 第二、三条
    assert 'data-law="某工程质量条例"' in html
    assert html.index('data-law="某工程质量条例"') < html.index('data-law="某市物业条例"')
    assert '<option value="某市物业条例">某市物业条例（地方性法规）</option>' in html
    assert '<option value="罚款">罚款</option>' in html and '<option value="未完整读取">未完整读取</option>' in html
    assert 'data-fines="10000-100000"' in html
    assert 'href="../某市物业条例/#article-5">《某市物业条例》第五条</a>' in html
    assert 'href="../某市物业条例/#article-3">第三条</a>' in html  # 违反条款
    assert "<script>alert(1)</script>" not in html
    assert 'src="../../assets/kb/penalties.js"' in html
    for name in ("penalties.csv", "penalties.xlsx", "penalties.json"):
        assert f'href="{name}"' in html


def test_table_counts_current_texts_only(site):
    assert read(site, "laws/penalties/index.html").count("kb-pen-article") == 5


def test_json_export_as_issue_13_specifies(site):
    items = json.loads(read(site, "laws/penalties/penalties.json"))
    by_article = {(i["title"], i["article"]): i for i in items}
    fifth = by_article[("某市住宅物业管理条例", "第五条")]
    assert fifth["url"] == "laws/某市物业条例/#article-5"
    assert fifth["violates"] == ["第三条"]
    assert fifth["sanctions"][1] == {
        "kind": "罚款", "text": "处五千元以上五万元以下罚款", "min": 5000, "max": 50000, "unit": "元", "base": None,
        "tier": None, "target": None,
    }
    assert fifth["sanctions"][2]["tier"] == "情节严重的"
    assert fifth["sanctions"][2]["base"] == "工程合同价款"
    transfer = by_article[("某工程质量条例", "第二条")]
    assert [s["kind"] for s in transfer["sanctions"]] == [
        "责令改正", "没收违法所得", "罚款", "责令停业整顿", "降低资质等级", "吊销资质证书"]
    assert transfer["sanctions"][2]["min"] == 0.5 and transfer["sanctions"][2]["unit"] == "%"
    unread = by_article[("某市住宅物业管理条例", "第六条")]
    assert unread["complete"] is False and unread["sanctions"] == [] and unread["unread"]


def test_csv_export_neutralises_formulas_and_keeps_numbers(site):
    data = (site / "laws/penalties/penalties.csv").read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:8] == ["法规", "条", "地址", "违法行为", "违反条款", "处罚种类", "处罚原文", "下限"]
    fine = next(r for r in body if r[1] == "第四条" and r[5] == "罚款")
    assert (fine[7], fine[8], fine[9]) == ("1", "10", "万元")
    unread = next(r for r in body if r[1] == "第六条")
    assert unread[3].startswith("'=HYPERLINK")  # the act as worded, made inert
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)


def test_xlsx_export_is_reproducible_and_formula_safe(site, build_site, tmp_path):
    from openpyxl import load_workbook

    data = (site / "laws/penalties/penalties.xlsx").read_bytes()
    sheet = load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "法规"
    fine = next(r for r in values[1:] if r[1] == "第四条" and r[5] == "罚款")
    assert (fine[7], fine[8]) == (1, 10) and isinstance(fine[7], int)
    share = next(r for r in values[1:] if r[1] == "第二条" and r[5] == "罚款")
    assert share[7] == 0.5
    assert all(not (isinstance(c, str) and c.startswith("=")) for row in values for c in row)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 26, 0, 0, 0)}
    import time

    time.sleep(1.1)  # a second later: zip entries dated by the clock would differ
    again = build_site({"laws/某市物业条例.md": PROPERTY, "laws/某工程质量条例.md": QUALITY}, search_index=False)
    assert (again / "laws/penalties/penalties.xlsx").read_bytes() == data


def test_site_without_penalties_has_no_table(build_site):
    site = build_site({"laws/某条例.md": law_page("某条例", "第一条 为了规范管理，制定本条例。")}, search_index=False)
    assert not (site / "laws/penalties/index.html").exists()
    assert not (site / "laws/penalties/penalties.json").exists()


TRANSFER = law_page(
    "某建筑条例",
    """
    第一条 禁止承包单位将其承包的全部建筑工程转包给他人，
    禁止承包单位将其承包的全部建筑工程肢解以后以分包的名义分别转包给他人。转包的认定由主管部门负责。

    第二条 承包单位将承包的工程转包的，责令改正，没收违法所得，并处罚款，可以责令停业整顿，降低资质等级；
    情节严重的，吊销资质证书。
    """,
    short_title="某建筑条例",
)


def test_a_query_for_an_act_finds_the_article_that_punishes_it(tmp_path):
    from click.testing import CliRunner

    from kb_tools.cli import main
    from kb_tools.corpus import load_corpus
    from kb_tools.features import default_features
    from kb_tools.search.documents import search_documents
    from tests.conftest import STATUS_DATE, make_config, write_files

    write_files(tmp_path / "docs", {"index.md": "# 首页\n", "laws/某建筑条例.md": TRANSFER})
    corpus = load_corpus(tmp_path / "docs", features=default_features())
    docs = {d.article: d for d in search_documents(corpus) if d.kind == "article"}
    assert docs["第二条"].text.endswith(
        "罚则（处罚） 罚：责令改正、没收违法所得、罚款、责令停业整顿、降低资质等级、吊销资质证书")
    assert docs["第一条"].text == corpus.laws["某建筑条例"].articles[0].body  # other articles keep their text
    config = make_config(tmp_path, {"status_date": STATUS_DATE})
    result = CliRunner().invoke(main, ["search", "转包 怎么罚", "--json", "-f", str(config)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["article"] == "第二条"
