"""The whoosh index: build, incremental update, atomic swap, parts; and what searching it returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb_tools.corpus import load_corpus
from kb_tools.search import whoosh_index
from kb_tools.search.documents import search_documents
from kb_tools.search.engine import ensure_index, index_corpus, search
from kb_tools.search.whoosh_index import current_generation, open_index, read_manifest
from tests.conftest import make_config, run_build
from tests.search_fixtures import PLANNING_LAW, TODAY, write_docs


def corpus_of(docs: Path, **kwargs):
    return load_corpus(docs, TODAY, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One index over the fixture docs, shared by the read-only tests below."""
    root = tmp_path_factory.mktemp("search")
    docs = write_docs(root)
    ix, stats = ensure_index(docs, root / "index", today=TODAY)
    return ix, stats


def first(ix, query, **kw):
    hits = search(ix, query, **kw)
    assert hits, f"no hits for {query!r}"
    return hits[0]


# --------------------------------------------------------------------------- documents


def test_one_document_per_article_and_per_section(tmp_path):
    docs = write_docs(tmp_path)
    documents = search_documents(corpus_of(docs))
    articles = [d for d in documents if d.kind == "article"]
    sections = [d for d in documents if d.kind == "section"]
    corpus = corpus_of(docs)
    assert len(articles) == sum(len(law.articles) for law in corpus.laws.values())
    eighth = next(d for d in articles if d.title == "中华人民共和国建筑法" and d.article == "第八条")
    assert eighth.url == "laws/建筑法/#article-8"
    assert eighth.short_title == "建筑法" and eighth.level == "法律" and eighth.status == "有效"
    assert eighth.chapter == "第二章 建筑许可 第一节 建筑工程施工许可"
    assert eighth.text.startswith("申请领取施工许可证")
    assert {d.chapter for d in sections if d.page == "manual/index.md"} == {"维护手册", "添加法规", "检索词典"}
    assert any(d.url.startswith("manual/#") for d in sections)


def test_private_pages_stay_out_of_a_public_index(tmp_path):
    docs = write_docs(tmp_path)
    public = search_documents(corpus_of(docs, public_only=True))
    assert not [d for d in public if "内部工作规程" in d.title]
    assert [d for d in search_documents(corpus_of(docs)) if "内部工作规程" in d.title]


# --------------------------------------------------------------------------- build


def test_build_writes_one_generation_and_a_manifest(built):
    ix, stats = built
    assert stats.full and stats.added == stats.total == ix.doc_count
    manifest = ix.manifest
    assert manifest["pages"]["laws/建筑法.md"] and manifest["names"]["建筑法"] == "建筑法"


def test_incremental_update_rewrites_only_the_changed_page(tmp_path):
    docs = write_docs(tmp_path)
    index_dir = tmp_path / "index"
    index_corpus(corpus_of(docs), index_dir)
    changed = PLANNING_LAW.replace("第六十六条 建设单位", "第六十六条 违章搭建的建设单位")
    (docs / "laws/城乡规划法.md").write_text(changed, encoding="utf-8")
    stats = index_corpus(corpus_of(docs), index_dir)
    planning_articles = len(corpus_of(docs).laws["城乡规划法"].articles)
    assert not stats.full
    assert stats.pages_changed == ["laws/城乡规划法.md"]
    assert stats.added == stats.deleted == planning_articles == 3
    ix = open_index(index_dir)
    assert ix.doc_count == stats.total
    assert "违章搭建" in first(ix, "违章搭建 临时建设").snippet.replace("<mark>", "").replace("</mark>", "")


def test_unchanged_docs_rewrite_nothing_and_removed_pages_leave(tmp_path):
    docs = write_docs(tmp_path)
    index_dir = tmp_path / "index"
    full = index_corpus(corpus_of(docs), index_dir)
    again = index_corpus(corpus_of(docs), index_dir)
    assert (again.added, again.deleted, again.pages_changed) == (0, 0, [])
    (docs / "manual/index.md").unlink()
    stats = index_corpus(corpus_of(docs), index_dir)
    assert stats.pages_changed == ["manual/index.md"] and stats.added == 0 and stats.deleted == 3
    assert open_index(index_dir).doc_count == full.total - 3


def test_a_dictionary_change_rebuilds_everything(tmp_path):
    docs = write_docs(tmp_path)
    index_dir = tmp_path / "index"
    index_corpus(corpus_of(docs), index_dir)
    (docs / "search").mkdir()
    (docs / "search" / "userdict.txt").write_text("临时建筑物 70000\n", encoding="utf-8")
    stats = index_corpus(corpus_of(docs), index_dir)
    assert stats.full and stats.added == stats.total


