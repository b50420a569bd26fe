"""Generated index pages of the regulations, as Markdown strings (never written to ``docs/``).

The laws feature (``kb_tools.features``) returns them as its pages; the plugin turns every
generated page into an MkDocs virtual file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from kb_tools.corpus import Corpus, home_blocks
from kb_tools.laws.model import Law
from kb_tools.laws.render import level_anchor, status_badge
from kb_tools.model import GeneratedPage, Level, Status
from kb_tools.text import md_text

#: The index pages of regulations: (file below laws/, page title, grouping key).
LAW_INDEXES = [
    ("by-level.md", "按效力级别", "level"),
    ("by-category.md", "按分类", "category"),
    ("by-authority.md", "按制定机关", "authority"),
    ("by-status.md", "按时效性", "status"),
    ("by-year.md", "按年份", "year"),
]
_STATUS_ORDER = [Status.IN_FORCE, Status.NOT_YET_EFFECTIVE, Status.AMENDED, Status.REPEALED]


def law_link(law: Law, from_dir: str = "laws") -> str:
    """A Markdown link to a regulation page from a page in ``from_dir``."""
    depth = from_dir.count("/") + 1 if from_dir else 0
    prefix = "../" * depth
    return f"[{md_text(law.title)}]({prefix}laws/{law.slug}.md)"



def _last_changed(law: Law) -> dt.date:
    return law.version_date or dt.date.min


_COLUMNS = ("名称", "效力级别", "时效性", "制定机关", "公布/修改")


def _table(corpus: Corpus, laws: Iterable[Law], without: str = "", from_dir: str = "laws") -> str:
    """A table of regulations; ``without`` drops the column every row shares (the grouping key),
    except 时效性, which every list shows. A known 文号 is shown under the title."""
    keep = [i for i, name in enumerate(_COLUMNS) if name != without or name == "时效性"]
    rows = ["| " + " | ".join(_COLUMNS[i] for i in keep) + " |", "|" + "---|" * len(keep)]
    for law in laws:
        date = law.version_date.isoformat() if law.version_date else ""
        name = law_link(law, from_dir)
        if law.doc_number:  # under the title: most rows have none, so no column of blanks
            name += f'<br><span class="kb-docno">{md_text(law.doc_number)}</span>'
        cells = (name, law.level.value, status_badge(corpus.status(law)),
                 md_text(law.authority), date)
        rows.append("| " + " | ".join(cells[i] for i in keep) + " |")
    return '<div class="kb-law-table" markdown>\n\n' + "\n".join(rows) + "\n\n</div>\n"


_GROUP_COLUMN = {"level": "效力级别", "authority": "制定机关"}


def _groups(corpus: Corpus, key: str) -> list[tuple[str, list[Law]]]:
    groups: dict[str, list[Law]] = defaultdict(list)
    for law in corpus.current_laws:
        if key == "level":
            groups[law.level.value].append(law)
        elif key == "category":
            for cat in law.category or ("未分类",):
                groups[cat].append(law)
        elif key == "authority":
            groups[law.authority or "（未填写）"].append(law)
        elif key == "status":
            groups[corpus.status(law).value].append(law)
        elif key == "year":
            groups[str(law.version_date.year) if law.version_date else "（无日期）"].append(law)
    if key == "level":
        order = [lv.value for lv in Level]
        names = sorted(groups, key=order.index)
    elif key == "status":
        order = [s.value for s in _STATUS_ORDER]
        names = sorted(groups, key=order.index)
    elif key == "year":
        names = sorted(groups, reverse=True)
    else:
        names = sorted(groups, key=lambda n: (-len(groups[n]), n))
    return [(name, sorted(groups[name], key=lambda law: (-_last_changed(law).toordinal(), law.title)))
            for name in names]


def law_index_pages(corpus: Corpus) -> Iterable[GeneratedPage]:
    """``laws/index.md`` and one page per grouping (level, category, authority, status, year)."""
    yield GeneratedPage("laws/index.md", laws_overview(corpus))
    for filename, title, key in LAW_INDEXES:
        lines = [f"# 法律法规 · {title}", ""]
        groups = _groups(corpus, key)
        lines += ['<div class="kb-group-links" markdown>', "",
                  " ".join(f"[{md_text(name)}（{len(laws)}）](#{_group_anchor(key, name, i)})"
                           for i, (name, laws) in enumerate(groups)), "", "</div>", ""]
        for i, (name, laws) in enumerate(groups):
            lines += [f"## {md_text(name)}（{len(laws)}） {{#{_group_anchor(key, name, i)}}}", "",
                      _table(corpus, laws, _GROUP_COLUMN.get(key, ""))]
        yield GeneratedPage(f"laws/{filename}", "\n".join(lines))


def _group_anchor(key: str, name: str, index: int) -> str:
    """ASCII fragment of a group: stable for levels, statuses and years (links from regulation
    pages point at them), by position for the bureau's own categories and issuers."""
    if key == "level":
        return level_anchor(Level(name))
    if key == "status":
        return f"status-{Status(name).css_class}"
    if key == "year":
        return f"year-{name}" if name.isdigit() else "year-none"
    return f"group-{index + 1}"


