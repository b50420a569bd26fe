"""The one analyzer: normalisation, segmentation with the 住建 dictionary, query-side handling."""

from __future__ import annotations

import pytest

from kb_tools.search.analyzer import (
    DEFAULT_FREQ,
    analyze,
    analyzer_for,
    default_analyzer,
    dictionary_entries,
    normalise,
    query_terms,
    read_synonyms,
    read_userdict,
    tokenize,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("ＡＢＣ１２３", "abc123"),
    ("《建筑法》第８条", "《建筑法》第8条"),
    ("施工\u3000许可", "施工 许可"),
    ("Level:法律", "level:法律"),
    ("（一）", "(一)"),
    ("", ""),
])
def test_normalise_width_and_case(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("text", ["ＡＢＣ　施工许可证", "İstanbul 建筑", "ß法律", "\x00\x1f控制"])
def test_normalise_keeps_length_so_offsets_stay_valid(text):
    assert len(normalise(text)) == len(text)


def test_tokens_carry_token_positions_and_character_offsets():
    text = "申请领取施工许可证，应当具备下列条件："
    tokens = tokenize(text)
    assert [t.pos for t in tokens] == list(range(len(tokens)))
    for token in tokens:
        assert normalise(text[token.startchar:token.endchar]) == token.text
    assert "施工许可证" in [t.text for t in tokens]
    assert "，" not in [t.text for t in tokens]


@pytest.mark.parametrize("word", ["建设工程规划许可证", "住宅专项维修资金", "双随机", "商品房预售", "危大工程"])
def test_user_dictionary_keeps_domain_terms_whole(word):
    assert word in analyze(f"关于{word}的规定")


def test_search_mode_also_gives_the_pieces_of_long_words():
    terms = analyze("建设工程规划许可证")
    assert {"建设工程规划许可证", "许可证", "规划"} <= set(terms)


def test_stopwords_and_punctuation_are_dropped():
    terms = analyze("建设单位的、施工单位和监理单位。")
    assert "的" not in terms and "和" not in terms and "、" not in terms and "。" not in terms
    assert {"建设单位", "施工单位", "监理单位"} <= set(terms)


def test_whole_number_with_unit_gives_unit_and_arabic_value():
    assert analyze("二十日内") == ["二十", "十日", "二十日", "日", "20", "内"]
    assert analyze("15日内") == ["15", "日", "内"]
    # 十日 inside 二十日 is a piece, not a number of its own: no "10".
    assert "10" not in analyze("二十日内")


@pytest.mark.parametrize(("query", "absent"), [
    ("施工许可证要什么条件", {"什么", "要"}),
    ("违法建设怎么办", {"怎么办"}),
    ("能不能提取公积金", {"能不能"}),
    ("哪些情况可以提取公积金", {"哪些"}),
])
def test_question_words_are_dropped_from_queries(query, absent):
    terms = query_terms(query)
    assert not absent & set(terms)
    assert terms


def test_words_statutes_use_are_kept():
    # 可以 is how a statute grants a permission (可以申请行政复议): it is no question word.
    assert "可以" in query_terms("哪些情况可以提取公积金")


def test_a_query_of_question_words_only_is_never_emptied():
    assert query_terms("怎么办") == ["怎么", "怎么办"]


def test_synonyms_map_everyday_words_to_statute_words():
    assert "房地产开发企业" in query_terms("开发商")
    assert "物业服务企业" in query_terms("物业公司")
    assert "房地产经纪机构" in query_terms("中介")
    assert "专项维修资金" in query_terms("维修基金")  # the words of 物业管理条例
    assert "建设单位" in query_terms("甲方")
    assert "开发商" in query_terms("开发商")  # the typed word stays


def test_synonyms_apply_to_whole_words_only():
    # 施工方 is an everyday word for 施工单位, but inside 专项施工方案 it is not a word at all.
    assert "施工单位" not in query_terms("专项施工方案")


def test_query_terms_know_which_word_they_stand_for():
    by_text = {t.text: t for t in default_analyzer().query_tokens("施工许可证 开发商")}
    assert by_text["许可"].source == "施工许可证"
    assert by_text["房地产开发企业"].source == "开发商"
    assert by_text["房地产开发企业"].weight < 1.0


def test_site_lists_below_docs_extend_the_shipped_ones(tmp_path):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "userdict.txt").write_text("# 本站词汇\n城中村改造专班 80000\n", encoding="utf-8")
    (tmp_path / "search" / "synonyms.txt").write_text("旧改 城镇老旧小区改造\n", encoding="utf-8")
    site = analyzer_for(tmp_path)
    assert "城中村改造专班" in site.analyze("成立城中村改造专班")
    assert "城中村改造专班" not in default_analyzer().analyze("成立城中村改造专班")
    assert ("城中村改造专班", 80000) in site.dictionary_entries()
    assert "城镇老旧小区改造" in site.query_terms("旧改")


def test_regulation_names_become_words():
    site = analyzer_for(None, ["中华人民共和国城乡规划法", "城乡规划法"])
    assert "城乡规划法" in site.analyze("依照城乡规划法处理")
    assert ("城乡规划法", DEFAULT_FREQ) in site.dictionary_entries()


def test_dictionary_entries_list_every_added_word_once_with_a_frequency():
    entries = dictionary_entries()
    words = [w for w, _ in entries]
    assert len(words) == len(set(words))
    assert ("建设工程规划许可证", 60000) in entries
    assert all(isinstance(f, int) and f > 0 for _, f in entries)
    # Synonym words are in the dictionary too, or they could not be recognised as typed.
    assert "开发商" in words and "房地产开发企业" in words


def test_list_readers_skip_comments_and_tolerate_missing_frequencies(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("\ufeff# 注释\n\n住建词 \n另一个词 abc\n", encoding="utf-8")
    assert read_userdict(path) == [("住建词", DEFAULT_FREQ), ("另一个词", DEFAULT_FREQ)]
    syn = tmp_path / "s.txt"
    syn.write_text("开发商 房地产开发企业\n开发商 建设单位\n孤词\n", encoding="utf-8")
    assert read_synonyms(syn) == {"开发商": ("房地产开发企业", "建设单位")}
    assert read_userdict(tmp_path / "missing.txt") == []


def test_analyze_is_exactly_the_texts_of_tokenize_on_real_statutes():
    from tests.conftest import REPO

    analyzer = default_analyzer()
    for path in sorted((REPO / "docs" / "laws").glob("*.md"))[:12]:
        text = path.read_text(encoding="utf-8")
        assert analyzer.analyze(text) == [t.text for t in analyzer.tokenize(text)], path.name
