"""The Atom feed of new lectures (``classroom/feed.xml``), for the bureau's OA system.

Links are absolute when ``site_url`` is configured (an OA system fetches the feed from
elsewhere); without it they are relative to the feed's own address, which Atom resolves
against the document URI (RFC 4287 §2, xml:base). Entry ids are ``urn:uuid`` values derived
from the page path, so they stay the same when the site moves to another host.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from kb_tools.classroom.model import CLASSROOM_DIR, Lecture, format_hours
from kb_tools.corpus import Corpus

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_URI = f"{CLASSROOM_DIR}/feed.xml"
FEED_LIMIT = 30
#: China Standard Time: lectures carry a date only; they are published at midnight Beijing time.
CST = dt.timezone(dt.timedelta(hours=8))
_NAMESPACE = uuid.UUID("6f1c1f64-2b7e-4d55-9a51-3c0c4d1e8a10")


def feed_files(corpus: Corpus) -> list[tuple[str, bytes]]:
    """File generator: ``classroom/feed.xml`` whenever the site has a classroom section."""
    lectures = corpus.lectures
    if not lectures and not (corpus.docs_dir / CLASSROOM_DIR).is_dir():
        return []
    return [(FEED_URI, atom_feed(corpus, lectures).encode("utf-8"))]


def entry_id(lecture: Lecture) -> str:
    """A stable id for a lecture: the same on every build and every host."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, lecture.src_uri)}"


def _timestamp(date: dt.date) -> str:
    return dt.datetime(date.year, date.month, date.day, tzinfo=CST).isoformat()


def atom_feed(corpus: Corpus, lectures: list[Lecture]) -> str:
    """The feed document as a string (UTF-8 XML declaration included)."""
    site_url = corpus.options.site_url
    directory_urls = corpus.options.use_directory_urls
    prefix = site_url.rstrip("/") + "/" if site_url else ""

    def href(site_relative: str) -> str:
        # Relative links are resolved against the feed, which lives in classroom/.
        if prefix:
            return prefix + site_relative
        return site_relative[len(CLASSROOM_DIR) + 1:] if site_relative.startswith(f"{CLASSROOM_DIR}/") else (
            "../" + site_relative
        )

    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    site_name = corpus.options.site_name or "法规知识库"
    _text(feed, "title", f"{site_name} · 法治大讲堂")
    _text(feed, "subtitle", "法治大讲堂新发布的讲稿")
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(_NAMESPACE, FEED_URI)}")
    index = f"{CLASSROOM_DIR}/" if directory_urls else f"{CLASSROOM_DIR}/index.html"
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": "text/html", "href": href(index) or "./"})
    if prefix:
        ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "self", "type": "application/atom+xml",
                                                   "href": prefix + FEED_URI})
    newest = max((lec.date for lec in lectures), default=corpus.today)
    _text(feed, "updated", _timestamp(newest))
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    _text(author, "name", site_name)
    _text(feed, "generator", "kb_tools")
    for lecture in sorted(lectures, key=lambda lec: (lec.date, lec.src_uri), reverse=True)[:FEED_LIMIT]:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _text(entry, "title", lecture.title)
        _text(entry, "id", entry_id(lecture))
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": "text/html",
                                                    "href": href(lecture.url(directory_urls))})
        _text(entry, "published", _timestamp(lecture.date))
        _text(entry, "updated", _timestamp(lecture.date))
        person = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
        _text(person, "name", lecture.lecturer)
        for topic in lecture.topics:
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": topic})
        details = f"主讲人：{lecture.lecturer}；课时：{format_hours(lecture.hours)}"
        if lecture.audience:
            details += f"；对象：{lecture.audience}"
        _text(entry, "summary", f"{lecture.summary}（{details}）" if lecture.summary else details)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = text
    return element
