"""Citations: every mention form, resolved against the real regulations in docs/laws/."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from kb_tools.citations.resolver import CitingRef, add_citing, find_citations, find_in_law, link_citations
from kb_tools.corpus import Corpus, load_corpus
from kb_tools.problems import Severity
from tests.conftest import REPO, STATUS_DATE, make_config, read, run_build, write_files

DOCS = REPO / "docs"
TODAY = dt.date.fromisoformat(STATUS_DATE)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    # Regulations only: no feature loaders, so this stays a pure test of resolution.
    return load_corpus(DOCS, TODAY)


def one(text: str, corpus: Corpus, **kwargs: object):
    found = find_citations(text, corpus, **kwargs)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


def labels(citation) -> list[str]:
    return [a.label for a in citation.articles]


@pytest.mark.parametrize(
    ("text", "slug", "articles"),
    [
        ("依据《中华人民共和国建筑法》第七条办理", "建筑法", ["第七条"]),
        ("依据《建筑法》第七条办理", "建筑法", ["第七条"]),
        ("《城乡规划法》第四十条", "城乡规划法", ["第四十条"]),
        ("《中华人民共和国城乡规划法》第四十条", "城乡规划法", ["第四十条"]),
        ("《行政许可法》第64条", "行政许可法", ["第六十四条"]),
        ("《行政许可法》第８３条", "行政许可法", ["第八十三条"]),
        ("《建筑法》第十条、第十二条", "建筑法", ["第十条", "第十二条"]),
        ("《建筑法》第十条和第十二条", "建筑法", ["第十条", "第十二条"]),
        ("《建筑法》第十条至第十二条", "建筑法", ["第十条", "第十一条", "第十二条"]),
        ("《建筑法》第七条第一款", "建筑法", ["第七条"]),
        ("《信访工作条例》第十七条", "信访工作条例", ["第十七条"]),
        ("《中华人民共和国建筑法》", "建筑法", []),
        # A title inside a title, in each of the spellings people type.
        ("《浙江省实施〈中华人民共和国人民防空法〉办法》第十三条", "浙江省实施人民防空法办法", ["第十三条"]),
        ("《浙江省实施<中华人民共和国人民防空法>办法》第十三条", "浙江省实施人民防空法办法", ["第十三条"]),
        ("《浙江省实施《中华人民共和国人民防空法》办法》第十三条", "浙江省实施人民防空法办法", ["第十三条"]),
    ],
)
def test_mention_forms_resolve(corpus, text, slug, articles):
    citation = one(text, corpus)
    assert citation.resolved, citation.problem
    assert citation.law.slug == slug
    assert labels(citation) == articles
    assert citation.text.startswith("《")


def test_paragraph_and_item_are_kept_for_the_link_title(corpus):
    citation = one("按照《建筑法》第八条第一款第（二）项的规定", corpus)
    assert labels(citation) == ["第八条"]
    assert citation.parts[0].detail == "第一款第（二）项"
    assert citation.cite_title(citation.articles[0], citation.parts[0].detail) == (
        "《中华人民共和国建筑法》第八条第一款第（二）项")
    html, _ = link_citations("<p>按照《建筑法》第八条第一款第（二）项的规定</p>", corpus, base="../")
    assert ('<a class="kb-cite" href="../laws/建筑法/#article-8" '
            'title="《中华人民共和国建筑法》第八条第一款第（二）项">《建筑法》第八条第一款第（二）项</a>') in html


def test_url_points_to_article_or_page(corpus):
    assert one("《建筑法》第七条", corpus).url("../../") == "../../laws/建筑法/#article-7"
    assert one("《建筑法》", corpus).url("../") == "../laws/建筑法/"


def test_list_items_each_become_a_link(corpus):
    html, found = link_citations("<p>见《建筑法》第十条、第十二条。</p>", corpus, base="")
    assert len(found) == 1
    assert ('<a class="kb-cite" href="laws/建筑法/#article-10" title="《中华人民共和国建筑法》第十条">'
            "《建筑法》第十条</a>") in html
    assert ('<a class="kb-cite" href="laws/建筑法/#article-12" title="《中华人民共和国建筑法》第十二条">'
            "第十二条</a>") in html


def test_self_references_inside_a_regulation(corpus):
    law = corpus.laws["行政复议法"]
    art23 = law.article(23)
    citation = one("行政复议机关存在本法第十一条规定的未履行法定职责情形", corpus, current=law, article=art23)
    assert citation.law is law and labels(citation) == ["第十一条"]
    assert not citation.self_ref  # another article of the same law: linked
    # 前款 and 本条 are the article itself; 前条 is the one before it.
    art24 = law.article(24)
    this = one("依照前款规定", corpus, current=law, article=art24)
    assert this.articles == (art24,) and this.self_ref and this.parts[0].detail == "前款"
    assert one("违反本条规定", corpus, current=law, article=art24).articles == (art24,)
    assert one("依照前条规定", corpus, current=law, article=art24).articles == (art23,)
    # 本条例 inside a 条例.
    xinfang = corpus.laws["信访条例"]
    citation = one("遵守本条例第十六条、第十七条的规定", corpus, current=xinfang, article=xinfang.article(15))
    assert citation.law is xinfang and labels(citation) == ["第十六条", "第十七条"]
    # 本章第六条至第九条 (a bare 第N条 inside a regulation is its own article).
    zhifa = corpus.laws["浙江省综合行政执法条例"]
    citation = one("本章第六条至第九条规定目录", corpus, current=zhifa, article=zhifa.article(10))
    assert labels(citation) == ["第六条", "第七条", "第八条", "第九条"]


def test_article_labels_in_source_text_move_the_context(corpus):
    law = corpus.laws["行政复议法"]
    text = "第十条 甲。\n\n第十一条 依照前条规定。"
    found = find_citations(text, corpus, current=law)
    assert [labels(c) for c in found] == [["第十条"]]


def test_same_page_cross_reference_links_to_the_anchor(corpus):
    law = corpus.laws["行政复议法"]
    html = ('<section class="kb-article" id="article-23" data-article="第二十三条"><p>'
            '<a class="kb-article-label" href="#article-23">第二十三条</a>\u3000'
            "行政复议机关存在本法第十一条规定的情形；依照前款规定。</p>"
            '<button class="kb-copy" data-cite="《中华人民共和国行政复议法》第二十三条">复制引用</button>'
            "</section>")
    out, found = link_citations(html, corpus, base="../../", current=law)
    assert ('<a class="kb-cite" href="#article-11" title="《中华人民共和国行政复议法》第十一条">本法第十一条</a>'
            in out)
    assert "依照前款规定" in out and out.count("kb-cite") == 1  # 前款 is this very article: not linked
    assert 'data-cite="《中华人民共和国行政复议法》第二十三条"' in out  # attribute untouched
    assert len(found) == 2


def test_other_law_named_without_brackets_is_not_this_law(corpus):
    law = corpus.laws["最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释"]
    assert find_citations("应当认定为民法典第二百七十八条第一款第（九）项规定的有关", corpus,
                          current=law, article=law.article(7)) == []


def test_local_abbreviation_defined_in_the_preamble(corpus):
    from kb_tools.citations.resolver import find_in_law

    law = corpus.laws["最高人民法院关于办理申请人民法院强制执行国有土地上房屋征收补偿决定案件若干问题的规定"]
    found = [(a.label if a else None, c) for a, _, c in find_in_law(law, corpus)]
    abbreviated = [c for label, c in found if label == "第二条" and c.text.startswith("《条例》")]
    assert abbreviated and abbreviated[0].law.slug == "国有土地上房屋征收与补偿条例"
    assert labels(abbreviated[0]) == ["第二十八条"]


def test_bare_article_after_a_title_in_the_same_paragraph(corpus):
    text = "现场笔录（《中华人民共和国行政强制法》第十八条）。情况紧急的（第十九条）。\n\n另见第二十条。"
    found = find_citations(text, corpus)
    assert [(c.law.slug, labels(c)) for c in found] == [("行政强制法", ["第十八条"]), ("行政强制法", ["第十九条"])]


def test_law_not_in_the_knowledge_base_is_a_warning(corpus):
    citation = one("依照《中华人民共和国民法典》第一千一百六十五条", corpus)
    assert citation.law is None and not citation.resolved
    assert citation.problem == "引用的《中华人民共和国民法典》不在知识库中。"
    assert citation.severity is Severity.WARNING and citation.code == "citation-unknown-law"
    html, _ = link_citations("<p>依照《中华人民共和国民法典》第一千一百六十五条</p>", corpus, base="")
    assert "<a" not in html


def test_misspelt_title_gets_the_closest_title(corpus):
    citation = one("《中华人民共和国建筑物法》第七条", corpus)
    assert citation.suggestion == "中华人民共和国建筑法"
    assert "是不是《中华人民共和国建筑法》" in citation.hint


def test_article_beyond_the_last_is_an_error_with_the_real_count(corpus):
    citation = one("《中华人民共和国行政许可法》第九十条", corpus)
    assert citation.problem == "引用的《中华人民共和国行政许可法》第九十条不存在（该法共八十三条）。"
    assert citation.severity is Severity.ERROR and citation.code == "citation-missing-article"
    assert "第一条至第八十三条" in citation.hint
    # Inside a regulation the same mistake is a warning (statutes cite other laws' older numbering).
    inside = one("《中华人民共和国行政许可法》第九十条", corpus, current=corpus.laws["建筑法"])
    assert inside.severity is Severity.WARNING


def test_partly_wrong_list_links_the_good_part(corpus):
    html, found = link_citations("<p>《建筑法》第七条、第九十九条</p>", corpus, base="")
    assert found[0].problem.startswith("引用的《中华人民共和国建筑法》第九十九条不存在（该法共八十五条）")
    assert 'href="laws/建筑法/#article-7"' in html and "第九十九条</p>" in html


def test_article_beyond_the_last_links_the_title_only(corpus):
    html, found = link_citations("<p>依照《中华人民共和国建筑法》第九百条处理</p>", corpus, base="")
    assert found[0].code == "citation-missing-article"
    assert html == ('<p>依照<a class="kb-cite" href="laws/建筑法/" title="《中华人民共和国建筑法》">'
                    "《中华人民共和国建筑法》</a>第九百条处理</p>")
    # A list whose first article is wrong links the title alone, then the good article.
    html, _ = link_citations("<p>《建筑法》第九百条、第七条</p>", corpus, base="")
    assert html.startswith('<p><a class="kb-cite" href="laws/建筑法/" title="《中华人民共和国建筑法》">《建筑法》</a>'
                           "第九百条、")
    assert '<a class="kb-cite" href="laws/建筑法/#article-7"' in html
    # Inside a regulation a bare out-of-range 第N条 stays plain.
    html, _ = link_citations("<p>依照第九百条规定</p>", corpus, base="", current=corpus.laws["建筑法"])
    assert "<a" not in html


def test_books_and_nested_decision_titles_are_not_citations(corpus):
    assert find_citations("见《人民日报》报道", corpus) == []
    nested = "根据《关于修改〈中华人民共和国建筑法〉等八部法律的决定》第二次修正"
    found = find_citations(nested, corpus)
    assert len(found) == 1 and found[0].law is None and found[0].severity is Severity.WARNING
    deeper = "根据《关于修改《中华人民共和国建筑法》等八部法律的决定》修正"
    found = find_citations(deeper, corpus)
    assert all(c.law is None for c in found)
    html, _ = link_citations(f"<p>{deeper}</p>", corpus, base="")
    assert "<a" not in html


def test_ambiguous_short_title_is_reported_not_linked(tmp_path):
    docs = tmp_path / "docs"
    (docs / "laws").mkdir(parents=True)
    for name in ("物业管理条例.md", "浙江省物业管理条例.md"):
        text = (DOCS / "laws" / name).read_text(encoding="utf-8")
        (docs / "laws" / name).write_text(text.replace("---\n", "---\naliases: [物业条例]\n", 1), encoding="utf-8")
    corpus = load_corpus(docs, TODAY)
    citation = one("《物业条例》第十条", corpus)
    assert citation.law is None and citation.code == "citation-ambiguous"
    assert citation.problem == ("简称《物业条例》对应多部法规（《浙江省物业管理条例》、《物业管理条例》），"
                                "无法确定引用的是哪一部。")
    assert citation.severity is Severity.ERROR
    html, _ = link_citations("<p>《物业条例》第十条</p>", corpus, base="")
    assert "<a" not in html


def test_links_never_go_inside_links_code_headings_or_attributes(corpus):
    html = ('<h2>《建筑法》第七条</h2><p><a href="x">《建筑法》第七条</a> <code>《建筑法》第七条</code> '
            '<span title="《建筑法》第七条">正文《建筑法》第七条</span></p><pre>《建筑法》第七条</pre>'
            '<button data-cite="《建筑法》第七条">复制</button>')
    out, found = link_citations(html, corpus, base="")
    assert out.count('class="kb-cite"') == 1
    assert '正文<a class="kb-cite"' in out
    assert '<span title="《建筑法》第七条">' in out and "<h2>《建筑法》第七条</h2>" in out
    assert len(found) == 1


def test_repealed_regulation_links_with_its_badge_and_successor(corpus):
    html, _ = link_citations("<p>《信访条例》第二条</p>", corpus, base="../")
    assert '<a class="kb-cite" href="../laws/信访条例/#article-2"' in html
    assert re.search(r'<span class="kb-status kb-status--repealed kb-cite-status" title="已由《信访工作条例》取代">'
                     r"已废止</span>", html)


def test_named_older_version_links_there_and_alerts(corpus):
    citation = one("《中华人民共和国行政复议法》（2017年修正）第九条", corpus)
    assert citation.law.slug == "行政复议法/2017-09-01" and labels(citation) == ["第九条"]
    assert citation.url("") == "laws/行政复议法/2017-09-01/#article-9"
    assert citation.alert == "《中华人民共和国行政复议法》第九条 在 2024-01-01 修订后变为第二十条"
    inside = one("《中华人民共和国行政复议法（2017年9月1日）》第九条", corpus)
    assert inside.law.slug == "行政复议法/2017-09-01"
    # An article that no longer exists under any number.
    gone = one("《行政复议法》（2017年修正）第四十二条", corpus)
    assert gone.alert == "《中华人民共和国行政复议法》第四十二条 在 2024-01-01 修订后已删除"
    split = one("《行政复议法》（2017年修正）第二十八条", corpus)
    assert split.alert.startswith("《中华人民共和国行政复议法》第二十八条 在 2024-01-01 修订后拆分为第六十四条、")


def test_dated_page_resolves_to_the_text_then_in_force(corpus):
    old = one("《行政复议法》第九条", corpus, on=dt.date(2020, 5, 1))
    assert old.law.slug == "行政复议法/2017-09-01"
    assert "变为第二十条" in old.alert
    new = one("《行政复议法》第九条", corpus, on=dt.date(2024, 5, 1))
    assert new.law.slug == "行政复议法" and new.alert is None
    html, _ = link_citations("<p>《行政复议法》第九条</p>", corpus, base="", on=dt.date(2020, 5, 1))
    assert 'href="laws/行政复议法/2017-09-01/#article-9"' in html
    alert = "《中华人民共和国行政复议法》第九条 在 2024-01-01 修订后变为第二十条"
    assert f'<span class="kb-cite-alert" title="{alert}"' in html


def test_add_citing_records_each_place_once(corpus):
    corpus = Corpus(docs_dir=DOCS, today=TODAY, laws=corpus.laws)  # an empty graph, whatever loaders ran
    law = corpus.laws["建筑法"]
    ref = CitingRef("权力事项", "施工许可", "powers/施工许可.md")
    add_citing(corpus, law, law.article(7), ref)
    add_citing(corpus, law, law.article(7), CitingRef("权力事项", "施工许可（重复）", "powers/施工许可.md"))
    add_citing(corpus, law, None, ref)
    assert corpus.citations.cited_by[("建筑法", 7, 0)] == [ref]
    assert corpus.citations.cited_by[("建筑法", 0, 0)] == [ref]


# --- A real site: links, cited-by lists, 引用关系, kb check ----------------------------------

LAWS = ["建筑法.md", "行政许可法.md", "行政复议法.md", "行政复议法/2017-09-01.md", "信访条例.md", "信访工作条例.md",
        "城乡规划法.md"]
NOTE = """\
---
title: 施工许可办理须知
---

