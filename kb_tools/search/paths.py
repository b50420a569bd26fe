"""Where the on-disk search index lives for a given MkDocs configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def index_dir_for(cfg: Any, plugin: Any) -> Path:
    """``index_dir`` from the plugin options, else ``.kb_cache/index`` beside ``mkdocs.yml``."""
    root = Path(cfg["config_file_path"]).parent
    configured = plugin.config.index_dir if plugin is not None else None
    return (root / configured) if configured else root / ".kb_cache" / "index"
