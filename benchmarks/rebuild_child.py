"""Child process of build_bench: what ``mkdocs serve`` does when one regulation is edited.

``mkdocs serve`` loads the config again for every rebuild but keeps the plugin instances
(MkDocs caches plugins that have ``on_startup``), then runs a full ``build``. This script
does the same in one process: build, edit one page, reload the config, build again, and
prints both durations as JSON on its last line. Between the two builds it pauses as an author
does who reads the page before the next edit (``AUTHOR_PAUSE``): the plugin collects the first
build's garbage in that pause (``kb_tools/site/idle_gc.py``), as it would in a real session.

Usage: ``python benchmarks/rebuild_child.py CONFIG_FILE PAGE_FILE SITE_DIR``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

#: Appended to the edited regulation: a new paragraph of its last article.
EDIT = "\n\n本款为性能测试临时添加的文字。\n"
#: Seconds between the first build and the edit: longer than the plugin's idle delay.
AUTHOR_PAUSE = 2.0


def main(config_file: str, page_file: str, site_dir: str) -> None:
    page = Path(page_file)
    original = page.read_bytes()
    config = load_config(config_file=config_file, site_dir=site_dir)
    config.plugins.on_startup(command="serve", dirty=False)
    serve_url = "http://127.0.0.1:8000/"
    config.site_url = serve_url
    try:
        start = time.perf_counter()
        build(config, serve_url=serve_url)
        first = time.perf_counter() - start
        time.sleep(AUTHOR_PAUSE)
        page.write_bytes(original + EDIT.encode("utf-8"))
        start = time.perf_counter()
        config = load_config(config_file=config_file, site_dir=site_dir)  # as serve's builder() does
        config.site_url = serve_url
        build(config, serve_url=serve_url)
        second = time.perf_counter() - start
    finally:
        page.write_bytes(original)
        config.plugins.on_shutdown()
    print(json.dumps({"first": first, "rebuild": second}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
