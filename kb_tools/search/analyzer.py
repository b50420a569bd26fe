"""THE tokenizer: every search index and every query goes through this module.

Index side: :func:`normalise` (width and case), rjieba's search-mode segmentation with HMM off,
punctuation and whitespace dropped, stopwords dropped. Query side, :func:`query_terms` adds the
handling people's questions need: question words (什么, 怎么办, 多少 …) are dropped because no
statute contains them, and everyday words are expanded to the formal ones statutes use
(开发商 → 房地产开发企业).

The browser engine (issue 7) replicates this exactly in JavaScript, so every choice here must be
cheap to reproduce there: a per-character width/case map instead of full NFKC, no HMM (its
Viterbi model is not shipped), and every word added to jieba is listed by
:meth:`Analyzer.dictionary_entries` with its frequency. Changing anything here means regenerating
``tests/data/tokenize_vectors.json``.

Words come from three places, in this order (later files may add to earlier ones):

1. jieba's default dictionary (inside rjieba);
2. ``kb_tools/data/userdict.txt``: 住建 terms, shipped with the package;
3. ``docs/search/userdict.txt``: what a content maintainer adds for this site;

plus the titles, short titles and aliases of the regulations in the corpus, so that
"城乡规划法" is one token. Synonyms come from ``kb_tools/data/synonyms.txt`` and
``docs/search/synonyms.txt``.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import rjieba

from kb_tools.numerals import cn_to_int
from kb_tools.search.mechanisms import enabled

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: Files a content maintainer may add below ``docs/`` to extend the shipped lists.
SITE_USERDICT = "search/userdict.txt"
SITE_SYNONYMS = "search/synonyms.txt"
#: Frequency given to a dictionary word whose line has none, and to regulation names:
#: high enough that jieba keeps the word whole, as jieba's own ``suggest_freq`` would.
DEFAULT_FREQ = 60000
#: Weight of a formal term that replaced an everyday word (the original keeps weight 1).
SYNONYM_WEIGHT = 0.9

# Full-width ASCII (U+FF01–U+FF5E) -> ASCII, ideographic space -> space. Length-preserving, so
# character offsets into the normalised text are offsets into the original (snippets, highlights).
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


_NUMERALS = "零〇一二两三四五六七八九十百千万"
_NUMERAL_START = set(_NUMERALS + "0123456789")
_UNITS = "个月|个工作日|工作日|小时|万元|日|天|年|月|元|倍"
_NUMBER_UNIT_RE = re.compile(rf"^(?P<num>[0-9]+|[{_NUMERALS}]+)(?P<unit>{_UNITS})$")


def _number_unit(word: str, start: int, end: int, raw: list[tuple[str, int, int]],
                 i: int) -> list[tuple[str, int, int]]:
    """Unit and Arabic value of a whole number-with-unit word (none for a piece of a longer word)."""
    m = _NUMBER_UNIT_RE.match(word)
    if not m:
        return []
    # Search mode emits the pieces of a word right before the word itself.
    for _other, s, e in raw[i + 1: i + 8]:
        if s <= start and end <= e and e - s > end - start:
            return []
    unit_start = start + m.start("unit")
    out = [(m.group("unit"), unit_start, end)]
    num = m.group("num")
    if not num.isdigit():
        with contextlib.suppress(ValueError):
            out.append((str(cn_to_int(num)), start, unit_start))
    return out


class Token(NamedTuple):
    """One token: ``pos`` counts tokens, ``startchar``/``endchar`` are offsets into the text."""

    text: str
    pos: int
    startchar: int
    endchar: int


@dataclass(frozen=True)
class QueryTerm:
    """A query-side term with the weight the ranking gives it.

    Attributes:
        text: the term as indexed.
        weight: 1.0 for what the user typed, :data:`SYNONYM_WEIGHT` for a synonym's formal term.
        source: the whole word the user typed that produced it: the longest token around it
            (许可 in 施工许可证 -> 施工许可证), or the everyday word a synonym replaced.
            Terms with the same source count once for coordination.
        whole: the longest token around this one in its own segmentation (施工许可证 for 许可;
            房地产开发企业 for 地产 when that came from the synonym of 开发商).
    """

    text: str
    weight: float = 1.0
    source: str = ""
    whole: str = ""


def normalise(text: str) -> str:
    """Width and case normalisation; the result has the same length as the input.

    Full-width letters, digits and punctuation become ASCII, the ideographic space a space,
    everything is lower-cased (only where lowering keeps one character per character).

    >>> normalise("ＡＢＣ１２３　《建筑法》")
    'abc123 《建筑法》'
    """
    text = text.translate(_WIDTH)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def is_word(token: str) -> bool:
    """Whether a token carries meaning: it has a letter, digit or CJK character.

    >>> is_word("，"), is_word(" "), is_word("64"), is_word("条")
    (False, False, True, True)
    """
    return any(ch.isalnum() for ch in token)


def read_word_list(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a UTF-8 list file (missing file: empty list)."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def read_userdict(path: Path) -> list[tuple[str, int]]:
    """``word [freq]`` lines -> ``[(word, freq)]``; a missing or bad frequency means the default."""
    entries = []
    for line in read_word_list(path):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else DEFAULT_FREQ
        entries.append((normalise(parts[0]), freq))
    return entries


def read_synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    """``everyday formal [formal …]`` lines -> ``{everyday: (formal, …)}``."""
    table: dict[str, tuple[str, ...]] = {}
    for line in read_word_list(path):
        parts = [normalise(p) for p in line.split()]
        if len(parts) >= 2:
            table[parts[0]] = tuple(dict.fromkeys(table.get(parts[0], ()) + tuple(parts[1:])))
    return table


@dataclass
class Analyzer:
    """A configured segmenter: jieba plus the dictionaries, stopwords, question words, synonyms.

    Build one with :func:`analyzer_for` (cached); index and query of one site must share it.
    ``definitions`` are the terms the corpus defines (:mod:`kb_tools.search.definitions`),
    expanded like synonyms; :meth:`expansions` is the table queries use (both, unless a
    mechanism is switched off).
    """

    words: list[tuple[str, int]] = field(default_factory=list)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    definitions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    question_words: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._jieba = rjieba.Jieba()
        self._lock = threading.Lock()  # rjieba's Jieba is not documented as thread-safe
        self._keep: dict[str, bool] = {}
        seen: dict[str, int] = {}
        for word, freq in self.words:
            seen[word] = max(freq, seen.get(word, 0))
        self.words = sorted(seen.items())
        for word, freq in self.words:
            self._jieba.add_word(word, freq, None)

    def expansions(self) -> dict[str, tuple[str, ...]]:
        """Everyday or defined word -> the words it also stands for (the switched-on tables)."""
        table: dict[str, tuple[str, ...]] = dict(self.synonyms) if enabled("synonyms") else {}
        if enabled("definitions"):
            for word, others in self.definitions.items():
                table[word] = tuple(dict.fromkeys(table.get(word, ()) + others))
        return table

    def dictionary_entries(self) -> list[tuple[str, int]]:
        """Every ``(word, freq)`` added to jieba's default dictionary, sorted by word."""
        return list(self.words)

    def tokenize(self, text: str) -> list[Token]:
        """Index-side tokens with offsets: normalise, segment (search mode, no HMM), filter.

        A whole number-with-unit word (二十日, 15日 is already two words) is followed by its unit
        and its Arabic value, so that "多少天内" (天 -> 日) and "20日" find "二十日内".

        >>> [t.text for t in default_analyzer().tokenize("申请领取施工许可证的条件")]
        ['申请', '领取', '施工', '许可', '许可证', '施工许可证', '条件']
        >>> [t.text for t in default_analyzer().tokenize("二十日内")]
        ['二十', '十日', '二十日', '日', '20', '内']
        """
        with self._lock:
            raw = self._jieba.tokenize(normalise(text), "search", False)
        tokens: list[Token] = []
        stop = self.stopwords
        for i, (word, start, end) in enumerate(raw):
            if word in stop or not is_word(word):
                continue
            tokens.append(Token(word, len(tokens), start, end))
            if word[0] in _NUMERAL_START and len(word) > 1:
                for extra, s, e in _number_unit(word, start, end, raw, i):
                    tokens.append(Token(extra, len(tokens), s, e))
        return tokens

    def analyze(self, text: str) -> list[str]:
        """Index-side terms, in order (with repeats): the texts of :meth:`tokenize`.

        The hot path of indexing: no Token objects, and the keep/drop decision is memoised
        per word (the vocabulary is small next to the number of tokens).
        """
        with self._lock:
            raw = self._jieba.tokenize(normalise(text), "search", False)
        keep = self._keep
        out: list[str] = []
        for i, (word, start, end) in enumerate(raw):
            kept = keep.get(word)
            if kept is None:
                kept = keep[word] = word not in self.stopwords and is_word(word)
            if kept:
                out.append(word)
                if word[0] in _NUMERAL_START and len(word) > 1:
                    out.extend(extra for extra, _, _ in _number_unit(word, start, end, raw, i))
        return out

    def query_tokens(self, text: str) -> list[QueryTerm]:
        """Query-side terms with weights: question words dropped, synonyms expanded, no repeats.

        When dropping question words would leave nothing, they are kept: a query must never
        become empty because of them.

        >>> [t.text for t in default_analyzer().query_tokens("开发商预售商品房要什么条件")]
        ['开发', '开发商', '房地', '地产', '企业', '房地产', '房地产开发企业', '预售', '商品', '商品房', '条件', '情形']
        """
        tokens = self.tokenize(text)
        questions = self.question_words if enabled("questions") else frozenset()
        kept = [t for t in tokens if t.text not in questions] or tokens
        expansions = self.expansions()
        terms: dict[str, QueryTerm] = {}
        for token in kept:
            whole = _covering(token, tokens)
            terms.setdefault(token.text, QueryTerm(token.text, 1.0, whole.text, whole.text))
            # Only a whole word is an everyday word: 施工方 inside 专项施工方案 is not 施工单位.
            if token.text not in expansions or whole is not token:
                continue
            for formal in expansions[token.text]:
                formal_tokens = self.tokenize(formal)
                for sub in formal_tokens:
                    terms.setdefault(sub.text, QueryTerm(sub.text, SYNONYM_WEIGHT, token.text,
                                                         _covering(sub, formal_tokens).text))
        return list(terms.values())

    def query_terms(self, text: str) -> list[str]:
        """Query-side terms (see :meth:`query_tokens`), without weights."""
        return [t.text for t in self.query_tokens(text)]


