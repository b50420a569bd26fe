"""Keep the finished HTML of generated pages out of Python-Markdown's way.

Why: generated pages (the 罚则索引 with two thousand table rows, power items, list entries,
新旧对照 tables, the facts and outline of every regulation) are mostly HTML that ``kb_tools``
has already escaped and assembled. Python-Markdown still walks every such block with its HTML
parser, twice (once for MkDocs' anchor list, once for the raw-HTML stash), and that was the
largest part of converting them. Here each top-level raw HTML block is replaced by a comment
mark before conversion and put back afterwards: the page comes out byte for byte the same
(a test builds both ways and compares), and the anchors inside the blocks are returned for
MkDocs' link check.

Only pages made by ``kb_tools`` go through this (never an author's Markdown): the rule below
— a blank-line separated chunk that starts with a block-level tag at the start of a line and
ends with that tag's closing tag — describes how the generators write HTML, not HTML at large.
"""

from __future__ import annotations

import html
import re

#: Stands for the N-th block kept aside; a comment, which Python-Markdown passes through as is.
MARK = "<!-- kb:raw {} -->"
#: Tags Python-Markdown treats as block-level HTML (a chunk starting with another tag would be a paragraph).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "nav", "ol", "p", "section", "table", "ul",
})
_START = re.compile(r"<([a-z][a-z0-9]*)[\s>]")
#: ``markdown="1"`` (md_in_html) asks for Markdown inside the block: such a block must be converted.
_MARKDOWN_ATTR = re.compile(r"<[a-z][^>]*\smarkdown[\s=>]")
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^>]*)>")
_ATTR = re.compile(r"""\s(id|name)=(?:"([^"]*)"|'([^']*)')""")
_MARK = re.compile(r"<!-- kb:raw (\d+) -->")


def stash_raw_blocks(markdown: str, stash: list[str]) -> str:
    """The Markdown with each top-level raw HTML block replaced by a :data:`MARK`; the blocks
    are appended to ``stash``. Pages with code fences are left alone (a fence may hold HTML)."""
    if "```" in markdown or "~~~" in markdown:
        return markdown
    chunks = markdown.split("\n\n")
    for i, chunk in enumerate(chunks):
        text = chunk.strip("\n")
        start = _START.match(text)
        if start is None or start.group(1) not in BLOCK_TAGS or not text.endswith(f"</{start.group(1)}>"):
            continue
        if _MARKDOWN_ATTR.search(text):
            continue
        stash.append(text)
        chunks[i] = chunk.replace(text, MARK.format(len(stash) - 1), 1)
    return "\n\n".join(chunks)


def restore_raw_blocks(page_html: str, stash: list[str]) -> str:
    """Put the kept blocks back in place of their marks (in one pass over the page)."""
    if not stash:
        return page_html
    return _MARK.sub(lambda m: stash[int(m.group(1))] if int(m.group(1)) < len(stash) else m.group(0), page_html)


def anchor_ids(blocks: list[str]) -> set[str]:
    """The ``id`` (and ``<a name>``) values inside the blocks, as MkDocs collects them from raw HTML."""
    found: set[str] = set()
    for block in blocks:
        for tag, attrs in _TAG.findall(block):
            for name, double, single in _ATTR.findall(attrs):
                if name == "id" or tag.lower() == "a":
                    found.add(html.unescape(double or single))
    return found
