"""The cited-by graph: which pages cite each article, computed before any page renders.

The loader scans every regulation (from the model, article by article, so 本法/前条 resolve)
and every other Markdown page under ``docs/`` once, records each resolved citation with
:func:`kb_tools.citations.resolver.add_citing`, and keeps every mention for ``kb check``. Features whose
pages are generated from data (power list, study plans) register their citations themselves
through ``add_citing``. One pass over the sources: linear in the size of the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.cache import content_key
from kb_tools.citations.link_cache import Targets, cited_slugs, targets_of
from kb_tools.citations.resolver import (
    CITING_KINDS,
    WHOLE_LAW,
    Citation,
    CitingRef,
    add_anchor,
    add_citing,
    add_policy_citing,
    find_citations,
    find_in_law,
)
from kb_tools.frontmatter import as_date, privacy_of_value
from kb_tools.laws.render import add_to_articles
from kb_tools.problems import ContentProblem, Severity

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law

#: Which kind of page a top-level folder of docs/ holds, for the cited-by groups.
KIND_BY_DIR = {"powers": "权力事项", "lists": "清单", "study": "学法计划", "classroom": "讲堂", "laws": "法规",
               "policies": "本局文件"}
#: A cited-by list longer than this is folded into a <details>.
COMPACT_LIMIT = 3
#: Folders whose pages cite articles only as examples (the maintenance manual): their citations
#: are linked and checked, but they are not listed among the pages citing an article.
NOT_CITING_DIRS = ("manual/",)
_FENCE_RE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_INLINE_CODE_RE = re.compile(r"`[^`\n]*`")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_H1_RE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


@dataclass(frozen=True)
class Mention:
    """A citation found in a source file, for ``kb check``."""

    path: str
    line: int
    citation: Citation
    in_law: bool


def load(corpus: Corpus) -> None:
    """Build ``corpus.citations``: the cited-by graph and every mention."""
    mentions = corpus.citations.mentions
    targets = targets_of(corpus)
    for law in corpus.laws.values():
        _scan_law(corpus, law, mentions, targets)
    docs = corpus.docs_dir
    if not docs.is_dir():
        return
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        if rel.startswith("laws/") and rel != "laws/index.md":
            continue
        _scan_page(corpus, path, rel, mentions)


def _scan_law(corpus: Corpus, law: Law, mentions: list[Mention], targets: Targets) -> None:
    own = {law.slug, law.version_of or law.slug}
    when = f"（{law.version_date.isoformat()}文本）" if law.version_of and law.version_date else ""
    key = content_key(law.src_path, corpus.sources.digest(corpus.docs_dir / law.src_path), targets.common)
    scanned = corpus.sources.derived_while("law-citations", key, lambda kept: kept.stamp == targets.stamp(kept.depends),
                                           lambda: _law_citations(corpus, law, targets))
    for article, line, citation in scanned.found:
        mentions.append(Mention(law.src_path, line, citation, True))
        cited = citation.law
        if cited is None or citation.problem or {cited.slug, cited.version_of} & own:
            continue  # a regulation's references to itself are not "cited by"
        label = article.label if article else "序言"
        ref = CitingRef("法规", f"《{law.title}》{when}{label}", law.src_path, article.anchor if article else None)
        _add(corpus, citation, ref)


@dataclass(frozen=True)
class _Scanned:
    """A regulation's citations, with the regulations they resolved to and those's stamp."""

    found: list[tuple[Article | None, int, Citation]]
    depends: tuple[str, ...]
    stamp: str


def _law_citations(corpus: Corpus, law: Law, targets: Targets) -> _Scanned:
    """Every citation in a regulation's text with its source line.

    Kept by the source cache under the text's digest and the common part of the citation targets
    (:class:`~kb_tools.citations.link_cache.Targets`), and used again while the regulations they
    resolved to (the regulation itself included) are unchanged: in `mkdocs serve` an edit then
    rescans the edited regulation and those citing it, unless it changed names, which rescans
    all. The kept citations may point at the previous build's objects of an unchanged
    regulation; what the graph reads of them (slugs, article keys) is in its stamp.
    """
    lines: list[str] | None = None
    found: list[tuple[Article | None, int, Citation]] = []
    for article, offset, citation in find_in_law(law, corpus):
        if lines is None:
            text, _ = corpus.sources.text(corpus.docs_dir / law.src_path, law.src_path)
            lines = (text or "").split("\n")
        paragraphs = article.paragraphs if article else law.preamble
        start = article.line if article else law.body_line
        found.append((article, _paragraph_line(lines, start, paragraphs[offset], offset), citation))
    depends = targets.depends(cited_slugs((c for _a, _l, c in found), law))
    return _Scanned(found, depends, targets.stamp(depends))


def _paragraph_line(lines: list[str], start: int, para: str, offset: int) -> int:
    """The source line of a paragraph: search forward from the article's label line."""
    probe = para[:12]
    for number in range(max(start, 1), min(len(lines), start + 200) + 1):
        if probe in lines[number - 1]:
            return number
    return start + 2 * offset


