"""Read ``docs/study/<year>.yml`` into StudyPlan objects and check them.

Every citation (the month's regulation, each focus article) goes through the one citation
resolver, so a plan names regulations exactly as every other page does and a typo is reported
with the resolver's own explanation. Problems are collected, never raised: ``kb check`` and the
build show a plan author every mistake at once.

The data file::

    year: 2026
    title: 2026年度“一月一法”会前学法计划
    months:
      - month: 1
        regulation: 《中华人民共和国行政处罚法》
        articles: [第四十四条, 第六十三条]
        meeting: 2026-01-15
        presenter: 法规科 王晓东
        notes: 听证告知的期限与方式。
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from kb_tools.citations.resolver import CitingRef, add_anchor, add_citing, find_citations
from kb_tools.corpus import Corpus
from kb_tools.frontmatter import as_date, read_text
from kb_tools.laws.model import Article, Law
from kb_tools.problems import ContentProblem, Severity
from kb_tools.schema import unknown_key_hint
from kb_tools.study.model import StudyMonth, StudyPlan
from kb_tools.text import join_cjk

STUDY_DIR = "study"
PLAN_KIND = "学法计划"
_MONTH_KEYS = ("month", "regulation", "articles", "meeting", "presenter", "notes")
_PLAN_KEYS = ("year", "title", "public", "months")


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers where each mapping and key starts, for messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=deep)  # type: ignore[assignment]  # keys are str in plans
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(corpus: Corpus) -> None:
    """Corpus loader: every plan under ``docs/study/`` into ``corpus.plans`` (by year)."""
    plans: dict[int, StudyPlan] = {}
    folder = corpus.docs_dir / STUDY_DIR
    files = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]) if folder.is_dir() else []
    for path in files:
        rel = path.relative_to(corpus.docs_dir).as_posix()
        plan = read_plan(path, rel, corpus)
        if plan is None:
            continue
        if plan.year in plans:
            corpus.problems.append(ContentProblem(
                rel, 1, f"{plan.year} 年的学法计划已在 {plans[plan.year].src_path} 中定义。",
                "每年只保留一个计划文件，请合并两份计划。", code="plan-duplicate-year",
            ))
            continue
        plans[plan.year] = plan
    corpus.plans = dict(sorted(plans.items()))
    _register_citing(corpus, plans.values())


def next_plan_missing(corpus: Corpus) -> int | None:
    """Next year, when its plan is due (from ``options.next_plan_from``) and not written yet."""
    today = corpus.today
    due = _due_date(today.year, corpus.options.next_plan_from)
    if due is None or today < due or (today.year + 1) in corpus.plans:
        return None
    return today.year + 1


def _due_date(year: int, month_day: str) -> dt.date | None:
    try:
        month, day = (int(part) for part in month_day.split("-"))
        return dt.date(year, month, day)
    except ValueError:
        return None


def check(corpus: Corpus) -> list[ContentProblem]:
    """From ``next_plan_from`` (default 1 December) on, a missing plan for next year is a warning."""
    year = next_plan_missing(corpus) if corpus.plans else None
    if year is None:
        return []
    latest = list(corpus.plans.values())[-1]
    return [ContentProblem(
        latest.src_path, 1, f"{year}年的学法计划尚未制定。",
        f"请在 docs/study/{year}.yml 中编写下一年度的“一月一法”计划（可复制本文件修改）。",
        severity=Severity.WARNING, code="plan-next-year-missing",
    )]


def read_plan(path: Path, rel: str, corpus: Corpus) -> StudyPlan | None:
    """One plan file; problems go to ``corpus.problems``. None when the file cannot be used at all."""
    problems = corpus.problems
    text, problem = read_text(path, rel)
    if text is None:
        problems.append(problem)  # type: ignore[arg-type]  # problem is set whenever the text is None
        return None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(ContentProblem(
            rel, mark.line + 1 if mark else 1, f"学法计划不是合法的 YAML：{getattr(exc, 'problem', exc)}。",
            "常见原因：冒号后缺空格、缩进不一致、用了中文冒号。", code="plan-yaml",
        ))
        return None
    if not isinstance(data, dict):
        problems.append(ContentProblem(rel, 1, "学法计划应以 year、title、months 等字段组成。",
                                       "请参照 docs/study/ 下已有的计划文件书写。", code="plan-yaml"))
        return None
    if corpus.public_only and data.get("public") is False:
        return None
    lines: dict[str, int] = data.get("__lines__", {})
    _unknown_keys(rel, data, _PLAN_KEYS, problems)
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(ContentProblem(rel, lines.get("year", 1), f"`year` 应为四位年份，实际是 {year!r}。",
                                       "例如 `year: 2026`。", code="plan-year"))
        return None
    months_raw = data.get("months") or []
    if not isinstance(months_raw, list):
        problems.append(ContentProblem(rel, lines.get("months", 1), "`months` 应为每月一项的列表。",
                                       "每月以 `- month: 1` 开始一项。", code="plan-yaml"))
        return None
    months: dict[int, StudyMonth] = {}
    for entry in months_raw:
        month = _read_month(entry, year, rel, corpus)
        if month is None:
            continue
        if month.month in months:
            problems.append(ContentProblem(rel, month.line, f"{month.month} 月在计划中出现了两次。",
                                           "每月只学一部法规，请删除或合并重复的一项。", code="plan-duplicate-month"))
            continue
        months[month.month] = month
    missing = [m for m in range(1, 13) if m not in months]
    if missing and months:
        names = "、".join(f"{m}月" for m in missing)
        problems.append(ContentProblem(
            rel, lines.get("months", 1), f"{year}年的学法计划没有安排{names}。",
            "“一月一法”每月学习一部法规；如确实不安排（例如合并学习），可忽略此提示。",
            severity=Severity.WARNING, code="plan-month-missing",
        ))
    title = str(data.get("title") or f"{year}年度“一月一法”会前学法计划")
    return StudyPlan(year, title, rel, tuple(months[m] for m in sorted(months)))


def _read_month(entry: Any, year: int, rel: str, corpus: Corpus) -> StudyMonth | None:
    problems = corpus.problems
    if not isinstance(entry, dict):
        problems.append(ContentProblem(rel, 1, f"`months` 中的一项不是“字段: 值”的形式：{entry!r}。",
                                       "每月以 `- month: 1` 开始，下面缩进写 regulation、articles 等字段。",
                                       code="plan-yaml"))
        return None
    line: int = entry["__line__"]
    lines: dict[str, int] = entry["__lines__"]
    _unknown_keys(rel, entry, _MONTH_KEYS, problems)
    number = entry.get("month")
    if not isinstance(number, int) or not 1 <= number <= 12:
        problems.append(ContentProblem(rel, lines.get("month", line), f"`month` 应为 1 到 12，实际是 {number!r}。",
                                       "例如 `- month: 3`。", code="plan-month"))
        return None
    where = f"{year}年{number}月"
    regulation = str(entry.get("regulation") or "").strip()
    law: Law | None = None
    if not regulation:
        problems.append(ContentProblem(
            rel, line, f"{where}没有安排学习的法规。",
            "请填写 `regulation: 《法规全称》`（须是知识库中已有的法规），或删除该月。",
            code="plan-no-regulation",
        ))
    else:
        law = _resolve_law(regulation, corpus, rel, lines.get("regulation", line), where)
    labels = _labels(entry.get("articles"))
    articles: list[Article] = []
    if law is not None:
        for label in labels:
            articles.extend(_resolve_article(law, label, corpus, rel, lines.get("articles", line), where))
    meeting = _meeting(entry, year, number, rel, lines.get("meeting", line), problems)
    return StudyMonth(
        year=year, month=number, regulation=regulation, law=law,
        articles=tuple(dict.fromkeys(articles)), article_labels=tuple(labels), meeting=meeting,
        presenter=str(entry.get("presenter") or "").strip(),
        notes=join_cjk(str(entry.get("notes") or "").strip()),  # prose, folded by YAML: no stray gaps
        line=line,
    )


def _labels(value: Any) -> list[str]:
    """Focus articles as a list, accepting one string separated by 、 or a YAML list."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).replace("，", "、").split("、")
    return [str(item).strip() for item in items if str(item).strip()]


