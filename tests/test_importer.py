"""The importer on every input form: LawRefBook Markdown, Word plain text (UTF-8, GBK, CRLF,
indentation, wrapped lines, 目录) and .docx. Article counts are exact in every test."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kb_tools.cli import main
from kb_tools.importing.law import import_lines, law_text_from_lines, split_history
from kb_tools.importing.sources import decode_text, read_lines
from kb_tools.laws.parser import parse_body
from kb_tools.problems import KbError
from tests.conftest import CORPUS, make_config, read, run_build, write_files

FIXTURES = Path(__file__).parent / "fixtures"
WORD_TEXT = (FIXTURES / "嘉禾市建筑垃圾管理办法.txt").read_text(encoding="utf-8")
WORD_TITLE = "嘉禾市建筑垃圾管理办法"
WORD_CHAPTERS = ["第一章 总则", "第二章 处置管理", "第三章 监督检查", "第四章 法律责任", "第五章 附则"]
# Articles of each chapter in the fixture.
WORD_LAYOUT = {"chapter-1": [1, 2, 3, 4], "chapter-2": [5, 6, 7, 8, 9, 10], "chapter-3": [11, 12, 13, 14, 15],
               "chapter-4": [16, 17, 18, 19], "chapter-5": [20]}


def page(path: Path) -> tuple[dict, list]:
    """Front matter and parsed articles of a written page."""
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    parsed = parse_body(body, path.name, text[: text.index(body)].count("\n") + 1)
    return yaml.safe_load(head), parsed


def import_file(tmp_path: Path, name: str, data: bytes | str, **options: object) -> tuple[dict, object, object]:
    source = tmp_path / "in" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        source.write_text(data, encoding="utf-8")
    else:
        source.write_bytes(data)
    lines, _ = read_lines(source)
    result = import_lines(lines, tmp_path / "docs", **options)
    meta, parsed = page(result.path)
    return meta, parsed, result


def assert_word_regulation(meta: dict, parsed: object, result: object) -> None:
    """What the 嘉禾市 fixture must give, whatever its encoding or line endings."""
    assert result.articles == 20
    assert result.chapters == 5
    assert [a.number for a in parsed.articles] == list(range(1, 21))
    assert [d.heading for d in parsed.divisions] == WORD_CHAPTERS
    assert {anchor: [a.number for a in parsed.articles if a.divisions[-1] == anchor]
            for anchor in WORD_LAYOUT} == WORD_LAYOUT
    assert parsed.problems == []
    assert meta["title"] == WORD_TITLE
    assert meta["level"] == "地方政府规章"
    assert meta["authority"] == "嘉禾市人民政府"
    assert meta["doc_number"] == "嘉禾市人民政府令第125号"
    assert meta["promulgated"] == dt.date(2023, 5, 6)  # the order's 公布 date, not the meeting's
    assert meta["effective"] == dt.date(2023, 7, 1)
    assert meta["history"] == [
        "2023年4月18日 嘉禾市人民政府第32次常务会议审议通过",
        "2023年5月6日 嘉禾市人民政府令第125号公布",
        "2023年7月1日 起施行",
    ]
    articles = {a.number: a for a in parsed.articles}
    # Wrapped over two lines, the tail starting with a cross-reference 第九条规定的…
    assert articles[12].paragraphs == (
        "住房和城乡建设主管部门应当加强对建筑垃圾处置活动的监督检查，发现违反本办法第九条规定的，应当及时制止并依法处理。",
    )
    # Wrapped over three lines.
    assert articles[16].paragraphs == (
        "违反本办法第五条规定，未经核准擅自处置建筑垃圾的，由住房和城乡建设主管部门责令限期改正，给予警告，"
        "对单位处十万元以下的罚款，对个人处一万元以下的罚款。",
    )
    # A wrapped line that begins 第十六条处理 (the next article's number) stays in 第十五条.
    assert articles[15].paragraphs[0].endswith("查证属实的，依照本办法第十六条处理。")
    # Items stay separate paragraphs; an item wrapped over two lines is joined.
    assert articles[6].paragraphs == (
        "申请建筑垃圾处置核准，应当提交下列材料：",
        "（一）建筑垃圾处置核准申请表；",
        "（二）建筑垃圾处置方案，包括建筑垃圾种类、数量、运输路线、消纳场所等内容；",
        "（三）与具有相应资质的运输单位签订的运输合同。",
    )
    assert len(articles[4].paragraphs) == 3
    assert articles[4].paragraphs[2].endswith("做好建筑垃圾管理的相关工作。")
    assert any("目录" in note for note in result.notes)


def test_word_text_utf8(tmp_path):
    assert_word_regulation(*import_file(tmp_path, "办法.txt", WORD_TEXT))


def test_word_text_gbk_crlf(tmp_path):
    """Word's "save as text" on a Chinese Windows: GBK and CRLF."""
    data = WORD_TEXT.replace("\n", "\r\n").encode("gbk")
    assert_word_regulation(*import_file(tmp_path, "办法.txt", data))


