"""The Corpus: everything the site is built from, read once, and the content kinds that fill it.

``load_corpus`` reads the regulations and then runs each :class:`Feature` it is given, in
order; each feature's loader adds its own objects and problems to the typed fields below.
Downstream code (pages, citations, search, checks) reads the Corpus and never re-reads
``docs/`` on its own.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kb_tools.cache import SourceCache
from kb_tools.laws.names import normalise_title
from kb_tools.model import GeneratedPage, Status
from kb_tools.problems import ContentProblem

if TYPE_CHECKING:
    from kb_tools.citations.graph import Mention
    from kb_tools.citations.link_cache import Targets
    from kb_tools.citations.resolver import CitingRef
    from kb_tools.classroom.model import Lecture
    from kb_tools.laws.model import Article, Law
    from kb_tools.lists.model import DeclaredList
    from kb_tools.penalties.model import PenaltyIndex
    from kb_tools.policies.model import Policy
    from kb_tools.powers.model import PowerList
    from kb_tools.search.documents import SearchDoc
    from kb_tools.study.model import StudyPlan

Loader = Callable[["Corpus"], None]
Generator = Callable[["Corpus"], Iterable[GeneratedPage]]
FileGenerator = Callable[["Corpus"], Iterable[tuple[str, bytes]]]
Check = Callable[["Corpus"], list[ContentProblem]]
DocumentSource = Callable[["Corpus"], Iterable["SearchDoc"]]


@dataclass(frozen=True)
class Feature:
    """One content kind, as values: how it loads, what it generates, what it checks.

    Attributes:
        name: a short English name (``powers``, ``study`` …), for logs and tests.
        load: adds the kind's objects and problems to the corpus (after the regulations).
        pages: generated pages (MkDocs virtual files), as Markdown.
        files: generated downloads (exports, feeds): ``(path below the site, bytes)``.
        check: problems a build only finds later (citation resolution …), for `kb check` and builds alike.
        data_dir: a folder below ``docs/`` whose non-Markdown files are data, not files of the site.
        indexed: whether the generated pages are search documents; False for pages that only
            re-present regulation text already indexed article by article (comparisons, the graph).
        documents: extra search documents of the kind (beyond the sections of its pages).
        home: a Markdown block for the home page (本月学法 …), placed above the statistics.
        article_terms: words the kind adds to an article's search document (罚则: the punished
            acts and the sanction kinds), or "" for none.
    """

    name: str
    load: Loader | None = None
    pages: Generator | None = None
    files: FileGenerator | None = None
    check: Check | None = None
    data_dir: str | None = None
    indexed: bool = True
    documents: DocumentSource | None = None
    home: Callable[[Corpus], str] | None = None
    article_terms: Callable[[Corpus, Law, Article], str] | None = None


@dataclass(frozen=True)
class SiteOptions:
    """Site facts and plugin options that generated pages need (feed links, hours target)."""

    site_name: str = "法规知识库"
    bureau_name: str = "住房和城乡建设局"
    site_url: str = ""
    use_directory_urls: bool = True
    classroom_hours_target: float = 8
    #: 本局文件: a document ending within this many days is 即将失效.
    policy_expiry_warning_days: int = 90
    #: 本局文件: the longest validity period of a 行政规范性文件, in years.
    policy_max_validity_years: int = 5
    #: From this day of the year on (MM-DD), a missing plan for next year is reported (学法计划).
    next_plan_from: str = "12-01"


def title_bigrams(text: str) -> set[str]:
    """The character bigrams of a title (the title itself when it has one character)."""
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


@dataclass
class CitationGraph:
    """Who cites what: ``cited_by[(slug, article number, suffix)]`` lists the citing places.

    ``mentions`` keeps every citation found in a source file, for `kb check`; ``seen`` makes
    registering the same citing place twice a no-op in constant time.
    """

    cited_by: dict[tuple[str, int, int], list[CitingRef]] = field(default_factory=dict)
    seen: set[tuple[object, ...]] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    #: ``(slug, number, suffix)`` -> the working words around each citation of that article on
    #: the bureau's own pages (lectures, notes, power and inspection items): search anchor text.
    anchors: dict[tuple[str, int, int], list[str]] = field(default_factory=dict)
    #: 本局文件 cited: ``policy_cited_by[(policy slug, item anchor or "")]``.
    policy_cited_by: dict[tuple[str, str], list[CitingRef]] = field(default_factory=dict)
    #: What citations read of this corpus, hashed once per build (:mod:`kb_tools.citations.link_cache`).
    targets: Targets | None = None


@dataclass
class Corpus:
    """Everything the site is built from.

    Attributes:
        docs_dir: the docs directory the corpus was read from.
        today: the date statuses are computed for (fixed by config for reproducible builds).
        laws: every regulation page, current texts and older versions, by slug.
        problems: everything wrong that was found, in file order.
        features: the content kinds loaded into this corpus, in order.
        options: site facts for generated pages.
        citations: the cited-by graph (filled by the citations feature and by kinds' loaders).
        powers, lists, plans, lectures, policies, penalties: what those kinds loaded (empty when the kind
            is not loaded).
        private_files: files below ``docs/`` that belong to private pages (kept out of public builds).
    """

    docs_dir: Path
    today: dt.date
    laws: dict[str, Law] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)
    public_only: bool = False
    features: tuple[Feature, ...] = ()
    options: SiteOptions = field(default_factory=SiteOptions)
    citations: CitationGraph = field(default_factory=CitationGraph)
    powers: PowerList | None = None
    lists: dict[str, DeclaredList] = field(default_factory=dict)
    plans: dict[int, StudyPlan] = field(default_factory=dict)
    lectures: list[Lecture] = field(default_factory=list)
    policies: dict[str, Policy] = field(default_factory=dict)
    penalties: PenaltyIndex | None = None
    private_files: set[str] = field(default_factory=set)
    #: Pages whose front matter says ``draft: true``: kept off the built site, its lists and indexes.
    drafts: set[str] = field(default_factory=set)
    #: Each feature's generated pages, made once per build (the plugin, both search indexes
    #: and the checks all read them): feature name -> pages. Filled by :func:`pages_of`.
    generated: dict[str, list[GeneratedPage]] = field(default_factory=dict, repr=False)
    #: The search documents of this corpus, built once and fed to both indexes.
    search_docs: list[SearchDoc] | None = field(default=None, repr=False)
    #: Every source file read once per build; parses kept while the content is unchanged.
    sources: SourceCache = field(default_factory=SourceCache, repr=False)

    def status(self, law: Law) -> Status:
        """时效性 of a regulation on the corpus date."""
        return law.status(self.today)

    @property
    def current_laws(self) -> list[Law]:
        """Regulations that are not older versions of another page, in a stable order."""
        return [law for law in self.laws.values() if law.version_of is None]

    def by_name(self, name: str) -> Law | None:
        """Find the current text of a regulation by full title, short title or alias.

        ``中华人民共和国`` is optional either way, and 《》 around the name are ignored.
        """
        return self._names().get(normalise_title(name))

    def ambiguous_names(self) -> dict[str, list[str]]:
        """Names (short titles, aliases) that more than one regulation claims."""
        return self._name_tables[1]

    def suggest_title(self, name: str) -> str | None:
        """The closest known title, for "did you mean" hints.

        Memoised: each lookup compares the name with every known name, and the same unknown
        title is cited on many pages (a build of 1,500 regulations asked thousands of times).
        """
        names = self._names()
        key = normalise_title(name)
        if key not in self._suggestions:
            match = difflib.get_close_matches(key, list(names), n=1, cutoff=0.5)
            self._suggestions[key] = names[match[0]].title if match else None
        return self._suggestions[key]

    @functools.cached_property
    def _suggestions(self) -> dict[str, str | None]:
        return {}

    @functools.cached_property
    def title_grams(self) -> dict[str, list[str]]:
        """Character bigram -> the normalised names of current texts that contain it: the
        candidates of the citation resolver's "did you mean" (``citations.resolver``)."""
        index: dict[str, list[str]] = {}
        for law in self.current_laws:
            for name in {normalise_title(n) for n in law.names}:
                for gram in title_bigrams(name):
                    index.setdefault(gram, []).append(name)
        return index

    @functools.cached_property
    def closest_titles(self) -> dict[str, str | None]:
        """The resolver's answers so far: normalised cited title -> closest known title."""
        return {}

    def _names(self) -> dict[str, Law]:
        return self._name_tables[0]

    @functools.cached_property
    def _name_tables(self) -> tuple[dict[str, Law], dict[str, list[str]]]:
        """Every name's regulation, and the names claimed by several.

        Made at the first lookup, which comes after ``load_laws`` has put every regulation in
        ``laws`` (its last step checks successors by name); nothing adds or drops one later.
        """
        index: dict[str, Law] = {}
        claims: dict[str, list[str]] = {}
        for law in self.current_laws:
            for name in law.names:
                key = normalise_title(name)
                titles = claims.setdefault(key, [])
                if law.title not in titles:  # 建筑法 is both the short title and the bare title
                    titles.append(law.title)
        for law in self.current_laws:
            for name in law.names:
                key = normalise_title(name)
                # Full titles always win; a shared short name resolves to nobody.
                if name == law.title or len(claims[key]) == 1:
                    index.setdefault(key, law)
        return index, {k: v for k, v in claims.items() if len(v) > 1}


def load_corpus(
    docs_dir: Path,
    today: dt.date | None = None,
    *,
    public_only: bool = False,
    features: Sequence[Feature] = (),
    options: SiteOptions | None = None,
    sources: SourceCache | None = None,
) -> Corpus:
    """Read every regulation under ``docs/laws/``, then every content kind in ``features``.

    Args:
        docs_dir: the MkDocs docs directory.
        today: date for status computation; defaults to the real date.
        public_only: drop pages whose front matter says ``public: false`` (public builds).
        features: the content kinds to load, in the order their data depends on each other
            (``kb_tools.features.default_features()`` for the whole site).
        options: site facts for generated pages.
        sources: the reader to use (the kb plugin keeps one across `mkdocs serve` rebuilds,
            so unchanged files are not parsed again); a new one by default.
    """
    from kb_tools.laws.loader import load_laws  # the laws package imports this module's types

    corpus = Corpus(docs_dir=docs_dir, today=today or dt.date.today(), public_only=public_only,
                    features=tuple(features), options=options or SiteOptions(),
                    sources=sources or SourceCache())
    load_laws(corpus)
    for feature in corpus.features:
        if feature.load is not None:
            feature.load(corpus)
    corpus.problems.sort(key=lambda p: (p.path, p.line))
    return corpus


def pages_of(corpus: Corpus, feature: Feature) -> list[GeneratedPage]:
    """The pages ``feature`` generates for ``corpus``, generated once per corpus."""
    if feature.pages is None:
        return []
    if feature.name not in corpus.generated:
        corpus.generated[feature.name] = list(feature.pages(corpus))
    return corpus.generated[feature.name]


def generated_pages(corpus: Corpus) -> list[GeneratedPage]:
    """Every generated page of every content kind of the corpus."""
    return [page for feature in corpus.features for page in pages_of(corpus, feature)]


def generated_files(corpus: Corpus) -> list[tuple[str, bytes]]:
    """Every generated download file of every content kind of the corpus."""
    return [entry for feature in corpus.features if feature.files for entry in feature.files(corpus)]


def feature_problems(corpus: Corpus) -> list[ContentProblem]:
    """Problems of the features' checks (beyond loading), in feature order."""
    return [problem for feature in corpus.features if feature.check for problem in feature.check(corpus)]


def home_blocks(corpus: Corpus) -> list[str]:
    """The features' home-page blocks, in feature order (empty ones left out)."""
    return [block for feature in corpus.features if feature.home and (block := feature.home(corpus))]


def is_data_file(corpus: Corpus, src_uri: str) -> bool:
    """True for a data file under a feature's data folder (read by a loader, not copied to the site)."""
    if src_uri.endswith(".md"):
        return False
    return any(f.data_dir and src_uri.startswith(f.data_dir.rstrip("/") + "/") for f in corpus.features)
