"""Where the on-disk search index lives for a given MkDocs configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The static index's folder below the site directory (here, so that the build's glue can name
#: it without importing the index writer and its segmenter).
INDEX_DIR = "search/kb"


def index_dir_for(cfg: Any, plugin: Any) -> Path:
    """``index_dir`` from the plugin options, else ``.kb_cache/index`` beside ``mkdocs.yml``.

    A public build gets its own folder (``…-public``): sharing one would let the next intranet
    build or `kb search` put ``public: false`` pages back into the index a public server answers from.
    """
    root = Path(cfg["config_file_path"]).parent
    configured = plugin.config.index_dir if plugin is not None else None
    path = (root / configured) if configured else root / ".kb_cache" / "index"
    if plugin is not None and plugin.config.public_build:
        path = path.with_name(path.name + "-public")
    return path
