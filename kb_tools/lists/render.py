"""HTML of list entries shared by the power list and declared lists: legal bases, facts, free text.

A basis line is one ``<details>``: its citations linked (the one resolver) with the status badge
of each regulation, and on opening the text of every cited article, the 款 it names marked.
Everything that comes from a data file is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from kb_tools.lists.model import LegalBasis
from kb_tools.numerals import int_to_cn
from kb_tools.text import md_text

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law


def ref_summary(basis: Iterable[LegalBasis], corpus: Corpus | None) -> str:
    """Short form of the cited articles for a table cell: 《建筑法》第七条、第八条.

    Without a corpus (lists rendered on their own), the bases as their authors wrote them.
    """
    if corpus is None:
        return "；".join(b.text for b in basis)
    parts: list[str] = []
    for entry in basis:
        for ref in entry.refs:
            law = corpus.laws.get(ref.law_slug) if ref.law_slug else None
            if law is None:
                parts.append(ref.text)
                continue
            name = law.short_title or law.title
            labels = "、".join(article_label(law, n, s) for n, s in ref.articles)
            parts.append(f"《{name}》{labels}")
    return "；".join(dict.fromkeys(parts))


def article_label(law: Law, number: int, suffix: int) -> str:
    article = law.article(number, suffix)
    return article.label if article else f"第{number}条"


def text_html(text: str) -> str:
    """Free text (流程, 材料) as paragraphs; line breaks kept, everything escaped."""
    paras = [escape(p) for p in text.split("\n") if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paras)


def basis_html(basis: LegalBasis, corpus: Corpus, base: str) -> str:
    """One line of legal basis as one element: its citations link, and it opens on the articles.

    The ``<summary>`` is the line as written, each citation a link to the article's stable
    address followed by the regulation's status badge (有效 too: a basis must show it is in
    force); opening it shows every cited article in full, from the build (no network), with the
    款 the line names marked. A line that cites no article (a whole law, a 本局文件, nothing
    resolvable) has nothing to open and stays a paragraph. Citation previews are off inside
    (``data-kb-no-preview``): the box itself shows the text, and a tap on the link must open it.
    """
    from kb_tools.citations.resolver import link_citations

    linked, _ = link_citations(escape(basis.text), corpus, base=base, every_status=True)
    cited: list[tuple[Law, Article, tuple[int, ...]]] = []
    notes: list[str] = []
    for ref in basis.refs:
        law = corpus.laws.get(ref.law_slug) if ref.law_slug else None
        if law is None and ref.policy_slug and not ref.problem:
            continue  # a 本局文件: linked in the text
        if law is None:
            problem = escape(ref.problem or "知识库中没有该法规")
            notes.append(f'<p class="kb-pw-unresolved">无法解析：{escape(ref.text)}（{problem}）</p>')
            continue
        for number, suffix in ref.articles:
            article = law.article(number, suffix)
            if article is not None and all(a is not article for _, a, _ in cited):
                cited.append((law, article, ref.clauses_of(number, suffix)))
    if not cited:
        return f'<div class="kb-pw-basis"><p class="kb-pw-basis-text">{linked}</p>{"".join(notes)}</div>'
    headed = len(cited) > 1
    body = "".join(cited_article_html(law, article, clauses, base, headed=headed)
                   for law, article, clauses in cited)
    return (
        '<div class="kb-pw-basis"><details class="kb-pw-article" data-kb-no-preview>'
        f'<summary class="kb-pw-basis-text">{linked}</summary>'
        f'<div class="kb-pw-article-text">{body}</div></details>{"".join(notes)}</div>'
    )


def cited_article_html(law: Law, article: Article, clauses: tuple[int, ...], base: str, *,
                       headed: bool) -> str:
    """One cited article in full, the named 款 marked with their 第M款 label.

    ``headed``: the box holds several articles, so each starts with its own linked citation.
    """
    head = ""
    if headed:
        href = escape(f"{base}{law.url}#{article.anchor}", quote=True)
        head = (f'<p class="kb-pw-cited-head"><a href="{href}">《{escape(law.title)}》{article.label}</a>'
                "</p>")
    blocks: list[str] = []
    for index, clause in enumerate(article.clauses or (("",),), start=1):
        paras = [escape(p) for p in clause]
        if index == 1 and not headed:
            paras[0] = f'<strong class="kb-pw-cited-label">{article.label}</strong>\u3000{paras[0]}'
        if index in clauses:
            paras[0] = f'<span class="kb-pw-clause-label">第{int_to_cn(index)}款</span>{paras[0]}'
            blocks.append('<div class="kb-pw-clause kb-pw-clause--cited">'
                          + "".join(f"<p>{p}</p>" for p in paras) + "</div>")
        else:
            blocks.append("".join(f"<p>{p}</p>" for p in paras))
    return (f'<section class="kb-pw-cited" data-law="{escape(law.slug, quote=True)}" '
            f'data-article="{article.anchor}">{head}{"".join(blocks)}</section>')


def meta_list(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return f'<dl class="kb-pw-meta">{cells}</dl>'




def md_heading(text: str) -> str:
    """A title as a Markdown heading's text: escaped like all data text (:func:`kb_tools.text.md_text`),
    and a ``#`` in it cannot close the heading."""
    return md_text(text).replace("#", "＃")


#: The manual section that says how lists and the power list are kept (file paths, import commands,
#: field rules): staff pages point there in one sentence instead of showing commands.
MANUAL_PAGE = "manual/authors.md"
MANUAL_ANCHOR = "lists"


def maintenance_note(corpus: Corpus, up: str) -> str:
    """One plain sentence for staff: who keeps this list, and (when the site has the manual) a link
    to the section with the paths and commands. ``up``: from the page to the site root (``../``)."""
    sentence = "本清单由政策法规科维护，数据来源与导入方法见维护手册"
    if (corpus.docs_dir / MANUAL_PAGE).is_file():
        href = f"{up}{MANUAL_PAGE[:-3]}/#{MANUAL_ANCHOR}"
        return f'<p class="kb-maintained">{sentence}（<a href="{href}">清单的维护</a>）。</p>'
    return f'<p class="kb-maintained">{sentence}。</p>'