def test_word_text_gb18030_with_bom_free_rare_characters(tmp_path):
    # 䶮 is outside GBK: only GB18030 encodes it.
    text = WORD_TEXT.replace("第二十条　本办法自2023年7月1日起施行。", "第二十条　本办法自2023年7月1日起施行。䶮")
    _meta, parsed, result = import_file(tmp_path, "办法.txt", text.encode("gb18030"))
    assert result.articles == 20
    assert parsed.articles[-1].paragraphs[0].endswith("起施行。䶮")
    assert decode_text(text.encode("gb18030"), "x")[1] == "gb18030"


def test_word_text_utf8_bom_and_old_mac_line_endings(tmp_path):
    data = ("\ufeff" + WORD_TEXT.replace("\n", "\r")).encode("utf-8")
    assert_word_regulation(*import_file(tmp_path, "办法.txt", data))


def test_word_text_with_stray_blank_lines_and_ascii_indentation(tmp_path):
    text = WORD_TEXT.replace("\n　　", "\n\n\n    \t").replace("。\n", "。\n\n")
    assert_word_regulation(*import_file(tmp_path, "办法.txt", text))


def test_toc_with_page_numbers_sections_and_repeated_title(tmp_path):
    text = textwrap.dedent("""\
        某某县房屋安全管理办法

        目　录
        第一章　总则…………………………1
        第二章　安全管理……………………2
        　第一节　使用安全…………………2
        　第二节　鉴定………………………3
        附　　则 ............................ 4

        某某县房屋安全管理办法
        第一章　总则
        第一条　为了加强房屋安全管理，制定本办法。
        第二章　安全管理
        第一节　使用安全
        第二条　房屋所有人是房屋安全责任人。
        第三条　禁止擅自变动房屋主体和承重结构。
        第二节　鉴定
        第四条　房屋出现危险情形的，应当进行安全鉴定。
        第五条　本办法自发布之日起施行。
        """)
    _meta, parsed, result = import_file(tmp_path, "县.txt", text)
    assert result.articles == 5
    assert result.chapters == 2
    assert [d.anchor for d in parsed.divisions] == ["chapter-1", "chapter-2", "chapter-2-section-1",
                                                    "chapter-2-section-2"]
    assert [a.divisions[-1] for a in parsed.articles] == ["chapter-1", "chapter-2-section-1", "chapter-2-section-1",
                                                          "chapter-2-section-2", "chapter-2-section-2"]
    assert parsed.preamble == []
    assert "已跳过原文中的目录（6 行）。" in result.notes


def test_headings_listed_twice_without_toc_line(tmp_path):
    text = "某某规定\n第一章 总则\n第二章 附则\n第一章 总则\n第一条 甲。\n第二章 附则\n第二条 乙。\n"
    _, _parsed, result = import_file(tmp_path, "x.txt", text)
    assert (result.articles, result.chapters) == (2, 2)
    assert "原文开头的 2 个章节标题是目录（正文中重复出现），已跳过。" in result.notes


def test_empty_toc_is_dropped_without_a_note(tmp_path):
    text = "某某规定\n目录\n第一条 本规定所称目录，是指……。\n第二条 乙。\n"
    _, parsed, result = import_file(tmp_path, "x.txt", text)
    assert result.articles == 2
    assert parsed.preamble == []
    assert not any("目录" in note for note in result.notes)


def test_toc_that_never_ends_is_kept_as_text(tmp_path):
    text = "某某规定\n目录\n一、总体要求\n二、工作措施\n"
    _, parsed, result = import_file(tmp_path, "x.txt", text)
    assert result.articles == 0
    assert parsed.preamble == ["一、总体要求", "二、工作措施"]
    assert "原文有“目录”二字，但其后没有重复的章节标题或条文，已按正文处理。" in result.notes