# 施工许可办理须知

建设单位应当依照《中华人民共和国建筑法》第七条、第八条申请施工许可证；
未取得施工许可证擅自施工的，依照《建筑法》第六十四条处理。

信访事项依照《信访条例》第二条办理（旧规定）。

引用错误示例：《中华人民共和国行政许可法》第九十条；《中华人民共和国民法典》第一条。
"""
LECTURE = """\
---
title: 行政复议法讲座
date: 2020-05-01
lecturer: 张三
---

申请期限为六十日（《行政复议法》第九条）。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("citations")
    docs = root / "docs"
    for name in LAWS:
        target = docs / "laws" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DOCS / "laws" / name, target)
    write_files(docs, {"index.md": "# 首页\n", "guide/施工许可.md": NOTE, "talks/复议.md": LECTURE})
    return run_build(make_config(root))


def test_site_links_citations_in_ordinary_pages(site):
    html = read(site, "guide/施工许可/index.html")
    assert '<a class="kb-cite" href="../../laws/建筑法/#article-7" title="《中华人民共和国建筑法》第七条">' in html
    assert '<a class="kb-cite" href="../../laws/建筑法/#article-8"' in html
    assert 'href="../../laws/建筑法/#article-64"' in html
    assert 'href="../../laws/信访条例/#article-2"' in html and "kb-status--repealed" in html
    assert 'title="《中华人民共和国行政许可法》">《中华人民共和国行政许可法》</a>第九十条' in html
    assert 'href="../../laws/行政许可法/#article-90"' not in html


