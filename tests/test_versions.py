"""Versions: article alignment of two texts, character diff, 新旧对照 and point-in-time pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from kb_tools.corpus import Corpus, load_corpus
from kb_tools.laws.model import Law
from kb_tools.laws.versions import ADDED, CHANGED, DELETED, SPLIT, UNCHANGED, align, alignment, diff_html, summary
from tests.conftest import REPO, STATUS_DATE, make_config, read, run_build, write_files

DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(DOCS, dt.date.fromisoformat(STATUS_DATE))


@pytest.fixture(scope="module")
def fuyi(corpus) -> tuple[Law, Law]:
    return corpus.laws["行政复议法/2017-09-01"], corpus.laws["行政复议法"]


def test_every_article_of_both_texts_appears_once(fuyi):
    old, new = fuyi
    changes = align(old, new)
    olds = [c.old.key for c in changes if c.old]
    news = [c.new.key for c in changes if c.new] + [a.key for c in changes for a in c.also]
    assert sorted(olds) == sorted(a.key for a in old.articles)  # 43
    assert sorted(news) == sorted(a.key for a in new.articles)  # 90
    # Rows follow the newer text.
    order = [c.new.key for c in changes if c.new]
    assert order == sorted(order)


def test_xingzheng_fuyi_counts_are_plausible(fuyi):
    """2017 → 2023: a rewrite from 43 to 90 articles; most old articles survive renumbered."""
    old, new = fuyi
    counts = summary(align(old, new))
    assert counts[UNCHANGED] >= 1
    assert 25 <= counts[CHANGED] + counts[SPLIT] <= 40
    assert 40 <= counts[ADDED] <= 60
    assert 5 <= counts[DELETED] <= 15
    assert counts["renumbered"] >= 25
    paired = counts[UNCHANGED] + counts[CHANGED] + counts[SPLIT]
    assert paired + counts[DELETED] == len(old.articles)


# Pairs checked by reading both texts (docs/laws/行政复议法/2017-09-01.md and docs/laws/行政复议法.md).
@pytest.mark.parametrize(
    ("old_number", "new_number", "kind", "about"),
    [
        (9, 20, CHANGED, "六十日内提出行政复议申请"),  # 申请期限; 具体行政行为 → 行政行为, 知道或者应当知道
        (5, 10, CHANGED, "提起行政诉讼"),  # 不服复议决定可以起诉; only the 行政诉讼法 title changed
        (10, 14, CHANGED, "是申请人"),  # 申请人, its 款 reordered
        (19, 34, CHANGED, "十五日内"),  # 复议前置 then 诉讼
        (24, 46, CHANGED, "不得自行向申请人"),  # 被申请人不得自行收集证据, extended
        (35, 81, CHANGED, "徇私舞弊"),  # 工作人员渎职: 行政处分 → 处分
        (41, 89, UNCHANGED, "外国人、无国籍人"),
        (43, 90, CHANGED, "起施行"),  # 施行日期
    ],
)
def test_hand_checked_pairs(fuyi, old_number, new_number, kind, about):
    old, new = fuyi
    change = alignment(old, new)[(old_number, 0)]
    assert change.new is not None and change.new.number == new_number
    assert change.kind == kind
    assert about in change.old.body and about in change.new.body
    assert change.renumbered


def test_decisions_article_is_split(fuyi):
    """2017 第二十八条 (all kinds of decisions) became several articles (撤销, 变更, 维持 …)."""
    old, new = fuyi
    change = alignment(old, new)[(28, 0)]
    assert change.kind == SPLIT
    parts = {change.new.number, *(a.number for a in change.also)}
    assert 64 in parts and len(parts) >= 3


def test_added_and_deleted(fuyi):
    old, new = fuyi
    changes = align(old, new)
    added = {c.new.number for c in changes if c.kind == ADDED}
    deleted = {c.old.number for c in changes if c.kind == DELETED}
    assert 8 in added  # 信息化建设: new in 2023
    assert 42 in deleted  # 本法施行前公布的法律…以本法为准: dropped


def test_renumbering_without_text_changes(corpus):
    law = corpus.laws["建筑法"]
    kept = [a for a in law.articles if a.number != 3]
    renumbered = tuple(dataclasses.replace(a, number=i + 1, suffix=0) for i, a in enumerate(kept))
    older = dataclasses.replace(law, slug="建筑法/old", version_of="建筑法", articles=law.articles, versions=[])
    newer = dataclasses.replace(law, articles=renumbered, versions=[])
    changes = align(older, newer)
    counts = summary(changes)
    assert counts[DELETED] == 1 and counts[ADDED] == 0 and counts[CHANGED] == 0
    assert counts[UNCHANGED] == len(kept)
    assert counts["renumbered"] == len([a for a in kept if a.number > 3])
    assert alignment(older, newer)[(4, 0)].new.number == 3


def test_identical_texts_align_one_to_one(corpus):
    law = corpus.laws["行政许可法"]
    copy = dataclasses.replace(law, slug="行政许可法/copy", versions=[])
    counts = summary(align(copy, law))
    assert counts[UNCHANGED] == len(law.articles) and counts["renumbered"] == 0


@pytest.mark.parametrize(
    ("old", "new", "left", "right"),
    [
        ("应当在六十日内", "应当在九十日内", "应当在<del>六</del>十日内", "应当在<ins>九</ins>十日内"),
        ("具体行政行为", "行政行为", "<del>具体</del>行政行为", "行政行为"),
        ("行政行为", "行政行为或者不作为", "行政行为", "行政行为<ins>或者不作为</ins>"),
        ("a<b", "a<c", "a&lt;<del>b</del>", "a&lt;<ins>c</ins>"),
        ("同一", "同一", "同一", "同一"),
    ],
)
def test_character_diff(old, new, left, right):
    assert diff_html(old, new) == (left, right)


# --- Built pages --------------------------------------------------------------------------

LECTURE = """\
---
title: 复议申请期限
date: 2020-05-01
---

