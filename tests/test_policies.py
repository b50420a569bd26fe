"""本局文件: statuses on a fixed date, item anchors, citations by title + item and by 文号, the
catalogue, the 清理 view, exports, `kb check` problems and search — on small real sites."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import textwrap
from pathlib import Path

import pytest

from kb_tools.checks import validate
from kb_tools.corpus import load_corpus
from kb_tools.features import default_features
from kb_tools.policies.lookup import is_expiring, policy_status
from kb_tools.policies.parser import parse_items
from tests.conftest import BUILDING_LAW, law_page, read, write_files

TODAY = dt.date(2026, 11, 26)  # tests.conftest.STATUS_DATE

OLD_BUILDING_LAW = law_page(
    "中华人民共和国建筑法",
    """
    第七条 建筑工程开工前，建设单位应当按照国家有关规定申请领取施工许可证。

    第八条 申请领取施工许可证，应当具备下列条件。
    """,
    short_title="建筑法", promulgated="1997-11-01", amended=["2011-04-22"], effective="1998-03-01",
    version_of="建筑法",
)


def policy(title: str, body: str, **meta: object) -> str:
    """A policy page: front matter from ``meta`` (YAML-ready values), then the body."""
    import yaml

    fields = {"title": title, "authority": "海州市住房和城乡建设局", **meta}
    head = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n\n{textwrap.dedent(body).strip()}\n"


NOTICE = policy("关于加强施工许可管理的通知", """
    为规范施工许可管理，现通知如下：

    ## 一、总体要求

    （一）依法审批。严格执行《中华人民共和国建筑法》第七条。

    （二）限时办结。网上办理按本通知第二部分第（一）项执行。

    ## 二、工作措施

    （一）推行网上办理。

    1. 申请材料一次告知。

    （1）告知单应当载明材料清单。

    ## 三、其他

    本通知自印发之日起施行。
    """, doc_number="海住建〔2024〕12号", kind="通知", issued="2024-03-01",
    basis=["《中华人民共和国建筑法》第七条"])

NORMATIVE = policy("海州市施工许可管理办法", """
    第一条 为规范施工许可，根据《中华人民共和国建筑法》第八条，制定本办法。

    第二条 申请人应当提交下列材料：

    （一）申请表；

    （二）用地批准文件。

    第三条 本办法自2022年1月1日起施行，有效期五年。
    """, doc_number="海住建规〔2021〕3号", kind="行政规范性文件", issued="2021-12-01", effective="2022-01-01",
    validity="有效期五年", register_number="HZSD01-2021-0003",
    legality_review={"date": "2021-11-20", "reviewer": "政策法规处", "opinion": "海住建法审〔2021〕9号"},
    filing={"authority": "海州市司法局", "date": "2021-12-20"},
    basis=["《中华人民共和国建筑法》第八条"])

EXPIRED = policy("海州市建筑工地扬尘管理暂行办法", """
    第一条 为减少扬尘，制定本办法。

    第二条 本办法有效期三年。
    """, doc_number="海住建规〔2019〕1号", kind="行政规范性文件", issued="2019-05-01", validity="有效期三年")

OLD = policy("海州市建筑市场管理办法", """
    第一条 旧办法。
    """, doc_number="海住建规〔2018〕2号", kind="行政规范性文件", issued="2018-03-01", validity="五年",
    repealed="2022-06-30", successor="海住建规〔2022〕5号")

NEW = policy("海州市建筑市场信用管理办法", """
    第一条 新办法。原海州市建筑市场管理办法（海住建规〔2018〕2号）同时废止。
    """, doc_number="海住建规〔2022〕5号", kind="行政规范性文件", issued="2022-06-01", effective="2022-07-01",
    validity="有效期5年")

FUTURE = policy("海州市2027年建筑业发展工作方案", """
    一、目标

    二、措施
    """, doc_number="海住建〔2026〕40号", kind="工作方案", issued="2026-11-20", effective="2027-01-01")

RULES = policy("海州市建筑工程施工许可实施细则", """
    第一条 依据《中华人民共和国建筑法》第八条制定本细则。
    """, doc_number="海住建〔2015〕6号", kind="内部制度", issued="2015-06-01",
    basis=["《中华人民共和国建筑法》第八条"])

JOINT = policy("关于开展燃气安全联合检查的通知", """
    一、检查范围
    """, doc_number=["海住建〔2024〕30号", "海应急〔2024〕15号"],
    authority=["海州市住房和城乡建设局", "海州市应急管理局"], kind="通知", issued="2024-06-20")

GUIDE = """---
title: 审批工作指引
---

