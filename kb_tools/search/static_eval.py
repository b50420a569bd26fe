"""``kb eval --engine static``: the browser engine, run under Node over a static index.

The index is written from ``docs/`` into a temporary folder first, exactly as the plugin writes
it (or, on request, the one a build wrote to ``site/search/kb``). Queries go to one long-lived ``node`` process running
``static_runner.js``, which loads ``kb_tools/assets/kb-search.js`` (and its parts): the code measured is the code
that ships.
"""

from __future__ import annotations

import atexit
import json
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from kb_tools.search.eval import ENGINES, EvalContext
from kb_tools.search.static_index import INDEX_DIR, write_site_index

RUNNER = Path(__file__).resolve().parent / "static_runner.js"


class NodeEngine:
    """A ``node static_runner.js INDEX_DIR`` process answering one JSON line per query."""

    def __init__(self, index_dir: Path) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("找不到 node：静态检索引擎需要 Node.js（apt-get install nodejs）。")
        self._proc = subprocess.Popen(
            [node, str(RUNNER), str(index_dir)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
        )
        self._lock = threading.Lock()
        atexit.register(self.close)

    def query(self, text: str, limit: int = 10, status: str | None = None) -> list[dict[str, Any]]:
        """The engine's hits for one query (dicts with title, article, url, status, score, snippet)."""
        return self.answer(text, limit, status)["hits"]

    def answer(self, text: str, limit: int = 10, status: str | None = None, offset: int = 0) -> dict[str, Any]:
        """The whole answer: ``hits`` (one page, from ``offset``) and ``total`` (every match)."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        request = {"q": text, "limit": limit, "status": status, "offset": offset}
        with self._lock:
            self._proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self._proc.stdin.flush()
            line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("静态检索引擎（node）意外退出。")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"静态检索引擎出错：{answer['error']}")
        return answer

    def __call__(self, text: str, limit: int) -> list[tuple[str, str | None]]:
        return [(h["title"], h["article"]) for h in self.query(text, limit)]

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()  # type: ignore[union-attr]  # the process is started with stdin=PIPE
            self._proc.wait(timeout=10)


def static_index_for(context: EvalContext) -> Path:
    """The static index to query: written now from ``docs/`` (a built site's may be stale), or
    the built site's when ``context.options["use_site"]`` says so."""
    site_index = context.site_dir / INDEX_DIR if context.site_dir is not None else None
    if context.options.get("use_site") and site_index is not None and (site_index / "manifest.json").is_file():
        return site_index
    from kb_tools.corpus import load_corpus
    from kb_tools.features import default_features

    corpus = load_corpus(context.docs_dir, context.status_date, features=default_features())
    site = Path(tempfile.mkdtemp(prefix="kb-static-eval-"))
    atexit.register(shutil.rmtree, site, True)
    write_site_index(corpus, site)
    return site / INDEX_DIR


def make_static_engine(context: EvalContext) -> NodeEngine:
    """The ``static`` engine of ``kb eval``."""
    return NodeEngine(static_index_for(context))


ENGINES["static"] = make_static_engine
