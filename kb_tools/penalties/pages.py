"""罚则 on the site: a card under each penalty article, the way back from an obligation, and the
cross-law table at ``laws/penalties/``.

Everything shown comes from :mod:`kb_tools.penalties.extract` and every word of the article is
escaped. Each sanction keeps the article's words in its ``title`` (hover or long-press shows what
the range was read from); an article not read completely says so in the card and in the table.
The table rows are HTML with ``data-*`` attributes, so the page works without JavaScript and
``penalties.js`` only hides rows (law, kind, amount, words; kept in the address for sharing).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from kb_tools.laws.model import article_anchor
from kb_tools.laws.render import add_to_articles, status_badge
from kb_tools.model import GeneratedPage, Level
from kb_tools.numerals import int_to_cn, parse_article_label
from kb_tools.penalties.model import KINDS, PenaltyArticle, PenaltyIndex, Sanction

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law

TABLE_PAGE = "laws/penalties.md"
#: The downloads beside the table (paths below the site).
EXPORTS = {
    "csv": ("laws/penalties/penalties.csv", "罚则索引.csv"),
    "xlsx": ("laws/penalties/penalties.xlsx", "罚则索引.xlsx"),
    "json": ("laws/penalties/penalties.json", "penalties.json"),
}
OTHER_KIND = "其他"
UNREAD_KIND = "未完整读取"
_WIDE = "---\nhide:\n  - toc\n---\n"
_YUAN = {"元": 1, "万元": 10_000}


def index_of(corpus: Corpus) -> PenaltyIndex:
    return corpus.penalties or PenaltyIndex()


# --- cards on regulation pages -----------------------------------------------------------------


def _chip(sanction: Sanction) -> str:
    words = escape(sanction.kind)
    amount = sanction.range_text()
    if amount:
        words += f' <span class="kb-pen-range">{escape(amount)}</span>'
    if sanction.target:
        words += f' <span class="kb-pen-target">（对{escape(sanction.target)}）</span>'
    return f'<span class="kb-pen-chip" title="原文：{escape(sanction.text, quote=True)}">{words}</span>'


def _groups(penalty: PenaltyArticle) -> list[tuple[str, list[Sanction]]]:
    """Sanctions by (款, tier), first appearance first; labelled 处罚 / 情节严重的 / 第二款 …"""
    several = len({s.paragraph for s in penalty.sanctions}) > 1
    groups: dict[tuple[int, str | None], list[Sanction]] = {}
    for sanction in penalty.sanctions:
        groups.setdefault((sanction.paragraph if several else 0, sanction.tier), []).append(sanction)
    out = []
    for (paragraph, tier), sanctions in groups.items():
        label = tier or "处罚"
        if paragraph:
            label = f"第{int_to_cn(paragraph)}款 · {label}"
        out.append((label, sanctions))
    return out


def _violates_links(penalty: PenaltyArticle, law: Law, href_base: str) -> list[str]:
    links = []
    for label in penalty.violates:
        number, suffix = parse_article_label(label)
        if law.article(number, suffix) is None:
            links.append(escape(label))
        else:
            href = f"{escape(href_base, quote=True)}#{article_anchor(number, suffix)}"
            links.append(f'<a href="{href}">{escape(label)}</a>')
    return links


def card_html(penalty: PenaltyArticle, law: Law, base: str) -> str:
    """The compact 罚则 card under one article of a regulation page."""
    head = ['<span class="kb-pen-title">罚则</span>']
    violated = _violates_links(penalty, law, "")
    if violated:
        head.append("违反：" + "、".join(violated))
    if penalty.authority:
        head.append(f"实施机关：{escape(penalty.authority)}")
    index = f"{base}laws/penalties/?law={escape(law.version_of or law.slug, quote=True)}"
    head.append(f'<a class="kb-pen-index" href="{index}">罚则索引</a>')
    rows = "".join(
        f'<dt>{escape(label)}</dt><dd>{"".join(_chip(s) for s in sanctions)}</dd>'
        for label, sanctions in _groups(penalty)
    )
    body = f'<dl class="kb-pen-tiers">{rows}</dl>' if rows else ""
    unread = ""
    if not penalty.complete:
        clauses = "；".join(f"“{escape(u)}”" for u in penalty.unread)
        unread = f'<p class="kb-pen-unread">未能完整读取（以条文为准）：{clauses}</p>'
    return f'<div class="kb-pen" data-complete="{str(penalty.complete).lower()}"><p class="kb-pen-head">' \
           f'{" · ".join(head)}</p>{body}{unread}</div>'


def back_links_html(anchors: list[str], law: Law) -> str:
    """"违反本条的法律责任：第N条" under an obligation article that penalty articles name."""
    links = []
    for anchor in anchors:
        article = next((a for a in law.articles if a.anchor == anchor), None)
        if article is not None:
            links.append(f'<a href="#{anchor}">{escape(article.label)}</a>')
    if not links:
        return ""
    return f'<p class="kb-pen-back">违反本条的法律责任：{"、".join(links)}</p>'


def decorate_law_html(html: str, corpus: Corpus, law: Law, base: str) -> str:
    """Add the 罚则 card and the "违反本条的法律责任" line to each article of a regulation page.

    The card names the 裁量基准 entries resting on the article (``kb_tools.discretion``).
    """
    from kb_tools.discretion.links import entries_for_article  # 裁量基准 builds on the penalties, not back
    from kb_tools.discretion.pages import card_line

    index = index_of(corpus)
    penalties = index.by_law.get(law.slug, {})
    back = index.violated_by.get(law.slug, {})
    if not penalties and not back:
        return html

    def add(anchor: str) -> str:
        extra = ""
        if anchor in penalties:
            extra += card_html(penalties[anchor], law, base)
            if law.version_of is None:  # entries rest on current texts
                extra += card_line(entries_for_article(corpus, law.slug, anchor), base)
        if anchor in back:
            extra += back_links_html(back[anchor], law)
        return extra

    return add_to_articles(html, add)


# --- search ------------------------------------------------------------------------------------


def article_terms(corpus: Corpus, law: Law, article: Article) -> str:
    """Words a penalty article adds to its search document: the acts it punishes and what with.

    Queries describe an act and ask what follows ("转包 怎么罚", "违法分包 如何处罚"); repeating
    the act phrases and naming the sanctions (罚：罚款、…) lets such a query reach the article that
    punishes the act before the one that forbids it.
    """
    penalty = index_of(corpus).article(law.slug, article.anchor)
    if penalty is None:
        return ""
    # Vocabulary words only: an order named by its own words ("吊销燃气经营许可证") would weigh
    # its object words a second time.
    kinds = "、".join(k for k in penalty.kinds if k in KINDS) or "见条文"
    return f"罚则（处罚） 罚：{kinds}"


# --- the cross-law table -----------------------------------------------------------------------


def table_rows(corpus: Corpus) -> list[tuple[Law, PenaltyArticle]]:
    """The current texts' penalty articles, by level, title and article order."""
    index = index_of(corpus)
    laws = sorted((law for law in corpus.current_laws if law.slug in index.by_law),
                  key=lambda law: (law.level.rank, law.title))
    return [(law, penalty) for law in laws for penalty in index.of_law(law.slug)]


