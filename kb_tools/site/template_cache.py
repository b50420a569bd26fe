"""Theme output of unchanged pages, kept across the rebuilds of one ``mkdocs serve``.

Why: MkDocs renders every page through the theme's templates on every livereload rebuild;
with Material that is several milliseconds a page (the whole navigation is rendered into
each one), and after the Markdown conversions were cached (:mod:`kb_tools.site.render_cache`)
it was the largest part of a rebuild after one edited page. A page whose theme input did not
change gets the same bytes, so the previous output is reused.

The key covers everything the templates read, computed after ``on_page_context`` (so the
active tab is set): the template's name; the page's content, title, URL, canonical and edit
URL, front matter, table of contents, neighbours and ancestors; the whole navigation with its
active flags (titles and URLs of every item); the page's ``base_url``; and, once per build,
the site's settings the theme shows (every ``mkdocs.yml`` value apart from plugins and
Markdown settings, which reach the templates only through the page), the kb plugin's
template globals, and the size and time of every file of the theme folders that are not an
installed package (``custom_dir`` and the kb overrides), so an edited override renders anew.
Templates rendered without a page (``404.html``, ``sitemap.xml``) are never reused.

It also keeps Jinja's compiled templates (a bytecode cache) for the same reason.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import BytecodeCache, Environment, Template
from jinja2.bccache import Bucket

if TYPE_CHECKING:
    from collections.abc import Iterable

#: ``mkdocs.yml`` values the theme does not show (or shows only through the rendered page).
NOT_SHOWN = frozenset({"plugins", "markdown_extensions", "mdx_configs", "nav", "validation", "watch",
                       "hooks", "docs_dir", "site_dir", "config_file_path", "dev_addr", "strict",
                       "not_in_nav", "exclude_docs", "draft_docs", "remote_branch", "remote_name"})


class _Bytecode(BytecodeCache):
    """Compiled templates in memory, for the lifetime of one ``mkdocs serve``."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


class TemplateCache:
    """``{page URL: (key, output)}`` of the previous build, and this build's."""

    def __init__(self) -> None:
        self.previous: dict[str, tuple[str, str]] = {}
        self.current: dict[str, tuple[str, str]] = {}
        self.site = ""
        self.hits = 0
        self.misses = 0
        self.bytecode = _Bytecode()

    def begin(self, env: Environment, config: Any, template_globals: dict[str, object]) -> None:
        """Start a build: make ``env`` consult the cache, compute the site's part of every key."""
        self.previous = {**self.previous, **self.current}
        self.current = {}
        self.hits = self.misses = 0
        self.site = site_signature(config, template_globals)
        env.bytecode_cache = self.bytecode
        cache = self

        class CachedTemplate(Template):
            """A template whose top-level render reuses the previous output of the same input."""

            def render(self, *args: Any, **kwargs: Any) -> str:
                context = dict(*args, **kwargs)
                return cache.render(self, context, lambda: Template.render(self, context))

        env.template_class = CachedTemplate

    def render(self, template: Template, context: dict[str, Any], render: Any) -> str:
        """The output of ``render()``, or the previous build's for the same key."""
        page = context.get("page")
        if page is None or getattr(page, "url", None) is None:
            return str(render())
        key = page_key(template.name or "", context, self.site)
        kept = self.previous.get(page.url)
        if kept is not None and kept[0] == key:
            self.hits += 1
            output = kept[1]
        else:
            self.misses += 1
            output = str(render())
        self.current[page.url] = (key, output)
        return output

    def end(self) -> None:
        """The build's outputs become the previous ones (pages gone are dropped)."""
        self.previous, self.current = self.current, {}


def site_signature(config: Any, template_globals: dict[str, object]) -> str:
    """What every page of one build shares: settings shown by the theme, globals, override files."""
    shown = {key: config[key] for key in sorted(config.keys()) if key not in NOT_SHOWN}
    digest = hashlib.sha1(json.dumps([shown, template_globals], default=repr, sort_keys=True,
                                     ensure_ascii=False).encode("utf-8"))
    for path in override_files(config["theme"].dirs):
        stat = path.stat()
        digest.update(f"{path} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def override_files(dirs: Iterable[str]) -> list[Path]:
    """The files of theme folders an author may edit while serving (not installed packages)."""
    out: list[Path] = []
    for folder in map(Path, dirs):
        if "site-packages" in folder.parts or "dist-packages" in folder.parts:
            continue
        out.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return out


def page_key(template: str, context: dict[str, Any], site: str) -> str:
    """Everything of one page the templates read (see the module docstring)."""
    page = context["page"]
    digest = hashlib.sha1()
    parts: list[object] = [
        template, site, context.get("base_url"), page.url, page.title, page.canonical_url, page.edit_url,
        page.is_homepage, page.content, json.dumps(page.meta, default=repr, sort_keys=True, ensure_ascii=False),
        _toc(page.toc), _neighbour(page.previous_page), _neighbour(page.next_page),
        [(a.title, getattr(a, "url", None)) for a in page.ancestors],
        _nav(context.get("nav")),
        json.dumps([context.get("extra_css"), context.get("extra_javascript")], default=repr),
    ]
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _neighbour(page: Any) -> tuple[object, object] | None:
    return None if page is None else (page.title, page.url)


def _toc(items: Any) -> list[object]:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items or ()]


def _nav(nav: Any) -> list[object]:
    def walk(items: Any) -> list[object]:
        return [(type(item).__name__, item.title, getattr(item, "url", None), bool(getattr(item, "active", False)),
                 walk(getattr(item, "children", None) or ())) for item in items]
    return [] if nav is None else walk(nav.items)