def test_arabic_article_numbers_and_no_space_after_label(tmp_path):
    text = ("某某细则\n第1条本细则依据某某条例制定。\n第2条　本细则所称单位，是指……。\n"
            "第2条之1 新增的条文。\n第3条 乙。\n")
    _, parsed, result = import_file(tmp_path, "x.txt", text)
    assert [a.label for a in parsed.articles] == ["第一条", "第二条", "第二条之一", "第三条"]
    assert result.articles == 4


def test_notes_say_what_could_not_be_determined(tmp_path):
    text = "关于某某事项的规定\n\n第一条　为了规范某某事项，制定本规定。\n第二条　本规定由某某负责解释。\n"
    meta, _parsed, result = import_file(tmp_path, "x.txt", text)
    assert result.articles == 2
    assert result.notes == [
        "无法判断效力级别，已暂填“其他”，请用 --level 指定或手工修改 level。",
        "无法判断制定机关（authority），请手工填写。",
        "原文没有公布日期，请手工填写 promulgated。",
        "原文没有写明施行日期，请核对后填写 effective。",
    ]
    assert meta["level"] == "其他"
    assert "promulgated" not in meta and "effective" not in meta and "authority" not in meta


def test_level_option_overrides_the_guess(tmp_path):
    from kb_tools.model import Level

    text = "关于某某事项的规定\n第一条 甲。\n"
    meta, _, result = import_file(tmp_path, "x.txt", text, level=Level.NORMATIVE_DOCUMENT)
    assert meta["level"] == "规范性文件"
    assert not any("效力级别" in note for note in result.notes)


def test_history_broken_over_two_lines_inside_brackets(tmp_path):
    text = ("某某市物业管理办法\n（2020年3月2日某某市人民政府第5次常务会议通过　2020年3月9日某某市人民政府令\n"
            "第7号公布　自2020年5月1日起施行）\n第一条 甲。\n第二条 乙。\n")
    meta, _, result = import_file(tmp_path, "x.txt", text)
    assert meta["doc_number"] == "某某市人民政府令第7号"
    assert meta["promulgated"] == dt.date(2020, 3, 9)
    assert meta["effective"] == dt.date(2020, 5, 1)
    assert result.articles == 2


def test_split_history_chinese_numerals():
    assert split_history("（二〇二三年五月六日某市人民政府令第1号公布　自二〇二三年七月一日起施行）") == [
        "2023年5月6日 某市人民政府令第1号公布",
        "2023年7月1日 起施行",
    ]


LAWREFBOOK = """\
# 中华人民共和国测试法

2019年4月23日 第十三届全国人民代表大会常务委员会第十次会议通过\u3000
2021年1月22日 第十三届全国人民代表大会常务委员会第二十五次会议修订

<!-- INFO END -->

## 第一章 总　则

第一条 为了测试，制定本法。

第二条 本法适用于测试。

本法所称测试，是指导入器测试。

## 第二章 附　则

第三条 本法自2021年3月1日起施行。"""


def test_lawrefbook_markdown(tmp_path):
    meta, parsed, result = import_file(tmp_path, "测试法(2021-01-22).md", LAWREFBOOK)
    assert (result.articles, result.chapters) == (3, 2)
    assert result.path == tmp_path / "docs/laws/测试法.md"
    assert meta == {
        "title": "中华人民共和国测试法",
        "short_title": "测试法",
        "level": "法律",
        "authority": "全国人民代表大会常务委员会",
        "promulgated": dt.date(2019, 4, 23),
        "amended": [dt.date(2021, 1, 22)],
        "effective": dt.date(2021, 3, 1),
        "category": ["其他"],
        "history": [
            "2019年4月23日 第十三届全国人民代表大会常务委员会第十次会议通过",
            "2021年1月22日 第十三届全国人民代表大会常务委员会第二十五次会议修订",
        ],
    }
    assert parsed.articles[1].paragraphs == ("本法适用于测试。", "本法所称测试，是指导入器测试。")
    assert result.notes == []


@pytest.mark.parametrize(("name", "articles", "chapters"), [
    ("建筑法(2019-04-23).md", 85, 8),
    ("行政许可法(2019-04-23).md", 83, 8),
])
def test_lawrefbook_corpus_files(tmp_path, name, articles, chapters):
    path = CORPUS / "laws" / name
    if not path.is_file():
        pytest.skip(f"{path} not present")
    result = import_lines(read_lines(path)[0], tmp_path)
    assert (result.articles, result.chapters) == (articles, chapters)


