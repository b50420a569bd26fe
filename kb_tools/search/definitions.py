"""Terms the statutes define themselves, mined from the texts at build time for query expansion.

Three forms connect two names of one thing inside the corpus:

* ``本法所称X，是指Y`` (also 本条例/本规定/本办法/前款所称) when Y is a short name;
* ``X（以下简称Y）`` and ``X（以下称Y）``: the full name X and the short name Y.

Both directions are used: a query with X also looks for Y, and one with Y for X, each at
:data:`kb_tools.search.analyzer.SYNONYM_WEIGHT` (below the user's own words). Names of
regulations in 《》 are left out (regulation names are handled as names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CJK = r"\u4e00-\u9fff"
_SHORT_RE = re.compile(rf"(?P<x>[{_CJK}]{{2,16}})[（(]以下(?:简称|称)(?P<y>[{_CJK}]{{2,10}})[）)]")
_MEANS_RE = re.compile(rf"所称(?P<x>[{_CJK}]{{2,10}})[，,]?是指(?P<y>[{_CJK}]{{2,16}})。")
_LEADING = ("本条例", "本规定", "本办法", "本细则", "本法", "前款", "本条", "所称")
#: Most characters of a defined term that is added to the segmenter's dictionary.
MAX_WORD = 6


def mine(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``{term: (other name, …)}`` in both directions from the definitions in ``texts``.

    >>> table = mine(["应当对被征收房屋所有权人(以下称被征收人)给予补偿",
    ...               "本条例所称农民工，是指为用人单位提供劳动的农村居民。"])
    >>> table["被征收人"], table["被征收房屋所有权人"], table["农民工"]
    (('被征收房屋所有权人',), ('被征收人',), ('为用人单位提供劳动的农村居民',))
    """
    pairs: list[tuple[str, str]] = []
    for text in texts:
        if "以下" in text:
            for m in _SHORT_RE.finditer(text):
                full = _full_name(_strip(m.group("x")), m.group("y"))
                if full:
                    pairs.append((full, m.group("y")))
        if "是指" in text:
            for m in _MEANS_RE.finditer(text):
                pairs.append((m.group("x"), m.group("y")))
    table: dict[str, dict[str, None]] = {}
    for x, y in pairs:
        if len(x) < 2 or x == y or (x in y and len(x) <= 2):
            continue
        table.setdefault(x, {})[y] = None
        table.setdefault(y, {})[x] = None
    return {k: tuple(v) for k, v in table.items()}


def _strip(term: str) -> str:
    """A full name without the 本条例所称 in front of it."""
    changed = True
    while changed:
        changed = False
        for lead in _LEADING:
            if term.startswith(lead):
                term, changed = term[len(lead):], True
        if "所称" in term:
            term, changed = term.split("所称", 1)[1], True
    return term


def _full_name(before: str, short: str) -> str:
    """The full name a short name stands for: the shortest end of the text before the
    parenthesis that holds every character of the short name, in order (被征收房屋所有权人 for
    被征收人); "" when there is none (the short name is not an abbreviation of what precedes).

    >>> _full_name("应当对被征收房屋所有权人", "被征收人"), _full_name("办理业务的商业银行", "受委托银行")
    ('被征收房屋所有权人', '')
    """
    for start in range(len(before) - len(short), -1, -1):
        rest = iter(before[start:])
        if before[start] == short[0] and all(ch in rest for ch in short):
            return before[start:]
    return ""


def dictionary_words(table: dict[str, tuple[str, ...]]) -> list[str]:
    """The defined terms short enough to be kept whole by the segmenter (so a query can name them)."""
    return sorted(t for t in table if 2 <= len(t) <= MAX_WORD)


def corpus_definitions(corpus: object) -> dict[str, tuple[str, ...]]:
    """The definitions of a corpus's current regulations (older texts define the same terms)."""
    laws = [law for law in corpus.laws.values() if not law.version_of]  # type: ignore[attr-defined]  # corpus is typed object so that search stays free of the corpus module
    return mine(article.body for law in laws for article in law.articles)
