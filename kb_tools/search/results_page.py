"""The results page ``search/`` (``search/?q=…``): every match of a query, with facets and paging.

The page itself is a shell: ``kb-search-page.js`` reads the query, filters and page from the
address, runs the browser engine over the same static index as the header box (so it works from
a plain static server and offline, with the same ranking as `kb search`) and fills it in. What
the shell says without the script is a plain Chinese sentence, never an empty page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kb_tools.model import GeneratedPage

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

#: Where the page lives below ``docs/`` (its address is ``search/``).
RESULTS_URI = "search/index.md"

_MARKDOWN = """---
title: 检索结果
hide:
  - navigation
  - toc
---

# 检索结果

<link rel="preload" href="kb/manifest.json" as="fetch" crossorigin="anonymous">
<link rel="preload" href="kb/groups.json" as="fetch" crossorigin="anonymous">

<div id="kb-results" class="kb-results" data-page-size="20">
<p class="kb-results__boot" role="status">正在检索…（若一直没有结果，请确认浏览器允许运行脚本，或刷新页面）</p>
<noscript><p class="kb-results__boot">检索结果页需要浏览器允许运行脚本；
也可以请维护人员用 <code>kb search</code> 查询。</p></noscript>
</div>
"""


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """Page generator: the one results page (the corpus is not needed: the index holds the data)."""
    del corpus
    yield GeneratedPage(RESULTS_URI, _MARKDOWN)
