"""The pages of the 权力清单 section, as Markdown strings (never written to ``docs/``).

- ``powers/index.md``: counts per type and per department, export links, how to maintain the list;
- ``powers/list.md`` and ``powers/inspections.md``: one filterable, sortable table each. Rows are
  rendered here as HTML with ``data-*`` attributes, so the page works without JavaScript and
  ``lists.js`` (shared with every declared list: ``kb_tools/lists/table.py``) only hides and
  reorders rows (a thousand rows stay instant);
- one page per item, its legal bases linked to the articles with the article text in ``<details>``.

Links are computed for directory URLs (``use_directory_urls: true``, as the rest of kb_tools).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from kb_tools.discretion.pages import power_section
from kb_tools.lists import table
from kb_tools.lists.render import basis_html, maintenance_note, md_heading, meta_list, ref_summary, text_html
from kb_tools.model import GeneratedPage
from kb_tools.powers.model import (
    InspectionItem,
    LegalBasis,
    PowerItem,
    PowerList,
    PowerType,
    page_name,
)

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

OVERVIEW = "powers/index.md"
POWER_TABLE = "powers/list.md"
INSPECTION_TABLE = "powers/inspections.md"
EXPORTS = {
    "power-csv": ("powers/export/power-items.csv", "权力清单.csv"),
    "power-xlsx": ("powers/export/power-items.xlsx", "权力清单.xlsx"),
    "inspection-csv": ("powers/export/inspection-items.csv", "检查事项清单.csv"),
    "inspection-xlsx": ("powers/export/inspection-items.xlsx", "检查事项清单.xlsx"),
}
_WIDE = table.WIDE
#: What staff read on every page of a sample list: one plain sentence. How to replace the sample
#: (files, commands) is in the manual (docs/manual/authors.md), not on staff pages.
_SAMPLE_TEXT = "这里显示的是示例数据，用于演示，不是本局正式公布的权力清单。"


def powers_of(corpus: Corpus) -> PowerList:
    return corpus.powers or PowerList()


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """The page generator of the powers feature (``kb_tools.features``)."""
    plist = powers_of(corpus)
    if not plist.sources:
        return
    yield GeneratedPage(OVERVIEW, overview_markdown(plist, corpus))
    yield GeneratedPage(POWER_TABLE, power_table_markdown(plist, corpus))
    yield GeneratedPage(INSPECTION_TABLE, inspection_table_markdown(plist, corpus))
    by_power: dict[str, list[InspectionItem]] = {}
    for inspection in plist.inspections:
        if inspection.power_code:
            by_power.setdefault(inspection.power_code, []).append(inspection)
    seen: set[str] = set()
    for item in plist.items:
        if item.src_uri not in seen:
            seen.add(item.src_uri)
            yield GeneratedPage(item.src_uri, power_page(item, corpus, by_power.get(item.code, []), plist))
    for inspection in plist.inspections:
        if inspection.src_uri not in seen:
            seen.add(inspection.src_uri)
            yield GeneratedPage(inspection.src_uri, inspection_page(inspection, corpus, plist))


def _sample(plist: PowerList) -> str:
    if not plist.has_sample:
        return ""
    return table.sample_note(_SAMPLE_TEXT)


_assets = table.assets


def _types(items: Iterable[PowerItem]) -> list[PowerType]:
    return sorted({i.type for i in items}, key=lambda t: t.rank)


def _departments(items: Iterable[PowerItem | InspectionItem]) -> list[str]:
    counts = Counter(i.department for i in items)
    return sorted(counts, key=lambda d: (-counts[d], d))


def _download(key: str, base: str = "") -> str:
    path, name = EXPORTS[key]
    href = base + path[len("powers/"):]
    return f'<a class="kb-pw-download" href="{escape(href)}" download="{escape(name)}">{escape(name)}</a>'


def overview_markdown(plist: PowerList, corpus: Corpus) -> str:
    """Counts per type and per department, export links, maintenance notes."""
    items, inspections = plist.items, plist.inspections
    types = _types(items)
    departments = _departments(items)
    counts = Counter((i.department, i.type) for i in items)
    lines = [
        _WIDE,
        "# 权力清单",
        "",
        _sample(plist) + _assets("../"),
        f"本局权力事项 **{len(items)}** 项、检查事项 **{len(inspections)}** 项。"
        "每个事项都写明了设定依据和实施依据，并链接到法规条文；法规条文页面也列出以该条为依据的事项。",
        "",
        "[权力事项一览（可筛选、排序）](list.md) · [检查事项一览](inspections.md)",
        "",
        "## 按事项类型",
        "",
        '<table class="kb-pw-counts"><thead><tr><th>事项类型</th><th>事项数</th></tr></thead><tbody>',
    ]
    by_type = Counter(i.type for i in items)
    for power_type in types:
        href = f"list/?type={escape(power_type.value)}"
        lines.append(f'<tr><td><a href="{href}">{power_type.value}</a></td><td>{by_type[power_type]}</td></tr>')
    lines += [f"<tr><th>合计</th><th>{len(items)}</th></tr>", "</tbody></table>", "", "## 按承办科室", ""]
    head = "".join(f"<th>{t.value}</th>" for t in types)
    # one column per type: wider than a phone, so it scrolls in its own box instead of the page
    lines.append('<div class="kb-scroll-x" role="region" aria-label="按承办科室统计" tabindex="0">'
                 f'<table class="kb-pw-counts kb-pw-matrix"><thead><tr><th>承办科室</th>{head}<th>合计</th>'
                 "<th>检查事项</th></tr></thead><tbody>")
    inspection_counts = Counter(i.department for i in inspections)
    for dept in departments + sorted(set(inspection_counts) - set(departments)):
        cells = []
        for power_type in types:
            n = counts[(dept, power_type)]
            href = f"list/?type={escape(power_type.value)}&amp;dept={escape(dept)}"
            cells.append(f'<td><a href="{href}">{n}</a></td>' if n else "<td></td>")
        total = sum(counts[(dept, t)] for t in types)
        total_cell = f'<a href="list/?dept={escape(dept)}">{total}</a>' if total else ""
        n_insp = inspection_counts[dept]
        insp_cell = f'<a href="inspections/?dept={escape(dept)}">{n_insp}</a>' if n_insp else ""
        lines.append(f"<tr><td>{escape(dept)}</td>{''.join(cells)}<td>{total_cell}</td><td>{insp_cell}</td></tr>")
    lines += ["</tbody></table></div>", "", "## 导出", "",
              "当前清单（构建时生成，与本站内容一致）：", "",
              f"- 权力事项：{_download('power-xlsx')} · {_download('power-csv')}",
              f"- 检查事项：{_download('inspection-xlsx')} · {_download('inspection-csv')}",
              "", "在一览表中筛选后，也可以用表格上方的“导出当前结果”按钮只导出筛选出的事项。", "",
              maintenance_note(corpus, "../")]
    return "\n".join(lines) + "\n"



def _filters(table_id: str, type_label: str, type_values: list[str], departments: list[str]) -> str:
    return table.filters(table_id, [("type", type_label, type_values), ("dept", "承办科室", departments)],
                         "名称、编码、依据、对象…（空格分隔多个词）")


_th = table.th


def power_table_markdown(plist: PowerList, corpus: Corpus | None = None) -> str:
    """The table of power items."""
    items = sorted(plist.items, key=lambda i: (i.type.rank, i.code))
    rows = []
    for item in items:
        basis = ref_summary(item.bases, corpus)
        href = f"../items/{page_name(item.code)}/"
        rows.append(
            f'<tr data-type="{escape(item.type.value)}" data-dept="{escape(item.department)}" '
            f'data-rank="{item.type.rank}">'
            f"<td>{escape(item.code)}</td>"
            f'<td><a href="{escape(href)}">{escape(item.title)}</a></td>'
            f"<td>{item.type.value}</td><td>{escape(item.department)}</td>"
            f"<td>{escape(basis)}</td><td>{escape(item.promised_limit)}</td></tr>"
        )
    head = (_th("code", "事项编码") + _th("name", "事项名称") + _th("type", "事项类型", "rank")
            + _th("dept", "承办科室") + _th("basis", "依据") + _th("limit", "承诺期限"))
    return "\n".join([
        _WIDE,
        "# 权力事项一览",
        "",
        _sample(plist) + _assets("../../"),
        f"共 {len(items)} 项。按事项类型、承办科室筛选，或输入名称、编码、法规名称查找；点击表头排序。"
        f" 导出全部：{_download('power-xlsx', '../')} · {_download('power-csv', '../')}",
        "",
        _filters("kb-pw-powers", "事项类型", [t.value for t in _types(items)], _departments(items)),
        "",
        f'<table class="kb-pw-table" id="kb-pw-powers"><thead><tr>{head}</tr></thead><tbody>',
        *rows,
        "</tbody></table>",
        "",
    ])


def _methods(inspection: InspectionItem) -> list[str]:
    text = inspection.method
    for sep in "，,；;/":
        text = text.replace(sep, "、")
    return [p.strip() for p in text.split("、") if p.strip()]


def inspection_table_markdown(plist: PowerList, corpus: Corpus | None = None) -> str:
    """The table of inspection items (监管事项 / 高频检查事项)."""
    inspections = plist.inspections
    methods = sorted({m for i in inspections for m in _methods(i)}, key=lambda m: (not m.startswith("双随机"), m))
    rows = []
    for inspection in inspections:
        basis = ref_summary(inspection.basis, corpus)
        href = f"../inspection-items/{page_name(inspection.code)}/"
        rows.append(
            f'<tr data-type="{escape("|".join(_methods(inspection)))}" data-dept="{escape(inspection.department)}">'
            f"<td>{escape(inspection.code)}</td>"
            f'<td><a href="{escape(href)}">{escape(inspection.name)}</a></td>'
            f"<td>{escape(inspection.target)}</td><td>{escape(inspection.method)}</td>"
            f"<td>{escape(inspection.frequency)}</td><td>{escape(inspection.department)}</td>"
            f"<td>{escape(basis)}</td></tr>"
        )
    head = (_th("code", "编码") + _th("name", "检查事项名称") + _th("target", "检查对象") + _th("method", "检查方式")
            + _th("frequency", "频次") + _th("dept", "承办科室") + _th("basis", "检查依据"))
    return "\n".join([
        _WIDE,
        "# 检查事项一览",
        "",
        _sample(plist) + _assets("../../"),
        f"监管事项和高频检查事项共 {len(inspections)} 项，“双随机、一公开”抽查按此清单确定检查内容。"
        f" 导出全部：{_download('inspection-xlsx', '../')} · {_download('inspection-csv', '../')}",
        "",
        _filters("kb-pw-inspections", "检查方式", methods, _departments(inspections)),
        "",
        f'<table class="kb-pw-table" id="kb-pw-inspections"><thead><tr>{head}</tr></thead><tbody>',
        *rows,
        "</tbody></table>",
        "",
    ])


def _bases_section(title: str, anchor: str, bases: tuple[LegalBasis, ...], corpus: Corpus, base: str) -> list[str]:
    lines = [f"## {title} {{#{anchor}}}", ""]
    if not bases:
        return [*lines, '<p class="kb-pw-none">（未填写）</p>', ""]
    return [*lines, "".join(basis_html(b, corpus, base) for b in bases), ""]


def power_page(item: PowerItem, corpus: Corpus, inspections: list[InspectionItem], plist: PowerList) -> str:
    """One power item: facts, legal bases with article text, procedure, related inspections."""
    base = "../../../"
    subject = escape(item.subject or "（未填写）") + f"（{item.subject_nature.value}）"
    meta = meta_list([
        ("事项编码", escape(item.code)),
        ("事项类型", item.type.value),
        ("子项", escape(item.sub_item)),
        ("实施主体", subject),
        ("承办科室", escape(item.department)),
        ("法定期限", escape(item.legal_limit)),
        ("承诺期限", escape(item.promised_limit)),
        ("收费标准及依据", escape(item.fees)),
    ])
    lines = [f"# {md_heading(item.title)}", "", _sample(plist) + _assets(base) + meta, ""]
    lines += _bases_section("设定依据", "establishing", item.establishing, corpus, base)
    lines += _bases_section("实施依据", "implementing", item.implementing, corpus, base)
    for title, anchor, text in (("办理流程", "process", item.process), ("申请材料", "materials", item.materials),
                                ("备注", "remarks", item.remarks)):
        if text:
            lines += [f"## {title} {{#{anchor}}}", "", text_html(text), ""]
    lines += power_section(corpus, item, base)
    if inspections:
        links = "".join(
            f'<li><a href="../../inspection-items/{page_name(i.code)}/">{escape(i.name)}</a>'
            f"（{escape(i.method)}）</li>" for i in inspections)
        lines += ["## 相关检查事项 {#inspections}", "", f"<ul>{links}</ul>", ""]
    lines += [f'<p class="kb-pw-back"><a href="../../list/">← 返回权力事项一览</a> · 数据来源：'
              f"<code>docs/{escape(item.source)}</code> 第 {item.line} 行</p>", ""]
    return "\n".join(lines)


def inspection_page(inspection: InspectionItem, corpus: Corpus, plist: PowerList) -> str:
    """One inspection item: object, method, frequency, and its legal basis."""
    base = "../../../"
    power = plist.item(inspection.power_code) if inspection.power_code else None
    power_link = (f'<a href="../../items/{page_name(power.code)}/">{escape(power.title)}</a>'
                  if power else escape(inspection.power_code))
    meta = meta_list([
        ("编码", escape(inspection.code)),
        ("检查对象", escape(inspection.target)),
        ("检查方式", escape(inspection.method)),
        ("频次", escape(inspection.frequency)),
        ("承办科室", escape(inspection.department)),
        ("关联权力事项", power_link),
        ("备注", escape(inspection.remarks)),
    ])
    lines = [f"# {md_heading(inspection.name)}", "", _sample(plist) + _assets(base) + meta, ""]
    lines += _bases_section("检查依据", "basis", inspection.basis, corpus, base)
    lines += [f'<p class="kb-pw-back"><a href="../../inspections/">← 返回检查事项一览</a> · 数据来源：'
              f"<code>docs/{escape(inspection.source)}</code> 第 {inspection.line} 行</p>", ""]
    return "\n".join(lines)
