"""Search documents: what both indexes (whoosh on disk, static in the browser) are built from.

One document per article of every regulation (current texts and older versions), and one per
section (heading) of every other Markdown page below ``docs/``. A hit names the regulation and
the article (第N条) and links to the article's anchor; the fields here are everything a result
line or a filter needs, already flattened to strings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.cache import content_key
from kb_tools.corpus import pages_of
from kb_tools.frontmatter import Document, load_document, privacy_of_value, split_front_matter
from kb_tools.search.mechanisms import enabled

if TYPE_CHECKING:
    from kb_tools.cache import SourceCache
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law

#: ``kind`` of a search document.
ARTICLE = "article"
SECTION = "section"
#: A 行政处罚裁量基准 entry: the bureau's own rule for applying a penalty article, ranked nearer the
#: articles than other sections (``ranking.KIND_FACTOR``); ``kind:standard`` in a query.
STANDARD = "standard"

_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_ATTR_ID_RE = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
_ATTR_RE = re.compile(r"\s*\{[^}]*\}\s*$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_NOISE_RE = re.compile(r"<[^>]+>|[*`|]+|^\s*>|^\s*[-+]\s+|^\s*\d+\.\s+|^\s*-{3,}\s*$", re.MULTILINE)


@dataclass(frozen=True)
class SearchDoc:
    """One search document.

    Attributes:
        id: unique and stable: the URL with its anchor (``laws/建筑法/#article-8``).
        kind: :data:`ARTICLE` or :data:`SECTION`.
        page: ``src_uri`` of the page the document comes from (incremental updates work per page).
        title: regulation title (articles) or page title (sections).
        short_title: the regulation's short title; empty for sections.
        aliases: further names of the regulation, space-separated.
        chapter: enclosing 编/章/节 headings (articles) or the section heading (sections).
        article: the article label ``第八条`` / ``第十条之一``; empty for sections.
        number: the article number (0 for sections); ``suffix``: its 之N part.
        text: the article text without its label, or the section's plain text.
        level: 效力级别 (empty for sections); ``status``: 时效性 (empty for sections).
        category: the regulation's categories, space-separated.
        doc_number: 文号.
        promulgated: 公布日期 (ISO); ``effective``: 施行日期 (ISO).
        url: site-relative URL with anchor.
        law: slug of the regulation; ``current``: slug of its current text (itself when current).
        anchor: the words the bureau's own pages use around their citations of this article
            (``corpus.citations.anchors``), scored as a low-weight field; empty for sections.
    """

    id: str
    kind: str
    page: str
    title: str
    url: str
    text: str
    short_title: str = ""
    aliases: str = ""
    chapter: str = ""
    article: str = ""
    number: int = 0
    suffix: int = 0
    level: str = ""
    status: str = ""
    category: str = ""
    doc_number: str = ""
    promulgated: str = ""
    effective: str = ""
    law: str = ""
    current: str = ""
    anchor: str = ""

    def as_dict(self) -> dict[str, object]:
        """Plain dict (JSON-ready)."""
        return asdict(self)

    def content_hash(self) -> str:
        """A short hash of every field: an unchanged hash means an unchanged index entry."""
        values = tuple(getattr(self, f.name) for f in _FIELDS)  # not asdict(): it deep-copies, slowly
        return hashlib.sha1(repr(values).encode("utf-8")).hexdigest()[:16]


_FIELDS = fields(SearchDoc)


def search_documents(corpus: Corpus) -> list[SearchDoc]:
    """Every search document of the corpus: articles of all regulations, sections of other pages.

    Other pages are the Markdown files below ``docs/`` and the pages other content kinds
    generate (权力事项, 学法计划 …). Respects ``corpus.public_only``: regulations were already
    dropped at load time, and pages whose front matter says ``public: false`` are skipped here.
    Built once per corpus: the whoosh index and the static index are written from the same list.
    """
    if corpus.search_docs is not None:
        return corpus.search_docs
    docs: list[SearchDoc] = []
    for law in corpus.laws.values():
        docs.extend(law_documents(corpus, law))
    docs.extend(page_documents(corpus.docs_dir, public_only=corpus.public_only, sources=corpus.sources))
    docs.extend(generated_documents(corpus))
    corpus.search_docs = docs
    return docs


def generated_documents(corpus: Corpus) -> list[SearchDoc]:
    """Sections of the generated pages of indexed features, and the features' own documents.

    Features marked ``indexed=False`` (regulation indexes, comparisons, the citation graph) only
    re-present regulation text that is already indexed article by article.
    """
    docs: list[SearchDoc] = []
    for feature in corpus.features:
        if feature.documents is not None:
            docs.extend(feature.documents(corpus))
        if feature.pages is None or not feature.indexed:
            continue
        try:
            generated = pages_of(corpus, feature)
        except Exception:  # a broken generator is reported by the build, not by search
            continue
        for page in generated:
            if page.src_uri.startswith("laws/") or not page.src_uri.endswith(".md"):
                continue
            if (corpus.docs_dir / page.src_uri).is_file():
                continue  # a file in docs/ takes precedence, as in the plugin
            docs.extend(text_documents(page.markdown, page.src_uri, public_only=corpus.public_only))
    return docs


def law_documents(corpus: Corpus, law: Law) -> list[SearchDoc]:
    """One document per article of one regulation."""
    status = corpus.status(law).value
    headings = {d.anchor: d.heading for d in law.divisions}
    names = [n for n in law.aliases if n and n not in (law.title, law.short_title)]
    common = {
        "page": law.src_path,
        "title": law.title,
        "short_title": law.short_title,
        "aliases": " ".join(names),
        "level": law.level.value,
        "status": status,
        "category": " ".join(law.category),
        "doc_number": law.doc_number,
        "promulgated": law.promulgated.isoformat() if law.promulgated else "",
        "effective": law.effective.isoformat() if law.effective else "",
        "law": law.slug,
        "current": law.version_of or law.slug,
    }
    anchors = corpus.citations.anchors if enabled("anchors") else {}
    terms = [f.article_terms for f in corpus.features if f.article_terms is not None]
    return [
        _article_doc(law, article, headings, common, "\n".join(anchors.get((law.slug, *article.key), ())),
                     "".join(term(corpus, law, article) for term in terms))
        for article in law.articles
    ]


def _article_doc(law: Law, article: Article, headings: dict[str, str], common: dict, anchor: str,
                 extra: str = "") -> SearchDoc:
    """An article's document; ``extra`` is what content kinds add to its text (罚则 …), after the text."""
    url = f"{law.url}#{article.anchor}"
    chapter = " ".join(headings[a] for a in article.divisions if a in headings)
    text = f"{article.body}\n{extra}" if extra else article.body
    return SearchDoc(id=url, kind=ARTICLE, url=url, text=text, chapter=chapter,
                     article=article.label, number=article.number, suffix=article.suffix, anchor=anchor, **common)


def page_documents(docs_dir: Path, *, public_only: bool = False, sources: SourceCache | None = None) -> list[SearchDoc]:
    """One document per section of every Markdown page below ``docs/`` that is not a regulation.

    ``sources``: the build's reader; the sections of a page are then cut once per content.
    """
    docs: list[SearchDoc] = []
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else ():
        rel = path.relative_to(docs_dir).as_posix()
        if rel.startswith("laws/") and rel != "laws/index.md":
            continue  # regulation pages: their articles are the documents
        if rel.startswith("policies/") and rel != "policies/index.md":
            continue  # 本局文件: their numbered items are the documents (kb_tools.policies.search)
        if sources is None:
            docs.extend(markdown_documents(path, rel, public_only=public_only))
            continue
        doc, _problem = sources.document(path, rel)
        key = content_key(rel, sources.digest(path), public_only)
        docs.extend(sources.derived("sections", key, partial(_section_tuple, doc, rel, public_only)))
    return docs


def markdown_documents(path: Path, rel: str, *, public_only: bool = False) -> list[SearchDoc]:
    """The sections of one Markdown page (the text before the first heading counts as one)."""
    doc, _problem = load_document(path, rel)
    return _sections(doc, rel, public_only=public_only) if doc is not None else []


def text_documents(markdown: str, rel: str, *, public_only: bool = False) -> list[SearchDoc]:
    """The sections of a page given as text (a generated page)."""
    doc, _problem = split_front_matter(markdown, rel)
    return _sections(doc, rel, public_only=public_only) if doc is not None else []


def _section_tuple(doc: Document | None, rel: str, public_only: bool) -> tuple[SearchDoc, ...]:
    """The page's sections as a tuple: the cached value is shared between builds, so it must
    not be a list a caller could extend."""
    return tuple(_sections(doc, rel, public_only=public_only)) if doc is not None else ()


def _sections(doc: Document, rel: str, *, public_only: bool) -> list[SearchDoc]:
    if (public_only and privacy_of_value(doc.meta.get("public")) is not False) or doc.meta.get("draft") is True:
        return []
    url = page_url(rel)
    page_title = str(doc.meta.get("title") or "")
    docs = []
    for level, heading, anchor, text in split_sections(doc.body):
        if not page_title and heading:
            page_title = heading
        plain = plain_text(text)
        if not plain:
            continue
        section_url = f"{url}#{anchor}" if anchor and level > 1 else url
        docs.append(SearchDoc(
            id=section_url, kind=SECTION, page=rel, title=page_title or rel, url=section_url,
            text=plain, chapter=heading,
        ))
    # The first section's title may only be known from its heading.
    return [d if d.title != rel else _retitle(d, page_title) for d in docs]


def _retitle(doc: SearchDoc, title: str) -> SearchDoc:
    return replace(doc, title=title or doc.page)


def page_url(rel: str) -> str:
    """The site-relative URL of a page with ``use_directory_urls`` (``manual/authors.md`` -> ``manual/authors/``).

    >>> page_url("index.md"), page_url("manual/index.md"), page_url("manual/authors.md")
    ('', 'manual/', 'manual/authors/')
    """
    stem = rel[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def split_sections(body: str) -> Iterable[tuple[int, str, str, str]]:
    """``(level, heading, anchor, text)`` for each section of a Markdown body (level 0: before any heading).

    Anchors follow Python-Markdown's ``toc`` extension defaults (``{#id}`` wins, else the
    slug, ``_1``, ``_2`` … for headings with no ASCII letters), so links land on the heading.
    """
    from markdown.extensions.toc import slugify, unique  # Python-Markdown, a dependency of mkdocs

    used: set[str] = set()
    level, heading, anchor, lines = 0, "", "", []
    in_fence = False
    for line in body.splitlines():
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING_RE.match(line)
        if match is None:
            lines.append(line)
            continue
        yield level, heading, anchor, "\n".join(lines)
        level, raw = len(match.group(1)), match.group(2)
        explicit = _ATTR_ID_RE.search(raw)
        heading = _ATTR_RE.sub("", raw).strip()
        anchor = explicit.group(1) if explicit else unique(slugify(plain_text(heading), "-"), used)
        used.add(anchor)
        lines = []
    yield level, heading, anchor, "\n".join(lines)


def plain_text(markdown: str) -> str:
    """Markdown reduced to the words a reader sees (links keep their text).

    >>> plain_text("见 [建筑法](../laws/建筑法.md) **第八条**")
    '见 建筑法 第八条'
    """
    text = _MD_LINK_RE.sub(r"\1", markdown)
    text = _MD_NOISE_RE.sub(" ", text)
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()
