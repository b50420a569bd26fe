"""The classroom's generated pages and the box added to every lecture page.

``classroom/index.md`` groups lectures by year with the year's class hours against the target
(plugin option ``classroom_hours_target``, in ``corpus.options``);
``by-lecturer.md`` and ``by-topic.md`` regroup the same lectures. :func:`lecture_markdown`
adds the facts, the attachments and the cited articles to a lecture page while it renders.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from html import escape

from kb_tools.classroom.loader import bare_references
from kb_tools.classroom.model import CLASSROOM_DIR, CitedArticle, Lecture, format_hours
from kb_tools.corpus import Corpus
from kb_tools.model import GeneratedPage
from kb_tools.text import md_text

DEFAULT_HOURS_TARGET = 8


def lectures_of(corpus: Corpus) -> list[Lecture]:
    """The lectures loaded into the corpus, newest first."""
    return corpus.lectures


def hours_target(corpus: Corpus) -> float:
    """The yearly class-hour target (plugin option ``classroom_hours_target``)."""
    return corpus.options.classroom_hours_target


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """Page generator: the classroom index, per lecturer and per topic."""
    lectures = lectures_of(corpus)
    if not lectures and not (corpus.docs_dir / CLASSROOM_DIR).is_dir():
        return
    yield GeneratedPage(f"{CLASSROOM_DIR}/index.md", index_markdown(corpus, lectures))
    yield GeneratedPage(f"{CLASSROOM_DIR}/by-lecturer.md", grouped_markdown(lectures, "lecturer", corpus.today))
    yield GeneratedPage(f"{CLASSROOM_DIR}/by-topic.md", grouped_markdown(lectures, "topic", corpus.today))



def _link(lecture: Lecture) -> str:
    """A link from a page at ``classroom/`` to the lecture."""
    return f"[{md_text(lecture.title)}]({lecture.src_uri[len(CLASSROOM_DIR) + 1:]})"


_HEAD = "| 日期 | 讲稿 | 主讲人 | 课时 | 对象 | 主题 |\n|---|---|---|---|---|---|"


UPCOMING = '<span class="kb-upcoming">预告</span>'


def _row(lecture: Lecture, today: dt.date) -> str:
    mark = "" if lecture.held(today) else f" {UPCOMING}"
    return (f"| {lecture.date.isoformat()}{mark} | {_link(lecture)} | {md_text(lecture.lecturer)} | "
            f"{format_hours(lecture.hours)} | {md_text(lecture.audience)} | {md_text('、'.join(lecture.topics))} |")


def year_totals(lectures: list[Lecture], today: dt.date) -> dict[int, float]:
    """Class hours per year of the lectures held by ``today``, newest year first (a year with only
    announced lectures shows 0)."""
    totals: dict[int, float] = defaultdict(float)
    for lecture in lectures:
        totals[lecture.year] += lecture.hours if lecture.held(today) else 0
    return dict(sorted(totals.items(), reverse=True))


def _progress(total: float, target: float) -> str:
    share = min(total / target, 1.0) if target else 1.0
    done = total >= target
    state = "已完成年度目标" if done else f"尚差 {format_hours(target - total)} 课时"
    css = "kb-hours kb-hours--done" if done else "kb-hours"
    return (
        f'<div class="{css}" data-hours="{format_hours(total)}" data-target="{format_hours(target)}">'
        f'<p>累计 <strong>{format_hours(total)}</strong> 课时 / 年度目标 {format_hours(target)} 课时'
        f"（{round(total / target * 100) if target else 100}%），{state}。</p>"
        f'<div class="kb-hours__bar" role="progressbar" aria-valuemin="0" aria-valuemax="{format_hours(target)}" '
        f'aria-valuenow="{format_hours(total)}"><span style="width: {share * 100:.0f}%"></span></div></div>'
    )


def index_markdown(corpus: Corpus, lectures: list[Lecture]) -> str:
    """``classroom/index.md``: lectures by year with the year's class hours against the target."""
    target = hours_target(corpus)
    lines = [
        "# 法治大讲堂",
        "",
        f"法治大讲堂由本局业务骨干和特邀专家授课，每年不少于 {format_hours(target)} 课时。"
        "讲稿全文、课件与引用的法条均可在线查阅。",
        "",
        "浏览方式：按年度（本页） · [按主讲人](by-lecturer.md) · [按主题](by-topic.md) · "
        '<a href="feed.xml" type="application/atom+xml">订阅更新（Atom）</a>',
        "",
    ]
    if not lectures:
        lines += ["还没有讲稿。", ""]  # how to add one is in the manual, not on the staff page
    by_year: dict[int, list[Lecture]] = defaultdict(list)
    for lecture in lectures:
        by_year[lecture.year].append(lecture)
    for year, total in year_totals(lectures, corpus.today).items():
        items = by_year[year]
        held = [lec for lec in items if lec.held(corpus.today)]
        announced = f"，另有预告 {len(items) - len(held)} 讲" if len(held) < len(items) else ""
        lines += [f"## {year}年（{len(held)} 讲，{format_hours(total)} 课时{announced}） {{#year-{year}}}", ""]
        lines += [_progress(total, target), "", _HEAD]
        lines += [_row(lecture, corpus.today) for lecture in sorted(items, key=lambda lec: lec.date)]
        lines.append("")
    return "\n".join(lines) + "\n"