def _scan_page(corpus: Corpus, path: Path, rel: str, mentions: list[Mention]) -> None:
    doc, _ = corpus.sources.document(path, rel)
    if doc is None:
        return  # the owner of the page reports unreadable files
    if corpus.public_only and privacy_of_value(doc.meta.get("public")) is not False:
        return
    if doc.meta.get("draft") is True:  # a draft is not published, so it cites nothing yet
        corpus.drafts.add(rel)
        return
    body = _blank(doc.body)
    if "《" not in body and not (corpus.policies and ("号" in body or rel.startswith("policies/"))):
        return
    policy = corpus.policies.get(rel[len("policies/"):-len(".md")]) if rel.startswith("policies/") else None
    on = policy.issued if policy is not None else as_date(doc.meta.get("date"))
    found = find_citations(body, corpus, on=on, policy=policy)
    if not found:
        return
    kind = page_kind(rel, doc.meta)
    title = str(doc.meta.get("title") or _first_heading(doc.body) or Path(rel).stem)
    citing = not rel.startswith(NOT_CITING_DIRS)  # the manual's examples still get checked
    for citation in found:
        line = doc.body_line + body.count("\n", 0, citation.start)
        mentions.append(Mention(rel, line, citation, False))
        if citing and citation.law is not None and not citation.problem:
            _add(corpus, citation, CitingRef(kind, title, rel))
            for article in citation.articles:
                add_anchor(corpus, citation.law, article, _around(body, citation.start))
        elif citation.policy is not None and citation.policy.src_path != rel:
            for item in citation.items or (None,):
                add_policy_citing(corpus, citation.policy, item, CitingRef(kind, title, rel))


def _around(body: str, start: int) -> str:
    """The sentence (or table row, or list item) a citation stands in: its anchor text."""
    begin = max(body.rfind(sep, 0, start) for sep in ("\n", "。", "；"))
    ends = [e for e in (body.find(sep, start) for sep in ("\n", "。", "；")) if e != -1]
    return body[begin + 1: min(ends) if ends else len(body)]


def _add(corpus: Corpus, citation: Citation, ref: CitingRef) -> None:
    assert citation.law is not None
    for article in citation.articles or (None,):
        add_citing(corpus, citation.law, article, ref)


