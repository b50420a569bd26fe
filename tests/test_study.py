"""学法计划: the plan loader's checks, the year calendar, the reading packs and the cited-by links."""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from kb_tools.checks import check_docs
from kb_tools.study.model import READING_CHARS_PER_MINUTE
from tests.conftest import REPO, law_page, make_config, read, run_build, write_files

PENALTY_LAW = law_page(
    "中华人民共和国行政处罚法",
    """
    ## 第一章 总则

    第一条 为了规范行政处罚的设定和实施，制定本法。

    第二条 行政处罚遵循公正、公开的原则。

    ## 第二章 程序

    第三条 行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据。

    第四条 当事人有权进行陈述和申辩。

    行政机关不得因当事人陈述、申辩而给予更重的处罚。

    第五条 听证应当依照以下程序组织：

    （一）当事人要求听证的，应当在行政机关告知后五日内提出；

    （二）听证由行政机关指定的非本案调查人员主持。

    第六条 本法自2021年7月15日起施行。
    """,
    short_title="行政处罚法",
    promulgated="2021-01-22",
    effective="2021-07-15",
)

PLAN = """
year: 2026
title: 2026年度“一月一法”会前学法计划
months:
  - month: 1
    regulation: 《中华人民共和国行政处罚法》
    articles: [第三条, 第四条]
    meeting: 2026-01-13
    presenter: 政策法规科 甲
    notes: 重点学习告知与陈述申辩。
  - month: 11
    regulation: 行政处罚法
    articles: 第五条
    meeting: 2026-11-10
    presenter: 政策法规科 乙
"""

#: The focus articles of January as they stand in PENALTY_LAW (label + text, whitespace ignored).
JANUARY_TEXT = (
    "第三条行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据。"
    "第四条当事人有权进行陈述和申辩。行政机关不得因当事人陈述、申辩而给予更重的处罚。"
)


def build_plan_site(root: Path, plan: str = PLAN, **options: object) -> Path:
    write_files(root / "docs", {"index.md": "# 首页\n", "laws/行政处罚法.md": PENALTY_LAW, "study/2026.yml": plan})
    return run_build(make_config(root, {"search_index": False, **options}))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_plan_site(tmp_path_factory.mktemp("study"))


def hrefs(html: str) -> list[str]:
    return [unquote(h) for h in re.findall(r'href="([^"]*)"', html)]


def card(html: str, month: int) -> str:
    start = html.rindex("<div", 0, html.index(f'id="month-{month}"'))
    end = html.find('id="month-', html.index(f'id="month-{month}"') + 10)
    end = html.rindex("<div", 0, end) if end > 0 else end
    return html[start:end if end > 0 else len(html)]


def test_calendar_highlights_the_month_of_the_build_date(site):
    html = read(site, "study/2026/index.html")
    assert html.count("kb-plan-month--current") == 1
    current = re.search(r'<div[^>]*class="kb-plan-month kb-plan-month--current"[^>]*>', html).group(0)
    assert 'id="month-11"' in current and 'aria-current="date"' in current
    assert "本月" in card(html, 11)
    assert "未安排" in card(html, 2)
    january = card(html, 1)
    assert "第三条、第四条" in january
    assert "1月13日（星期二）" in january
    assert "政策法规科 甲" in january
    assert "01/" in hrefs(january)
    assert "../../laws/行政处罚法/" in hrefs(january)


def test_overview_lists_the_plans_and_embeds_this_years_calendar(site):
    html = read(site, "study/index.html")
    assert "2026/" in hrefs(html)
    assert "2026年度“一月一法”会前学法计划" in html
    assert "kb-plan-month--current" in card(html, 11)
    assert "2026/11/" in hrefs(card(html, 11))