def _covering(token: Token, tokens: list[Token]) -> Token:
    """The longest token whose span contains ``token`` (search mode emits pieces of long words)."""
    best = token
    for t in tokens:
        if t.startchar <= token.startchar and token.endchar <= t.endchar and \
                t.endchar - t.startchar > best.endchar - best.startchar:
            best = t
    return best


_CACHE: dict[tuple, Analyzer] = {}
_CACHE_LOCK = threading.Lock()


def analyzer_for(docs_dir: Path | None = None, names: Iterable[str] = (),
                 definitions: Mapping[str, Iterable[str]] | None = None) -> Analyzer:
    """The analyzer of a site: shipped lists, the site's own lists below ``docs_dir``, and names.

    Args:
        docs_dir: the site's docs directory (``docs/search/userdict.txt`` and ``synonyms.txt``
            are read from it when present); None for the shipped lists only.
        names: regulation titles, short titles and aliases, added as whole words.
        definitions: terms the corpus defines (term -> other names); the short ones are
            added as whole words, so that a query can name them.
    """
    from kb_tools.search.definitions import dictionary_words

    defined = {normalise(k): tuple(normalise(v) for v in vs) for k, vs in sorted((definitions or {}).items())}
    site_dict = docs_dir / SITE_USERDICT if docs_dir else None
    site_syn = docs_dir / SITE_SYNONYMS if docs_dir else None
    names = tuple(sorted({normalise(n) for n in names if n}))
    stamps = tuple(_stamp(p) for p in (site_dict, site_syn))
    key = (str(docs_dir), names, stamps, tuple(defined.items()))
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        synonyms = read_synonyms(DATA_DIR / "synonyms.txt")
        if site_syn:
            for word, formal in read_synonyms(site_syn).items():
                synonyms[word] = tuple(dict.fromkeys(synonyms.get(word, ()) + formal))
        words = read_userdict(DATA_DIR / "userdict.txt")
        if site_dict:
            words += read_userdict(site_dict)
        # Everyday words must stay whole to be recognised; formal ones to be matched as typed.
        words += [(w, DEFAULT_FREQ) for w in synonyms if len(w) > 1]
        words += [(f, DEFAULT_FREQ) for formal in synonyms.values() for f in formal if len(f) > 1]
        words += [(n, DEFAULT_FREQ) for n in names if len(n) > 1]
        words += [(w, DEFAULT_FREQ) for w in dictionary_words(defined)]
        analyzer = Analyzer(
            words=words,
            synonyms=synonyms,
            definitions=defined,
            stopwords=frozenset(normalise(w) for w in read_word_list(DATA_DIR / "stopwords.txt")),
            question_words=frozenset(normalise(w) for w in read_word_list(DATA_DIR / "question_words.txt")),
        )
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = analyzer
        return analyzer


