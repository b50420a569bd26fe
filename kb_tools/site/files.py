"""Which files of ``docs/`` a build publishes, and how undecodable pages are read.

Kept apart from the hooks: privacy decisions and encodings are the part of the glue that a
public build's correctness rests on.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files

from kb_tools.corpus import Corpus
from kb_tools.frontmatter import page_privacy
from kb_tools.laws.model import Law
from kb_tools.problems import ContentProblem

log = get_plugin_logger(__name__)


def law_for_page(corpus: Corpus, src_uri: str) -> Law | None:
    """The regulation rendered by a page, if the page is one."""
    if not src_uri.startswith("laws/") or not src_uri.endswith(".md"):
        return None
    return corpus.laws.get(src_uri[len("laws/"):-len(".md")])


def read_undecodable(files: Files, corpus: Corpus) -> None:
    """Report pages that are not UTF-8 (``--strict`` then fails) and read them as GB18030.

    Without this MkDocs stops with a traceback on the first GBK page. Regulations that loaded
    were read already; every other page is checked once here.
    """
    reported = {p.path for p in corpus.problems if p.code == "encoding"}
    loaded = {law.src_path for law in corpus.laws.values()}
    for file in files.documentation_pages():
        if file.generated_by or not file.abs_src_path or file.src_uri in loaded:
            continue
        path = Path(file.abs_src_path)
        _text, problem = corpus.sources.text(path, file.src_uri)  # the build's one read of the page
        if problem is None:
            continue
        if file.src_uri not in reported:
            log.warning(problem.format())
        file.content_string = corpus.sources.read(path).decode("gb18030", errors="replace").replace("\r\n", "\n")


def remove_private_pages(files: Files, corpus: Corpus) -> None:
    """Drop from a public build every page whose front matter says ``public: false``, every
    page whose privacy cannot be read (reported as an error: fail closed), the older texts of
    private regulations, and the files that only private pages link to."""
    docs = Path(corpus.docs_dir)
    private_pages: list[Path] = []
    public_pages: list[Path] = []
    for file in list(files.documentation_pages()):
        if file.generated_by or not file.abs_src_path:
            continue
        is_law_file = file.src_uri.startswith("laws/")
        if is_law_file and law_for_page(corpus, file.src_uri) is None and file.src_uri != "laws/index.md":
            files.remove(file)  # a private regulation, or an older text of one (it inherits)
            private_pages.append(docs / file.src_uri)
            continue
        privacy = page_privacy(docs / file.src_uri)
        if privacy is None:
            log.warning(ContentProblem(
                file.src_uri, 1, "无法判断本页是否公开（文件无法读取或解码、文件头没有结束的 ---，或 public 的值不是"
                "“是/否”），公开版中已略去本页。", "请修正文件头，并写明 public: true 或 public: false。",
                code="privacy").format())
        if privacy is not False:
            files.remove(file)
            private_pages.append(docs / file.src_uri)
        else:
            public_pages.append(docs / file.src_uri)
    linked = _linked_files(private_pages, docs)
    if linked:  # a file that a public page links to as well stays (read public pages only then)
        linked -= _linked_files(public_pages, docs)
    withheld = set(corpus.private_files) | linked
    for src_uri in sorted(withheld):  # files of private pages (a lecture's slides, a linked PDF)
        private = files.get_file_from_path(src_uri)
        if private is not None and not private.is_documentation_page():
            files.remove(private)


#: Link and image targets in Markdown and in raw HTML.
_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)|\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']")


def _linked_files(pages: list[Path], docs: Path) -> set[str]:
    """``docs/``-relative paths of the local files the pages link to (not other pages)."""
    linked: set[str] = set()
    for page in pages:
        try:
            text = page.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        folder = page.parent.relative_to(docs).as_posix() if page.parent != docs else ""
        for match in _LINK_RE.finditer(text):
            target = unquote((match.group(1) or match.group(2)).split("#", 1)[0].split("?", 1)[0])
            if not target or "://" in target or target.startswith(("/", "mailto:", "data:")):
                continue
            linked.add(posixpath.normpath(posixpath.join(folder, target)))
    return linked


def remove_drafts(files: Files, corpus: Corpus) -> None:
    """Drop every page whose front matter says ``draft: true`` (a lecture still being written)."""
    for src_uri in sorted(corpus.drafts):
        draft = files.get_file_from_path(src_uri)
        if draft is not None:
            files.remove(draft)
