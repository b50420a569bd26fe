"""Generated pages for the texts of a regulation over time.

- 新旧对照 ``laws/<slug>/compare-<older date>.md``: an older text beside the text that replaced
  it, article by article, changed characters marked with ``<del>``/``<ins>``, renumbering shown.
- Point in time ``laws/<slug>/<date>.md``: the current text under its own version date, so that
  ``laws/<slug>/<date>/`` is a stable address for every text, current or older (older texts are
  real pages at that path already; when the current text is amended and imported as an older
  version, it takes over this very URL).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from kb_tools.laws.render import law_markdown
from kb_tools.laws.versions import ADDED, DELETED, KIND_LABELS, SPLIT, UNCHANGED, Change, align, diff_html, summary
from kb_tools.model import GeneratedPage
from kb_tools.text import md_text

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """Every 新旧对照 page and every point-in-time page of a current text."""
    for law in corpus.current_laws:
        for older, newer in version_pairs(law):
            yield GeneratedPage(compare_uri(law, older), compare_markdown(corpus, older, newer))
        page = point_in_time_uri(law)
        if page is not None and page[len("laws/"):-len(".md")] not in corpus.laws:
            yield GeneratedPage(page, point_in_time_markdown(corpus, law, page))


def version_pairs(current: Law) -> list[tuple[Law, Law]]:
    """(older, the text that replaced it), oldest pair last, for a current text with versions."""
    chain = [current, *current.versions]
    return [(chain[i + 1], chain[i]) for i in range(len(chain) - 1)]


def _date(law: Law) -> str:
    return law.version_date.isoformat() if law.version_date else "undated"


def _family(law: Law) -> str:
    return law.version_of or law.slug


def compare_uri(current: Law, older: Law) -> str:
    """``laws/行政复议法/compare-2017-09-01.md``."""
    return f"laws/{_family(current)}/compare-{_date(older)}.md"


def point_in_time_uri(law: Law) -> str | None:
    """``laws/建筑法/2019-04-23.md`` for the current text, None when it has no date."""
    if law.version_date is None or law.version_of is not None:
        return None
    return f"laws/{law.slug}/{_date(law)}.md"


def dated_text(corpus: Corpus, src_uri: str) -> Law | None:
    """The current text a generated ``laws/<slug>/<date>.md`` page shows, if ``src_uri`` is one."""
    if not src_uri.startswith("laws/") or not src_uri.endswith(".md") or "/" not in src_uri[5:]:
        return None
    slug, _, date = src_uri[len("laws/"):-len(".md")].rpartition("/")
    law = corpus.laws.get(slug)
    if law is None or law.version_of is not None or law.version_date is None:
        return None
    return law if law.version_date.isoformat() == date else None


def compare_links(corpus: Corpus, law: Law, base: str) -> str:
    """Links to the 新旧对照 pages that involve ``law`` (for its page), or ''."""
    current = corpus.laws.get(law.version_of) if law.version_of else law
    if current is None:
        return ""
    links = []
    for older, newer in version_pairs(current):
        if law is older or law is newer:
            href = f"{base}{compare_uri(current, older)[:-3]}/"
            links.append(f'<a href="{escape(href, quote=True)}">{_date(older)} 文本 ↔ {_date(newer)} 文本</a>')
    if not links:
        return ""
    return f'<p class="kb-compare-links">新旧对照：{"；".join(links)}</p>'


def _label_cell(article: Article | None, law: Law, base: str) -> str:
    if article is None:
        return ""
    href = f"{base}{law.url}#{article.anchor}"
    return f'<a class="kb-compare-label" href="{escape(href, quote=True)}">{article.label}</a>'


#: Up to this many changed articles, the outline starts open.
_OPEN_OUTLINE = 24


def _row_id(index: int) -> str:
    """Fragment of the ``index``-th row (1-based), for the outline of changed articles."""
    return f"change-{index}"


def _outline_label(change: Change) -> str:
    if change.old is not None and change.new is not None and change.renumbered:
        return f"{change.old.label} → {change.new.label}"
    article = change.new or change.old
    return article.label if article is not None else ""


def _outline(changes: list[Change]) -> str:
    """Links to every row whose text changed, grouped by kind, in table order."""
    items = [
        f'<li><a href="#{_row_id(i)}"><span class="kb-compare-kind kb-compare-kind--{change.kind}">'
        f"{KIND_LABELS[change.kind]}</span> {escape(_outline_label(change))}</a></li>"
        for i, change in enumerate(changes, 1) if change.kind != UNCHANGED
    ]
    if not items:
        return '<p class="kb-compare-outline">两个文本的条文内容相同。</p>'
    # A short list is open; a long one (a rewritten law) would push the table off the first screen.
    state = " open" if len(items) <= _OPEN_OUTLINE else ""
    return (f'<details class="kb-compare-outline"{state}><summary>变化的条文（{len(items)}）</summary>'
            f'<ol>{"".join(items)}</ol></details>')


def _row(change: Change, older: Law, newer: Law, base: str, index: int = 0, corpus: Corpus | None = None) -> str:
    old_text = change.old.body if change.old else ""
    new_text = change.new.body if change.new else ""
    if change.kind in (UNCHANGED, ADDED, DELETED):
        left, right = escape(old_text), escape(new_text)
        if change.kind == ADDED:
            right = f"<ins>{right}</ins>"
        elif change.kind == DELETED:
            left = f"<del>{left}</del>"
    else:
        left, right = diff_html(old_text, new_text)
    also = ""
    if change.kind == SPLIT and change.also:
        parts = "、".join(_label_cell(a, newer, base) for a in change.also)
        also_text = "".join(f"<p>{escape(a.label)}　{escape(a.body)}</p>" for a in change.also)
        also = f'<div class="kb-compare-also">另拆分至 {parts}：{also_text}</div>'
    move = ""
    if change.renumbered:
        move = f'<span class="kb-compare-move">{change.old.label} → {change.new.label}</span>'  # type: ignore[union-attr]  # a moved article has both an old and a new text
    kind = f'<span class="kb-compare-kind kb-compare-kind--{change.kind}">{KIND_LABELS[change.kind]}</span>'
    left_html = left.replace("\n", "<br>")
    right_html = right.replace("\n", "<br>")
    ident = f' id="{_row_id(index)}"' if index else ""
    if corpus is not None and change.kind != UNCHANGED:
        from kb_tools.discretion.versions import penalty_change_html  # the content kinds build on the laws

        also += penalty_change_html(corpus, older, newer, change.old, change.new, base)
    return (
        f'<tr class="kb-compare-row kb-compare--{change.kind}"{ident}>'
        f'<td class="kb-compare-old">{_label_cell(change.old, older, base)} {left_html}</td>'
        f'<td class="kb-compare-new">{kind}{move} {_label_cell(change.new, newer, base)} {right_html}{also}</td>'
        "</tr>"
    )


def compare_markdown(corpus: Corpus, older: Law, newer: Law) -> str:
    """The 新旧对照 page of two texts of one regulation.

    Two columns need the width of the screen: the page hides Material's navigation and outline
    sidebars (front matter ``hide``) and carries its own outline of the changed articles; the
    只看变化 button (kb.js, hidden until the script runs) hides the rows whose text is unchanged.
    """
    base = "../../../"  # from laws/<slug>/compare-<date>/ to the site root
    changes = align(older, newer)
    counts = summary(changes)
    when_old, when_new = _date(older), _date(newer)
    facts = " · ".join(f"{label} {counts[kind]}" for kind, label in KIND_LABELS.items())
    rows = "\n".join(_row(change, older, newer, base, i, corpus) for i, change in enumerate(changes, 1))
    return "\n".join([
        "---",
        "hide:",
        "- navigation",
        "- toc",
        "---",
        "",
        f"# 新旧对照：{md_text(newer.title)}",
        "",
        f'<p class="kb-compare-summary">左栏为 <a href="{base}{older.url}">{when_old} 文本</a>'
        f"（{len(older.articles)} 条），"
        f'右栏为 <a href="{base}{newer.url}">{when_new} 文本</a>（{len(newer.articles)} 条）。'
        f"{facts} · 条号变化 {counts['renumbered']}。"
        "删除的文字标为<del>删除</del>，新增的文字标为<ins>新增</ins>。</p>",
        "",
        _outline(changes),
        "",
        '<p class="kb-compare-tools"><button type="button" class="kb-compare-toggle" aria-pressed="false" '
        f'hidden>只看变化</button> <span class="kb-compare-hint">共 {len(changes)} 行，'
        f"文字未变的 {counts[UNCHANGED]} 行</span></p>",
        "",
        '<table class="kb-compare">',
        f"<thead><tr><th>{when_old} 文本</th><th>{when_new} 文本</th></tr></thead>",
        "<tbody>",
        rows,
        "</tbody></table>",
        "",
    ])


def point_in_time_markdown(corpus: Corpus, law: Law, src_uri: str, *, stash: list[str] | None = None) -> str:
    """The current text at its dated address, with a note that it is the current text.

    ``stash``: as in :func:`kb_tools.laws.render.law_markdown` (the plugin renders the articles
    outside Python-Markdown).
    """
    base = "../" * (src_uri.count("/") + 1)
    page = law_markdown(law, status=corpus.status(law), current=None, today=corpus.today, base=base, stash=stash)
    note = (f'<div class="admonition info kb-banner"><p class="admonition-title">按日期引用的地址</p>'
            f"<p>本页是 {_date(law)} 的文本，即现行文本；此地址今后仍指向该日期的文本。"
            f'现行文本的常用地址见 <a href="{base}{law.url}">《{escape(law.title)}》</a>。</p></div>')
    title_end = page.find("\n")
    return page[:title_end] + "\n\n" + note + page[title_end:]