def test_interrupted_build_leaves_the_previous_index_usable(tmp_path, monkeypatch):
    docs = write_docs(tmp_path)
    index_dir = tmp_path / "index"
    index_corpus(corpus_of(docs), index_dir)
    before = current_generation(index_dir)
    (docs / "laws/城乡规划法.md").write_text(PLANNING_LAW.replace("罚款", "罚金"), encoding="utf-8")

    def crash(written: int) -> None:
        if written >= 2:
            raise KeyboardInterrupt("simulated kill mid-build")

    monkeypatch.setattr(whoosh_index, "_after_write", crash)
    with pytest.raises(KeyboardInterrupt):
        index_corpus(corpus_of(docs), index_dir)
    assert current_generation(index_dir) == before
    assert sorted(p.name for p in index_dir.iterdir()) == ["CURRENT", before.name]
    ix = open_index(index_dir)
    assert first(ix, "城乡规划法 第六十四条").article == "第六十四条"
    assert "罚款" in first(ix, "城乡规划法 第六十四条").snippet
    monkeypatch.setattr(whoosh_index, "_after_write", None)
    stats = index_corpus(corpus_of(docs), index_dir)  # the next build catches up
    assert stats.pages_changed == ["laws/城乡规划法.md"]
    assert "罚金" in first(open_index(index_dir), "城乡规划法 第六十四条").snippet


