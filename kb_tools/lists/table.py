"""The HTML of a list table, one implementation for the power list and every declared list.

Rows are rendered at build time with one ``data-<filter>`` attribute per drop-down, so the page
works without JavaScript and ``assets/kb/lists.js`` only hides and reorders them (and labels each
cell with its column, so that a phone shows a row as a card). Everything that comes from a data
file is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from kb_tools.text import html_in_markdown

#: Front matter of table pages: no table of contents, so the table gets the width.
WIDE = "---\nhide:\n  - toc\n---\n"
SAMPLE_NOTE = (
    '<div class="admonition warning kb-pw-sample"><p class="admonition-title">示例数据</p>'
    "<p>{text}</p></div>"
)


def assets(base: str) -> str:
    """The stylesheet and script of list tables, linked from the pages that need them."""
    return (f'<div class="kb-pw-assets"><link rel="stylesheet" href="{base}assets/kb/lists.css">'
            f'<script src="{base}assets/kb/lists.js" defer></script></div>\n\n')


def sample_note(text: str) -> str:
    """The 示例数据 warning (``text`` is HTML, already escaped)."""
    return SAMPLE_NOTE.format(text=text) + "\n\n"


def filters(table_id: str, selects: Sequence[tuple[str, str, Sequence[str]]], placeholder: str,
            unit: str = "项") -> str:
    """The filter bar: one drop-down per ``(name, label, values)``, a text box, reset and export.

    ``name`` is the row attribute ``data-<name>`` and the address parameter ``?<name>=``; ``unit``
    is the counter's word (显示 4 / 11 件).
    """
    unit_attr = f' data-unit="{escape(unit)}"' if unit != "项" else ""
    parts = [f'<form class="kb-pw-filters" data-table="{escape(table_id)}"{unit_attr} role="search" '
             'onsubmit="return false">']
    for name, label, values in selects:
        options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        parts.append(f'<label>{escape(label)} <select name="{escape(name)}" data-filter="{escape(name)}">'
                     f'<option value="">全部</option>{options}</select></label>')
    parts.append(
        '<label class="kb-pw-q">查找 <input type="search" name="q" data-filter="q" '
        f'placeholder="{escape(placeholder)}" autocomplete="off"></label>'
        '<button type="button" data-action="reset">清除</button>'
        '<button type="button" data-action="csv" title="把当前筛选出的事项导出为 CSV">导出当前结果</button>'
        '<output class="kb-pw-count" aria-live="polite"></output>'
        "</form>"
    )
    return "".join(parts)


def th(key: str, label: str, kind: str = "text") -> str:
    """A sortable header cell; ``kind`` is text, rank (``data-rank`` of the row), number or date."""
    return (f'<th data-sort="{escape(key)}" data-sort-kind="{kind}" aria-sort="none" tabindex="0" '
            f'title="点击排序">{escape(label)}</th>')


def td(html: str, value: str | None = None) -> str:
    """A cell: ``html`` already escaped; ``value`` the sort key when it differs from the text."""
    sort = f' data-value="{escape(value)}"' if value is not None else ""
    return f"<td{sort}>{html}</td>"


def tr(attributes: Iterable[tuple[str, str]], cells: Iterable[str]) -> str:
    """A row with its filter attributes (``data-<name>="value|value"``)."""
    attrs = "".join(f' data-{name}="{escape(value)}"' for name, value in attributes)
    return f"<tr{attrs}>{''.join(cells)}</tr>"


def table(table_id: str, heads: Iterable[str], rows: Iterable[str]) -> list[str]:
    """The table as lines of Markdown (raw HTML blocks)."""
    return [f'<table class="kb-pw-table" id="{escape(table_id)}"><thead><tr>{"".join(heads)}</tr></thead><tbody>',
            *rows, "</tbody></table>"]


def download(href: str, name: str) -> str:
    """A download link with the file name the browser should save it under."""
    return (f'<a class="kb-pw-download" href="{html_in_markdown(href)}" download="{html_in_markdown(name)}">'
            f"{html_in_markdown(name)}</a>")
