"""Measure a declared list (docs/lists/) with generated rows: build time, page size, filter/sort time in chromium.

Usage: .venv/bin/python benchmarks/list_table.py [N]   (default 1000 rows; prints numbers, asserts nothing)
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import BUILDING_LAW, make_config, run_build, write_files
from tests.test_browser_lists import DECLARATION, rows

FILTER_JS = """() => {
  const select = document.querySelector('select[data-filter="category"]');
  const query = document.querySelector('input[data-filter="q"]');
  const out = {};
  let t = performance.now();
  for (let i = 0; i < 20; i++) {
    select.selectedIndex = i % 3;
    select.dispatchEvent(new Event('change', {bubbles: true}));
  }
  out.type_filter_ms = (performance.now() - t) / 20;
  query.value = '燃气';
  t = performance.now(); query.form.dispatchEvent(new Event('change')); out.text_filter_ms = performance.now() - t;
  t = performance.now(); document.querySelector('th[data-sort="name"]').click(); out.sort_ms = performance.now() - t;
  out.count = document.querySelector('.kb-pw-count').textContent;
  return out;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(n: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="kb-list-bench-"))
    write_files(root / "docs", {
        "index.md": "# 首页\n",
        "laws/建筑法.md": BUILDING_LAW,
        "lists/av/list.yaml": yaml.safe_dump(DECLARATION, allow_unicode=True, sort_keys=False),
        "lists/av/rows.yaml": yaml.safe_dump(rows(n), allow_unicode=True, sort_keys=False),
    })
    config = make_config(root, {"search_index": False}, not_in_nav="/laws/**\n/lists/*/items/**\n",
                         nav=[{"首页": "index.md"}, {"清单": ["lists/index.md", "lists/av/index.md"]}])
    start = time.perf_counter()
    site = run_build(config)
    print(f"rows: {n}")
    print(f"build: {time.perf_counter() - start:.1f} s")
    print(f"list page: {(site / 'lists/av/index.html').stat().st_size / 1024:.0f} KiB")
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/lists/av/")
        page.wait_for_function("document.querySelector('.kb-pw-count').textContent.includes('/')")
        timing = json.loads(page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])"))
        print(f"page load (DOMContentLoaded): {timing['domContentLoadedEventEnd']:.0f} ms")
        for key, value in page.evaluate(FILTER_JS).items():
            print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
