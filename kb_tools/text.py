"""Shared text helpers: the two escapers every page generator and importer uses.

Text that comes from outside (imported law texts, Word lectures, spreadsheets) or from data
files and front matter (titles, issuers, names in YAML rows) is *text*: wherever it becomes HTML
it must not turn into markup. There are exactly two ways it reaches a page, so there are two
escapers, and every module calls these instead of keeping its own copy:

* :func:`html_text` when the generator writes HTML itself (tables, attributes, ``<title>``);
* :func:`md_text` when it writes Markdown that Python-Markdown turns into HTML (headings,
  link texts, table cells, paragraphs written by an importer).

Hand-written Markdown bodies are never passed through these: authors are trusted.
"""

from __future__ import annotations

import html
import re

#: Characters that Python-Markdown (with the tables and attr_list extensions) treats as syntax
#: inside a line: emphasis, code, links and images, table cells, attribute lists.
_MD_SYNTAX = re.compile(r"([\\`*_\[\]|{}!#])")
#: Control characters that have no place in a page; NUL bytes above all (browsers and parsers
#: disagree about them). Tabs and newlines are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """``text`` without NUL and other control characters (tab and newline stay).

    >>> clean_text("a\\x00b\\tc")
    'ab\\tc'
    """
    return _CONTROL.sub("", text)


def html_text(text: object, *, quote: bool = True) -> str:
    """Text as HTML that shows exactly that text, safe in element content and in quoted
    attribute values alike.

    >>> html_text('</title><script>"x"</script>')
    '&lt;/title&gt;&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
    """
    return html.escape(clean_text(str(text)), quote=quote)


def md_text(text: object) -> str:
    """Text as Markdown that renders to exactly that text and never to markup.

    ``<``, ``>`` and ``&`` become character references, so no raw HTML (and no ``<javascript:…>``
    autolink) can form; the inline syntax characters get a backslash, so ``[x](javascript:…)``
    stays text and a ``{: onclick=…}`` cannot become an attribute. Line starts are left to the
    caller (:func:`md_paragraph`). The result still reads as the original text in the file.

    >>> md_text('[x](javascript:alert(1)) <b>&')
    '\\\\[x\\\\](javascript:alert(1)) &lt;b&gt;&amp;'
    """
    escaped = html.escape(clean_text(str(text)), quote=False)
    return _MD_SYNTAX.sub(r"\\\1", escaped)


def md_paragraph(text: object) -> str:
    """Like :func:`md_text`, and a paragraph that merely begins like a heading, list, quote or
    indented code block stays a paragraph.

    >>> md_paragraph("1. 不是列表")
    '1\\\\. 不是列表'
    """
    escaped = md_text(str(text).strip())  # a literal > is &gt; already: no quote
    escaped = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", escaped)
    return re.sub(r"^([+-])", r"\\\1", escaped)