def _resolve_law(regulation: str, corpus: Corpus, rel: str, line: int, where: str) -> Law | None:
    text = regulation if regulation.startswith("《") else f"《{regulation}》"
    found = [c for c in find_citations(text, corpus) if c.law is not None or c.problem]
    if found and found[0].law is not None:
        return found[0].law
    reason = found[0].problem if found and found[0].problem else f"知识库中没有《{regulation.strip('《》')}》。"
    suggestion = found[0].suggestion if found and found[0].suggestion else corpus.suggest_title(regulation)
    hint = f"是不是《{suggestion}》？" if suggestion else "请先导入该法规，或核对法规全称。"
    corpus.problems.append(ContentProblem(rel, line, f"{where}的学习法规无法识别：{reason}", hint,
                                          code="plan-bad-regulation"))
    return None


def _resolve_article(law: Law, label: str, corpus: Corpus, rel: str, line: int, where: str) -> list[Article]:
    found = [c for c in find_citations(f"《{law.title}》{label}", corpus) if c.law is law or c.problem]
    if found and found[0].articles and not found[0].problem:
        return list(found[0].articles)
    if found and found[0].problem:
        message = f"{where}的重点条文不存在：{found[0].problem}"
        hint = found[0].hint or f"请核对条号（《{law.title}》共 {len(law.articles)} 条）。"
    else:
        message = f"{where}的重点条文“{label}”不是条号。"
        hint = "条号写成“第四十四条”的形式，一项写一条（也可写“第六十三条至第六十五条”）。"
    corpus.problems.append(ContentProblem(rel, line, message, hint, code="plan-bad-article"))
    return []