def test_lawrefbook_header_line_broken_before_an_article_label(tmp_path):
    """文物保护法 (2017): a history line continues on a line that begins with 第…条."""
    text = ("# 中华人民共和国某法\n2017年11月4日 第十二届全国人民代表大会常务委员会第三十次会议"
            "《关于修改〈中华人民共和国会计法〉等十一部法律的决定》修正，其中\n"
            "第二十条 第一款修改\n<!-- INFO END -->\n第一条 甲。\n第二条 乙。\n")
    _, parsed, result = import_file(tmp_path, "x.md", text)
    assert result.articles == 2
    assert [a.number for a in parsed.articles] == [1, 2]


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(WORD_TITLE, style="Title")
    document.add_paragraph("（2023年5月6日嘉禾市人民政府令第125号公布　自2023年7月1日起施行）")
    document.add_heading("第一章　总　　则", level=2)
    document.add_paragraph("第一条　为了加强建筑垃圾管理，制定本办法。")
    document.add_paragraph("第二条　本办法适用于本市行政区域。")
    document.add_paragraph("本办法所称建筑垃圾，是指弃土、弃料及其他废弃物。")
    document.add_heading("第二章　处置管理", level=2)
    document.add_paragraph("第三条　运输单位应当使用密闭化运输车辆，\n按照核准的时间、路线运输。")  # soft line break
    document.add_paragraph("第四条　申请核准，应当提交下列材料：")
    document.add_paragraph("（一）申请表；")
    document.add_paragraph("（二）处置方案。")
    document.add_heading("第三章　附　　则", level=2)
    document.add_paragraph("第五条　本办法自2023年7月1日起施行。")
    source = tmp_path / "办法.docx"
    document.save(str(source))
    lines, how = read_lines(source)
    assert how == "docx"
    result = import_lines(lines, tmp_path / "docs")
    meta, parsed = page(result.path)
    assert (result.articles, result.chapters) == (5, 3)
    assert [d.heading for d in parsed.divisions] == ["第一章 总则", "第二章 处置管理", "第三章 附则"]
    assert parsed.articles[2].paragraphs == ("运输单位应当使用密闭化运输车辆，按照核准的时间、路线运输。",)
    assert parsed.articles[3].paragraphs == ("申请核准，应当提交下列材料：", "（一）申请表；", "（二）处置方案。")
    assert meta["title"] == WORD_TITLE
    assert meta["promulgated"] == dt.date(2023, 5, 6)
    assert meta["effective"] == dt.date(2023, 7, 1)


def test_unreadable_inputs_are_one_line_errors(tmp_path):
    doc = tmp_path / "旧.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(KbError, match=r"不支持旧版 \.doc 格式"):
        read_lines(doc)
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(KbError, match="不是可读取的 Word"):
        read_lines(bad)
    with pytest.raises(KbError, match="无法识别文件编码"):
        decode_text(b"\x81\x20\xff\xfe\x00" * 3, "x.txt")
    with pytest.raises(KbError, match="文件不存在"):
        read_lines(tmp_path / "无.txt")
    with pytest.raises(KbError, match="无法识别标题"):
        law_text_from_lines(["", "  "])


def test_import_refuses_to_overwrite(tmp_path):
    import_file(tmp_path, "x.txt", "某某规定\n第一条 甲。\n")
    with pytest.raises(KbError, match="已存在。如需覆盖请加 --overwrite"):
        import_file(tmp_path, "x.txt", "某某规定\n第一条 甲。\n")


def test_kb_import_unseen_word_text_then_build(tmp_path):
    """The whole path: `kb import` a regulation never seen before, then build its page."""
    source = tmp_path / "办法.txt"
    source.write_bytes(WORD_TEXT.replace("\n", "\r\n").encode("gbk"))
    docs = tmp_path / "docs"
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(source), "--docs-dir", str(docs)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{docs}/laws/{WORD_TITLE}.md: 《{WORD_TITLE}》 5 章 20 条"
    assert "  · 已跳过原文中的目录（5 行）。" in result.output
    write_files(docs, {"index.md": "# 首页\n"})
    site = run_build(make_config(tmp_path), strict=True)
    html = read(site, f"laws/{WORD_TITLE}/index.html")
    assert html.count('<section class="kb-article"') == 20
    assert 'id="article-20"' in html and 'id="chapter-5"' in html
    assert "kb-status--in-force" in html