def _fine_bounds(sanction: Sanction) -> str | None:
    """``min-max`` in 元 for a fixed-amount fine (open ends empty), for the amount filter."""
    if not sanction.is_fine or sanction.unit not in _YUAN or (sanction.min is None and sanction.max is None):
        return None
    factor = _YUAN[sanction.unit]
    low = "" if sanction.min is None else f"{sanction.min * factor:g}"
    high = "" if sanction.max is None else f"{sanction.max * factor:g}"
    return f"{low}-{high}"


def row_kinds(penalty: PenaltyArticle) -> list[str]:
    """The filter values of a row: vocabulary kinds, 其他 for the rest, 未完整读取."""
    kinds = [k for k in penalty.kinds if k in KINDS]
    if any(k not in KINDS for k in penalty.kinds):
        kinds.append(OTHER_KIND)
    if not penalty.complete:
        kinds.append(UNREAD_KIND)
    return kinds


def _row(law: Law, penalty: PenaltyArticle, corpus: Corpus) -> str:
    href = f"../{law.slug}/"
    acts = "".join(f"<li>{escape(a)}</li>" for a in penalty.acts) or "<li>（见条文）</li>"
    violated = "、".join(_violates_links(penalty, law, href)) or "—"
    status = corpus.status(law)
    badge = "" if status.value == "有效" else " " + status_badge(status)
    article = (f'<a class="kb-pen-article" href="{escape(href, quote=True)}#{penalty.anchor}">'
               f"《{escape(law.short_title or law.title)}》{escape(penalty.article_label)}</a>{badge}")
    groups = "".join(
        f'<div class="kb-pen-group"><span class="kb-pen-tier">{escape(label)}</span>'
        f'{"".join(_chip(s) for s in sanctions)}</div>'
        for label, sanctions in _groups(penalty)
    )
    if not penalty.complete:
        groups += (f'<div class="kb-pen-unread">未能完整读取：'
                   f'{"；".join(escape(u) for u in penalty.unread)}</div>')
    fines = ";".join(b for s in penalty.sanctions if (b := _fine_bounds(s)) is not None)
    kinds = "|".join(row_kinds(penalty))
    attrs = (f'data-law="{escape(law.slug, quote=True)}" data-kinds="{escape(kinds, quote=True)}"'
             f' data-fines="{escape(fines, quote=True)}"')
    return (f"<tr {attrs}>"
            f'<td data-label="违法行为"><ul class="kb-pen-acts">{acts}</ul></td>'
            f'<td data-label="违反条款">{violated}</td>'
            f'<td data-label="罚则条款">{article}</td>'
            f'<td data-label="处罚种类和幅度">{groups}</td></tr>')


