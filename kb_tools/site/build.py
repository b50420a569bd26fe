"""Run a MkDocs build with the kb plugin's options, as `mkdocs build` does, for `kb build`.

The CLI stays free of MkDocs: every failure comes back as one :class:`KbError` line.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from kb_tools.problems import KbError


def load_mkdocs_config(config_file: str, **overrides: Any) -> Any:
    """The MkDocs config of ``config_file``; a broken file is one KbError line."""
    from mkdocs.config import load_config

    try:
        return load_config(config_file=config_file, **overrides)
    except Exception as exc:  # mkdocs raises several config exception types
        raise KbError(f"无法读取 {config_file}：{exc}") from exc


def build_site(config_file: str, *, strict: bool = False, public: bool = False,
               site_dir: str | None = None, status_date: str | None = None) -> Path:
    """Build the site exactly as `mkdocs build` does, with the kb plugin options applied.

    Returns:
        The final site folder (the build itself may run in a staging folder).
    """
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.exceptions import Abort, PluginError

    overrides: dict[str, object] = {"strict": strict}
    if site_dir:
        overrides["site_dir"] = site_dir
    cfg = load_mkdocs_config(config_file, **overrides)
    plugin = cfg.plugins.get("kb")
    if plugin is None:
        raise KbError(f"{config_file} 没有启用 kb 插件（plugins: - kb）。")
    if public:
        plugin.config.public_build = True
    if status_date:
        plugin.config.status_date = status_date
    final = Path(cfg["site_dir"])  # on_config may redirect to a staging folder
    problems = _ProblemPrinter()
    logging.getLogger("mkdocs").addHandler(problems)  # as `mkdocs build` and `kb check` show them
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(cfg)
    except Abort as exc:
        if "strict mode" in exc.message or "BuildError" in exc.message:  # the reason was printed above
            raise KbError("构建失败，原有的 site/ 目录和检索索引保持不变。") from exc
        raise KbError(f"构建失败：{exc.message}；原有的 site/ 目录和检索索引保持不变。") from exc
    except PluginError as exc:  # e.g. another build holds the lock
        raise KbError(f"构建失败：{exc.message}；原有的 site/ 目录和检索索引保持不变。") from exc
    except SystemExit as exc:
        raise KbError("构建失败，原有的 site/ 目录和检索索引保持不变。") from exc
    except (KbError, OSError, ValueError) as exc:  # a plugin or theme failure: one line, not a traceback
        raise KbError(f"构建失败：{exc}；原有的 site/ 目录和检索索引保持不变。") from exc
    finally:
        try:
            cfg.plugins.on_shutdown()
        finally:
            logging.getLogger("mkdocs").removeHandler(problems)
    return final


class _ProblemPrinter(logging.Handler):
    """Prints every warning of the build (each content problem with its file:line and fix) to
    stderr, so that `kb build --strict` says what is wrong before its one-line failure."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        message = message.removeprefix("kb_tools: ")
        if not message.startswith("构建失败"):  # `kb build` ends with its own one-line failure
            print(message, file=sys.stderr)
