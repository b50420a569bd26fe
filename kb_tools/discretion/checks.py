"""`kb check` for 裁量基准: every tier inside the law, every basis as it stood when the standard was adopted.

- A tier's fine outside the statutory range of its 处罚依据 is an error that prints both ranges
  (``幅度 1万元至3万元 超出《建设工程质量管理条例》第五十七条规定的 工程合同价款百分之一以上百分之二以下``).
- A tier that fines while no article of its 处罚依据 imposes a fine is an error.
- A basis article amended, moved or deleted since the list's ``adopted`` date is a warning with
  the change, worded by the citation resolver's revision alerts (the same words as “条文已变化”).

The statutory ranges are the ones :mod:`kb_tools.penalties.extract` read from the articles, so
the card, the cross-law table and this check agree on what the law says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb_tools.discretion.links import cited_articles, discretion_lists
from kb_tools.penalties.extract import in_unit
from kb_tools.problems import ContentProblem, Severity

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law
    from kb_tools.lists.model import Column, Entry
    from kb_tools.lists.tiers import Tier
    from kb_tools.penalties.model import PenaltyArticle, Sanction

Statute = tuple["Law", "Article", "PenaltyArticle | None"]


def check(corpus: Corpus) -> list[ContentProblem]:
    """The problems of every 裁量基准 entry (the discretion ``Feature``'s check)."""
    problems: list[ContentProblem] = []
    for dlist in discretion_lists(corpus):
        for entry in dlist.entries:
            for column in dlist.spec.tier_columns:
                statutes = statutory_articles(corpus, entry, column)
                for tier in entry.tiers.get(column.key, ()):
                    problems += tier_problems(entry, tier, statutes)
            if dlist.spec.adopted is not None:
                problems += revision_problems(corpus, entry)
    return problems


def statutory_articles(corpus: Corpus, entry: Entry, column: Column) -> list[Statute]:
    """The articles the tiers column's 处罚依据 cites, each with its 罚则 (None when it has none)."""
    out: list[Statute] = []
    for law, article in cited_articles(corpus, entry.bases.get(column.of, ())):
        if all(a is not article for _, a, _ in out):
            penalty = corpus.penalties.article(law.slug, article.anchor) if corpus.penalties else None
            out.append((law, article, penalty))
    return out


def statute_range(sanction: Sanction) -> str:
    """A statutory fine as the article words it: ``2万元以上10万元以下``, ``工程合同价款百分之一以上百分之二以下``."""
    base = sanction.base or ""
    if sanction.min_text and sanction.max_text:
        if sanction.min_text == sanction.max_text:
            return base + sanction.min_text
        return f"{base}{sanction.min_text}以上{sanction.max_text}以下"
    if sanction.max_text:
        return f"{base}{sanction.max_text}以下"
    return f"{base}{sanction.min_text}以上" if sanction.min_text else "罚款（未写幅度）"


def within(tier: Tier, sanction: Sanction) -> bool:
    """Whether the tier's fine lies inside one statutory fine (same unit family, same base)."""
    if sanction.min is None and sanction.max is None:
        return True  # "处以罚款": the statute sets no range, any amount is its to set
    units = (tier.unit or "", sanction.unit or "")
    if units[0] in ("元", "万元") and units[1] in ("元", "万元"):
        convert = [(v, u) for v, u in ((tier.min, units[0]), (tier.max, units[0]))]
        low, high = (None if v is None else in_unit(v, u, "元") for v, u in convert)
        s_low = None if sanction.min is None else in_unit(sanction.min, units[1], "元")
        s_high = None if sanction.max is None else in_unit(sanction.max, units[1], "元")
    elif units[0] == units[1]:
        if tier.base and sanction.base and tier.base not in sanction.base and sanction.base not in tier.base:
            return False
        low, high, s_low, s_high = tier.min, tier.max, sanction.min, sanction.max
    else:
        return False
    low = 0 if low is None else low
    s_low = 0 if s_low is None else s_low
    if low < s_low:
        return False
    if s_high is None:
        return True
    return high is not None and high <= s_high


def _cite(law: Law, article: Article) -> str:
    return f"《{law.title}》{article.label}"


def tier_problems(entry: Entry, tier: Tier, statutes: list[Statute]) -> list[ContentProblem]:
    """What is wrong with one tier against the articles of its 处罚依据 (empty when it fits)."""
    if not tier.has_fine or not statutes:
        return []  # nothing to compare, or a 处罚依据 that did not resolve (reported by the loader)
    where = f"“{entry.title}”的“{tier.level}”档"
    fines = [(law, article, s) for law, article, p in statutes if p is not None for s in p.sanctions if s.is_fine]
    ranged = [f for f in fines if f[2].min is not None or f[2].max is not None]
    fines = ranged or fines  # a "处以罚款" without a range cannot widen a range another basis sets
    if not fines:
        cited = "、".join(_cite(law, article) for law, article, _ in statutes)
        unread = [p for _, _, p in statutes if p is not None and not p.complete]
        if unread:
            return [ContentProblem(
                entry.source, tier.line,
                f"{where}处罚款（{tier.amount_text()}），但未能从处罚依据{cited}中完整读出罚款幅度，无法核对。",
                "请对照条文原文核对该档幅度。", severity=Severity.WARNING, code="discretion-unverified")]
        kinds = "、".join(dict.fromkeys(s.kind for _, _, p in statutes if p is not None for s in p.sanctions))
        said = f"（该条规定的处罚：{kinds}）" if kinds else "（该条没有规定处罚）"
        return [ContentProblem(
            entry.source, tier.line, f"{where}处罚款（{tier.amount_text()}），而处罚依据{cited}没有规定罚款{said}。",
            "请删除该档的罚款，或核对处罚依据是否引错条款。", code="discretion-no-fine")]
    if any(within(tier, sanction) for _, _, sanction in fines):
        return []
    statutory = "；".join(f"{_cite(law, article)}规定的 {statute_range(s)}" for law, article, s in fines)
    return [ContentProblem(
        entry.source, tier.line, f"{where}幅度 {tier.amount_text()} 超出{statutory}。",
        "请把该档幅度调整到法定幅度之内，或核对处罚依据是否引错条款。", code="discretion-out-of-range")]


def revision_problems(corpus: Corpus, entry: Entry) -> list[ContentProblem]:
    """Basis articles changed since the standard was adopted, with the change (revision alerts)."""
    from kb_tools.citations.resolver import find_citations, in_force_from

    adopted = entry.spec.adopted
    assert adopted is not None
    problems: list[ContentProblem] = []
    hint = "请按现行条文复核该项裁量基准的违法行为、依据和幅度，修订后更新 adopted 日期。"
    for basis in entry.all_bases:
        for citation in find_citations(basis.text, corpus, on=adopted):
            law = citation.law
            where = f"“{entry.title}”的{basis.label}“{citation.text}”"
            if citation.alert and citation.articles:
                problems.append(ContentProblem(
                    entry.source, basis.line or entry.line,
                    f"{where}在本基准施行（{adopted}）后已变化：{citation.alert}。", hint,
                    severity=Severity.WARNING, code="discretion-basis-revised"))
            elif law is not None and law.version_of is None and (since := in_force_from(law)) and since > adopted:
                # Amended after adoption, but the knowledge base has no text older than the amendment.
                problems.append(ContentProblem(
                    entry.source, basis.line or entry.line,
                    f"{where}所在的《{law.title}》在本基准施行（{adopted}）后于 {since} 修改，"
                    "知识库未收录修改前的文本，无法比对该条是否变化。", hint,
                    severity=Severity.WARNING, code="discretion-basis-revised"))
    return problems