def _options(values: Iterable[tuple[str, str]]) -> str:
    return "".join(f'<option value="{escape(v, quote=True)}">{escape(t)}</option>' for v, t in values)


def table_markdown(corpus: Corpus) -> str:
    """``laws/penalties/``: the filterable cross-law table with its downloads."""
    rows = table_rows(corpus)
    laws = list({law.slug: law for law, _ in rows}.values())
    used = {k for _, p in rows for k in row_kinds(p)}
    kinds = [k for k in (*KINDS, OTHER_KIND, UNREAD_KIND) if k in used]
    complete = sum(p.complete for _, p in rows)
    fines = sum(1 for _, p in rows if any(s.is_fine for s in p.sanctions))
    downloads = " · ".join(
        f'<a href="{escape(path.rsplit("/", 1)[1])}" download="{escape(name, quote=True)}">{escape(name)}</a>'
        for path, name in EXPORTS.values()
    )
    levels = [law.level for law in laws]
    law_options = _options((law.slug, f"{law.short_title or law.title}（{law.level.value}）") for law in laws)
    form = (
        '<form class="kb-pen-filters" data-table="kb-pen-table" role="search" aria-label="筛选罚则" '
        'onsubmit="return false">'
        f'<label>法规 <select data-filter="law"><option value="">全部法规</option>{law_options}</select></label>'
        f'<label>处罚种类 <select data-filter="kind"><option value="">全部种类</option>'
        f"{_options((k, k) for k in kinds)}</select></label>"
        '<label>罚款金额（元） <input data-filter="amount" type="text" inputmode="decimal" '
        'placeholder="如 50000 或 5万" size="10"></label>'
        '<label>违法行为 <input data-filter="q" type="search" placeholder="如 转包、未取得施工许可证" '
        'size="16"></label>'
        '<span class="kb-pen-count" aria-live="polite"></span></form>'
    )
    head = "".join(f'<th scope="col">{h}</th>' for h in ("违法行为", "违反条款", "罚则条款", "处罚种类和幅度"))
    body = "".join(_row(law, penalty, corpus) for law, penalty in rows)
    level_counts = "、".join(f"{level.value} {levels.count(level)} 部" for level in Level if level in levels)
    return "\n".join([
        _WIDE,
        "# 罚则索引",
        "",
        '<div class="kb-pen-assets"><script src="../../assets/kb/penalties.js" defer></script></div>',
        "",
        f"从知识库中 {len(laws)} 部法规（{level_counts}）的条文中找出的罚则条款 **{len(rows)}** 条，"
        f"其中 {fines} 条设有罚款。每条列出所罚的违法行为（条文原话）、违反的条款、处罚种类和幅度，"
        "并按情节分档（“情节严重的”“逾期不改正的”等）。",
        "",
        f"所有金额、比例和计罚基数都摘自条文原文（鼠标停在处罚上可看原文）；"
        f"有 {len(rows) - complete} 条含有未能完整读取的内容，已标明“未能完整读取”，请以条文为准。"
        "这是检索辅助，不替代对条文的阅读和本局的裁量基准。",
        "",
        f"下载：{downloads}（CSV、Excel 每行一项处罚；JSON 每条一个对象）",
        "",
        form,
        "",
        f'<table id="kb-pen-table" class="kb-pen-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>',
        "",
        '<p class="kb-pen-none" hidden>没有符合条件的罚则。</p>',
        "",
    ])


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """The page generator of the penalties feature (``kb_tools.features``)."""
    if index_of(corpus).by_law:
        yield GeneratedPage(TABLE_PAGE, table_markdown(corpus))