def test_reading_pack_pulls_the_articles_from_the_knowledge_base(site):
    html = re.sub(r">\s+<", "><", read(site, "study/2026/01/index.html"))
    text = re.sub(r"<[^>]+>", "", html)
    for sentence in ("行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据。",
                     "当事人有权进行陈述和申辩。", "行政机关不得因当事人陈述、申辩而给予更重的处罚。"):
        assert sentence in text
    assert 'data-article="第五条"' not in html  # only the focus articles
    chars = len("".join(JANUARY_TEXT.split()))
    assert f"<dt>篇幅</dt><dd>约 {chars} 字</dd>" in html
    minutes = math.ceil(chars / READING_CHARS_PER_MINUTE)
    assert f"<dt>预计阅读</dt><dd>{minutes} 分钟" in html
    assert "<dt>学法会</dt><dd>2026年1月13日（星期二）</dd>" in html
    assert "重点学习告知与陈述申辩。" in html
    assert "../../../laws/行政处罚法/#article-4" in hrefs(html)


def test_reading_pack_is_laid_out_in_print_sections(site):
    html = read(site, "study/2026/01/index.html")
    sections = re.findall(r'<section class="kb-pack-section ([a-z-]+)"', html)
    assert sections == ["kb-pack-cover", "kb-pack-articles", "kb-pack-notes"]
    assert "assets/kb/print.css" in html
    css = read(site, "assets/kb/print.css")
    assert "size: A4" in css
    assert re.search(r"\.kb-pack-section \{ break-before: page; \}", css)
    assert ".md-header" in css and ".md-sidebar" in css


def test_a_month_without_focus_articles_text_is_still_printed(site):
    html = read(site, "study/2026/11/index.html")
    assert "听证由行政机关指定的非本案调查人员主持。" in html
    assert "2026年11月会前学法：《中华人民共和国行政处罚法》" in html


def test_focus_articles_list_the_reading_pack_back(site):
    html = read(site, "laws/行政处罚法/index.html")
    article = html[html.index('id="article-4"'):html.index('id="article-5"')]
    assert "学法计划" in article
    assert "2026年1月会前学法" in article
    assert "../../study/2026/01/" in hrefs(article)
    first = html[html.index('id="article-1"'):html.index('id="article-2"')]
    assert "学法计划" not in first


def test_calendar_follows_the_status_date(tmp_path):
    site = build_plan_site(tmp_path, status_date="2026-01-20")
    html = read(site, "study/2026/index.html")
    assert 'class="kb-plan-month kb-plan-month--current"' in card(html, 1)
    assert "kb-plan-month--current" not in card(html, 11)


BAD_PLAN = """
year: 2026
months:
  - month: 1
    regulation: 《中华人民共和国行政处罚法》
    articles: [第三条]
    meeting: 2026-01-13
  - month: 2
    articles: [第三条]
    meeting: 2026-02-10
  - month: 3
    regulation: 《中华人民共和国行政处罚法》
    articles: [第三条, 第九十九条]
    meeting: 2026-03-10
  - month: 4
    regulation: 《中华人民共和国行政处罚法》
    articles: [第四条]
    meeting: 2026-05-02
  - month: 5
    regulation: 《中华人民共和国行政处罚条例》
    meeting: 2026-05-12
    speaker: 甲
"""


def test_check_flags_plan_mistakes(tmp_path):
    write_files(tmp_path, {"laws/行政处罚法.md": PENALTY_LAW, "study/2026.yml": BAD_PLAN})
    problems = [p for p in check_docs(tmp_path, "2026-11-26") if p.path == "study/2026.yml"]
    found = {(p.code, p.line) for p in problems}
    assert ("plan-no-regulation", 7) in found
    assert ("plan-bad-article", 12) in found
    assert ("plan-date-outside-month", 17) in found
    assert ("plan-bad-regulation", 19) in found
    assert ("plan-unknown-key", 21) in found
    by_code = {p.code: p for p in problems}
    assert by_code["plan-no-regulation"].message == "2026年2月没有安排学习的法规。"
    assert "第九十九条不存在" in by_code["plan-bad-article"].message
    assert by_code["plan-date-outside-month"].message == "2026年4月的学法会日期 2026-05-02 不在当月。"
    assert "2026-04-01 至 2026-04-30" in by_code["plan-date-outside-month"].hint
    errors = [p for p in problems if p.is_error]
    assert len(errors) == 5
    gap = next(p for p in problems if not p.is_error)
    assert (gap.code, gap.line) == ("plan-month-missing", 2)
    assert gap.message == "2026年的学法计划没有安排6月、7月、8月、9月、10月、11月、12月。"


