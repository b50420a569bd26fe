"""Which navigation tab a page belongs to, for pages that are not in the navigation themselves.

Regulation pages, power-item pages and lecture pages are kept out of the navigation (there are
thousands), so Material highlights no tab on them. The tab of the section whose pages share the
page's top folder (``laws/``, ``powers/``, ``classroom/`` …) is marked active while that one page
is rendered, and unmarked afterwards: the navigation objects are shared by every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def _top_folder(url: str) -> str:
    """>>> _top_folder("laws/建筑法/"), _top_folder("index.html"), _top_folder("")
    ('laws', '', '')
    """
    head, sep, _ = url.partition("/")
    return head if sep else ""


def _urls(item: object) -> list[str]:
    children = getattr(item, "children", None)
    if children:
        return [url for child in children for url in _urls(child)]
    url = getattr(item, "url", None)
    return [url] if isinstance(url, str) else []


def tab_for(page: Page, nav: Navigation) -> object | None:
    """The top-level navigation item to mark active for ``page``, or None when one already is."""
    if any(getattr(item, "active", False) for item in nav.items):
        return None
    folder = _top_folder(page.url)
    if not folder:
        return None
    for item in nav.items:
        if any(_top_folder(url) == folder for url in _urls(item)):
            return item
    return None


#: Chinese names of the site's folders, for a site whose mkdocs.yml has no ``nav:`` (MkDocs then
#: names each section after its folder: "Laws", "Inspection items").
FOLDER_TITLES = {
    "laws": "法律法规", "study": "学法计划", "classroom": "法治大讲堂", "powers": "权力清单",
    "items": "权力事项", "inspection-items": "检查事项", "manual": "维护手册", "search": "检索",
}


def _folder_title(folder: str) -> str:
    """The title MkDocs gives a folder's section (mkdocs.structure.nav's rule)."""
    title = folder.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def name_sections(items: list[object]) -> None:
    """Give the sections MkDocs named after the site's folders their Chinese names (in place)."""
    names = {_folder_title(folder): title for folder, title in FOLDER_TITLES.items()}
    for item in items:
        children = getattr(item, "children", None)
        if children is None:
            continue
        title = getattr(item, "title", None)
        if isinstance(title, str) and title in names:
            item.title = names[title]  # type: ignore[attr-defined]  # a Section
        name_sections(children)