def test_kb_import_json_and_version_of(tmp_path):
    docs = tmp_path / "docs"
    current = tmp_path / "现行.md"
    current.write_text(LAWREFBOOK, encoding="utf-8")
    old = tmp_path / "旧.md"
    old.write_text(LAWREFBOOK.split("2021年1月22日")[0] + "<!-- INFO END -->\n\n第一条 旧文本。\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(current), "--docs-dir", str(docs)]).exit_code == 0
    result = runner.invoke(main, ["import", str(old), "--docs-dir", str(docs), "--version-of", "测试法", "--json"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert data[0]["path"] == str(docs / "laws/测试法/2019-04-23.md")
    assert data[0]["articles"] == 1
    assert "version_of: 测试法" in (docs / "laws/测试法/2019-04-23.md").read_text(encoding="utf-8")


def test_undated_older_version_needs_a_date(tmp_path):
    # Found importing the scale corpus: an undated text imported with version_of went to None.md.
    lines = ["某某条例", "", "第一条 旧文本。"]
    with pytest.raises(KbError, match="--promulgated"):
        import_lines(lines, tmp_path, version_of="某某条例")
    assert not (tmp_path / "laws/某某条例/None.md").exists()
    result = import_lines(lines, tmp_path, version_of="某某条例", extra={"promulgated": dt.date(2001, 2, 3)})
    assert result.path == tmp_path / "laws/某某条例/2001-02-03.md"


def test_kb_import_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["import"])
    assert result.exit_code == 2
    assert "请给出要导入的文件" in result.output
    result = runner.invoke(main, ["import", str(tmp_path / "无.txt"), "--docs-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / '无.txt'}: 文件不存在。"
    source = tmp_path / "x.txt"
    source.write_text("某某规定\n第一条 甲。\n", encoding="utf-8")
    result = runner.invoke(main, ["import", str(source), "--level", "法条", "--docs-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "未知的效力级别“法条”" in result.output


def test_label_on_its_own_line_and_heading_without_space(tmp_path):
    text = "某某条例\n第一章总则\n第一条\n为了规范管理，制定本条例。\n第二条　本条例适用于\n全市。\n"
    _, parsed, result = import_file(tmp_path, "x.txt", text)
    assert (result.articles, result.chapters) == (2, 1)
    assert parsed.divisions[0].heading == "第一章 总则"
    assert [a.paragraphs for a in parsed.articles] == [("为了规范管理，制定本条例。",), ("本条例适用于全市。",)]
    assert "第一条 为了规范管理" in result.path.read_text(encoding="utf-8")


def test_wrapped_reference_to_a_chapter_is_not_a_heading(tmp_path):
    text = ("某某条例\n第一章　总则\n第一条　违反本条例\n第二章规定的，依照本条例\n第三章的有关规定处理。\n"
            "第二章　管理\n第二条　乙。\n第三章　附则\n第三条　本条例自公布之日起施行。\n")
    _, parsed, result = import_file(tmp_path, "x.txt", text)
    assert (result.articles, result.chapters) == (3, 3)
    assert parsed.articles[0].paragraphs == ("违反本条例第二章规定的，依照本条例第三章的有关规定处理。",)


def test_title_repeated_over_two_lines_and_doc_number_line(tmp_path):
    """Judicial interpretations repeat their title (spaced, over lines) and print 法释〔2024〕6号 on its own."""
    text = ("# 最高人民法院、最高人民检察院关于办理某类案件的解释\n2024年1月2日 最高人民法院审判委员会通过\n"
            "<!-- INFO END -->\n最高人民法院 最高人民检察院\n关于办理某类案件的解释\n法释〔2024〕6号\n"
            "为依法办理某类案件，制定本解释。\n第一条 甲。\n第二条 乙。\n")
    _, parsed, result = import_file(tmp_path, "x.md", text)
    assert result.articles == 2
    assert parsed.preamble == ["法释〔2024〕6号", "为依法办理某类案件，制定本解释。"]


@pytest.mark.parametrize(("line", "number"), [
    ("2016年7月29日 浙江省人民代表大会常务委员会公告第44号公布", "浙江省人民代表大会常务委员会公告第44号"),
    ("2021年7月2日 中华人民共和国国务院令第743号第三次修订", "中华人民共和国国务院令第743号"),
    ("2019年8月26日 中华人民共和国主席令第三十二号公布", "中华人民共和国主席令第三十二号"),
    ("2023年5月1日 浙江省人民政府令第 301 号公布", "浙江省人民政府令第301号"),
    ("2020年12月29日 法释［2020］25号", "法释〔2020〕25号"),
    ("1997年11月1日 第八届全国人民代表大会常务委员会第二十八次会议通过", ""),
])
def test_doc_number_from_a_header_line(line, number):
    from kb_tools.importing.law import guess_doc_number

    assert guess_doc_number([line]) == number