def test_the_sample_plan_is_complete_and_clean():
    from kb_tools.corpus import load_corpus
    from kb_tools.features import default_features

    docs = Path(__file__).resolve().parent.parent / "docs"
    corpus = load_corpus(docs, None, features=default_features())
    assert [p for p in corpus.problems if p.path.startswith("study/")] == []
    plan = corpus.plans[2026]
    assert [m.month for m in plan.months] == list(range(1, 13))
    assert all(m.law is not None and m.articles and m.presenter for m in plan.months)
    assert all(m.meeting.year == 2026 and m.meeting.month == m.month for m in plan.months)


def test_plan_data_file_is_not_published(site):
    assert not (site / "study/2026.yml").exists()


def test_private_plan_stays_out_of_a_public_build(tmp_path):
    site = build_plan_site(tmp_path, "public: false\n" + PLAN, public_build=True)
    assert not (site / "study/2026/index.html").exists()
    assert not (site / "study/2026.yml").exists()


def test_this_months_law_is_on_the_home_page_and_first_on_the_plan_pages(tmp_path):
    write_files(tmp_path / "docs", {"index.md": "# 首页\n\n<!-- kb:home -->\n", "laws/行政处罚法.md": PENALTY_LAW,
                                    "study/2026.yml": PLAN})
    site = run_build(make_config(tmp_path, {"search_index": False}))
    home = read(site, "index.html")
    block = home[home.index("kb-this-month"):]
    assert "本月学法：2026年11月" in block and "中华人民共和国行政处罚法" in block
    assert "11月10日（星期二）" in block and "政策法规科 乙" in block
    assert "study/2026/11/" in unquote(block[:block.index("</div>")])
    assert home.index("kb-this-month") < home.index("部法规")  # above the statistics
    for page in ("study/index.html", "study/2026/index.html"):
        html = read(site, page)
        assert html.index("本月学法：2026年11月") < html.index('id="month-1"'), page


def test_a_missing_plan_for_next_year_is_reported_from_the_configured_day(tmp_path):
    docs = tmp_path / "docs"
    write_files(docs, {"index.md": "# 首页\n", "laws/行政处罚法.md": PENALTY_LAW, "study/2026.yml": PLAN})
    from kb_tools.corpus import SiteOptions

    def warnings(date: str, **options: str) -> list[str]:
        return [p.message for p in check_docs(docs, date, SiteOptions(**options))
                if p.code == "plan-next-year-missing"]

    assert warnings("2026-11-30") == []
    assert warnings("2026-12-01") == ["2027年的学法计划尚未制定。"]
    assert warnings("2026-11-15", next_plan_from="11-15") == ["2027年的学法计划尚未制定。"]
    site = run_build(make_config(tmp_path, {"search_index": False, "status_date": "2026-12-02"}))
    assert "2027年学法计划尚未制定" in read(site, "study/index.html")
    assert "2027年学法计划尚未制定" in read(site, "study/2026/index.html")
    write_files(docs, {"study/2027.yml": PLAN.replace("2026", "2027")})
    assert warnings("2026-12-01") == []


def test_folded_notes_join_without_spaces_between_chinese_characters(tmp_path):
    folded = ("    notes: >-\n      重点学习告知与陈述申辩，以及\n      不得因申辩加重处罚的规定；\n"
              "      对照 GB 50016 标准。\n")
    plan = PLAN.replace("    notes: 重点学习告知与陈述申辩。\n", folded)
    assert plan != PLAN
    site = build_plan_site(tmp_path, plan)
    html = read(site, "study/2026/01/index.html")
    assert "重点学习告知与陈述申辩，以及不得因申辩加重处罚的规定；对照 GB 50016 标准。" in html


def test_no_reading_pack_of_the_sample_plan_has_a_space_between_chinese_characters():
    from kb_tools.corpus import load_corpus
    from kb_tools.features import default_features

    corpus = load_corpus(REPO / "docs", features=default_features())
    notes = [m.notes for plan in corpus.plans.values() for m in plan.months if m.notes]
    assert notes
    gaps = [n for n in notes if re.search(r"[\u4e00-\u9fff，。；、] +[\u4e00-\u9fff]", n)]
    assert gaps == []
