"""The Markdown of a regulation page, made from the model (never from the raw file).

Articles become raw HTML sections with a stable id, a permalink label and a "copy citation"
button, so the anchor element begins with the article's 第N条 label; chapter headings stay
Markdown so that the theme's table of contents shows the outline. Pure functions.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from html import escape

from kb_tools.laws.model import Article, DivisionKind, Law
from kb_tools.laws.outline import outline_html
from kb_tools.model import Level, Status
from kb_tools.printing import running_header
from kb_tools.text import md_text


def status_badge(status: Status) -> str:
    """The inline badge used on pages and in every list."""
    return f'<span class="kb-status kb-status--{status.css_class}">{status.value}</span>'


def _date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def version_qualifier(law: Law, status: Status | None = None) -> str:
    """What a citation adds after 《title》 so that it names this text: （2017年修正）, （已废止）.

    An older version is cited in the standard form, by the year and kind of its last change
    (修正 / 修订, from the history; 公布 for an unamended first text). A repealed regulation says
    so, so that a pasted citation does not pass for the law in force.

    >>> import datetime as dt
    >>> from kb_tools.laws.model import HistoryEvent
    >>> from kb_tools.model import Level
    >>> old = Law(slug="x/2017", src_path="", title="甲法", level=Level.LAW, promulgated=dt.date(1999, 4, 29),
    ...           amended=(dt.date(2017, 9, 1),), version_of="x",
    ...           history=(HistoryEvent(dt.date(2017, 9, 1), "……第二次修正"),))
    >>> version_qualifier(old)
    '（2017年修正）'
    """
    if law.version_of is not None and law.version_date is not None:
        date = law.version_date
        event = next((e.text for e in law.history if e.date == date), "")
        kind = "修订" if "修订" in event else "修正" if ("修正" in event or law.amended) else "公布"
        return f"（{date.year}年{kind}）"
    if status is Status.REPEALED:
        return "（已废止）"
    return ""


def article_html(law: Law, article: Article, *, qualifier: str = "") -> str:
    """One article as a ``<section>`` whose text begins with its label.

    The ``data-cite`` attribute holds the citation copied by the "复制引用" button, which sits
    inline after the label so that it never narrows the text beside it.
    """
    return _article_html(law.title, article, qualifier)


#: Articles rendered, kept for the dated texts (``laws/<slug>/<date>/`` repeats the current
#: articles) and for `mkdocs serve` rebuilds (an unchanged regulation keeps its Article objects).
#: Bounded: at the 1,510-regulation scale the memory would otherwise grow with the corpus.
ARTICLE_CACHE_SIZE = 16_384
#: The bound while `mkdocs serve` runs (:func:`keep_articles`): every article of the 1,510-regulation
#: site (about 64,000 current, 180,000 rendered per build with the dated and older texts). With the
#: smaller bound each rebuild rendered them all again (some 5 s of a 30 s rebuild); serve trades
#: about 100 MiB for it, a one-off build keeps the small bound (its peak memory is a target).
ARTICLE_CACHE_SERVE = 1 << 18


def _render_article(title: str, article: Article, qualifier: str) -> str:
    """:func:`article_html` of a value key (an Article is a frozen dataclass: hashed by value)."""
    paras = [escape(p) for p in article.paragraphs] or [""]
    label = (
        f'<a class="kb-article-label" href="#{article.anchor}" title="本条链接">{article.label}</a>'
    )
    cite = escape(f"《{title}》{qualifier}{article.label}", quote=True)
    button = (
        f'<button class="kb-copy" type="button" data-cite="{cite}" data-anchor="{article.anchor}" '
        f'title="复制引用（法规名称、条号和链接）">复制引用</button>'
    )
    first = f"<p>{label}{button}\u3000{paras[0]}</p>"
    rest = "".join(f"<p>{p}</p>" for p in paras[1:])
    return (
        f'<section class="kb-article" id="{article.anchor}" data-article="{article.label}">'
        f"{first}{rest}</section>"
    )


_article_html = functools.lru_cache(maxsize=ARTICLE_CACHE_SIZE)(_render_article)


def keep_articles(size: int) -> None:
    """Bound the rendered-article cache to ``size`` entries (the plugin raises it for `serve`)."""
    global _article_html
    if _article_html.cache_info().maxsize != size:
        _article_html = functools.lru_cache(maxsize=size)(_render_article)


def law_meta_block(law: Law, status: Status, versions: str = "") -> str:
    """The facts box under the title: status, level, issuer, number, dates, categories.

    ``versions`` (from :func:`versions_list`) becomes a full-width last row.
    """
    rows = [("时效性", status_badge(status)), ("效力级别", escape(law.level.value))]
    if law.authority:
        rows.append(("制定机关", escape(law.authority)))
    if law.doc_number:
        rows.append(("文号", escape(law.doc_number)))
    if law.promulgated:
        rows.append(("公布日期", _date(law.promulgated)))
    if law.amended:
        rows.append(("修改日期", "、".join(_date(d) for d in law.amended)))
    if law.effective:
        rows.append(("施行日期", _date(law.effective)))
    if law.repealed:
        rows.append(("废止日期", _date(law.repealed)))
    if law.category:
        rows.append(("分类", "、".join(escape(c) for c in law.category)))
    rows.append(("条文数", str(len(law.articles))))
    cells = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    if versions:
        cells += f'<dt class="kb-wide">文本版本</dt><dd class="kb-wide">{versions}</dd>'
    return f'<dl class="kb-law-meta">{cells}</dl>'


def version_banner(law: Law, current: Law | None, status: Status, base: str) -> str:
    """A banner on an older or repealed text pointing to the text in force."""
    if law.version_of is not None and current is not None:
        when = _date(law.version_date)
        return (
            f'<div class="admonition warning kb-banner"><p class="admonition-title">这是历史版本</p>'
            f"<p>本页是{when}的文本（{status.value}）。现行有效文本见 "
            f'<a href="{base}{current.url}">《{escape(current.title)}》</a>。</p></div>'
        )
    if status is Status.REPEALED:
        succ = ""
        if law.successor:
            succ = f"，已由《{escape(law.successor)}》取代"
        return (
            f'<div class="admonition danger kb-banner"><p class="admonition-title">已废止</p>'
            f"<p>本法规已于{_date(law.repealed)}废止{succ}。</p></div>"
        )
    if status is Status.NOT_YET_EFFECTIVE:
        return (
            f'<div class="admonition info kb-banner"><p class="admonition-title">尚未生效</p>'
            f"<p>本法规自{_date(law.effective)}起施行。</p></div>"
        )
    return ""


def versions_list(current: Law, today: dt.date, base: str, this: Law) -> str:
    """The version list shown on every text of a regulation that has several, newest first;
    the text being read is marked, every other one is a link."""
    if not current.versions:
        return ""
    items = []
    for law in [current, *current.versions]:
        label = f"{_date(law.version_date)}文本" + ("（现行）" if law is current else "")
        badge = status_badge(law.status(today))
        if law is this:
            items.append(f'<li aria-current="page"><strong>{label}</strong> {badge}</li>')
        else:
            items.append(f'<li><a href="{base}{law.url}">{label}</a> {badge}</li>')
    return f'<ul class="kb-versions" title="共 {len(items)} 个文本">{"".join(items)}</ul>'


def breadcrumbs(law: Law, base: str) -> str:
    """法律法规 › 效力级别 above the title: regulation pages are outside the navigation tree,
    so this is the way back to the lists."""
    level = f'<a href="{base}laws/by-level/#{level_anchor(law.level)}">{escape(law.level.value)}</a>'
    return f'<nav class="kb-crumbs" aria-label="位置"><a href="{base}laws/">法律法规</a> › {level}</nav>'


def level_anchor(level: Level) -> str:
    """Stable fragment of a level's group on the by-level index (``level-1`` is 法律).

    >>> level_anchor(Level.LAW)
    'level-1'
    """
    return f"level-{level.rank}"


#: Stands in the Markdown for a run of articles kept aside (see ``law_markdown(stash=…)``).
ARTICLES_MARK = "<!-- kb:articles {} -->"


def law_markdown(law: Law, *, status: Status, current: Law | None, today: dt.date,
                 base: str, successor_url: str | None = None, stash: list[str] | None = None) -> str:
    """The whole page of a regulation.

    Args:
        law: the text to render (a current text or an older version).
        status: its 时效性 on the build date.
        current: the current text when ``law`` is an older version.
        today: the build date (for the status of other versions).
        base: relative path from this page to the site root (``../../``).
        successor_url: link target of the successor of a repealed regulation.
        stash: when given, the articles' HTML is appended to it and the Markdown holds one
            ``ARTICLES_MARK`` comment per run of articles instead; :func:`restore_articles`
            puts them back into the rendered page. The articles are finished HTML, and
            letting Python-Markdown's HTML parser walk tens of thousands of them was most of
            a large site's build time.
    """
    out = [breadcrumbs(law, base), "", running_header(f"《{law.title}》", f"时效性：{status.value}"), "",
           f"# {md_text(law.title)}", ""]
    banner = version_banner(law, current, status, base)
    if successor_url and law.successor:
        banner = banner.replace(
            f"《{escape(law.successor)}》", f'<a href="{successor_url}">《{escape(law.successor)}》</a>'
        )
    if banner:  # before the facts: a reader must not miss that this text is not the one in force
        out += [banner, ""]
    versions = versions_list(current or law, today, base, law)
    out += [law_meta_block(law, status, versions), ""]
    outline = outline_html(law)  # phones: Material shows no table of contents below 76.25em
    if outline:
        out += [outline, ""]
    for para in law.preamble:
        out += [f'<p class="kb-preamble">{escape(para)}</p>', ""]
    by_division: dict[str, list[Article]] = {}
    loose: list[Article] = []
    for article in law.articles:
        if article.divisions:
            by_division.setdefault(article.divisions[-1], []).append(article)
        else:
            loose.append(article)
    qualifier = version_qualifier(law, status)

    def add_articles(articles: list[Article] | tuple[Article, ...]) -> None:
        blocks = [article_html(law, article, qualifier=qualifier) for article in articles]
        if stash is None or not blocks:
            for block in blocks:
                out.extend((block, ""))
            return
        stash.append("\n\n".join(blocks))  # as Markdown emits consecutive raw HTML blocks
        out.extend((ARTICLES_MARK.format(len(stash) - 1), ""))

    add_articles(loose)
    for division in law.divisions:
        hashes = "#" * min(max(division.depth, 2), 6)
        if division.kind is DivisionKind.HEADING:
            hashes = "##"
        out += [f"{hashes} {md_text(division.heading)} {{#{division.anchor}}}", ""]
        add_articles(by_division.get(division.anchor, ()))
    return "\n".join(out)


_ARTICLE_OPEN_RE = re.compile(r'<section class="kb-article" id="(article-[0-9-]+)"[^>]*>')


def add_to_articles(html: str, extra: Callable[[str], str]) -> str:
    """``extra(anchor)`` put at the end of each article's ``<section>`` (before its ``</section>``).

    The cards, cited-by lists and back links of a regulation page go there. A regular expression
    spanning each whole section (``<section …>.*?</section>``) did the same, one character at a
    time: on the 1,510-regulation site the two decorations cost some 3 s of every build; finding
    the ends with ``str.find`` costs a tenth. Sections do not nest.
    """
    out: list[str] = []
    pos = done = 0
    for match in _ARTICLE_OPEN_RE.finditer(html):
        if match.start() < done:
            continue  # inside the section just handled
        end = html.find("</section>", match.end())
        if end < 0:
            break
        done = end + len("</section>")
        added = extra(match.group(1))
        if added:
            out += (html[pos:end], added)
            pos = end
    out.append(html[pos:])
    return "".join(out)


def restore_articles(html: str, stash: list[str]) -> str:
    """Put the articles kept aside by ``law_markdown(stash=…)`` back in place of their marks."""
    for index, block in enumerate(stash):
        html = html.replace(ARTICLES_MARK.format(index), block, 1)
    return html
