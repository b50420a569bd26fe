"""The plugin's options in ``mkdocs.yml`` (``plugins: - kb: {…}``)."""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from kb_tools.corpus import SiteOptions


class KbConfig(base.Config):
    """Options of the ``kb`` plugin; each one is documented in README's 配置 section."""

    enabled = c.Type(bool, default=True)
    """Whether the plugin runs at all (a plain Material build of the same docs when false)."""

    status_date = c.Optional(c.Type(str))
    """Date (YYYY-MM-DD) for which 时效性 is computed; default: the day of the build.
    Fix it for reproducible builds and tests."""

    public_build = c.Type(bool, default=False)
    """Leave out every page whose front matter says ``public: false`` (``kb build --public``)."""

    search_index = c.Type(bool, default=True)
    """Build the whoosh index and the static browser index during the build."""

    index_in_background = c.Type(bool, default=True)
    """``mkdocs build``: write both search indexes in a forked process while the pages render
    (the second core); false writes them after the last page, in the building process."""

    index_dir = c.Optional(c.Type(str))
    """Where the whoosh index is kept; default ``.kb_cache/index`` beside ``mkdocs.yml``."""

    bureau_name = c.Type(str, default="住房和城乡建设局")
    """The bureau's name, shown in every page's footer beside the date the data was built."""

    classroom_hours_target = c.Type(int, default=8)
    """法治大讲堂: yearly class-hour target shown on the classroom index."""

    policy_expiry_warning_days = c.Type(int, default=90)
    """本局文件: a document ending within this many days of the status date is 即将失效
    (badge, banner, the 清理 view)."""

    policy_max_validity_years = c.Type(int, default=5)
    """本局文件: `kb check` reports a 行政规范性文件 valid for longer than this many years."""

    study_next_plan_from = c.Type(str, default="12-01")
    """学法计划: from this day of the year (MM-DD) on, a missing plan for next year is a `kb check`
    warning and the plan pages say so."""

    atomic_output = c.Type(bool, default=True)
    """Build into a staging folder and swap it in only when the build succeeds, so a failed
    ``mkdocs build`` leaves the previous ``site/`` untouched."""

    precompress = c.Type(bool, default=True)
    """Write ``<file>.gz`` beside each HTML, JSON, JS and CSS file of the built site (``kb build``
    and ``mkdocs build``; not ``mkdocs serve``), which nginx's ``gzip_static`` and ``kb serve``
    send to browsers that accept gzip."""

    build_lock_timeout = c.Type((int, float), default=60)
    """Seconds a build waits for another build of the same ``site/`` to finish before it gives
    up with a message (two builds at once would otherwise prune each other's index)."""

def site_options(config: Any, options: KbConfig | None) -> SiteOptions:
    """What generated pages need to know of the site and of the plugin's options."""
    if options is None:
        return SiteOptions(site_name=config.site_name, site_url=config.site_url or "",
                           use_directory_urls=config.use_directory_urls)
    return SiteOptions(site_name=config.site_name, site_url=config.site_url or "",
                       use_directory_urls=config.use_directory_urls,
                       bureau_name=options.bureau_name,
                       classroom_hours_target=options.classroom_hours_target,
                       policy_expiry_warning_days=options.policy_expiry_warning_days,
                       policy_max_validity_years=options.policy_max_validity_years,
                       next_plan_from=options.study_next_plan_from)