def counts(corpus: Corpus) -> dict[str, int]:
    """Counts shown on the home page and the overview."""
    laws = corpus.current_laws
    by_status: defaultdict[str, int] = defaultdict(int)
    for law in laws:
        by_status[corpus.status(law).value] += 1
    return {
        "regulations": len(laws),
        "articles": sum(len(law.articles) for law in laws),
        "versions": sum(len(law.versions) for law in laws),
        **{f"status:{k}": v for k, v in by_status.items()},
    }


def laws_overview(corpus: Corpus) -> str:
    """The 法律法规 section page: counts by level and status, and links to the indexes."""
    stats = counts(corpus)
    lines = [
        "# 法律法规",
        "",
        f"知识库收录法规 **{stats['regulations']}** 部、条文 **{stats['articles']}** 条，"
        f"历史版本 **{stats['versions']}** 个。时效性按 {corpus.today.isoformat()} 计算。",
        "",
        "浏览方式：" + " · ".join(f"[{title}]({filename})" for filename, title, _ in LAW_INDEXES),
        "",
        "## 按效力级别",
        "",
        _cards((f"by-level.md#{_group_anchor('level', name, 0)}", name, len(laws))
               for name, laws in _groups(corpus, "level")),
        "## 按时效性",
        "",
        _cards((f"by-status.md#{_group_anchor('status', name, 0)}", name, len(laws))
               for name, laws in _groups(corpus, "status")),
        "## 最近修改",
        "",
        _table(corpus, recent(corpus, 15)),
    ]
    return "\n".join(lines) + "\n"


def _cards(items: Iterable[tuple[str, str, int]]) -> str:
    """A row of count cards, each a link: ``(target, label, count)``."""
    cards = "\n".join(f"[**{count}** {md_text(label)}]({target}){{ .kb-card }}" for target, label, count in items)
    return f'<div class="kb-cards" markdown>\n\n{cards}\n\n</div>\n'



def recent(corpus: Corpus, limit: int) -> list[Law]:
    """The most recently promulgated or amended current texts."""
    laws = sorted(corpus.current_laws, key=lambda law: (_last_changed(law), law.title), reverse=True)
    return laws[:limit]


def home_block(corpus: Corpus) -> str:
    """The statistics and recent changes block placed on the home page at ``<!-- kb:home -->``."""
    stats = counts(corpus)
    lines = [
        *home_blocks(corpus),
        _cards([
            ("laws/index.md", "部法规", stats["regulations"]),
            ("laws/by-level.md", "条条文", stats["articles"]),
            ("laws/by-status.md#status-in-force", "部现行有效", stats.get("status:有效", 0)),
            ("laws/index.md", "个历史版本", stats["versions"]),
        ]),
        "### 最近修改的法规",
        "",
        _table(corpus, recent(corpus, 10), from_dir=""),
    ]
    return "\n".join(lines)