申请期限为六十日（《中华人民共和国行政复议法》第九条）。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("versions")
    docs = root / "docs"
    for name in ("行政复议法.md", "行政复议法/2017-09-01.md", "建筑法.md"):
        target = docs / "laws" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DOCS / "laws" / name, target)
    write_files(docs, {"index.md": "# 首页\n", "notes/期限.md": LECTURE})
    return run_build(make_config(root), strict=False)


def test_compare_page_side_by_side(site):
    html = read(site, "laws/行政复议法/compare-2017-09-01/index.html")
    assert "新旧对照：中华人民共和国行政复议法" in html
    assert "<th>2017-09-01 文本</th><th>2023-09-01 文本</th>" in html
    rows = re.findall(r'<tr class="kb-compare-row kb-compare--(\w+)" id="change-\d+">(.*?)</tr>', html, re.S)
    kinds = [kind for kind, _ in rows]
    assert kinds.count("added") >= 40 and "deleted" in kinds and "unchanged" in kinds
    # The outline links every row whose text changed, and none that did not.
    outline = re.search(r'<details class="kb-compare-outline".*?</details>', html, re.S).group(0)
    assert len(re.findall(r'<a href="#change-\d+">', outline)) == len(kinds) - kinds.count("unchanged")
    nine = next(body for _, body in rows if 'href="../../../laws/行政复议法/2017-09-01/#article-9"' in body)
    assert '<span class="kb-compare-move">第九条 → 第二十条</span>' in nine
    assert "<del>" in nine and "<ins>" in nine
    assert 'href="../../../laws/行政复议法/#article-20"' in nine


def test_both_versions_link_to_the_comparison(site):
    for page in ("laws/行政复议法/index.html", "laws/行政复议法/2017-09-01/index.html"):
        html = read(site, page)
        assert "新旧对照：" in html and "compare-2017-09-01/" in html


def test_current_text_has_a_dated_address(site):
    html = read(site, "laws/行政复议法/2023-09-01/index.html")
    assert 'id="article-90"' in html and "按日期引用的地址" in html
    assert '<a class="kb-cite" href="#article-11" title="《中华人民共和国行政复议法》第十一条">本法第十一条</a>' in html
    assert read(site, "laws/建筑法/2019-04-23/index.html").count('class="kb-article"') == 85


def test_dated_page_gets_a_revision_alert(site):
    html = read(site, "notes/期限/index.html")
    assert 'href="../../laws/行政复议法/2017-09-01/#article-9"' in html
    assert 'title="《中华人民共和国行政复议法》第九条 在 2024-01-01 修订后变为第二十条"' in html
