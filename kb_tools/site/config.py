"""The plugin's options in ``mkdocs.yml`` (``plugins: - kb: {…}``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


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

    index_dir = c.Optional(c.Type(str))
    """Where the whoosh index is kept; default ``.kb_cache/index`` beside ``mkdocs.yml``."""

    classroom_hours_target = c.Type(int, default=8)
    """法治大讲堂: yearly class-hour target shown on the classroom index."""

    atomic_output = c.Type(bool, default=True)
    """Build into a staging folder and swap it in only when the build succeeds, so a failed
    ``mkdocs build`` leaves the previous ``site/`` untouched."""

    build_lock_timeout = c.Type((int, float), default=60)
    """Seconds a build waits for another build of the same ``site/`` to finish before it gives
    up with a message (two builds at once would otherwise prune each other's index)."""
