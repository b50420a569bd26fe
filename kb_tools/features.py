"""The content kinds of the site, as :class:`~kb_tools.corpus.Feature` values, in load order.

Each kind's package knows only the corpus; this module knows every kind, so it is the one place
to add a new one. The plugin, `kb check`, the search indexes and the tests all take the same
tuple, so a check that `kb check` runs is the check a build runs.
"""

from __future__ import annotations

from kb_tools import classroom, discretion, lists, penalties, powers, study
from kb_tools.citations import graph as citation_graph
from kb_tools.citations import pages as citation_pages
from kb_tools.citations import previews as citation_previews
from kb_tools.corpus import Feature
from kb_tools.laws import pages as law_pages
from kb_tools.laws import version_pages
from kb_tools.policies import checks as policy_checks
from kb_tools.policies import feature as policy_feature
from kb_tools.policies import pages as policy_pages
from kb_tools.policies import search as policy_search
from kb_tools.search import results_page

#: The regulation index pages (by level, category, …).
LAWS = Feature("laws", pages=law_pages.law_index_pages, indexed=False)
#: 本局文件: documents, their bases' cited-by, the catalogue and the 清理 view, the exports, the checks,
#: one search document per numbered item. Before the kinds whose pages may cite a policy.
POLICIES = Feature("policies", load=policy_feature.load, pages=policy_pages.generate,
                   files=policy_pages.export_files, check=policy_checks.check,
                   documents=policy_search.documents, home=policy_pages.home_block)
#: 学法计划: the loader also reports the plan's problems (no regulation, missing focus article …).
STUDY = Feature("study", load=study.load, pages=study.generate, check=study.check, data_dir=study.STUDY_DIR,
                home=study.home_block)
#: 法治大讲堂: lectures, their indexes and the Atom feed.
CLASSROOM = Feature("classroom", load=classroom.load, pages=classroom.generate, files=classroom.feed_files)
#: 权力清单 and 检查事项: the loader checks codes, types and bases and registers each item as citing.
POWERS = Feature("powers", load=powers.load, pages=powers.generate, files=powers.export_files,
                 data_dir=powers.POWERS_DIR)
#: 清单 declared in docs/lists/<name>/list.yaml: entries are search documents of their own (the
#: table pages are not indexed); the loader registers each entry as citing its bases.
LISTS = Feature("lists", load=lists.load, pages=lists.generate, files=lists.export_files,
                data_dir=lists.LISTS_DIR, indexed=False, documents=lists.documents)
#: 罚则索引: the sanctions read from every regulation's articles, the cards on regulation pages
#: (added by the plugin), the cross-law table with its downloads, and the acts in search documents.
PENALTIES = Feature("penalties", load=penalties.load, pages=penalties.generate, files=penalties.export_files,
                    indexed=False, article_terms=penalties.article_terms)
#: 行政处罚裁量基准 (declared lists with a tiers column): each tier inside its 处罚依据's statutory
#: fine, the bases as they stood on the standard's adoption date. After the lists and the penalties.
DISCRETION = Feature("discretion", check=discretion.check, indexed=False)
#: Citations, after every kind that registers its own citing places: the cited-by graph, the
#: citation problems, the 引用关系 pages, and the article previews of citation links.
CITATIONS = Feature("citations", load=citation_graph.load, check=citation_graph.check,
                    pages=citation_pages.generate, files=citation_previews.preview_files, indexed=False)
#: 新旧对照 and dated texts of regulations.
VERSIONS = Feature("versions", pages=version_pages.generate, indexed=False)
#: The results page ``search/?q=…`` (a shell the browser fills from the static index).
SEARCH_RESULTS = Feature("search-results", pages=results_page.generate, indexed=False)


def default_features() -> tuple[Feature, ...]:
    """Every content kind of the site, in the order their data depends on each other."""
    return (LAWS, POLICIES, STUDY, CLASSROOM, POWERS, LISTS, PENALTIES, DISCRETION, CITATIONS, VERSIONS, SEARCH_RESULTS)