def _blank(text: str) -> str:
    """Code blocks, inline code and comments replaced by spaces (line numbers stay right)."""

    def spaces(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    for pattern in (_FENCE_RE, _COMMENT_RE, _INLINE_CODE_RE):
        text = pattern.sub(spaces, text)
    return text


def _first_heading(body: str) -> str | None:
    match = _H1_RE.search(body)
    return match.group(1).strip() if match else None


def page_kind(src_uri: str, meta: dict[str, object] | None = None) -> str:
    """权力事项, 学法计划, 讲堂, 法规 or 其他, from the folder (or a lecture's front matter)."""
    top = src_uri.split("/", 1)[0]
    if top in KIND_BY_DIR:
        return KIND_BY_DIR[top]
    if meta and "lecturer" in meta:
        return "讲堂"
    return "其他"


def check(corpus: Corpus) -> list[ContentProblem]:
    """Unresolved citations and revision alerts of every page, for ``kb check``.

    A problem a feature's own loader already reported at the same place is not repeated.
    """
    reported = {(p.path, p.line, p.message) for p in corpus.problems}
    problems: list[ContentProblem] = []
    for mention in corpus.citations.mentions:
        citation = mention.citation
        if citation.problem and not any(
                path == mention.path and line == mention.line and citation.text in message
                for path, line, message in reported):
            problems.append(ContentProblem(
                mention.path, mention.line, f"“{citation.text}”：{citation.problem}",
                citation.hint or "", severity=citation.severity, code=citation.code or "citation",
            ))
        if citation.alert and not mention.in_law:
            problems.append(ContentProblem(
                mention.path, mention.line, f"“{citation.text}”引用的条文已变化：{citation.alert}。",
                "请核对引用是否仍然准确；如引用的是现行文本，请改为现行条号。",
                severity=Severity.WARNING, code="citation-revised",
            ))
    return problems


def cited_by(corpus: Corpus, law: Law, article: Article | None = None) -> list[CitingRef]:
    """The pages citing one article (or the whole regulation when ``article`` is None)."""
    key = (law.slug, *(article.key if article else WHOLE_LAW))
    return list(corpus.citations.cited_by.get(key, ()))


def law_totals(corpus: Corpus, law: Law) -> tuple[Counter[str], int]:
    """Citing places per kind over all articles of a regulation, and how many articles are cited."""
    graph = corpus.citations.cited_by
    kinds: Counter[str] = Counter()
    cited_articles = 0
    for article in law.articles:
        refs = graph.get((law.slug, *article.key), ())
        if refs:
            cited_articles += 1
            kinds.update(ref.kind for ref in refs)
    kinds.update(ref.kind for ref in graph.get((law.slug, *WHOLE_LAW), ()))
    return kinds, cited_articles


def page_url(src_uri: str) -> str:
    """Site-relative URL of a page (``use_directory_urls``): ``classroom/2024/x.md`` -> ``classroom/2024/x/``."""
    if src_uri.endswith("index.md"):
        return src_uri[: -len("index.md")]
    return src_uri[: -len(".md")] + "/" if src_uri.endswith(".md") else src_uri


def _ref_link(ref: CitingRef, base: str) -> str:
    href = base + page_url(ref.src_uri) + (f"#{ref.anchor}" if ref.anchor else "")
    return f'<a href="{escape(href, quote=True)}">{escape(ref.title)}</a>'


def cited_by_block(refs: list[CitingRef], base: str) -> str:
    """The list under an article: grouped by kind, folded when long."""
    if not refs:
        return ""
    groups = {kind: [r for r in refs if r.kind == kind] for kind in CITING_KINDS}
    items = "".join(
        f'<li><span class="kb-cited-kind">{kind}</span> ' + "、".join(_ref_link(r, base) for r in group) + "</li>"
        for kind, group in groups.items() if group
    )
    counts = " · ".join(f"{kind} {len(group)}" for kind, group in groups.items() if group)
    if len(refs) <= COMPACT_LIMIT:
        return f'<div class="kb-cited-by"><span class="kb-cited-title">被引用：</span><ul>{items}</ul></div>'
    return (f'<details class="kb-cited-by"><summary>被引用 {len(refs)} 处（{counts}）</summary>'
            f"<ul>{items}</ul></details>")


def decorate_law_html(html: str, corpus: Corpus, law: Law, base: str) -> str:
    """Add each article's cited-by list, the regulation's totals and its 新旧对照 links."""
    from kb_tools.laws.version_pages import compare_links  # pages import us, not the other way round

    graph = corpus.citations.cited_by
    by_anchor = {a.anchor: a for a in law.articles}

    def add_block(anchor: str) -> str:
        article = by_anchor.get(anchor)
        refs = graph.get((law.slug, *article.key), []) if article else []
        return cited_by_block(refs, base)

    if graph and any((law.slug, *a.key) in graph for a in law.articles):  # most are never cited
        html = add_to_articles(html, add_block)
    kinds, cited_articles = law_totals(corpus, law)
    extra = compare_links(corpus, law, base)
    if kinds:
        counts = " · ".join(f"{kind} {kinds[kind]}" for kind in CITING_KINDS if kinds[kind])
        extra += (f'<p class="kb-cited-total">本法规被引用 {sum(kinds.values())} 处，涉及 {cited_articles} 条'
                  f'（{counts}）。<a href="{base}laws/citations/">引用关系</a></p>')
    if not extra:
        return html
    end = html.find("</dl>")
    return html[: end + 5] + extra + html[end + 5:] if end >= 0 else extra + html