# 审批工作指引

审批时按照《关于加强施工许可管理的通知》第二部分第（一）项办理，材料见《海州市施工许可管理办法》第二条。

简化要求见海住建〔2024〕12号第一部分，联合检查见海应急〔2024〕15号。

另见《关于加强施工许可管理的通知》（海住建〔2024〕12号）。
"""


def site_files() -> dict[str, str]:
    return {
        "laws/建筑法.md": BUILDING_LAW,
        "laws/建筑法/2011-04-22.md": OLD_BUILDING_LAW,
        "policies/2024/notice-12.md": NOTICE,
        "policies/2021/gui-3.md": NORMATIVE,
        "policies/2019/gui-1.md": EXPIRED,
        "policies/2018/gui-2.md": OLD,
        "policies/2022/gui-5.md": NEW,
        "policies/2026/plan-40.md": FUTURE,
        "policies/2024/joint-30.md": JOINT,
        "policies/2015/rules-6.md": RULES,
        "guide.md": GUIDE,
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import make_config, run_build

    root = tmp_path_factory.mktemp("policies")
    write_files(root / "docs", {"index.md": "# 首页\n", **site_files()})
    return run_build(make_config(root, {"search_index": False}))


def corpus_of(tmp_path: Path, files: dict[str, str], **options: object):
    from kb_tools.corpus import SiteOptions

    write_files(tmp_path / "docs", files)
    return load_corpus(tmp_path / "docs", TODAY, features=default_features(), options=SiteOptions(**options))


def body(html: str) -> str:
    return html[html.find("<article"): html.find("</article>")]


# --------------------------------------------------------------------------- items and anchors


def test_items_get_anchors_from_their_numbers():
    items = parse_items(textwrap.dedent(NOTICE.split("---\n", 2)[2]))
    assert [(i.label, i.anchor, i.cite) for i in items] == [
        ("一、", "part-1", "第一部分"),
        ("（一）", "part-1-item-1", "第一部分第（一）项"),
        ("（二）", "part-1-item-2", "第一部分第（二）项"),
        ("二、", "part-2", "第二部分"),
        ("（一）", "part-2-item-1", "第二部分第（一）项"),
        ("1.", "part-2-item-1-point-1", "第二部分第（一）项第1点"),
        ("（1）", "part-2-item-1-point-1-sub-1", "第二部分第（一）项第1点第（1）目"),
        ("三、", "part-3", "第三部分"),
    ]
    articles = parse_items("第一条 甲。\n\n第二条 乙：\n\n（一）丙；\n\n第十条 丁。")
    assert [i.anchor for i in articles] == ["article-1", "article-2", "article-2-item-1", "article-10"]


def test_policy_page_shows_status_lifecycle_bases_and_anchors(site: Path):
    html = body(read(site, "policies/2021/gui-3/index.html"))
    assert '<span class="kb-status kb-status--in-force">有效</span>' in html
    for anchor in ("article-1", "article-2", "article-2-item-1", "article-3"):
        assert f'id="{anchor}" href="#{anchor}"' in html
    steps = re.findall(r'<span class="kb-step-name">(.+?)</span> <span class="kb-step-date">(.+?)</span>', html)
    assert steps == [("合法性审核", "2021年11月20日"), ("印发", "2021年12月1日"), ("备案", "2021年12月20日"),
                     ("施行", "2022年1月1日"), ("有效期届满", "2026年12月31日")]
    assert "HZSD01-2021-0003" in html and "海住建法审〔2021〕9号" in html
    # The basis links to the article, and the document's own 文号 is not a link to itself.
    assert 'href="../../../laws/建筑法/#article-8"' in html
    assert 'kb-cite--policy" href="../../../policies/2021/gui-3/"' not in html
    # What cites it: the guide, at 第二条.
    cited = html[html.find('id="cited-by"'):]
    assert '<a href="#article-2">第二条</a>' in cited and "审批工作指引" in cited


def test_statuses_on_the_fixed_date(tmp_path: Path):
    corpus = corpus_of(tmp_path, site_files())
    status = {slug: policy_status(corpus, p).value for slug, p in corpus.policies.items()}
    assert status == {"2024/notice-12": "有效", "2021/gui-3": "有效", "2019/gui-1": "已失效",
                      "2018/gui-2": "已废止", "2022/gui-5": "有效", "2026/plan-40": "尚未生效",
                      "2024/joint-30": "有效", "2015/rules-6": "有效"}
    # 2021/gui-3 ends on 2026-12-31, 35 days after the status date: inside the default window of 90.
    assert is_expiring(corpus, corpus.policies["2021/gui-3"])
    assert corpus.policies["2022/gui-5"].valid_until == dt.date(2027, 6, 30)
    amended = {**site_files(), "policies/2026/amend.md": policy(
        "关于修改施工许可管理办法的决定", "一、修改第二条。", kind="行政规范性文件", issued="2026-10-01",
        doc_number="海住建规〔2026〕1号", validity="有效期五年")}
    amended["policies/2021/gui-3.md"] = NORMATIVE.replace(
        "kind: 行政规范性文件", "kind: 行政规范性文件\namended_by: 海住建规〔2026〕1号")
    changed = corpus_of(tmp_path / "amended", amended)
    assert policy_status(changed, changed.policies["2021/gui-3"]).value == "已修改"
    narrow = corpus_of(tmp_path / "narrow", site_files(), policy_expiry_warning_days=30)
    assert not is_expiring(narrow, narrow.policies["2021/gui-3"])


def test_expiring_badge_follows_the_plugin_option(site: Path, build_site):
    html = body(read(site, "policies/2021/gui-3/index.html"))
    assert 'kb-status--expiring" title="35 天后失效">即将失效' in html
    narrow = build_site(site_files(), search_index=False, policy_expiry_warning_days=30)
    assert "即将失效" not in body(read(narrow, "policies/2021/gui-3/index.html"))


def test_successor_and_predecessor_link_each_other(site: Path):
    old = body(read(site, "policies/2018/gui-2/index.html"))
    assert "本文件已于2022年6月30日废止" in old
    assert '继承文件</dt><dd><a href="../../../policies/2022/gui-5/">《海州市建筑市场信用管理办法》</a>' in old
    new = body(read(site, "policies/2022/gui-5/index.html"))
    assert '前序文件</dt><dd><a href="../../../policies/2018/gui-2/">《海州市建筑市场管理办法》</a>' in new


def test_joint_document_lists_every_issuer_and_number(site: Path):
    html = body(read(site, "policies/2024/joint-30/index.html"))
    assert "<dt>联合发文机关</dt><dd>海州市住房和城乡建设局、海州市应急管理局</dd>" in html
    assert "海住建〔2024〕30号<br>海应急〔2024〕15号" in html


# --------------------------------------------------------------------------- citations


def test_citations_by_title_item_and_number_link_on_ordinary_pages(site: Path):
    html = body(read(site, "guide/index.html"))
    pattern = r'<a class="kb-cite kb-cite--policy" href="([^"]+)"[^>]*>(.+?)</a>'
    links = {text: href for href, text in re.findall(pattern, html)}
    assert links["《关于加强施工许可管理的通知》第二部分第（一）项"] == "../policies/2024/notice-12/#part-2-item-1"
    assert links["《海州市施工许可管理办法》第二条"] == "../policies/2021/gui-3/#article-2"
    assert links["海住建〔2024〕12号第一部分"] == "../policies/2024/notice-12/#part-1"
    assert links["海应急〔2024〕15号"] == "../policies/2024/joint-30/"
    assert links["《关于加强施工许可管理的通知》（海住建〔2024〕12号）"] == "../policies/2024/notice-12/"


def test_own_items_link_to_their_anchors(site: Path):
    html = body(read(site, "policies/2024/notice-12/index.html"))
    assert '<a class="kb-cite kb-cite--policy" href="#part-2-item-1"' in html
    assert ">本通知第二部分第（一）项</a>" in html


def test_void_documents_carry_their_badge_where_cited(site: Path):
    html = body(read(site, "policies/2022/gui-5/index.html"))
    assert re.search(r'href="../../../policies/2018/gui-2/"[^>]*>海住建规〔2018〕2号</a>'
                     r'<span class="kb-status kb-status--repealed kb-cite-status"', html)


def test_law_citations_are_unchanged_beside_policies(site: Path):
    html = body(read(site, "policies/2024/notice-12/index.html"))
    # Issued 2024: the current text of 建筑法 (2019) applies; the link goes to its article.
    assert '<a class="kb-cite" href="../../../laws/建筑法/#article-7"' in html


# --------------------------------------------------------------------------- catalogue, 清理, exports


def test_catalogue_rows_carry_year_kind_and_status(site: Path):
    html = body(read(site, "policies/index.html"))
    rows = re.findall(r'<tr data-year="(\d*)" data-kind="([^"]+)" data-status="([^"]+)" data-current="(\d)">'
                      r"<td>\d*</td><td><a [^>]+>([^<]+)</a>", html)
    assert len(rows) == 8
    assert ("2019", "行政规范性文件", "已失效", "0", "海州市建筑工地扬尘管理暂行办法") in rows
    assert ("2026", "工作方案", "尚未生效", "0", "海州市2027年建筑业发展工作方案") in rows
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)  # newest first
    assert "现行有效 5 件" in html
    assert 'href="../policies/export/policies.xlsx"' in html and 'href="../policies/export/policies.csv"' in html


def test_review_lists_expired_expiring_and_changed_bases(site: Path):
    html = body(read(site, "policies/review/index.html"))
    section = {m.group(1): m.group(2) for m in re.finditer(r'<h2 id="([\w-]+)">(.*?)(?=<h2|$)', html, re.S)}
    assert "海州市建筑工地扬尘管理暂行办法" in section["expired"] and "2022年4月30日" in section["expired"]
    assert "海州市施工许可管理办法" in section["expiring"] and "还有 35 天" in section["expiring"]
    assert "海州市建筑市场管理办法" not in section["expired"]  # repealed, not expired
    # The 细则 (2015) rests on 建筑法 as amended in 2011, whose 第八条 changed in 2019; the 办法 (2021)
    # and the notice (2024) on the current text.
    # The basis links to the text in force when the document was issued.
    assert 'class="kb-pl-basis" href="../../laws/建筑法/2011-04-22/#article-8"' in section["basis-changed"]
    changed = re.sub(r"<[^>]+>", "", section["basis-changed"])
    assert re.search(r"海州市建筑工程施工许可实施细则.*第八条 在 2019-04-23 修订后内容有修改", changed)
    assert "海州市施工许可管理办法" not in changed and "关于加强施工许可管理的通知" not in changed


def test_exports_have_every_document_and_neutralise_formulas(build_site):
    files = site_files()
    files["policies/2024/eq.md"] = policy("=HYPERLINK(\"x\")", "一、内容", kind="通知", issued="2024-01-02",
                                          doc_number="海住建〔2024〕99号")
    site = build_site(files, search_index=False)
    rows = list(csv.reader(io.StringIO((site / "policies/export/policies.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["年度", "文件名称", "文号"]
    assert len(rows) == 1 + 9
    assert [r[1] for r in rows if "HYPERLINK" in r[1]] == ["'=HYPERLINK(\"x\")"]
    from openpyxl import load_workbook

    sheet = load_workbook(site / "policies/export/policies.xlsx").active
    titles = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"x\")" in titles and "海州市施工许可管理办法" in titles


# --------------------------------------------------------------------------- kb check


def test_kb_check_reports_each_policy_problem_with_file_and_line(tmp_path: Path):
    files = {
        "laws/建筑法.md": BUILDING_LAW,
        "policies/a.md": policy("甲办法", "第一条 甲。", kind="行政规范性文件", issued="2024-01-01"),
        "policies/b.md": policy("乙办法", "第一条 乙。", kind="行政规范性文件", issued="2024-01-01",
                                doc_number="海住建规〔2024〕1号", valid_until="2031-12-31"),
        "policies/c.md": policy("丙通知", "一、丙", kind="通知", issued="2024-05-01", doc_number="海住建规〔2024〕1号",
                                effective="2024-04-01"),
        "policies/d.md": policy("丁办法", "第一条 丁。", kind="行政规范性文件", issued="2018-01-01",
                                doc_number="海住建规〔2018〕1号", validity="有效期三年"),
        "policies/e.md": policy("戊通知", "一、按本通知第九部分办理。", kind="通知", issued="2024-01-01"),
        "policies/f.md": policy("己通知", "一、己", kind="通知", issued="2024-01-01",
                                basis=["《中华人民共和国建筑法》第九十九条", "有关规定"]),
        "page.md": "# 工作指引\n\n依照《丁办法》第一条办理。\n\n历史文件《丁办法》（已失效）不再适用。\n\n"
                   "见《丙通知》第五部分。\n",
    }
    corpus = corpus_of(tmp_path, files)
    found = {(p.path, p.line, p.code) for p in validate(corpus)}
    assert ("policies/a.md", 4, "policy-no-number") in found
    assert ("policies/a.md", 4, "policy-no-validity") in found
    assert ("policies/b.md", 7, "policy-validity-too-long") in found
    assert ("policies/c.md", 6, "policy-duplicate-number") in found
    assert ("policies/c.md", 7, "policy-dates-order") in found
    assert ("page.md", 3, "policy-void-cited") in found
    assert not any(path == "page.md" and line == 5 for path, line, _ in found)  # says 已失效 itself
    assert ("page.md", 7, "citation-missing-policy-item") in found
    assert ("policies/e.md", 8, "citation-missing-policy-item") in found  # 本通知第九部分
    basis = [p.message for p in validate(corpus) if p.path == "policies/f.md" and p.line == 6]
    assert basis == ["制定依据“《中华人民共和国建筑法》第九十九条”无法解析："
                     "引用的《中华人民共和国建筑法》第九十九条不存在（该法共5条，最后一条为第八条）。",
                     "制定依据“有关规定”中没有找到《法规名称》第X条形式的引用。"]
    messages = [p.format() for p in validate(corpus) if p.path.startswith(("policies/", "page.md"))]
    assert all("Traceback" not in m for m in messages)
    longer = corpus_of(tmp_path / "seven", files, policy_max_validity_years=8)
    assert "policy-validity-too-long" not in {p.code for p in validate(longer)}


def test_bad_front_matter_is_one_chinese_line(tmp_path: Path):
    files = {"policies/x.md": policy("戊办法", "第一条", kind="行政规范性文件", issued="2024-01-01",
                                     doc_number="海住建规2024-1", validity="很久", filing="司法局")}
    corpus = corpus_of(tmp_path, files)
    lines = {(p.line, p.message) for p in corpus.problems if p.path == "policies/x.md"}
    assert (6, "文号“海住建规2024-1”的格式不对。") in lines
    assert (7, "有效期“很久”无法识别。") in lines
    assert (8, "字段 `filing` 应为若干子字段（authority、date）。") in lines


# --------------------------------------------------------------------------- search


def test_items_are_search_documents_and_a_number_query_finds_the_document(tmp_path: Path):
    from kb_tools.search.engine import ensure_index, search

    write_files(tmp_path / "docs", {"index.md": "# 首页\n", **site_files()})
    ix, _ = ensure_index(tmp_path / "docs", tmp_path / "index", today=TODAY)
    hits = search(ix, "海住建规〔2021〕3号", limit=5)
    assert hits and all(h.url.startswith("policies/2021/gui-3/") for h in hits)
    assert {h.level for h in search(ix, "办法 level:行政规范性文件", limit=20)} == {"行政规范性文件"}
    hits = search(ix, "告知单 材料清单", limit=3)
    assert hits[0].url == "policies/2024/notice-12/#part-2-item-1-point-1-sub-1"
    assert hits[0].article == "第二部分第（一）项第1点第（1）目"


def test_power_items_cite_policies_and_a_void_one_is_reported(tmp_path: Path, build_site):
    import yaml

    items = {"权力事项": [
        {"事项编码": "P-1", "事项名称": "施工许可", "事项类型": "行政许可", "承办科室": "建筑业管理科",
         "设定依据": ["《中华人民共和国建筑法》第七条"], "实施依据": ["海住建规〔2021〕3号第二条"], "法定期限": "7日"},
        {"事项编码": "P-2", "事项名称": "扬尘检查", "事项类型": "行政检查", "承办科室": "质量安全监管科",
         "设定依据": ["《中华人民共和国建筑法》第八条"], "实施依据": ["《海州市建筑工地扬尘管理暂行办法》第一条"]},
    ]}
    files = {**site_files(), "powers/list.yaml": yaml.safe_dump(items, allow_unicode=True, sort_keys=False)}
    corpus = corpus_of(tmp_path, files)
    void = [p for p in validate(corpus) if p.code == "policy-void-cited"]
    assert [(p.path, p.line) for p in void] == [("powers/list.yaml", 18)]  # the basis line
    assert "《海州市建筑工地扬尘管理暂行办法》已失效" in void[0].message
    assert not [p for p in validate(corpus) if p.code == "power-basis-unresolved"]
    site = build_site(files, search_index=False)
    item = body(read(site, "powers/items/P-1/index.html"))
    assert 'href="../../../policies/2021/gui-3/#article-2"' in item and "无法解析" not in item
    cited = body(read(site, "policies/2021/gui-3/index.html"))
    assert '<span class="kb-cited-kind">权力事项</span>' in cited and "施工许可（行政许可）" in cited


def test_home_page_counts_documents_in_force_and_expiring(build_site):
    site = build_site({**site_files(), "index.md": "# 首页\n\n<!-- kb:home -->\n"}, search_index=False)
    html = body(read(site, "index.html"))
    assert ('<a href="policies/">本局文件</a>：现行有效 5 件，<a href="policies/review/#expiring">1 件即将失效</a>，'
            '<a href="policies/review/#basis-changed">1 处制定依据已变化</a>。') in html


def test_the_browser_index_finds_a_number_and_an_item(build_site):
    import shutil

    from kb_tools.search.static_eval import NodeEngine

    if shutil.which("node") is None:
        pytest.skip("needs Node.js")
    site = build_site(site_files())
    node = NodeEngine(site / "search" / "kb")
    try:
        hits = node.query("海应急〔2024〕15号", limit=5)  # the second 文号 of a joint notice
        assert [h["url"] for h in hits[:2]] == ["policies/2024/joint-30/", "policies/2024/joint-30/#part-1"]
        hits = node.query("告知单 材料清单", limit=3)
        assert hits[0]["url"] == "policies/2024/notice-12/#part-2-item-1-point-1-sub-1"
    finally:
        node.close()


def test_a_public_build_leaves_internal_documents_out(build_site):
    files = {**site_files(), "policies/2023/internal.md": policy(
        "海州市住房和城乡建设局内部会商制度", "第一条 内部。", kind="内部制度", issued="2023-01-01",
        doc_number="海住建〔2023〕2号", public=False)}
    site = build_site(files, public_build=True)
    assert not (site / "policies/2023/internal").exists()
    everything = read(site, "policies/index.html") + read(site, "policies/export/policies.csv")
    everything += "".join(p.read_text(encoding="utf-8") for p in (site / "search/kb/docs").glob("*.json"))
    assert "内部会商制度" not in everything and "海州市施工许可管理办法" in everything
