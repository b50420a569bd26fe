import textwrap

import pytest

from kb_tools.laws.model import DivisionKind
from kb_tools.laws.parser import parse_body


def parse(text: str):
    return parse_body(textwrap.dedent(text).strip("\n"), "x.md", 10)


def test_chapters_sections_and_articles():
    parsed = parse("""
        ## 第一章　总 则

        第一条 为了规范。

        ## 第二章 许可

        ### 第一节 一般规定

        第二条 应当申请。

        （一）条件一；

        （二）条件二。

        第二条之一 补充条文。
        """)
    assert [d.anchor for d in parsed.divisions] == ["chapter-1", "chapter-2", "chapter-2-section-1"]
    assert parsed.divisions[0].name == "总则"
    assert [a.label for a in parsed.articles] == ["第一条", "第二条", "第二条之一"]
    assert parsed.articles[1].paragraphs == ("应当申请。", "（一）条件一；", "（二）条件二。")
    assert parsed.articles[1].divisions == ("chapter-2", "chapter-2-section-1")
    assert parsed.articles[2].anchor == "article-2-1"
    assert parsed.articles[0].line == 12
    assert not parsed.problems


def test_cross_reference_paragraph_is_not_an_article():
    parsed = parse("""
        第一条 总则。

        第二条 应当遵守。

        第一条规定的情形，不适用本条。
        """)
    assert [a.number for a in parsed.articles] == [1, 2]
    assert parsed.articles[1].paragraphs[-1].startswith("第一条规定")


def test_duplicate_article_is_an_error_with_line():
    parsed = parse("""
        第一条 甲。

        第二条 乙。

        第二条 丙。
        """)
    (problem,) = parsed.problems
    assert problem.code == "duplicate-article"
    assert problem.line == 14
    assert "条号重复：第二条已在第 12 行出现" in problem.message


def test_gap_is_a_warning():
    parsed = parse("第一条 甲。\n\n第三条 丙。")
    (problem,) = parsed.problems
    assert problem.code == "article-gap"
    assert not problem.is_error
    assert "第一条之后是第三条" in problem.message
    assert "第二条" in problem.hint


def test_article_outside_chapter():
    parsed = parse("""
        第一条 甲。

        ## 第二章 许可

        第二条 乙。
        """)
    assert [p.code for p in parsed.problems] == ["article-outside-chapter"]
    assert parsed.problems[0].line == 10
    assert parsed.problems[0].is_error


def test_article_before_first_chapter_is_only_a_warning():
    # 全国人民代表大会议事规则 opens with 第一条 before 第一章: a real drafting style.
    parsed = parse("""
        第一条 根据宪法，制定本规则。

        ## 第一章 会议的举行

        第二条 乙。
        """)
    assert [p.code for p in parsed.problems] == ["article-outside-chapter"]
    assert not parsed.problems[0].is_error


def test_zero_width_space_does_not_hide_an_article():
    parsed = parse("## 第一章 总则\n\n\u200b\n第一条 甲。\n\n第二条 乙。")
    assert [a.number for a in parsed.articles] == [1, 2]


def test_free_headings_of_judicial_interpretations():
    parsed = parse("## 一、受案范围\n\n第一条 甲。\n\n## 二、管辖\n\n第二条 乙。")
    assert [d.kind for d in parsed.divisions] == [DivisionKind.HEADING, DivisionKind.HEADING]
    assert parsed.articles[1].divisions == ("heading-2",)


@pytest.mark.parametrize("sep", [" ", "\u3000", "\t", "  "])
def test_label_separators(sep):
    parsed = parse(f"第一条{sep}甲。")
    assert parsed.articles[0].paragraphs == ("甲。",)
