"""HTML of 裁量基准 on the site: the tiers beside the statutory range, and the links both ways.

- On an entry page (``lists/<name>/items/<code>/``, the list machinery's page): the tiers as a
  table, each marked inside or outside the 法定幅度, the statutory fines of every 处罚依据
  article, and the power items of type 行政处罚 that cite the same articles.
- In a table cell: the tiers in one line (一般 50万元至70万元 · 较重 …).
- Under the 罚则 card of a penalty article and on a power item page: links to the entries.

Everything from a data file or an article is escaped here.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from kb_tools.discretion.checks import statute_range, statutory_articles, within
from kb_tools.discretion.links import discretion_lists, entry_powers, power_entries
from kb_tools.lists.model import page_name

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.lists.model import Column, Entry
    from kb_tools.lists.tiers import Tier
    from kb_tools.powers.model import PowerItem


def entry_url(entry: Entry) -> str:
    """The entry page's address below the site root (``lists/discretion/items/CL-ZL-001/``)."""
    return entry.src_uri.removesuffix(".md") + "/"


def tier_summary(tiers: tuple[Tier, ...]) -> str:
    """One line for a table cell: ``一般 50万元至70万元 · 较重 70万元至80万元 · 严重 …`` (plain text)."""
    return " · ".join(f"{t.level} {t.amount_text() or t.others or '不予罚款'}" for t in tiers)


def tiers_html(entry: Entry, column: Column, corpus: Corpus) -> str:
    """The tiers of an entry as a table, each fine marked against the statutory range."""
    statutes = statutory_articles(corpus, entry, column)
    fines = [s for _, _, p in statutes if p is not None for s in p.sanctions if s.is_fine]
    ranged = [s for s in fines if s.min is not None or s.max is not None] or fines
    rows = []
    for tier in entry.tiers.get(column.key, ()):
        if not tier.has_fine:
            mark = '<span class="kb-dc-mark">不罚款</span>'
        elif not ranged:
            mark = '<span class="kb-dc-mark kb-dc-mark--bad">依据未规定罚款</span>'
        elif any(within(tier, s) for s in ranged):
            mark = '<span class="kb-dc-mark kb-dc-mark--ok">在法定幅度内</span>'
        else:
            mark = '<span class="kb-dc-mark kb-dc-mark--bad">超出法定幅度</span>'
        amount = escape(tier.amount_text()) if tier.has_fine else "—"
        # data-label: at phone width the rows are cards and the labels stand before each cell
        rows.append(f'<tr data-level="{escape(tier.level)}"><td data-label="档次">{escape(tier.level)}</td>'
                    f'<td data-label="情节">{escape(tier.circumstances)}</td>'
                    f'<td data-label="罚款幅度" title="{escape(tier.range_text, quote=True)}">{amount} {mark}</td>'
                    f'<td data-label="其他处罚">{escape(tier.others) or "—"}</td></tr>')
    head = "<thead><tr><th>档次</th><th>情节</th><th>罚款幅度</th><th>其他处罚</th></tr></thead>"
    return f'<table class="kb-dc-tiers">{head}<tbody>{"".join(rows)}</tbody></table>'


def statutory_html(entry: Entry, column: Column, corpus: Corpus, base: str) -> str:
    """The 法定幅度: each 处罚依据 article with the fines its text sets, linked to the article."""
    items = []
    for law, article, penalty in statutory_articles(corpus, entry, column):
        href = escape(f"{base}{law.url}#{article.anchor}", quote=True)
        name = f"《{escape(law.title)}》{escape(article.label)}"
        if penalty is None:
            said = "（未读出罚则）"
        else:
            parts = []
            for s in penalty.sanctions:
                if s.is_fine and (s.min is not None or s.max is not None):
                    who = f"（对{s.target}）" if s.target else ""
                    tier = f"{s.tier}，" if s.tier else ""
                    parts.append(f"{tier}罚款 {statute_range(s)}{who}")
            words = "；".join(parts) if parts else "、".join(penalty.kinds) or "未读出罚款幅度"
            said = "：" + escape(words)
        items.append(f'<li><a href="{href}">{name}</a>{said}</li>')
    if not items:
        return ""
    return f'<ul class="kb-dc-statute">{"".join(items)}</ul>'


def entry_sections(entry: Entry, corpus: Corpus, base: str) -> list[str]:
    """Markdown blocks an entry page of a 裁量基准 adds: tiers, 法定幅度, related power items."""
    lines: list[str] = []
    for column in entry.spec.tier_columns:
        lines += [f"## {column.label} {{#{column.key}}}", "", tiers_html(entry, column, corpus), ""]
        statute = statutory_html(entry, column, corpus, base)
        if statute:
            lines += ["## 法定幅度 {#statute}", "",
                      '<p class="kb-dc-note">处罚依据条文规定的罚款幅度（由条文原文读出），各档幅度应在其内。</p>',
                      statute, ""]
    powers = entry_powers(corpus, entry)
    if powers:
        links = "".join(f'<li><a href="{escape(base)}powers/items/{escape(page_name(p.code))}/">'
                        f"{escape(p.title)}</a>（{escape(p.code)}）</li>" for p in powers)
        lines += ["## 相关权力事项 {#powers}", "", f'<ul class="kb-dc-powers">{links}</ul>', ""]
    return lines


def entry_links(entries: list[Entry], base: str) -> str:
    """Links to entries: ``行政处罚裁量基准：CL-ZL-001 违法行为``, for cards and power pages."""
    links = [f'<a href="{escape(base + entry_url(e), quote=True)}">{escape(e.code)} {escape(e.title)}</a>'
             for e in entries]
    return "、".join(links)


def card_line(entries: list[Entry], base: str) -> str:
    """The line under a 罚则 card naming the 裁量基准 entries that rest on the article."""
    if not entries:
        return ""
    titles = "、".join(dict.fromkeys(e.spec.title for e in entries))
    return f'<p class="kb-pen-discretion">{escape(titles)}：{entry_links(entries, base)}</p>'


def power_section(corpus: Corpus, item: PowerItem, base: str) -> list[str]:
    """The section of a power item page listing the 裁量基准 entries on the same articles."""
    entries = power_entries(corpus, item)
    if not entries:
        from kb_tools.powers.model import PowerType

        if item.type is PowerType.PENALTY and discretion_lists(corpus):  # say so rather than stay silent
            return ["## 行政处罚裁量基准 {#discretion}", "",
                    '<p class="kb-dc-none">本局裁量基准中还没有以本事项依据条文为处罚依据的条目。</p>', ""]
        return []
    items = "".join(f"<li>{entry_links([e], base)}</li>" for e in entries)
    return ["## 行政处罚裁量基准 {#discretion}", "", f'<ul class="kb-dc-entries">{items}</ul>', ""]
