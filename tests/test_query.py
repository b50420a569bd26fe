"""Query parsing: words, phrases, exclusions, filters, regulation names, article references, 文号."""

from __future__ import annotations

import pytest

from kb_tools.search.analyzer import analyzer_for
from kb_tools.search.query import clean, compact_docno, name_table, parse_query

NAMES = name_table([
    (["中华人民共和国建筑法", "建筑法"], "建筑法"),
    (["中华人民共和国招标投标法实施条例", "招标投标法实施条例"], "招标投标法实施条例"),
    (["中华人民共和国招标投标法", "招标投标法"], "招标投标法"),
    (["物业管理条例"], "物业管理条例"),
    (["浙江省物业管理条例", "物业管理条例"], "浙江省物业管理条例"),
    (["甲条例", "简称"], "甲条例"),
    (["乙条例", "简称"], "乙条例"),
])
ANALYZER = analyzer_for(None, ["中华人民共和国建筑法", "建筑法"])


def parse(text):
    return parse_query(text, ANALYZER, NAMES)


@pytest.mark.parametrize(("text", "article"), [
    ("建筑法第八条", (8, 0)), ("建筑法 第8条", (8, 0)), ("建筑法8条", (8, 0)), ("建筑法 第 8 条", (8, 0)),
    ("建筑法第八十条", (80, 0)), ("建筑法第一百零三条", (103, 0)), ("建筑法第十条之一", (10, 1)),
    ("建筑法第10条之1", (10, 1)), ("《建筑法》第八条", (8, 0)), ("建筑法第８条", (8, 0)),
    ("建筑法八十条", (80, 0)), ("建筑法 一百零三条", (103, 0)), ("建筑法十条之一", (10, 1)),
])
def test_article_references_in_any_numeral_form(text, article):
    parsed = parse(text)
    assert parsed.article == article
    assert parsed.laws == ["建筑法"]


@pytest.mark.parametrize("text", ["两条路 施工", "三十条例", "八条 规定"])
def test_a_count_of_one_digit_or_a_word_with_tiao_is_no_article(text):
    assert parse(text).article is None


@pytest.mark.parametrize(("text", "laws"), [
    ("招标法第三条", ["招标投标法"]),  # the shortest name that holds the characters and ends in 法
    ("物业条例 第十条", ["物业管理条例", "浙江省物业管理条例"]),  # and the province's of the same name
    ("物业条例 维修资金", []),  # only with an article reference
    ("管理条例第十条", []),  # a generic word names nothing
])
def test_a_shortened_name_with_an_article_reference(text, laws):
    assert parse(text).laws == laws


def test_longest_regulation_name_wins_and_is_taken_out_of_the_words():
    parsed = parse("招标投标法实施条例第二条")
    assert parsed.laws == ["招标投标法实施条例"]
    assert not parsed.terms


def test_a_full_title_names_its_regulation_even_when_another_uses_it_as_a_short_name():
    assert NAMES["物业管理条例"] == "物业管理条例"
    assert NAMES["浙江省物业管理条例"] == "浙江省物业管理条例"
    assert "简称" not in NAMES  # claimed by two regulations: names neither


def test_phrases_exclusions_and_filters():
    parsed = parse('"责令停止建设" -临时 level:法律 时效性：有效 罚款')
    assert parsed.phrases == ["责令停止建设"]
    assert parsed.excluded == ["临时"]
    assert parsed.filters == {"level": ["法律"], "status": ["有效"]}
    assert "罚款" in [t.text for t in parsed.terms]
    assert "临时" not in [t.text for t in parsed.terms]


def test_law_filter_names_a_regulation():
    parsed = parse("罚款 law:《建筑法》")
    assert parsed.laws == ["建筑法"] and parsed.filters == {"current": ["建筑法"]}


@pytest.mark.parametrize(("text", "docno"), [
    ("国务院令第379号", "国务院令第379号"),
    ("浙政发〔2020〕1号", "浙政发〔2020〕1号"),
    ("浙政发 [2020] 1号", "浙政发(2020)1号"),
])
def test_doc_numbers_are_recognised(text, docno):
    assert parse(text).doc_number == compact_docno(docno)


@pytest.mark.parametrize("text", ['"', '""', "-", "--", ":", "level:", "《》", "第条", "\x00", "", " " * 50])
def test_odd_input_parses_to_something_harmless(text):
    parsed = parse(text)
    assert parsed.article is None or parsed.article[0] > 0


@pytest.mark.parametrize(("text", "docno"), [
    ("379号令 维修资金", "令第379号"), ("第379号令", "令第379号"), ("国务院第379号令", "国务院令第379号"),
    ("国令第379号", "国务院令第379号"), ("国务院令379号", "国务院令第379号"),
])
def test_spoken_forms_of_a_doc_number(text, docno):
    assert parse(text).doc_number == docno


def test_clean_caps_length_and_drops_control_characters():
    assert clean("施工\x00许可\x1b证") == "施工许可证"
    assert len(clean("施" * 100_000)) == 500


def test_name_table_order_does_not_depend_on_hashing():
    # The order decides ties in parsing and is shipped to the browser: the same in every build.
    table = name_table([(["中华人民共和国人民防空法", "人民防空法"], "a"), (["中华人民共和国建筑法"], "b")])
    assert list(table) == ["中华人民共和国人民防空法", "人民防空法", "中华人民共和国建筑法", "建筑法"]
