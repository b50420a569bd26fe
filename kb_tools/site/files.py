"""Which files of ``docs/`` a build publishes, and how undecodable pages are read.

Kept apart from the hooks: privacy decisions and encodings are the part of the glue that a
public build's correctness rests on.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files

from kb_tools.corpus import Corpus
from kb_tools.frontmatter import is_private, read_text
from kb_tools.laws.model import Law

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
        _text, problem = read_text(path, file.src_uri)
        if problem is None:
            continue
        if file.src_uri not in reported:
            log.warning(problem.format())
        file.content_string = path.read_bytes().decode("gb18030", errors="replace").replace("\r\n", "\n")


def remove_private_pages(files: Files, corpus: Corpus) -> None:
    """Drop every page whose front matter says ``public: false`` from a public build."""
    docs = corpus.docs_dir
    for file in list(files.documentation_pages()):
        is_law_file = file.src_uri.startswith("laws/") and not file.generated_by
        if is_law_file and law_for_page(corpus, file.src_uri) is None and file.src_uri != "laws/index.md":
            files.remove(file)
            continue
        if file.abs_src_path and is_private(Path(docs) / file.src_uri):
            files.remove(file)
    for src_uri in corpus.private_files:  # files of private pages (a lecture's slides)
        private = files.get_file_from_path(src_uri)
        if private is not None:
            files.remove(private)


def remove_drafts(files: Files, corpus: Corpus) -> None:
    """Drop every page whose front matter says ``draft: true`` (a lecture still being written)."""
    for src_uri in sorted(corpus.drafts):
        draft = files.get_file_from_path(src_uri)
        if draft is not None:
            files.remove(draft)