def test_site_dated_lecture_links_the_old_text_with_an_alert(site):
    html = read(site, "talks/复议/index.html")
    assert 'href="../../laws/行政复议法/2017-09-01/#article-9"' in html
    assert "kb-cite-alert" in html and "变为第二十条" in html


def test_site_articles_list_their_citing_pages(site):
    html = read(site, "laws/建筑法/index.html")
    section = re.search(r'<section class="kb-article" id="article-7".*?</section>', html, re.S).group(0)
    assert 'class="kb-cited-by"' in section
    assert '<span class="kb-cited-kind">其他</span> <a href="../../guide/施工许可/">施工许可办理须知</a>' in section
    assert "本法规被引用" in html
    old = read(site, "laws/行政复议法/2017-09-01/index.html")
    nine = re.search(r'<section class="kb-article" id="article-9".*?</section>', old, re.S).group(0)
    assert '<span class="kb-cited-kind">讲堂</span> <a href="../../../talks/复议/">行政复议法讲座</a>' in nine


def test_site_citations_page_ranks_articles(site):
    html = read(site, "laws/citations/index.html")
    assert "引用关系" in html
    # MkDocs percent-encodes the links it resolves from Markdown.
    assert f'<a href="../{quote("建筑法")}/#article-7">《建筑法》第七条</a>' in html


