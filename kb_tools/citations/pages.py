"""The generated 引用关系 page: the most-cited articles and each regulation's totals.

Reads ``corpus.citations`` (built by :mod:`kb_tools.citations.graph` and by features through
``add_citing``) and writes Markdown with relative links, so MkDocs validates every target.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kb_tools.citations.resolver import CITING_KINDS, WHOLE_LAW
from kb_tools.model import GeneratedPage
from kb_tools.text import md_text

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law

#: Where the page lives (linked from every cited regulation's totals line).
CITATIONS_PAGE = "laws/citations.md"
#: How many articles the ranking lists.
TOP_ARTICLES = 50


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """``laws/citations.md``."""
    yield GeneratedPage(CITATIONS_PAGE, citations_markdown(corpus))



def _short(law: Law) -> str:
    return law.short_title or law.title


def ranked_articles(corpus: Corpus) -> list[tuple[Law, Article, Counter[str]]]:
    """Cited articles, most cited first (ties: regulation title, article order)."""
    graph = corpus.citations.cited_by
    rows = []
    for (slug, number, suffix), refs in graph.items():
        if (number, suffix) == WHOLE_LAW or not refs:
            continue
        law = corpus.laws.get(slug)
        article = law.article(number, suffix) if law else None
        if law is None or article is None:
            continue
        rows.append((law, article, Counter(ref.kind for ref in refs)))
    rows.sort(key=lambda row: (-sum(row[2].values()), row[0].title, row[1].key))
    return rows


def citations_markdown(corpus: Corpus) -> str:
    """The whole page."""
    graph = corpus.citations.cited_by
    ranked = ranked_articles(corpus)
    places = sum(len(refs) for refs in graph.values())
    kinds_head = " | ".join(CITING_KINDS)
    lines = [
        "# 引用关系",
        "",
        f"知识库中的法规、权力事项、清单、学法计划、讲堂和其他页面共有 **{places}** 处引用，"
        f"涉及 **{len(ranked)}** 条条文。每条条文下方列出引用它的页面；本页按被引用次数排列。",
        "",
        f"## 被引用最多的条文（前 {min(TOP_ARTICLES, len(ranked))} 条） {{#top-articles}}",
        "",
    ]
    if ranked:
        lines += [f"| 排名 | 条文 | 合计 | {kinds_head} |", "|---|---|---|" + "---|" * len(CITING_KINDS)]
        for rank, (law, article, kinds) in enumerate(ranked[:TOP_ARTICLES], start=1):
            link = f"[《{md_text(_short(law))}》{article.label}]({_rel(law)}#{article.anchor})"
            cells = " | ".join(str(kinds[k] or "") for k in CITING_KINDS)
            lines.append(f"| {rank} | {link} | {sum(kinds.values())} | {cells} |")
    else:
        lines.append("尚无引用。")
    lines += ["", "## 各法规被引用情况 {#by-regulation}", ""]
    per_law: dict[str, tuple[Counter[str], int, int]] = {}
    for (slug, number, suffix), refs in graph.items():
        if not refs or slug not in corpus.laws:
            continue
        kinds, articles, whole = per_law.get(slug, (Counter(), 0, 0))
        kinds.update(ref.kind for ref in refs)
        if (number, suffix) == WHOLE_LAW:
            whole += len(refs)
        else:
            articles += 1
        per_law[slug] = (kinds, articles, whole)
    if per_law:
        lines += [f"| 法规 | 被引用条文 | 整部引用 | 合计 | {kinds_head} |",
                  "|---|---|---|---|" + "---|" * len(CITING_KINDS)]
        order = sorted(per_law, key=lambda s: (-sum(per_law[s][0].values()), corpus.laws[s].title))
        for slug in order:
            kinds, articles, whole = per_law[slug]
            law = corpus.laws[slug]
            cells = " | ".join(str(kinds[k] or "") for k in CITING_KINDS)
            lines.append(f"| [{md_text(law.title)}]({_rel(law)}) | {articles} | {whole or ''} | "
                         f"{sum(kinds.values())} | {cells} |")
    return "\n".join(lines) + "\n"


def _rel(law: Law) -> str:
    """A link from ``laws/citations.md`` to a regulation page."""
    return f"{law.slug}.md"
