"""Which 裁量基准 entries rest on which penalty article, and which power items share them.

An entry rests on the articles its 处罚依据 (the basis column its tiers column names with ``of``)
cites. The 罚则 card of such an article links to the entry; a power item of type 行政处罚 citing
the same article links to it too, and the entry page back to the item. Computed once per corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kb_tools.lists.model import DeclaredList, Entry, LegalBasis

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Article, Law
    from kb_tools.powers.model import PowerItem

ArticleKey = tuple[str, str]  # (regulation slug, article anchor)


def discretion_lists(corpus: Corpus) -> list[DeclaredList]:
    """The declared lists that are 裁量基准 (they have a tiers column)."""
    return [d for d in corpus.lists.values() if d.spec.tier_columns]


def penalty_articles(corpus: Corpus, entry: Entry) -> list[ArticleKey]:
    """The articles an entry's 处罚依据 cites, in the order written (current texts only)."""
    keys: list[ArticleKey] = []
    for column in entry.spec.tier_columns:
        for key in _basis_articles(corpus, entry.bases.get(column.of, ())):
            if key not in keys:
                keys.append(key)
    return keys


def cited_articles(corpus: Corpus, bases: Iterable[LegalBasis]) -> Iterator[tuple[Law, Article]]:
    """Every article of the knowledge base the bases cite, in the order written (one walk for the
    links here and the range checks in ``checks``)."""
    for basis in bases:
        for ref in basis.refs:
            law = corpus.laws.get(ref.law_slug) if ref.law_slug else None
            if law is None:
                continue
            for number, suffix in ref.articles:
                article = law.article(number, suffix)
                if article is not None:
                    yield law, article


def _basis_articles(corpus: Corpus, bases: Iterable[LegalBasis]) -> list[ArticleKey]:
    return [(law.slug, article.anchor) for law, article in cited_articles(corpus, bases)]


def _index(corpus: Corpus) -> dict[ArticleKey, list[Entry]]:
    cached = corpus.__dict__.get("_discretion_index")
    if cached is not None and cached[0] is corpus.lists:
        return cached[1]
    index: dict[ArticleKey, list[Entry]] = {}
    for dlist in discretion_lists(corpus):
        for entry in dlist.entries:
            for key in penalty_articles(corpus, entry):
                index.setdefault(key, []).append(entry)
    corpus.__dict__["_discretion_index"] = (corpus.lists, index)
    return index


def entries_for_article(corpus: Corpus, slug: str, anchor: str) -> list[Entry]:
    """The 裁量基准 entries whose 处罚依据 cites the article ``anchor`` of regulation ``slug``."""
    return list(_index(corpus).get((slug, anchor), ()))


def _power_articles(corpus: Corpus, item: PowerItem) -> list[ArticleKey]:
    return _basis_articles(corpus, item.bases)


def _penalty_items(corpus: Corpus) -> list[PowerItem]:
    from kb_tools.powers.model import PowerType

    if corpus.powers is None:
        return []
    return [item for item in corpus.powers.items if item.type is PowerType.PENALTY]


def power_entries(corpus: Corpus, item: PowerItem) -> list[Entry]:
    """The 裁量基准 entries resting on an article a power item of type 行政处罚 cites."""
    from kb_tools.powers.model import PowerType

    if item.type is not PowerType.PENALTY:
        return []
    out: list[Entry] = []
    for key in _power_articles(corpus, item):
        out += [e for e in _index(corpus).get(key, ()) if e not in out]
    return out


def entry_powers(corpus: Corpus, entry: Entry) -> list[PowerItem]:
    """The power items of type 行政处罚 citing an article the entry's 处罚依据 cites."""
    keys = set(penalty_articles(corpus, entry))
    return [item for item in _penalty_items(corpus) if keys & set(_power_articles(corpus, item))]