def test_kb_check_lists_unresolved_citations(site):
    from kb_tools.checks import check_docs

    problems = check_docs(site.parent / "docs", STATUS_DATE)
    mine = {(p.path, p.line, p.severity.value, p.code) for p in problems if p.code.startswith("citation")}
    assert ("guide/施工许可.md", 12, "error", "citation-missing-article") in mine
    assert ("guide/施工许可.md", 12, "warning", "citation-unknown-law") in mine
    assert ("talks/复议.md", 7, "warning", "citation-revised") in mine
    missing = next(p for p in problems if p.code == "citation-missing-article" and p.path == "guide/施工许可.md")
    assert missing.message == ("“《中华人民共和国行政许可法》第九十条”："
                               "引用的《中华人民共和国行政许可法》第九十条不存在（该法共八十三条）。")


def test_kb_check_on_docs_reports_no_citation_errors():
    from kb_tools.checks import check_docs

    problems = check_docs(DOCS, STATUS_DATE)
    errors = [p.format() for p in problems if p.is_error and p.code.startswith("citation")]
    assert errors == []


def test_law_named_without_brackets_inside_a_regulation(corpus):
    """行政复议法实施条例 (2007) cites 行政复议法第N条 as numbered then: the oldest text we have."""
    law = corpus.laws["行政复议法实施条例"]
    found = [c for _, _, c in find_in_law(law, corpus) if c.text.startswith("行政复议法第")]
    assert found and all(c.law.slug == "行政复议法/2017-09-01" for c in found)
    # A longer name wins over the short one inside it.
    citation = one("依照浙江省物业管理条例第十条", corpus, current=corpus.laws["建筑法"])
    assert citation.law.slug == "浙江省物业管理条例" and citation.text == "浙江省物业管理条例第十条"


