"""The study plan's pages: the overview, the year calendar and one printable reading pack per month.

Reading packs pull every focus article's text from the Corpus (``Article.paragraphs``), so a
pack always shows the text in the knowledge base — after an amendment is imported, the next
build prints the new text. Pages are Markdown strings (``md_in_html`` blocks for the cards);
links are relative ``.md`` links so that MkDocs resolves and validates them.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from kb_tools.corpus import Corpus
from kb_tools.laws.model import Law
from kb_tools.laws.render import status_badge
from kb_tools.model import GeneratedPage
from kb_tools.printing import running_header
from kb_tools.study.loader import next_plan_missing
from kb_tools.study.model import READING_CHARS_PER_MINUTE, StudyMonth, StudyPlan
from kb_tools.text import md_text

WEEKDAYS = "一二三四五六日"


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """Page generator: ``study/index.md``, ``study/<year>/index.md`` and ``study/<year>/<MM>.md``."""
    plans = corpus.plans
    if not plans:
        return
    yield GeneratedPage("study/index.md", overview_markdown(corpus, plans))
    for plan in plans.values():
        yield GeneratedPage(plan.index_uri, calendar_markdown(corpus, plan))
        for month in plan.months:
            yield GeneratedPage(month.src_uri, reading_pack_markdown(corpus, plan, month))


def _law_link(law: Law, prefix: str, anchor: str = "") -> str:
    target = f"{prefix}laws/{law.slug}.md" + (f"#{anchor}" if anchor else "")
    return f"[《{md_text(law.title)}》]({target})"



def _date(month: StudyMonth) -> str:
    if month.meeting is None:
        return "待定"
    d = month.meeting
    return f"{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）"


def _articles_line(month: StudyMonth) -> str:
    if month.articles:
        return "、".join(a.label for a in month.articles)
    return "全文" if month.law is not None else "—"


def this_month(corpus: Corpus) -> StudyMonth | None:
    """The plan entry of the corpus date's month, if the plan has one."""
    plan = corpus.plans.get(corpus.today.year)
    return plan.month(corpus.today.month) if plan else None


def this_month_block(corpus: Corpus, prefix: str) -> str:
    """本月学法: this month's regulation, meeting, presenter and reading pack, as one card.

    Empty when the plan has nothing for this month. ``prefix`` leads from the page to the site root.
    """
    month = this_month(corpus)
    if month is None:
        return ""
    name = _law_link(month.law, prefix) if month.law else escape(month.regulation or "（未填写法规）")
    pack = f"{prefix}{month.src_uri}"
    return "\n".join([
        '<div class="kb-this-month" markdown>',
        "",
        f"### 本月学法：{month.year}年{month.month}月",
        "",
        f"**{name}**",
        "",
        f"- 学法会：{_date(month)}",
        f"- 领学人：{md_text(month.presenter) or '待定'}",
        f"- 重点条文：{_articles_line(month)}",
        f"- [学习材料（可打印）]({pack})",
        "",
        "</div>",
        "",
    ])


def home_block(corpus: Corpus) -> str:
    """The home page's 本月学法 card (the study feature's ``home``)."""
    return this_month_block(corpus, prefix="")


def _missing_plan_note(corpus: Corpus) -> list[str]:
    year = next_plan_missing(corpus)
    if year is None:
        return []
    return [f'!!! warning "{year}年学法计划尚未制定"', "",
            f"    {year}年的“一月一法”学法计划还没有制定，请政策法规科编写。", ""]


def current_plan(corpus: Corpus, plans: dict[int, StudyPlan]) -> StudyPlan:
    """The plan of the build year, else the latest one."""
    return plans.get(corpus.today.year) or list(plans.values())[-1]


def overview_markdown(corpus: Corpus, plans: dict[int, StudyPlan]) -> str:
    """``study/index.md``: what 一月一法 is, every year's plan, and this year's calendar."""
    plan = current_plan(corpus, plans)
    lines = [
        "# 学法计划",
        "",
        "局领导班子坚持“一月一法”会前学法：每月局长办公会前集中学习一部法律法规，由领学人解读重点条文。"
        "每月的学习材料直接取自知识库中的现行文本，可在线阅读，也可打印后分发。",
        "",
        *_missing_plan_note(corpus),
        this_month_block(corpus, prefix="../"),
        "| 年度 | 计划 | 已安排月份 |",
        "|---|---|---|",
    ]
    for p in reversed(plans.values()):
        lines.append(f"| {p.year} | [{md_text(p.title)}]({p.year}/index.md) | {len(p.months)} |")
    lines += ["", f"## {plan.year}年日历", ""]
    lines += _calendar_cards(corpus, plan, prefix="../", pack_dir=f"{plan.year}/")
    return "\n".join(lines) + "\n"


def calendar_markdown(corpus: Corpus, plan: StudyPlan) -> str:
    """``study/<year>/index.md``: twelve month cards, the current month highlighted."""
    lines = [
        f"# {md_text(plan.title)}",
        "",
        f"共安排 {len(plan.months)} 个月。当前日期 {corpus.today.isoformat()}"
        + ("，本月的学习内容已突出显示。" if plan.year == corpus.today.year else "。"),
        "",
        *_missing_plan_note(corpus),
    ]
    if plan.year == corpus.today.year:
        lines.append(this_month_block(corpus, prefix="../../"))
    lines += _calendar_cards(corpus, plan, prefix="../../", pack_dir="")
    return "\n".join(lines) + "\n"


