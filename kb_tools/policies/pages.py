"""Generated pages of 本局文件: the 现行有效规范性文件目录 (``policies/``) and the 清理 view.

The catalogue is one table, rendered at build time with ``data-year`` / ``data-kind`` /
``data-status`` on every row, so it reads without JavaScript; ``policies.js`` only hides rows.
Exports (``policies/export/…``) carry the same rows, cells neutralised against formulas.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from kb_tools.laws.render import status_badge
from kb_tools.model import GeneratedPage, Status
from kb_tools.policies import review
from kb_tools.policies.lookup import is_expiring, policy_status
from kb_tools.policies.render import badges
from kb_tools.text import cn_date, neutralise_cell

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.policies.model import Policy

#: Export files: key -> (path below the site, download name).
EXPORTS = {
    "csv": ("policies/export/policies.csv", "本局文件目录.csv"),
    "xlsx": ("policies/export/policies.xlsx", "本局文件目录.xlsx"),
}
#: Columns of the exports, in order.
COLUMNS = ("年度", "文件名称", "文号", "统一编号", "发文机关", "文件类型", "印发日期", "施行日期", "有效期至",
           "时效性", "地址")
_WIDE = "---\nhide:\n  - toc\n---\n"


def ordered(corpus: Corpus) -> list[Policy]:
    """Every document, newest first (then by 文号)."""
    return sorted(corpus.policies.values(),
                  key=lambda p: (p.issued or p.effective or dt.date.min, p.doc_number, p.slug), reverse=True)


def _status_text(corpus: Corpus, policy: Policy) -> str:
    status = policy_status(corpus, policy).value
    return status + "（即将失效）" if is_expiring(corpus, policy) else status


def generate(corpus: Corpus) -> Iterable[GeneratedPage]:
    """The page generator of the policies feature (``kb_tools.features``)."""
    if not corpus.policies:
        return
    if not (corpus.docs_dir / "policies" / "index.md").is_file():
        yield GeneratedPage("policies/index.md", index_markdown(corpus))
    yield GeneratedPage("policies/review.md", review_markdown(corpus))


def _sample_note(corpus: Corpus) -> str:
    if not any(p.sample for p in corpus.policies.values()):
        return ""
    return ('<div class="admonition warning kb-sample"><p class="admonition-title">示例数据</p>'
            "<p>本栏目含示例数据，用于演示，不是本局正式印发的文件。</p></div>\n\n")


def _assets(base: str) -> str:
    return (f'<div class="kb-pl-assets"><link rel="stylesheet" href="{base}assets/kb/policies.css">'
            f'<script src="{base}assets/kb/policies.js" defer></script></div>\n\n')


def index_markdown(corpus: Corpus) -> str:
    """现行有效规范性文件目录: counts by year and kind, the filterable table, the exports."""
    base = "../"
    policies = ordered(corpus)
    in_force = [p for p in policies if policy_status(corpus, p) is Status.IN_FORCE]
    years = sorted({p.year for p in policies if p.year}, reverse=True)
    kinds = sorted({p.kind for p in policies})
    counts = Counter((p.year, p.kind) for p in in_force)
    out = [_WIDE, "# 现行有效规范性文件目录\n", _assets(base), _sample_note(corpus)]
    out.append(f"<p>截至 {cn_date(corpus.today)}，本局文件共 {len(policies)} 件，其中现行有效 {len(in_force)} 件。"
               f'年度清理见 <a href="review/">清理</a>。</p>\n')
    head = "".join(f"<th>{escape(k)}</th>" for k in kinds)
    rows = "".join(
        f"<tr><th>{y}</th>" + "".join(f"<td>{counts[(y, k)] or ''}</td>" for k in kinds) + "</tr>" for y in years)
    out.append(f'<table class="kb-pl-counts"><caption>现行有效文件：按年度和类型</caption>'
               f"<thead><tr><th>年度</th>{head}</tr></thead><tbody>{rows}</tbody></table>\n")
    year_opts = "".join(f'<option value="{y}">{y}年</option>' for y in years)
    kind_opts = "".join(f'<option value="{escape(k, quote=True)}">{escape(k)}</option>' for k in kinds)
    status_opts = "".join(f'<option value="{s.value}">{s.value}</option>' for s in Status
                          if any(policy_status(corpus, p) is s for p in policies))
    out.append(
        '<form class="kb-pl-filters" data-table="kb-pl-table" role="search" onsubmit="return false">'
        '<label>年度 <select data-filter="year"><option value="">全部</option>' + year_opts + "</select></label>"
        '<label>类型 <select data-filter="kind"><option value="">全部</option>' + kind_opts + "</select></label>"
        '<label>时效性 <select data-filter="status"><option value="">全部</option>'
        '<option value="现行" selected>现行有效</option>' + status_opts + "</select></label>"
        '<label>查找 <input type="search" data-filter="q" placeholder="名称、文号、机关"></label>'
        '<span class="kb-pl-count" aria-live="polite"></span></form>\n')
    body = []
    for p in policies:
        status = policy_status(corpus, p)
        current = "1" if status is Status.IN_FORCE else "0"
        body.append(
            f'<tr data-year="{p.year or ""}" data-kind="{escape(p.kind, quote=True)}" '
            f'data-status="{status.value}" data-current="{current}">'
            f"<td>{p.year or ''}</td>"
            f'<td><a href="{base}{p.url}">{escape(p.title)}</a></td>'
            f"<td>{'<br>'.join(escape(n) for n in p.doc_numbers) or '—'}</td>"
            f"<td>{escape(p.kind)}</td><td>{'、'.join(escape(a) for a in p.authorities)}</td>"
            f"<td>{cn_date(p.effective)}</td><td>{cn_date(p.valid_until) or '—'}</td>"
            f"<td>{badges(corpus, p)}</td></tr>")
    out.append('<div class="kb-pl-wrap"><table class="kb-pl-table" id="kb-pl-table"><thead><tr>'
               "<th>年度</th><th>文件名称</th><th>文号</th><th>类型</th><th>发文机关</th><th>施行日期</th>"
               f"<th>有效期至</th><th>时效性</th></tr></thead><tbody>{''.join(body)}</tbody></table></div>\n")
    links = " · ".join(f'<a href="{base}{path}" download="{name}">{name}</a>' for path, name in EXPORTS.values())
    out.append(f'<p class="kb-pl-exports">下载全部文件目录：{links}</p>\n')
    return "\n".join(out)


def review_markdown(corpus: Corpus) -> str:
    """清理: expired, expiring within the window, and documents whose basis changed."""
    base = "../../"
    days = corpus.options.policy_expiry_warning_days
    out = ["# 本局文件清理\n", _sample_note(corpus),
           f"<p>按 {cn_date(corpus.today)} 计算；“即将失效”指 {days} 天内有效期届满"
           "（插件选项 <code>policy_expiry_warning_days</code>）。</p>\n"]

    def link(p: Policy) -> str:
        number = f"（{escape(p.doc_number)}）" if p.doc_number else ""
        return f'<a href="{base}{p.url}">《{escape(p.title)}》</a>{number}'

    expired = review.expired(corpus)
    out.append(f'## 已失效（{len(expired)} 件） {{#expired}}\n')
    out.append(_list([f"{link(p)} 有效期至 {cn_date(p.valid_until)} {status_badge(Status.EXPIRED)}"
                      for p in expired], "没有已失效的文件。"))
    soon = review.expiring_soon(corpus)
    out.append(f'## 即将失效（{len(soon)} 件） {{#expiring}}\n')
    out.append(_list([f"{link(p)} 有效期至 {cn_date(p.valid_until)}（还有 "
                      f"{(p.valid_until - corpus.today).days} 天）" for p in soon if p.valid_until],
                     f"{days} 天内没有到期的文件。"))
    changes = review.all_basis_changes(corpus)
    out.append(f'## 制定依据已修改或废止（{len(changes)} 处） {{#basis-changed}}\n')
    def basis(c: review.BasisChange) -> str:
        if not c.url:
            return escape(c.basis)
        href = escape(base + c.url, quote=True)
        return f'<a class="kb-pl-basis" href="{href}" title="文件印发时所依据的文本">{escape(c.basis)}</a>'

    out.append(_list([f"{link(c.policy)}：依据“{basis(c)}”——<span class=\"kb-pl-change\">{escape(c.change)}</span>"
                      for c in changes],
                     "没有文件的制定依据在印发后被修改或废止。"))
    return "\n".join(out)


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f'<p class="kb-pl-empty">{empty}</p>\n'
    return '<ul class="kb-pl-review">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>\n"


def export_rows(corpus: Corpus) -> list[list[str]]:
    """One row per document, every cell neutralised (a title may begin with “=”)."""
    rows = []
    for p in ordered(corpus):
        cells = [str(p.year or ""), p.title, "、".join(p.doc_numbers), p.register_number, "、".join(p.authorities),
                 p.kind, p.issued.isoformat() if p.issued else "", p.effective.isoformat() if p.effective else "",
                 p.valid_until.isoformat() if p.valid_until else "", _status_text(corpus, p), p.url]
        rows.append([neutralise_cell(c) for c in cells])
    return rows


def export_files(corpus: Corpus) -> Iterable[tuple[str, bytes]]:
    """The file generator of the policies feature: the catalogue as CSV and .xlsx."""
    from kb_tools.powers.export import to_csv, to_xlsx
    from kb_tools.powers.model import FieldSpec

    if not corpus.policies:
        return
    fields = tuple(FieldSpec(key, key) for key in COLUMNS)
    rows = export_rows(corpus)
    yield EXPORTS["csv"][0], to_csv(fields, rows)
    yield EXPORTS["xlsx"][0], to_xlsx(fields, rows, title="本局文件目录", today=corpus.today)



def home_block(corpus: Corpus) -> str:
    """The home page's line on 本局文件 (the feature's ``home``): in force, expiring, to review."""
    if not corpus.policies:
        return ""
    in_force = sum(1 for p in corpus.policies.values() if policy_status(corpus, p) is Status.IN_FORCE)
    soon = len(review.expiring_soon(corpus))
    parts = [f'<a href="policies/">本局文件</a>：现行有效 {in_force} 件']
    if soon:
        parts.append(f'<a href="policies/review/#expiring">{soon} 件即将失效</a>')
    changed = len(review.all_basis_changes(corpus))
    if changed:
        parts.append(f'<a href="policies/review/#basis-changed">{changed} 处制定依据已变化</a>')
    return '<p class="kb-home-policies">' + "，".join(parts) + "。</p>\n"