def test_a_crash_of_a_full_build_keeps_no_half_written_generation(tmp_path, monkeypatch):
    docs = write_docs(tmp_path)
    monkeypatch.setattr(whoosh_index, "_after_write", lambda n: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        index_corpus(corpus_of(docs), tmp_path / "index")
    assert current_generation(tmp_path / "index") is None
    assert not [p for p in (tmp_path / "index").iterdir() if p.name.startswith("gen-")]


def test_parts_are_written_by_worker_processes_and_searched_as_one(tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_index, "PARALLEL_MIN_DOCS", 1)
    docs = write_docs(tmp_path)
    index_dir = tmp_path / "index"
    stats = index_corpus(corpus_of(docs), index_dir, procs=2)
    gen = current_generation(index_dir)
    assert read_manifest(gen)["parts"] == 2
    assert sorted(p.name for p in gen.iterdir() if p.is_dir()) == ["part-0", "part-1"]
    ix = open_index(index_dir)
    assert ix.doc_count == stats.total
    ids = {h.url for q in ("施工许可证", "行政复议申请", "业主大会 表决", "维护手册") for h in search(ix, q, limit=50)}
    assert "laws/建筑法/#article-8" in ids and "laws/物业管理条例/#article-12" in ids
    (docs / "laws/城乡规划法.md").write_text(PLANNING_LAW.replace("罚款", "罚金"), encoding="utf-8")
    again = index_corpus(corpus_of(docs), index_dir, procs=2)
    assert again.added == 3 and not again.full
    assert "罚金" in first(open_index(index_dir), "城乡规划法 第六十四条").snippet


def test_mkdocs_build_writes_the_index_unless_disabled(tmp_path):
    write_docs(tmp_path)
    config = make_config(tmp_path, {"index_dir": "idx"})
    run_build(config)
    ix = open_index(tmp_path / "idx")
    assert ix is not None and first(ix, "《建筑法》第八条").article == "第八条"
    manifest = json.loads((current_generation(tmp_path / "idx") / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["public_only"] is False
    assert not [d for d in manifest["pages"] if d.startswith("search/")]

    other = tmp_path / "off"
    write_docs(other)
    run_build(make_config(other, {"index_dir": "idx", "search_index": False}))
    assert not (other / "idx").exists()


def test_public_build_index_has_no_private_page(tmp_path):
    write_docs(tmp_path)
    run_build(make_config(tmp_path, {"index_dir": "idx", "public_build": True}))
    assert not (tmp_path / "idx").exists()  # the intranet index folder is never the public one
    ix = open_index(tmp_path / "idx-public")
    assert "laws/内部工作规程.md" not in ix.manifest["pages"]
    assert not [h for h in search(ix, "内部使用 保密事项 审批流程", limit=50) if "内部" in h.title]


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("query", [
    "《建筑法》第八条", "建筑法 第八条", "建筑法第8条", "建筑法 8条", "中华人民共和国建筑法第八条", "建筑法 第 8 条",
])
def test_a_named_article_comes_first(built, query):
    hit = first(built[0], query)
    assert (hit.title, hit.article, hit.url) == ("中华人民共和国建筑法", "第八条", "laws/建筑法/#article-8")


def test_article_suffix_and_other_regulations_are_distinguished(built):
    ix = built[0]
    assert first(ix, "建筑法第八条之一").article == "第八条之一"
    assert first(ix, "城乡规划法 64条").url == "laws/城乡规划法/#article-64"
    # 第一条 of one named regulation, not of every regulation.
    assert first(ix, "《城乡规划法》第一条").title == "中华人民共和国城乡规划法"


def test_a_bare_article_reference_lists_that_article_of_every_regulation(built):
    hits = search(built[0], "第一条", limit=20)
    assert hits and {h.article for h in hits} == {"第一条"}


def test_questions_find_the_answering_article(built):
    ix = built[0]
    assert first(ix, "施工许可证要什么条件").url == "laws/建筑法/#article-8"
    assert first(ix, "违法建设 罚款").url == "laws/城乡规划法/#article-64"
    assert first(ix, "临时建筑超期不拆怎么办").url == "laws/城乡规划法/#article-66"
    assert first(ix, "物业公司撤场 资料怎么交接").url == "laws/物业管理条例/#article-38"
    assert first(ix, "维修基金交多少").url == "laws/物业管理条例/#article-53"


def test_a_question_word_absent_from_every_statute_does_not_empty_the_results(built):
    ix = built[0]
    plain = search(ix, "行政复议申请")
    asked = search(ix, "行政复议申请怎么办吗到底")
    assert asked and asked[0].url == plain[0].url


def test_current_text_ranks_above_its_older_version(built):
    hits = search(built[0], "行政复议申请 六十日内", limit=10)
    statuses = [h.status for h in hits if h.title == "中华人民共和国行政复议法"]
    assert statuses[0] == "有效" and "已修改" in statuses
    assert hits[0].url == "laws/行政复议法/#article-20"
    assert any(h.url.startswith("laws/行政复议法/2017-09-01/") for h in hits)


def test_filters_exclusion_and_phrases(built):
    ix = built[0]
    assert {h.status for h in search(ix, "行政复议申请", status="有效", limit=50)} == {"有效"}
    assert {h.status for h in search(ix, "行政复议申请 status:有效", limit=50)} == {"有效"}
    assert {h.level for h in search(ix, "许可证 level:法律", limit=50)} == {"法律"}
    assert {h.level for h in search(ix, "业主 效力级别:行政法规", limit=50)} == {"行政法规"}
    with_permit = search(ix, "建设工程规划许可证", limit=50)
    without = search(ix, "建设工程规划许可证 -临时", limit=50)
    assert without and all("临时" not in h.snippet for h in without) and len(without) < len(with_permit) + 1
    phrase = search(ix, '"责令停止建设"', limit=50)
    assert [h.url for h in phrase] == ["laws/城乡规划法/#article-64"]


def test_doc_number_finds_its_regulation(built):
    hit = first(built[0], "国务院令第379号")
    assert hit.title == "物业管理条例"


def test_sections_of_other_pages_are_found_and_rank_below_articles(built):
    hits = search(built[0], "检索词典 住建领域专门用语", limit=5)
    assert hits[0].kind == "section" and hits[0].url.startswith("manual/#")
    assert hits[0].article is None


def test_snippets_are_escaped_and_mark_the_matches(built):
    hit = first(built[0], "施工许可证 条件")
    assert "<mark>施工许可证</mark>" in hit.snippet and "<mark>条件</mark>" in hit.snippet
    assert "<script" not in hit.snippet


def test_hits_have_the_json_shape(built):
    data = first(built[0], "施工许可证").as_dict()
    assert {"title", "article", "url", "status", "score", "snippet"} <= set(data)


def test_law_filter_restricts_to_that_regulation(built):
    hits = search(built[0], "许可证 law:城乡规划法", limit=50)
    assert hits and {h.title for h in hits} == {"中华人民共和国城乡规划法"}
    assert {h.title for h in search(built[0], "罚款 法规:《城乡规划法》", limit=50)} == {"中华人民共和国城乡规划法"}


def _notice_pages(corpus):
    from kb_tools.model import GeneratedPage

    yield GeneratedPage("notices/index.md", "# 通知公告\n\n## 停水通知\n\n城东片区明日停水检修管网。\n")
    yield GeneratedPage("laws/extra-index.md", "# 法规另一索引\n\n城东片区停水。\n")


def test_generated_pages_are_indexed_by_section_but_not_law_indexes(tmp_path):
    from kb_tools.corpus import Feature
    from kb_tools.features import default_features

    notices = Feature("notices", pages=_notice_pages)
    docs = search_documents(corpus_of(write_docs(tmp_path), features=(*default_features(), notices)))
    notices = [d for d in docs if d.page == "notices/index.md"]
    assert [(d.title, d.chapter, d.url) for d in notices] == [("通知公告", "停水通知", "notices/#_2")]
    assert not [d for d in docs if d.page == "laws/extra-index.md"]


def test_a_large_index_has_parts_by_size_not_only_by_processes(tmp_path, monkeypatch):
    """Each writer holds its part's postings until it commits: parts are bounded in documents so
    that a process writing them one after another (the build's index process) stays small."""
    monkeypatch.setattr(whoosh_index, "PARALLEL_MIN_DOCS", 1)
    monkeypatch.setattr(whoosh_index, "PART_DOCS", 4)
    docs = write_docs(tmp_path)
    index_dir = tmp_path / "index"
    stats = index_corpus(corpus_of(docs), index_dir, procs=1)
    parts = read_manifest(current_generation(index_dir))["parts"]
    assert parts == min(whoosh_index.MAX_PARTS, -(-stats.total // 4)) and parts > 2
    assert first(open_index(index_dir), "《建筑法》第八条").article == "第八条"