def grouped_markdown(lectures: list[Lecture], key: str, today: dt.date) -> str:
    """``by-lecturer.md`` or ``by-topic.md``: the lectures regrouped, with hours per group."""
    title = "按主讲人" if key == "lecturer" else "按主题"
    groups: dict[str, list[Lecture]] = defaultdict(list)
    for lecture in lectures:
        names = [lecture.lecturer] if key == "lecturer" else list(lecture.topics or ("未分类",))
        for name in names:
            groups[name].append(lecture)
    names = sorted(groups, key=lambda n: (-len(groups[n]), n))
    lines = [f"# 法治大讲堂 · {title}", ""]
    lines += ["  ".join(f"[{md_text(n)}（{len(groups[n])}）](#group-{i + 1})" for i, n in enumerate(names)), ""]
    for i, name in enumerate(names):
        items = groups[name]
        hours = sum(lec.hours for lec in items if lec.held(today))
        lines += [f"## {md_text(name)}（{len(items)} 讲，{format_hours(hours)} 课时） {{#group-{i + 1}}}", "", _HEAD]
        lines += [_row(lecture, today) for lecture in items]
        lines.append("")
    return "\n".join(lines) + "\n"


def link_bare_references(corpus: Corpus, markdown: str, on: dt.date, base: str) -> str:
    """Turn each 第N条 that refers to the regulation named earlier in its section into a link."""
    out = markdown
    for ref in reversed(bare_references(corpus, markdown, on)):
        label = out[ref.start:ref.end]
        if out[ref.start - 1:ref.start] == "[" or out[ref.end:ref.end + 1] == "]":
            continue  # already a link text
        target = f"{base}laws/{ref.law.slug}.md#{ref.article.anchor}"
        title = f"《{ref.law.title}》{ref.article.label}".replace('"', "")
        out = f'{out[:ref.start]}[{label}]({target}){{: .kb-cite title="{title}" }}{out[ref.end:]}'
    return out


def lecture_for_page(corpus: Corpus, src_uri: str) -> Lecture | None:
    """The lecture a page is, if it is one."""
    return next((lec for lec in lectures_of(corpus) if lec.src_uri == src_uri), None)


def lecture_markdown(corpus: Corpus, src_uri: str, markdown: str) -> str:
    """A lecture page as rendered: facts box first, the notes, then attachments and cited articles.

    Other pages are returned unchanged, so the plugin may call this for every page.
    """
    lecture = lecture_for_page(corpus, src_uri)
    if lecture is None:
        return markdown
    base = "../" * src_uri.count("/")
    facts = [
        ("主讲人", escape(lecture.lecturer)),
        ("授课日期", f"{lecture.date.year}年{lecture.date.month}月{lecture.date.day}日"),
        ("课时", format_hours(lecture.hours)),
    ]
    if lecture.audience:
        facts.append(("授课对象", escape(lecture.audience)))
    if lecture.topics:
        facts.append(("主题", "、".join(escape(t) for t in lecture.topics)))
    cells = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    head = [f'<dl class="kb-law-meta kb-lecture-meta">{cells}</dl>', ""]
    if not lecture.held(corpus.today):
        head += [f'<p class="kb-upcoming-note">{UPCOMING} 本讲尚未举办，举办后计入年度课时。</p>', ""]
    markdown = link_bare_references(corpus, markdown, lecture.date, base)
    tail = [""]
    if lecture.attachments:
        tail += ["## 课件与附件 {#attachments}", ""]
        tail += [f"- [{md_text(name)}]({name})" for name in lecture.attachments]
        tail.append("")
    if lecture.cited:
        tail += ["## 本讲引用的条文 {#cited-articles}", ""]
        by_law: dict[str, list[CitedArticle]] = {}
        for cited in lecture.cited:
            by_law.setdefault(cited.law.slug, []).append(cited)
        for items in by_law.values():
            law = items[0].law
            target = f"{base}laws/{law.slug}.md"
            articles = sorted((c.article for c in items if c.article is not None), key=lambda a: a.key)
            links = [f"[{a.label}]({target}#{a.anchor})" for a in articles]
            line = f"- [《{md_text(law.title)}》]({target})"
            tail.append(line + ("：" + "、".join(links) if links else ""))
        tail.append("")
    return "\n".join(head) + "\n" + markdown.rstrip() + "\n" + "\n".join(tail)