def test_cited_by_block_groups_by_kind_and_folds_when_long():
    from kb_tools.citations.graph import cited_by_block, page_kind

    refs = [CitingRef("讲堂", "讲座", "classroom/2026/x.md"), CitingRef("权力事项", "施工许可", "powers/p1.md"),
            CitingRef("学法计划", "三月", "study/2026/03.md")]
    short = cited_by_block(refs, "../../")
    assert short.startswith('<div class="kb-cited-by">')
    assert short.index("权力事项") < short.index("学法计划") < short.index("讲堂")  # the fixed kind order
    assert '<a href="../../classroom/2026/x/">讲座</a>' in short
    long = cited_by_block([*refs, CitingRef("法规", "《某条例》第一条", "laws/某条例.md", "article-1")], "")
    summary = "被引用 4 处（权力事项 1 · 学法计划 1 · 讲堂 1 · 法规 1）"
    assert long.startswith(f'<details class="kb-cited-by"><summary>{summary}')
    assert '<a href="laws/某条例/#article-1">' in long
    assert [page_kind(p) for p in ("powers/a.md", "study/2026/01.md", "classroom/x.md", "laws/a.md", "notes/a.md")] == [
        "权力事项", "学法计划", "讲堂", "法规", "其他"]
    assert page_kind("talks/a.md", {"lecturer": "张三"}) == "讲堂"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 该法 / 该条例: the law of that kind named last on the page, across paragraphs.
        ("《中华人民共和国建筑法》规定了施工许可制度。该法第八条列明了申领条件。",
         [("建筑法", []), ("建筑法", ["第八条"])]),
        ("学习《建筑法》。\n\n该法第七条、第八条规定了施工许可证。",
         [("建筑法", []), ("建筑法", ["第七条", "第八条"])]),
        # The last 法, not the last title: 条例 in between does not count for 该法.
        ("《建筑法》和《建设工程质量管理条例》都有规定，该法第七条、该条例第十三条。",
         [("建筑法", []), ("建设工程质量管理条例", []), ("建筑法", ["第七条"]),
          ("建设工程质量管理条例", ["第十三条"])]),
        # No title of that kind before it: not a citation at all.
        ("《建设工程质量管理条例》第十三条。该法第七条。", [("建设工程质量管理条例", ["第十三条"])]),
        ("该法第七条规定。", []),
    ],
)
def test_that_law_refers_to_the_last_title_of_its_kind(corpus, text, expected):
    found = find_citations(text, corpus)
    assert [(c.law.slug if c.law else None, labels(c)) for c in found] == expected


def test_that_law_of_a_law_outside_the_knowledge_base_stays_text(corpus):
    found = find_citations("《中华人民共和国民法典》第五百条。该法典第五百零一条。", corpus)
    assert [c.text for c in found] == ["《中华人民共和国民法典》第五百条"]
    # The 民法典 came last: 该法 must not jump back to an earlier 法 of the page.
    found = find_citations("《建筑法》第七条，《中华人民共和国刑法》第一百三十七条。该法第二十条。", corpus)
    assert [c.text for c in found] == ["《建筑法》第七条", "《中华人民共和国刑法》第一百三十七条"]


def test_that_law_article_out_of_range_is_a_warning(corpus):
    found = find_citations("《建筑法》总则。该法第九十九条。", corpus)
    assert found[1].problem.startswith("引用的《中华人民共和国建筑法》第九十九条不存在")
    assert found[1].severity is Severity.WARNING


def test_that_law_is_linked_in_html_across_paragraphs(corpus):
    html, _ = link_citations("<p>《建筑法》是基本法律。</p><p>该法第八条规定了条件。</p>", corpus, base="../")
    assert '<a class="kb-cite" href="../laws/建筑法/#article-8"' in html
    assert ">该法第八条</a>" in html
