"""The pages of declared lists, as Markdown strings (never written to ``docs/``).

- ``lists/index.md``: every list with its count of entries;
- ``lists/<name>/index.md``: counts per filter column, exports, and the filterable, sortable table
  (the shared table of ``kb_tools/lists/table.py`` and ``assets/kb/lists.js``);
- ``lists/<name>/items/<code>.md``: one page per entry, every column, the bases linked to articles.

Every page of a list marked ``sample: true`` carries the 示例数据 note. Links are computed for
directory URLs (``use_directory_urls: true``, as the rest of kb_tools).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from kb_tools.lists import table
from kb_tools.lists.export import export_paths
from kb_tools.lists.model import Column, ColumnType, DeclaredList, Entry, ListSpec, Role, page_name
from kb_tools.lists.render import basis_html, maintenance_note, md_heading, meta_list, ref_summary, text_html
from kb_tools.model import GeneratedPage

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

INDEX = "lists/index.md"


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """The page generator of the lists feature (``kb_tools.features``)."""
    if not corpus.lists:
        return
    yield GeneratedPage(INDEX, index_markdown(corpus))
    for dlist in corpus.lists.values():
        yield GeneratedPage(f"lists/{dlist.spec.name}/index.md", list_markdown(dlist, corpus))
        for entry in dlist.entries:
            yield GeneratedPage(entry.src_uri, entry_markdown(entry, corpus))


def _sample(spec: ListSpec) -> str:
    if not spec.sample:
        return ""
    return table.sample_note("这里显示的是示例数据，用于演示，不是本局正式公布的清单。")


def index_markdown(corpus: Corpus) -> str:
    """Every declared list, its count, and how to declare a new one."""
    lists = list(corpus.lists.values())
    lines = ["# 清单", "",
             "本局维护的各类清单（权力清单另见“权力清单”栏目）。每一项都写明法律依据并链接到法规条文；"
             "法规条文页面也列出以该条为依据的清单事项。", "",
             '<table class="kb-pw-counts"><thead><tr><th>清单</th><th>事项数</th><th>说明</th></tr></thead><tbody>']
    for dlist in lists:
        spec = dlist.spec
        mark = ' <span class="kb-pw-sample-mark">（示例数据）</span>' if spec.sample else ""
        lines.append(f'<tr><td><a href="{escape(spec.name)}/">{escape(spec.title)}</a>{mark}</td>'
                     f"<td>{len(dlist.entries)}</td><td>{escape(spec.description[:80])}</td></tr>")
    lines += ["</tbody></table>", ""]
    if any(d.spec.sample for d in lists):
        lines += ['!!! warning "示例数据"', "",
                  "    标有“示例数据”的清单用于演示，不是本局正式公布的清单。", ""]
    lines += [maintenance_note(corpus, "../"), ""]
    return "\n".join(lines) + "\n"


def filter_values(dlist: DeclaredList, column: Column) -> list[str]:
    """The values a filter offers: a choice column's in declared order, numbers and dates in order,
    text by frequency (the most common first)."""
    counts = Counter(e.text(column.key) for e in dlist.entries if e.text(column.key))
    if column.type is ColumnType.CHOICE:
        return [c for c in column.choices if counts[c]]
    if column.type in (ColumnType.NUMBER, ColumnType.DATE):
        values = {e.text(column.key): e.values[column.key] for e in dlist.entries if column.key in e.values}
        return sorted(values, key=lambda v: values[v])
    return sorted(counts, key=lambda v: (-counts[v], v))


def _summary(dlist: DeclaredList) -> list[str]:
    lines = []
    for column in dlist.spec.filters:
        counts = Counter(e.text(column.key) for e in dlist.entries)
        parts = [f'<a href="?{escape(column.key)}={escape(v)}">{escape(v)}</a> {counts[v]}'
                 for v in filter_values(dlist, column)]
        if parts:
            lines.append(f'<p class="kb-pw-summary">按{escape(column.label)}：{" · ".join(parts)}</p>')
    return lines


def list_markdown(dlist: DeclaredList, corpus: Corpus) -> str:
    """Counts, exports and the table of one list."""
    spec = dlist.spec
    columns = [c for c in spec.columns if c.in_table]
    heads = [table.th(c.key, c.label, "number" if c.type is ColumnType.NUMBER else "text") for c in columns]
    rows = [_row(entry, columns, corpus) for entry in dlist.entries]
    paths = export_paths(spec.name, spec.title)
    downloads = " · ".join(table.download(path[len(f"lists/{spec.name}/"):], name) for path, name in paths.values())
    selects = [(c.key, c.label, filter_values(dlist, c)) for c in spec.filters]
    words = "、".join(c.label for c in columns[:3])
    lines = [
        table.WIDE,
        f"# {md_heading(spec.title)}",
        "",
        _sample(spec) + table.assets("../../"),
        f'<p class="kb-pw-description">{escape(spec.description)}</p>' if spec.description else "",
        "",
        f"共 **{len(dlist.entries)}** {escape(spec.unit)}。可按下列条件筛选，或输入{escape(words)}、法规名称查找；"
        f"点击表头排序。导出全部：{downloads}",
        "",
        *_summary(dlist),
        "",
        table.filters(f"kb-list-{spec.name}", selects, f"{words}…（空格分隔多个词）", spec.unit),
        "",
        *table.table(f"kb-list-{spec.name}", heads, rows),
        "",
        maintenance_note(corpus, "../../"),
    ]
    return "\n".join(lines) + "\n"


def _row(entry: Entry, columns: list[Column], corpus: Corpus) -> str:
    cells = []
    for column in columns:
        if column.role is Role.BASIS:
            cells.append(table.td(escape(ref_summary(entry.bases.get(column.key, ()), corpus))))
        elif column.role is Role.TITLE:
            href = f"items/{page_name(entry.code)}/"
            cells.append(table.td(f'<a href="{escape(href)}">{escape(entry.title)}</a>'))
        elif column.type is ColumnType.NUMBER:
            cells.append(table.td(escape(entry.text(column.key)), entry.text(column.key)))
        elif column.type is ColumnType.TIERS:
            from kb_tools.discretion.pages import tier_summary  # 裁量基准 builds on the lists, not back

            cells.append(table.td(escape(tier_summary(entry.tiers.get(column.key, ())))))
        else:
            cells.append(table.td(escape(entry.text(column.key))))
    attributes = [(c.key, entry.text(c.key)) for c in entry.spec.filters]
    return table.tr(attributes, cells)



def entry_markdown(entry: Entry, corpus: Corpus) -> str:
    """One entry: every column, then each basis column with the articles linked and on expand."""
    spec = entry.spec
    base = "../../../../"
    facts = [(escape(c.label), _fact(entry, c)) for c in spec.columns
             if c.role is not Role.BASIS and c.type is not ColumnType.TIERS]
    lines = [f"# {md_heading(entry.title)}", "", _sample(spec) + table.assets(base) + meta_list(facts), ""]
    for column in spec.basis_columns:
        bases = entry.bases.get(column.key, ())
        lines += [f"## {md_heading(column.label)} {{#{column.key}}}", ""]
        lines.append("".join(basis_html(b, corpus, base) for b in bases) if bases
                     else '<p class="kb-pw-none">（未填写）</p>')
        lines.append("")
    if spec.tier_columns:
        from kb_tools.discretion.pages import entry_sections  # 裁量基准 builds on the lists, not back

        lines += entry_sections(entry, corpus, base)
    lines += [f'<p class="kb-pw-back"><a href="../../">← 返回{escape(spec.title)}</a> · 数据来源：'
              f"<code>docs/{escape(entry.source)}</code> 第 {entry.line} 行</p>", ""]
    return "\n".join(lines)


def _fact(entry: Entry, column: Column) -> str:
    text = entry.text(column.key)
    if "\n" in text:
        return text_html(text)
    return escape(text)