def _stamp(path: Path | None) -> tuple[str, float] | None:
    if path is None or not path.is_file():
        return None
    return (str(path), path.stat().st_mtime)


def corpus_names(corpus: object) -> list[str]:
    """Every title, short title and alias of the corpus's regulations (current and older)."""
    names: list[str] = []
    for law in corpus.laws.values():  # type: ignore[attr-defined]  # corpus is typed object so that search stays free of the corpus module
        names.extend(law.names)
        if law.title.startswith("中华人民共和国"):
            names.append(law.title[len("中华人民共和国"):])
    return names


def analyzer_for_corpus(corpus: object) -> Analyzer:
    """The analyzer for a corpus: its docs directory's lists, its regulations' names and the
    terms its texts define."""
    return analyzer_for(corpus.docs_dir, corpus_names(corpus), corpus_definitions(corpus))  # type: ignore[attr-defined]  # corpus is typed object so that search stays free of the corpus module


def corpus_definitions(corpus: object) -> dict[str, tuple[str, ...]]:
    """The corpus's definitions (:mod:`kb_tools.search.definitions`), none when switched off."""
    from kb_tools.search.definitions import corpus_definitions as mine

    return mine(corpus) if enabled("definitions") else {}


def default_analyzer() -> Analyzer:
    """The analyzer with the shipped lists only (no site, no regulation names)."""
    return analyzer_for(None, ())


def tokenize(text: str) -> list[Token]:
    """:meth:`Analyzer.tokenize` of the default analyzer."""
    return default_analyzer().tokenize(text)


def analyze(text: str) -> list[str]:
    """:meth:`Analyzer.analyze` of the default analyzer."""
    return default_analyzer().analyze(text)


def query_terms(text: str) -> list[str]:
    """:meth:`Analyzer.query_terms` of the default analyzer."""
    return default_analyzer().query_terms(text)


def dictionary_entries() -> list[tuple[str, int]]:
    """:meth:`Analyzer.dictionary_entries` of the default analyzer."""
    return default_analyzer().dictionary_entries()