def _calendar_cards(corpus: Corpus, plan: StudyPlan, *, prefix: str, pack_dir: str) -> list[str]:
    lines = ['<div class="kb-plan-calendar" markdown>', ""]
    for number in range(1, 13):
        month = plan.month(number)
        current = (plan.year, number) == (corpus.today.year, corpus.today.month)
        classes = "kb-plan-month" + (" kb-plan-month--current" if current else "")
        classes += "" if month else " kb-plan-month--empty"
        aria = ' aria-current="date"' if current else ""
        lines += [f'<div class="{classes}" id="month-{number}"{aria} markdown>', ""]
        badge = ' <span class="kb-plan-now">本月</span>' if current else ""
        lines += [f'<p class="kb-plan-month__name">{number}月{badge}</p>', ""]
        if month is None:
            lines += ["未安排", "", "</div>", ""]
            continue
        regulation = _law_link(month.law, prefix) if month.law else md_text(month.regulation or "（未填写法规）")
        lines += [
            f"**{regulation}**",
            "",
            f"- 重点条文：{_articles_line(month)}",
            f"- 学法会：{_date(month)}",
            f"- 领学人：{md_text(month.presenter) or '待定'}",
            f"- [学习材料（可打印）]({pack_dir}{month.month:02d}.md)",
            "",
            "</div>",
            "",
        ]
    lines += ["</div>", ""]
    return lines


def reading_pack_markdown(corpus: Corpus, plan: StudyPlan, month: StudyMonth) -> str:
    """``study/<year>/<MM>.md``: the month's reading pack, laid out to be printed on A4.

    Sections (cover, articles, notes page) are ``.kb-pack-section`` blocks; the print stylesheet
    starts each on a new page and hides the site's navigation.
    """
    law = month.law
    name = f"《{law.title}》" if law else (month.regulation or "（未安排法规）")
    meeting = f"{month.meeting.year}年{_date(month)}" if month.meeting else "待定"
    title = f"{corpus.options.bureau_name} · {plan.year}年{month.month}月会前学法"
    header = running_header(title, f"学法会：{meeting}")
    lines = [header, "", f"# {plan.year}年{month.month}月会前学法：{md_text(name)}", ""]
    lines += ['<div class="kb-pack" markdown>', ""]
    lines += ['<section class="kb-pack-section kb-pack-cover" markdown>', ""]
    facts = [
        ("学法会", meeting),
        ("领学人", escape(month.presenter) or "待定"),
    ]
    if law is not None:
        facts += [
            ("法规", f"{escape(law.title)} {status_badge(corpus.status(law))}"),
            ("效力级别", escape(law.level.value)),
        ]
        if law.authority:
            facts.append(("制定机关", escape(law.authority)))
        if law.effective:
            facts.append(("施行日期", f"{law.effective.year}年{law.effective.month}月{law.effective.day}日"))
    count = len(month.articles)
    facts += [
        ("重点条文", f"{count} 条（{escape(_articles_line(month))}）"),
        ("篇幅", f"约 {month.characters} 字"),
        ("预计阅读", f"{month.reading_minutes} 分钟（按每分钟 {READING_CHARS_PER_MINUTE} 字计）"),
    ]
    cells = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    lines += [f'<dl class="kb-pack-facts">{cells}</dl>', ""]
    lines += ['<p class="kb-pack-actions kb-no-print"><button type="button" class="md-button" '
              'onclick="window.print()">打印学习材料</button></p>', ""]
    if month.notes:
        lines += ["## 学习要点 {#notes}", "", md_text(month.notes), ""]
    if law is not None:
        lines += [f"在线阅读全文：{_law_link(law, '../../')}", ""]
    lines += ["</section>", ""]
    if month.articles and law is not None:
        lines += ['<section class="kb-pack-section kb-pack-articles" markdown>', "", "## 重点条文 {#articles}", ""]
        for article in month.articles:
            paras = [escape(p) for p in article.paragraphs] or [""]
            body = f"<p><strong>{article.label}</strong>\u3000{paras[0]}</p>" + "".join(
                f"<p>{p}</p>" for p in paras[1:]
            )
            lines += [f'<div class="kb-pack-article" data-article="{article.label}">{body}</div>', ""]
            lines += [f'<p class="kb-pack-source kb-no-print" markdown="1">'
                      f'{_law_link(law, "../../", article.anchor)}{article.label}</p>', ""]
        lines += ["</section>", ""]
    lines += [
        '<section class="kb-pack-section kb-pack-notes" markdown>',
        "",
        "## 学习记录 {#record}",
        "",
        '<div class="kb-pack-lines"><p>学习体会：</p><p></p><p></p><p></p><p></p>'
        "<p>与本局工作的联系：</p><p></p><p></p><p></p><p></p><p>参学人员签名：</p><p></p></div>",
        "",
        "</section>",
        "",
        "</div>",
    ]
    return "\n".join(lines) + "\n"
