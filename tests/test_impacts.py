"""Impacts updated after an edit equal impacts computed afresh, and so do the static index's files.

`mkdocs serve` keeps an ImpactMemo and a ShardStore across rebuilds; after an edit only the terms
of the edited documents are scored again and only their shards encoded again. These tests hold
that shortcut to the full computation, number for number and byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_tools.search.analyzer import Analyzer, default_analyzer
from kb_tools.search.documents import SearchDoc, text_documents
from kb_tools.search.impacts import compute, update
from kb_tools.search.shard_store import ShardStore
from kb_tools.search.static_index import INDEX_DIR, order_documents, write_static_index
from kb_tools.search.terms import TermCounts

LAWS = Path(__file__).parent.parent / "docs" / "laws"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return default_analyzer()


@pytest.fixture(scope="module")
def pages() -> list[str]:
    """Several hundred one-paragraph pages of real statute text (averages stable under small edits)."""
    paragraphs = [p for name in ("建筑法", "城乡规划法", "行政处罚法", "行政许可法", "行政强制法")
                  for p in (LAWS / f"{name}.md").read_text(encoding="utf-8").split("\n\n")
                  if p.startswith("第") and len(p) > 40]
    return [f"# 第{i}页\n\n{p}\n" for i, p in enumerate(paragraphs)]


def documents(markdowns: list[str]) -> list[SearchDoc]:
    return order_documents(d for i, m in enumerate(markdowns) for d in text_documents(m, f"p{i}.md"))


def reword(pages: list[str], index: int) -> list[str]:
    """One page reworded with as many words as before: the document count and lengths stay."""
    edited = list(pages)
    edited[index] = edited[index].replace("应当", "必须", 1)
    assert edited[index] != pages[index]
    return edited


def assert_same_scores(a, b) -> None:  # type: ignore[no-untyped-def]  # two Scores
    assert a.impact.keys() == b.impact.keys()
    for term, postings in a.impact.items():
        assert list(postings.ids) == list(b.impact[term].ids), term
        assert list(postings.values) == list(b.impact[term].values), term
    assert a.df == b.df


def test_update_after_an_edit_equals_a_fresh_computation(analyzer: Analyzer, pages: list[str]) -> None:
    terms = TermCounts().use(analyzer)
    _scores, memo = compute(documents(pages), terms, keep=True)
    assert memo is not None
    edited = documents(reword(pages, 7))
    updated = update(memo, edited, terms)
    assert updated is not None  # the shortcut was taken …
    assert memo.changed and len(memo.changed) < 60  # … for the edited page's terms only
    fresh, _ = compute(edited, TermCounts().use(analyzer), keep=False)
    assert_same_scores(updated, fresh)
    # A word that left the corpus has no postings any more, one that came in has them.
    assert "必须" in updated.impact


def test_update_gives_up_when_documents_are_added(analyzer: Analyzer, pages: list[str]) -> None:
    terms = TermCounts().use(analyzer)
    _scores, memo = compute(documents(pages), terms, keep=True)
    assert memo is not None
    assert update(memo, documents([*pages, "# 新页\n\n新增的一页。\n"]), terms) is None


def index_files(site: Path) -> dict[str, bytes]:
    root = site / INDEX_DIR
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_static_index_after_edits_equals_a_fresh_write(tmp_path: Path, analyzer: Analyzer,
                                                       pages: list[str]) -> None:
    store, terms = ShardStore(), TermCounts().use(analyzer)
    served = tmp_path / "served"
    try:
        write_static_index(documents(pages), analyzer, served, terms=terms, store=store)
        steps = [reword(pages, 7), reword(reword(pages, 7), 30), [*pages, "# 新页\n\n新增的一页。\n"], pages]
        for step in steps:
            write_static_index(documents(step), analyzer, served, terms=terms, store=store)
            fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
            write_static_index(documents(step), analyzer, fresh)
            assert index_files(served) == index_files(fresh)
            assert store.memo is not None
        # The last step undid an added page (the document count moved): computed in full again.
        assert store.memo[0].changed is None
    finally:
        store.close()


def test_a_reworded_page_rewrites_few_index_files(tmp_path: Path, analyzer: Analyzer, pages: list[str]) -> None:
    store, terms = ShardStore(), TermCounts().use(analyzer)
    try:
        write_static_index(documents(pages), analyzer, tmp_path / "site", terms=terms, store=store)
        write_static_index(documents(reword(pages, 7)), analyzer, tmp_path / "site", terms=terms, store=store)
        assert store.memo is not None and store.memo[0].changed
        assert 0 < store.written < store.reused / 10
    finally:
        store.close()
