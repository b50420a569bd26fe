"""KbPlugin: thin glue from MkDocs events to the modules of ``kb_tools``.

One pass suffices: every regulation is parsed in ``on_files``, before any page is rendered,
so article anchors and titles are known when citations are linked in ``on_page_content``.
Each hook below calls one function of a module that knows nothing of MkDocs events.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from kb_tools.cache import SourceCache
from kb_tools.checks import validate
from kb_tools.citations.graph import decorate_law_html
from kb_tools.citations.link_cache import LinkCache
from kb_tools.citations.resolver import link_citations
from kb_tools.classroom import lecture_markdown
from kb_tools.corpus import Corpus, generated_files, generated_pages, is_data_file, load_corpus
from kb_tools.features import default_features
from kb_tools.frontmatter import as_date
from kb_tools.laws.pages import home_block
from kb_tools.laws.render import ARTICLE_CACHE_SERVE, ARTICLE_CACHE_SIZE, keep_articles, law_markdown, restore_articles
from kb_tools.laws.version_pages import dated_text, point_in_time_markdown
from kb_tools.penalties import decorate_law_html as add_penalty_cards
from kb_tools.policies.render import policy_markdown
from kb_tools.problems import ContentProblem, KbError
from kb_tools.search.documents import search_documents
from kb_tools.search.generations import commit_build, discard_build
from kb_tools.search.paths import INDEX_DIR, index_dir_for
from kb_tools.search.shard_store import ShardStore
from kb_tools.search.terms import TermCounts
from kb_tools.site.config import KbConfig, site_options
from kb_tools.site.files import law_for_page, read_undecodable, remove_drafts, remove_private_pages
from kb_tools.site.idle_gc import IdleCollector
from kb_tools.site.index_job import IndexJob, can_fork, warm_analyzer, write_indexes
from kb_tools.site.nav import name_sections, tab_for
from kb_tools.site.precompress import PrecompressStats, precompress_site
from kb_tools.site.raw_blocks import anchor_ids, restore_raw_blocks, stash_raw_blocks
from kb_tools.site.render_cache import RenderCache, describe
from kb_tools.site.staging import StagedOutput, is_temporary
from kb_tools.site.template_cache import TemplateCache
from kb_tools.text import html_text

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

    from kb_tools.laws.model import Law
    from kb_tools.policies.model import Policy
    from kb_tools.search.generations import Pending
    from kb_tools.search.whoosh_index import BuildStats

log = get_plugin_logger(__name__)

ASSETS_DIR = Path(__file__).parent.parent / "assets"
#: The classroom's Atom feed, linked from every page's head when it exists.
FEED_PATH = "classroom/feed.xml"
#: Theme overrides (Chinese 404 page, footer), searched after the site's own custom_dir.
TEMPLATES_DIR = Path(__file__).parent.parent / "templates"
HOME_MARKER = "<!-- kb:home -->"
#: The kb stylesheets, in cascade order: base, citations and 新旧对照, print (@media print only: A4, no
#: navigation), then 学法计划 and 讲堂 (whose reading packs carry their own print rules), then the 罚则
#: cards of regulation pages and the 罚则索引 table.
STYLESHEETS = ["assets/kb/kb.css", "assets/kb/citations.css", "assets/kb/print.css", "assets/kb/study.css",
               "assets/kb/penalties.css"]
#: The browser search engine's scripts, in load order: plain scripts, no bundler; each part
#: registers on ``window.KbSearchParts`` and ``kb-search.js`` (the engine) needs all three before it.
SEARCH_SCRIPTS = ["assets/kb/kb-search-analyzer.js", "assets/kb/kb-search-query.js",
                  "assets/kb/kb-search-ranking.js", "assets/kb/kb-search.js", "assets/kb/kb-search-ui.js",
                  "assets/kb/kb-search-page.js"]
#: The tooltip of a heading's permalink (toc's ``permalink_title``), unless the site sets one.
PERMALINK_TITLE = "本节链接"
#: Markdown extensions the generated pages rely on (anchors on headings, tables, banners).
REQUIRED_EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "toc"]


class KbPlugin(BasePlugin[KbConfig]):
    """Loads the corpus, generates pages, renders regulations, builds the search indexes."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.command = "build"
        self.staged: StagedOutput | None = None
        self.pending_index: Pending | None = None  # the whoosh generation waiting for the swap
        self.index_job: IndexJob | None = None  # `mkdocs build`: the child writing both indexes
        self.index_job_packed: PrecompressStats | None = None  # its .gz figures, once it has finished
        self.article_html: dict[str, list[str]] = {}  # src_uri -> articles kept out of Markdown
        self.raw_html: dict[str, list[str]] = {}  # src_uri -> a generated page's HTML blocks kept aside
        self.generated: set[str] = set()  # src_uris of the pages generated in on_files
        self.active_tab: object | None = None  # the tab marked active while one page renders
        #: Markdown -> HTML of unchanged pages across `mkdocs serve` rebuilds (None for `build`).
        self.render_cache: RenderCache | None = None
        #: The static index's files of the previous serve rebuild (None for `build`).
        self.shard_store: ShardStore | None = None
        #: Citation links of unchanged pages across serve rebuilds (None for `build`).
        self.link_cache: LinkCache | None = None
        #: Theme output of unchanged pages across serve rebuilds (None for `build`).
        self.template_cache: TemplateCache | None = None
        self.terms = TermCounts()
        self.sources = SourceCache()
        #: Full garbage collections between serve rebuilds, not inside them (None for `build`).
        self.idle_gc: IdleCollector | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember the command: only ``build`` stages its output (``serve`` rebuilds in place)."""
        self.command = command
        self.render_cache = RenderCache() if command == "serve" else None
        if self.shard_store is not None:
            self.shard_store.close()
        self.shard_store = ShardStore() if command == "serve" else None
        self.link_cache = LinkCache() if command == "serve" else None
        self.template_cache = TemplateCache() if command == "serve" else None
        if self.idle_gc is not None:
            self.idle_gc.close()
        self.idle_gc = IdleCollector() if command == "serve" else None
        keep_articles(ARTICLE_CACHE_SERVE if command == "serve" else ARTICLE_CACHE_SIZE)
        self.terms = TermCounts()  # analysed texts, shared by both indexes and kept across rebuilds
        self.sources = SourceCache()  # each source read once per build; parses kept across rebuilds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Add the extensions, stylesheets and scripts the generated pages need; stage the output."""
        if self.idle_gc is not None:
            self.idle_gc.build_started()
        self.article_html = {}  # MkDocs keeps plugin instances across `mkdocs serve` rebuilds
        self.raw_html = {}
        self.index_job_packed = None
        if not self.config.enabled:
            return config
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # Python-Markdown titles every heading's permalink "Permanent link": staff read Chinese.
        config.mdx_configs.setdefault("toc", {}).setdefault("permalink_title", PERMALINK_TITLE)
        # After the site's own custom_dir (which still wins), before Material's templates.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES_DIR))
        # Ours first, in this order, so that the site's own extra_css can override them.
        config.extra_css[:0] = STYLESHEETS
        config.extra_javascript.append("assets/kb/kb.js")
        if self.config.search_index:  # the header search box over the static index (search/kb/)
            config.extra_css.append("assets/kb/kb-search.css")
            config.extra_javascript += SEARCH_SCRIPTS
        if self.config.atomic_output and self.command == "build" and not is_temporary(config.site_dir):
            self.staged = StagedOutput(Path(config.site_dir), lock_timeout=self.config.build_lock_timeout)
            try:
                config.site_dir = str(self.staged.begin())
            except KbError as exc:  # another build holds the lock: one line, not a traceback
                self.staged = None
                raise PluginError(str(exc)) from exc
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Load the corpus once, report its problems, add generated pages, exports and assets."""
        if not self.config.enabled:
            return files
        options = site_options(config, self.config)
        self.sources.begin()
        self.corpus = load_corpus(Path(config.docs_dir), self.status_date(), public_only=self.config.public_build,
                                  features=default_features(), options=options, sources=self.sources)
        report(validate(self.corpus))  # the same function as `kb check`: errors fail --strict
        if self.config.public_build:
            remove_private_pages(files, self.corpus)
        if self.command != "serve":  # `mkdocs serve` shows drafts to their author
            remove_drafts(files, self.corpus)
        read_undecodable(files, self.corpus)
        self.generated = set()
        for page in generated_pages(self.corpus):
            if files.get_file_from_path(page.src_uri) is None:
                files.append(File.generated(config, page.src_uri, content=page.markdown))
                self.generated.add(page.src_uri)
        for file in [f for f in files if is_data_file(self.corpus, f.src_uri)]:
            files.remove(file)
        for path, content in generated_files(self.corpus):
            files.append(File.generated(config, path, content=content))
        for asset in sorted(ASSETS_DIR.iterdir()):
            files.append(File.generated(config, f"assets/kb/{asset.name}", abs_src_path=str(asset)))
        if self.config.search_index and self.config.index_in_background and can_fork():
            # The corpus is complete: the indexes need nothing the pages add (see index_job).
            serve = self.command == "serve"
            if serve:  # here, so that the parsed sections and the analyzer (jieba's dictionary loaded)
                search_documents(self.corpus)  # stay in this process for the next rebuild's child
                warm_analyzer(self.corpus)
            self.index_job = IndexJob.start(self.corpus, Path(config.site_dir), index_dir_for(config, self),
                                            commit=False, precompress=self.config.precompress and not serve,
                                            terms=self.terms if serve else None, store=self.shard_store)
        return files

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """Give the templates the bureau's name, the date the data was built and the feed's address."""
        if not self.config.enabled:
            return env
        env.globals["kb_footer"] = {"bureau": self.config.bureau_name, "updated": self.status_date().isoformat()}
        feed = files.get_file_from_path(FEED_PATH)  # only when there are lectures
        site_url = (config.site_url or "").rstrip("/")
        env.globals["kb_feed"] = None if feed is None else {
            "path": FEED_PATH, "absolute": f"{site_url}/{FEED_PATH}" if site_url else ""}
        if self.template_cache is not None:
            self.template_cache.begin(env, config, {k: env.globals[k] for k in ("kb_footer", "kb_feed")})
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Render a regulation (or a dated text) from the corpus; fill lecture and home-page blocks."""
        if not self.config.enabled or self.corpus is None:
            return markdown
        escape_theme_meta(page.meta)
        corpus = self.corpus
        base = "../" * page.url.count("/")
        law = law_for_page(corpus, page.file.src_uri)
        if law is not None:
            current = corpus.laws.get(law.version_of) if law.version_of else None
            successor = corpus.by_name(law.successor) if law.successor else None
            stash: list[str] = []
            markdown = law_markdown(
                law, status=corpus.status(law), current=current, today=corpus.today, base=base,
                successor_url=f"{base}{successor.url}" if successor else None, stash=stash,
            )
            self.article_html[page.file.src_uri] = stash
            return self.keep_raw_html(page.file.src_uri, markdown)
        dated = dated_text(corpus, page.file.src_uri)
        if dated is not None:  # laws/<slug>/<date>/: the current text again, articles kept aside too
            stash = []
            markdown = point_in_time_markdown(corpus, dated, page.file.src_uri, stash=stash)
            self.article_html[page.file.src_uri] = stash
            return self.keep_raw_html(page.file.src_uri, markdown)
        policy = policy_for_page(corpus, page.file.src_uri)
        if policy is not None:  # 本局文件: facts, lifecycle, item anchors, bases, cited-by
            return policy_markdown(corpus, policy, base)
        if page.file.src_uri in self.generated:  # made by kb_tools: its HTML needs no parsing
            return self.keep_raw_html(page.file.src_uri, markdown)
        markdown = lecture_markdown(corpus, page.file.src_uri, markdown)
        if HOME_MARKER in markdown:
            markdown = markdown.replace(HOME_MARKER, home_block(corpus))
        return markdown

    def keep_raw_html(self, src_uri: str, markdown: str) -> str:
        """A generated page's Markdown with its finished HTML blocks kept aside (see raw_blocks)."""
        stash: list[str] = []
        markdown = stash_raw_blocks(markdown, stash)
        if stash:
            self.raw_html[src_uri] = stash
        return markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Link 《…》第N条 citations; on a regulation page, add each article's 罚则 card and cited-by list."""
        if not self.config.enabled or self.corpus is None:
            return html
        base = "../" * page.url.count("/")
        law = law_for_page(self.corpus, page.file.src_uri)
        law = law or dated_text(self.corpus, page.file.src_uri)  # laws/<slug>/<date>/ shows the current text
        raw = self.raw_html.pop(page.file.src_uri, None)
        if raw is not None:  # a generated page's HTML blocks, and the anchors in them
            html = restore_raw_blocks(html, raw)
            if page.present_anchor_ids is not None:
                page.present_anchor_ids |= anchor_ids(raw)
        stash = self.article_html.pop(page.file.src_uri, None)
        if stash is not None and law is not None:  # first: later steps see the whole page
            html = restore_articles(html, stash)
            if page.present_anchor_ids is not None:  # MkDocs checks links to #article-N against these
                page.present_anchor_ids |= {article.anchor for article in law.articles}
        if "title" not in page.meta and page.title and not page.is_homepage:  # from the first heading, entities kept
            page.meta["title"] = page.title  # the theme's <title> would decode them (| striptags)
        on = as_date(page.meta.get("date"))
        policy = policy_for_page(self.corpus, page.file.src_uri)
        if policy is not None:
            on = policy.issued  # a document cites the laws as they stood when it was issued
            if page.present_anchor_ids is not None:
                page.present_anchor_ids |= {item.anchor for item in policy.items}
        html = self.linked(html, self.corpus, page.file.src_uri, base=base, current=law, on=on, policy=policy)
        if law is not None:
            html = add_penalty_cards(html, self.corpus, law, base)  # first: the cards sit above "被引用"
            html = decorate_law_html(html, self.corpus, law, base)
        return html

    def linked(self, html: str, corpus: Corpus, page: str, *, base: str, current: Law | None, on: dt.date | None,
               policy: Policy | None) -> str:
        """:func:`link_citations` of a page, reused in `mkdocs serve` while neither the page's HTML
        nor any regulation it cites changed (see :mod:`kb_tools.citations.link_cache`)."""
        cache = self.link_cache
        key = cache.key(html, base=base, current=current, on=on, policy=policy) if cache is not None else ""
        if cache is not None and (kept := cache.get(page, key)) is not None:
            return kept
        out, found = link_citations(html, corpus, base=base, current=current, on=on, policy=policy)
        if cache is not None:
            cache.put(page, key, out, found, current)
        return out

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Without a ``nav:`` in mkdocs.yml, sections are named after folders: name them in Chinese.
        The files are final here: the render cache takes the build's setting from them."""
        if self.config.enabled and config.nav is None:
            name_sections(nav.items)
        if self.render_cache is not None:
            self.render_cache.begin(config, files)
        if self.link_cache is not None and self.corpus is not None:
            self.link_cache.begin(self.corpus)
        return nav

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """In `mkdocs serve`, let an unchanged page reuse its previous Markdown conversion."""
        if self.render_cache is not None:
            self.render_cache.install(page)
        return page

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Highlight the tab of a page that is not in the navigation (a regulation, a power item …)."""
        self.active_tab = tab_for(page, nav) if self.config.enabled else None
        if self.active_tab is not None:
            self.active_tab.active = True  # type: ignore[attr-defined]  # Section or Page: both have it
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Unmark the tab again: the navigation is shared by every page."""
        if self.active_tab is not None:
            self.active_tab.active = False  # type: ignore[attr-defined]  # Section and Page both have active
            self.active_tab = None
        return output

    def on_build_error(self, *, error: Exception) -> None:
        """Mark the staged output as failed, so that on_shutdown keeps the previous site/; stop
        the index child (the live index stays as it was)."""
        if self.staged is not None:
            self.staged.failed = True
        if self.index_job is not None:
            self.index_job.cancel()
            self.index_job = None
            self.forget_index_files()

    def forget_index_files(self) -> None:
        """After a failed index process: the store's folder may no longer match what this
        process knows of it, so the next serve rebuild writes every index file again."""
        if self.shard_store is not None:
            self.shard_store.close()

    def finish_index_job(self, site_dir: Path) -> None:
        """Take the child's indexes: its static index moves into the site, its whoosh generation
        waits for the swap of a staged build (or goes live now); its log lines are logged here,
        so that a warning fails ``--strict`` as if this process had written them."""
        job, self.index_job = self.index_job, None
        assert job is not None
        try:
            result = job.finish(site_dir)
        except KbError as exc:
            self.forget_index_files()
            raise PluginError(str(exc)) from exc
        except BaseException:
            self.forget_index_files()
            raise
        for name, level, message in result.records:
            logging.getLogger(name).log(level, message)
        if result.terms is not None:
            self.terms.apply(result.terms)
        if result.store is not None and self.shard_store is not None:
            self.shard_store.restore(result.store)
        stats = result.whoosh
        self.index_job_packed = result.packed
        if stats.pending is not None:
            if self.staged is not None:
                self.pending_index = stats.pending
            else:
                commit_build(stats.pending)
        self.log_index(stats, background=True)

    def log_index(self, stats: BuildStats, *, background: bool = False) -> None:
        """One line per index: what the static one reused (serve), what whoosh rewrote."""
        if self.shard_store is not None:
            log.info(f"静态检索索引：{self.shard_store.reused} 个文件沿用上次构建，"
                     f"{self.shard_store.written} 个文件重新写入。")
        when = "；与页面渲染同时写入" if background else ""
        log.info(f"检索索引：{stats.total} 条文档，本次重写 {stats.added} 条"
                 f"（{len(stats.pages_changed)} 个页面有变化{when}）。")

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write both search indexes from the same documents (or take them from the child that
        wrote them while the pages rendered), then the .gz files; mark the staged output finished."""
        site_dir = Path(config.site_dir)
        if self.index_job is not None:
            self.finish_index_job(site_dir)
        elif self.config.enabled and self.config.search_index and self.corpus is not None:
            # whoosh (kb search, /api/search): a staged build makes the new generation live only
            # in on_shutdown, when site/ is swapped in too; a failed build leaves both as they were.
            serve = self.command == "serve"
            _static, stats, _packed = write_indexes(
                self.corpus, site_dir, index_dir_for(config, self), commit=self.staged is None, precompress=False,
                terms=self.terms if serve else None, store=self.shard_store)
            self.pending_index = stats.pending if self.staged is not None else None
            self.log_index(stats)
        if self.template_cache is not None:
            log.info(f"模板渲染：{self.template_cache.hits} 个页面沿用上次的输出，"
                     f"{self.template_cache.misses} 个重新渲染。")
            self.template_cache.end()
        if self.render_cache is not None:
            log.info(describe(self.render_cache))
            log.info(f"源文件缓存：本次读取 {self.sources.reads} 个文件，"
                     f"{self.sources.hits} 项解析结果复用，{self.sources.misses} 项重新计算。")
        self.sources.end()
        if self.config.enabled and self.config.precompress and self.command == "build":
            child = self.index_job_packed  # the child compressed its own shards
            packed = precompress_site(site_dir, skip=() if child is None else (INDEX_DIR,))  # last: all is written
            if child is not None:
                packed = packed + child
            log.info(f"预压缩：{packed.files} 个文件，"
                     f"{packed.raw_bytes // 1024} KiB → {packed.gzip_bytes // 1024} KiB。")
        if self.staged is not None:
            self.staged.finished = True
        if self.idle_gc is not None:
            self.idle_gc.build_finished()

    def on_shutdown(self) -> None:
        """Swap the staged output in, or abandon it when the build failed; drop the serve's
        kept index files (their folder lives beside the site directory)."""
        if self.idle_gc is not None:
            self.idle_gc.close()
        if self.shard_store is not None:
            self.shard_store.close()
        if self.index_job is not None:  # the build stopped before on_post_build
            self.index_job.cancel()
            self.index_job = None
        # The swap waits until here: `--strict` aborts only after on_post_build has run.
        if self.staged is None:
            return
        pending, self.pending_index = self.pending_index, None
        try:
            if self.staged.finished and not self.staged.failed:
                self.staged.commit()
                if pending is not None:
                    commit_build(pending)
            else:
                self.staged.abandon()
                if pending is not None:
                    discard_build(pending)
                log.warning("构建失败，原有的 site/ 目录和检索索引保持不变。")
        finally:
            self.staged.release()
            self.staged = None

    def status_date(self) -> dt.date:
        """The date 时效性 is computed for: the configured one, else today."""
        if self.config.status_date:
            date = as_date(self.config.status_date)
            if date is None:
                raise PluginError(f"kb 插件的 status_date 不是有效日期：{self.config.status_date!r}（应为 YYYY-MM-DD）")
            return date
        return dt.date.today()


def policy_for_page(corpus: Corpus, src_uri: str) -> Policy | None:
    """The policy document a page under ``docs/policies/`` is, if any."""
    if not src_uri.startswith("policies/") or not src_uri.endswith(".md"):
        return None
    return corpus.policies.get(src_uri[len("policies/"): -len(".md")])


#: Front-matter values the Material theme prints into the page without escaping
#: (``<title>``, the header, navigation, ``<meta name="description">``).
THEME_RAW_META = ("title", "description", "subtitle", "author")


def escape_theme_meta(meta: MutableMapping[str, Any]) -> None:
    """Escape the front-matter values the theme prints raw, so that a title such as
    ``</title><script>…`` is shown as text; MkDocs takes ``page.title`` from the same value."""
    for key in THEME_RAW_META:
        value = meta.get(key)
        if isinstance(value, str):
            meta[key] = html_text(value)


def report(problems: list[ContentProblem]) -> None:
    """Log every problem: errors as warnings (so ``--strict`` fails), warnings as info."""
    for problem in problems:
        if problem.is_error:
            log.warning(problem.format())
        else:
            log.info(problem.format())