def _meeting(entry: dict[str, Any], year: int, month: int, rel: str, line: int,
             problems: list[ContentProblem]) -> dt.date | None:
    raw = entry.get("meeting")
    if raw is None:
        problems.append(ContentProblem(rel, line, f"{year}年{month}月没有填写学法会日期。",
                                       "请填写 `meeting: YYYY-MM-DD`。", severity=Severity.WARNING,
                                       code="plan-no-date"))
        return None
    date = as_date(raw)
    if date is None:
        problems.append(ContentProblem(rel, line, f"学法会日期“{raw}”不是有效日期。", "日期请写成 2026-03-12 的形式。",
                                       code="plan-bad-date"))
        return None
    if (date.year, date.month) != (year, month):
        last = calendar.monthrange(year, month)[1]
        problems.append(ContentProblem(
            rel, line, f"{year}年{month}月的学法会日期 {date.isoformat()} 不在当月。",
            f"请填写 {year}-{month:02d}-01 至 {year}-{month:02d}-{last} 之间的日期，或把该项移到 {date.month} 月。",
            code="plan-date-outside-month",
        ))
    return date


def _unknown_keys(rel: str, data: dict[str, Any], known: tuple[str, ...], problems: list[ContentProblem]) -> None:
    for key in data:
        if key.startswith("__"):
            continue
        if key not in known:
            problems.append(ContentProblem(
                rel, data["__lines__"].get(key, data["__line__"]), f"学法计划中有未知字段 `{key}`。",
                unknown_key_hint(key, known), code="plan-unknown-key",
            ))


def _register_citing(corpus: Corpus, plans: Any) -> None:
    """Each focus article lists the month's reading pack among the pages citing it (kind 学法计划)."""
    for plan in plans:
        for month in plan.months:
            if month.law is None:
                continue
            title = f"{plan.year}年{month.month}月会前学法"
            for article in month.articles:
                add_citing(corpus, month.law, article, CitingRef(PLAN_KIND, title, month.src_uri))
                if month.notes:  # the plan's note says in working words what the article is for
                    add_anchor(corpus, month.law, article, month.notes)
