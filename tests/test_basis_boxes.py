"""Legal bases on entry pages: one box per basis line that links the articles and opens on their text.

Built as real sites: a power item, an inspection item and a declared list entry cite articles of
regulations in force, repealed, not yet in force and an older text, by article and by 款.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import BUILDING_LAW, law_page, make_config, read, run_build, write_files

OLD_LAW = law_page("旧条例", "第一条 旧条例的第一条。", level="行政法规", promulgated="2005-01-10",
                   repealed="2022-05-01")
FUTURE_LAW = law_page("将来施行的条例", "第一条 将来施行的第一条。", level="行政法规", promulgated="2026-10-01",
                      effective="2027-01-01")
REVIEW_LAW = law_page("中华人民共和国行政复议法", "第一条 现行文本第一条。", short_title="行政复议法",
                      promulgated="1999-04-29", amended=["2017-09-01", "2023-09-01"])
OLD_REVIEW_LAW = law_page("中华人民共和国行政复议法", "第一条 二〇一七年文本第一条。", short_title="行政复议法",
                          promulgated="1999-04-29", amended=["2017-09-01"], version_of="行政复议法")

POWERS = {
    "权力事项": [{
        "事项编码": "XK-1",
        "事项名称": "施工许可",
        "事项类型": "行政许可",
        "承办科室": "建筑业管理科",
        "设定依据": ["《中华人民共和国建筑法》第二条第二款"],
        "实施依据": [
            "《中华人民共和国建筑法》第七条、第八条",
            "《旧条例》第一条",
            "《将来施行的条例》第一条",
            "《中华人民共和国行政复议法》（2017年修正）第一条",
            "《不存在的管理办法》第三条",
            "《中华人民共和国建筑法》",
        ],
    }],
    "检查事项": [{
        "检查事项编码": "JC-1",
        "检查事项名称": "施工许可检查",
        "检查对象": "建设单位",
        "检查方式": "双随机抽查",
        "承办科室": "建筑业管理科",
        "检查依据": ["依照《中华人民共和国建筑法》第八条第一款的规定"],
    }],
}

LIST_DECLARATION = """\
title: 审核目录
columns:
  - key: code
    label: 编号
    role: code
  - key: name
    label: 事项
    role: title
  - key: basis
    label: 依据
    role: basis
"""
LIST_ROWS = """\
- 编号: A-1
  事项: 一行 <b>事项</b>
  依据: 《建筑法》第二条第一款、第二款
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("basis-boxes")
    write_files(root / "docs", {
        "index.md": "# 首页\n",
        "laws/建筑法.md": BUILDING_LAW,
        "laws/旧条例.md": OLD_LAW,
        "laws/将来法.md": FUTURE_LAW,
        "laws/行政复议法.md": REVIEW_LAW,
        "laws/行政复议法/2017-09-01.md": OLD_REVIEW_LAW,
        "powers/list.yaml": yaml.safe_dump(POWERS, allow_unicode=True, sort_keys=False),
        "lists/review/list.yaml": LIST_DECLARATION,
        "lists/review/rows.yaml": LIST_ROWS,
    })
    return run_build(make_config(root, {"search_index": False}))  # not strict: the bases are wrong on purpose


def section(html: str, anchor: str) -> str:
    """The part of an entry page below the heading with ``id=anchor`` up to the next heading."""
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start)
    return html[start:end if end > 0 else len(html)]


def boxes(html: str) -> list[str]:
    return re.findall(r"<details class=\"kb-pw-article\".*?</details>", html, re.S)


def test_each_basis_line_is_one_box_whose_summary_links_the_article(site):
    page = read(site, "powers/items/XK-1/index.html")
    establishing = section(page, "establishing")
    [box] = boxes(establishing)
    summary = box[:box.index("</summary>")]
    # The line as written, its citation a link to the article's stable address, then the badge.
    assert '<a class="kb-cite" href="../../../laws/建筑法/#article-2"' in summary
    assert ">《中华人民共和国建筑法》第二条第二款</a>" in summary
    assert summary.endswith('<span class="kb-status kb-status--in-force kb-cite-status" '
                            'title="《中华人民共和国建筑法》有效">有效</span>')
    # No second line repeating the citation outside the box.
    assert re.sub(r"<[^>]+>", "", establishing).count("《中华人民共和国建筑法》第二条第二款") == 1
    assert "data-kb-no-preview" in box


def test_the_cited_clause_is_marked_in_the_whole_article(site):
    box = boxes(section(read(site, "powers/items/XK-1/index.html"), "establishing"))[0]
    text = box[box.index("</summary>"):]
    # Both 款 of 第二条 are there; only the second is marked, with its label.
    assert "<p><strong class=\"kb-pw-cited-label\">第二条</strong>\u3000在中华人民共和国境内从事建筑活动" in text
    cited = re.findall(r'<div class="kb-pw-clause kb-pw-clause--cited">(.*?)</div>', text)
    assert cited == ['<p><span class="kb-pw-clause-label">第二款</span>'
                     "本法所称建筑活动，是指各类房屋建筑的建造活动。</p>"]


def test_every_status_shows_and_articles_of_one_line_share_a_box(site):
    implementing = section(read(site, "powers/items/XK-1/index.html"), "implementing")
    found = boxes(implementing)
    assert len(found) == 4  # 第七条、第八条 in one box; the unresolved line and the whole law have none
    first = found[0]
    assert first.count('<section class="kb-pw-cited"') == 2
    assert ('<p class="kb-pw-cited-head"><a href="../../../laws/建筑法/#article-8">'
            "《中华人民共和国建筑法》第八条</a></p>") in first
    assert "（二）有保证工程质量和安全的具体措施。" in first  # the whole article, its items too
    badges = [re.findall(r"kb-status--([a-z-]+) kb-cite-status", box) for box in found]
    assert badges == [["in-force"], ["repealed"], ["not-yet-effective"], ["amended"]]
    assert '>已废止</span>' in found[1] and '>尚未生效</span>' in found[2] and '>已修改</span>' in found[3]
    assert "二〇一七年文本第一条" in found[3]  # the older text named, not the current one
    assert '<p class="kb-pw-unresolved">无法解析：《不存在的管理办法》第三条' in implementing
    whole = re.search(r'<p class="kb-pw-basis-text"><a class="kb-cite" href="../../../laws/建筑法/"[^>]*>'
                      r"《中华人民共和国建筑法》</a><span class=\"kb-status kb-status--in-force", implementing)
    assert whole is not None


def test_inspection_items_and_declared_lists_use_the_same_box(site):
    inspection = read(site, "powers/inspection-items/JC-1/index.html")
    [box] = boxes(inspection)
    assert "依照<a class=\"kb-cite\"" in box and "有效</span>的规定</summary>" in box
    assert '<span class="kb-pw-clause-label">第一款</span>' in box
    entry = read(site, "lists/review/items/A-1/index.html")
    [box] = boxes(entry)
    labels = re.findall(r'<span class="kb-pw-clause-label">(.*?)</span>', box)
    assert labels == ["第一款", "第二款"]
    assert "一行 &lt;b&gt;事项&lt;/b&gt;</h1>" in entry
