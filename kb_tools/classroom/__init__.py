"""法治大讲堂: lecture pages under ``docs/classroom/``, their indexes, the Atom feed, scaffolding and import.

Registered in ``kb_tools.features``: :func:`load` (corpus loader), :func:`generate` (the index
pages) and :func:`feed_files` (``classroom/feed.xml``); the plugin calls :func:`lecture_markdown`
on every page.
"""

from __future__ import annotations

from kb_tools.classroom.feed import feed_files
from kb_tools.classroom.loader import load
from kb_tools.classroom.model import Lecture
from kb_tools.classroom.pages import generate, lecture_markdown

__all__ = ["Lecture", "feed_files", "generate", "lecture_markdown", "load"]
