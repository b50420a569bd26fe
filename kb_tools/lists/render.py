"""HTML of list entries shared by the power list and declared lists: legal bases, facts, free text.

A basis line is shown with its citations linked (the one resolver) and each cited article's text
in a ``<details>``, with its status badge when the law is no longer (or not yet) in force.
Everything that comes from a data file is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from kb_tools.laws.render import status_badge
from kb_tools.lists.model import LegalBasis
from kb_tools.model import Status
from kb_tools.text import md_text

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Law


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
    """One line of legal basis: the text with its citations linked, then each article on expand."""
    from kb_tools.citations.resolver import link_citations

    linked, _ = link_citations(escape(basis.text), corpus, base=base)
    out = [f'<div class="kb-pw-basis"><p class="kb-pw-basis-text">{linked}</p>']
    for ref in basis.refs:
        law = corpus.laws.get(ref.law_slug) if ref.law_slug else None
        if law is None and ref.policy_slug and not ref.problem:
            continue  # a 本局文件: linked in the text above
        if law is None:
            problem = escape(ref.problem or "知识库中没有该法规")
            out.append(f'<p class="kb-pw-unresolved">无法解析：{escape(ref.text)}（{problem}）</p>')
            continue
        status = corpus.status(law)
        badge = "" if status is Status.IN_FORCE else " " + status_badge(status)
        for number, suffix in ref.articles:
            article = law.article(number, suffix)
            if article is None:
                continue
            href = f"{base}{law.url}#{article.anchor}"
            body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
            preview = escape(article.text[:400], quote=True)
            out.append(
                f'<details class="kb-pw-article" data-law="{escape(law.slug)}" data-article="{article.anchor}">'
                f'<summary><a href="{escape(href)}" title="{preview}">《{escape(law.title)}》{article.label}</a>'
                f"{badge}</summary>"
                f'<div class="kb-pw-article-text">{body}</div></details>'
            )
    out.append("</div>")
    return "".join(out)


def meta_list(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return f'<dl class="kb-pw-meta">{cells}</dl>'




def md_heading(text: str) -> str:
    """A title as a Markdown heading's text: escaped like all data text (:func:`kb_tools.text.md_text`),
    and a ``#`` in it cannot close the heading."""
    return md_text(text).replace("#", "＃")
