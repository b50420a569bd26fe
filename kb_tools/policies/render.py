"""The Markdown of a policy page: facts, lifecycle, the body with item anchors, bases, cited-by.

The body stays the author's Markdown; only the numbers of items become self-links carrying
their anchors (:func:`kb_tools.policies.parser.anchor_lines`). Citations in the page (bases
included) are linked later by the resolver, like on every ordinary page. Pure functions.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from kb_tools.citations.graph import page_url
from kb_tools.citations.resolver import CITING_KINDS, CitingRef
from kb_tools.laws.render import status_badge
from kb_tools.policies.lookup import by_reference, is_expiring, policy_status
from kb_tools.policies.parser import anchor_lines
from kb_tools.text import cn_date

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.policies.model import Policy

SAMPLE_BANNER = ('<div class="admonition warning kb-sample"><p class="admonition-title">示例数据</p>'
                 "<p>本文件是演示用的示例数据，不是本局正式印发的文件。</p></div>")


def badges(corpus: Corpus, policy: Policy) -> str:
    """The status badge, and 即将失效 when the document ends within the configured window."""
    out = status_badge(policy_status(corpus, policy))
    if is_expiring(corpus, policy):
        days = (policy.valid_until - corpus.today).days if policy.valid_until else 0
        out += f' <span class="kb-status kb-status--expiring" title="{days} 天后失效">即将失效</span>'
    return out


def predecessors(corpus: Corpus, policy: Policy) -> list[Policy]:
    """Documents whose ``successor`` or ``amended_by`` names this one."""
    return [p for p in corpus.policies.values() if p is not policy and any(
        ref and by_reference(corpus, ref) is policy for ref in (p.successor, p.amended_by))]


def lifecycle(corpus: Corpus, policy: Policy) -> str:
    """印发 → 备案 → 施行 → 失效/废止, each step marked done when its date has passed."""
    steps: list[tuple[str, object]] = []
    if policy.legality_review and policy.legality_review.date:
        steps.append(("合法性审核", policy.legality_review.date))
    steps.append(("印发", policy.issued))
    if policy.filing and policy.filing.date:
        steps.append(("备案", policy.filing.date))
    steps.append(("施行", policy.effective))
    if policy.repealed:
        steps.append(("废止", policy.repealed))
    elif policy.valid_until:
        steps.append(("有效期届满", policy.valid_until))
    else:
        steps.append(("有效期", None))
    items = []
    for name, date in steps:
        done = date is not None and date <= corpus.today  # type: ignore[operator]  # lifecycle steps without a date are skipped above
        when = cn_date(date) if date else "未规定"  # type: ignore[arg-type]  # lifecycle steps without a date are skipped above
        cls = "kb-step kb-step--done" if done else "kb-step"
        items.append(f'<li class="{cls}"><span class="kb-step-name">{name}</span> '
                     f'<span class="kb-step-date">{when}</span></li>')
    return f'<ol class="kb-lifecycle" aria-label="文件生命周期">{"".join(items)}</ol>'


def meta_block(corpus: Corpus, policy: Policy, base: str) -> str:
    """The facts box: status, kind, issuers, 文号, 统一编号, dates, review, filing, relations."""
    rows = [("时效性", badges(corpus, policy)), ("文件类型", escape(policy.kind))]
    if policy.authorities:
        rows.append(("发文机关" if len(policy.authorities) == 1 else "联合发文机关",
                     "、".join(escape(a) for a in policy.authorities)))
    if policy.doc_numbers:
        rows.append(("文号", "<br>".join(escape(n) for n in policy.doc_numbers)))
    if policy.register_number:
        rows.append(("统一编号", escape(policy.register_number)))
    rows.append(("印发日期", cn_date(policy.issued)))
    if policy.effective:
        rows.append(("施行日期", cn_date(policy.effective)))
    if policy.valid_until:
        period = f"（{escape(policy.validity_text)}）" if policy.validity_text else ""
        rows.append(("有效期至", cn_date(policy.valid_until) + period))
    if policy.repealed:
        rows.append(("废止日期", cn_date(policy.repealed)))
    review = policy.legality_review
    if review:
        parts = [cn_date(review.date), escape(review.reviewer), escape(review.opinion)]
        rows.append(("合法性审核", " ".join(p for p in parts if p)))
    if policy.filing:
        rows.append(("备案", " ".join(p for p in (escape(policy.filing.authority), cn_date(policy.filing.date)) if p)))
    for label, ref in (("修改文件", policy.amended_by), ("继承文件", policy.successor)):
        if ref:
            rows.append((label, _ref_link(corpus, ref, base)))
    for older in predecessors(corpus, policy):
        rows.append(("前序文件", f'<a href="{base}{older.url}">《{escape(older.title)}》</a> '
                     + status_badge(policy_status(corpus, older))))
    cells = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return f'<dl class="kb-law-meta kb-policy-meta">{cells}</dl>'


def _ref_link(corpus: Corpus, ref: str, base: str) -> str:
    target = by_reference(corpus, ref)
    if target is None:
        return escape(ref) + "（知识库未收录）"
    return (f'<a href="{base}{target.url}">《{escape(target.title)}》</a> '
            + status_badge(policy_status(corpus, target)))


def banner(corpus: Corpus, policy: Policy, base: str) -> str:
    """A warning at the top of a document that no longer applies."""
    status = policy_status(corpus, policy)
    if status.css_class == "in-force" and not is_expiring(corpus, policy):
        return ""
    if status.css_class == "repealed":
        text = f"本文件已于{cn_date(policy.repealed)}废止。"
    elif status.css_class == "expired":
        text = f"本文件有效期已于{cn_date(policy.valid_until)}届满，已失效。"
    elif status.css_class == "not-yet-effective":
        text = f"本文件自{cn_date(policy.effective)}起施行。"
    elif status.css_class == "amended":
        text = "本文件已被修改，请同时查阅修改文件。"
    else:
        text = f"本文件有效期至{cn_date(policy.valid_until)}，即将失效，请及时评估是否重新制定或延续。"
    newer = policy.successor or policy.amended_by
    if newer:
        text += f"现行文件：{_ref_link(corpus, newer, base)}。"
    kind = "danger" if status.css_class in ("repealed", "expired") else "warning"
    return (f'<div class="admonition {kind} kb-banner"><p class="admonition-title">{status.value}'
            f'{"（即将失效）" if status.css_class == "in-force" else ""}</p><p>{text}</p></div>')


def cited_by_html(corpus: Corpus, policy: Policy, base: str) -> str:
    """What cites the document, grouped by the item cited."""
    graph = corpus.citations.policy_cited_by
    rows = []
    labels = {"": "全文"} | {i.anchor: i.cite for i in policy.items}
    for anchor, label in labels.items():
        refs = graph.get((policy.slug, anchor))
        if not refs:
            continue
        target = f'<a href="#{anchor}">{escape(label)}</a>' if anchor else label
        rows.append(f"<li>{target}：{_refs(refs, base)}</li>")
    if not rows:
        return '<p class="kb-policy-uncited">暂无其他页面引用本文件。</p>'
    return f'<ul class="kb-policy-cited">{"".join(rows)}</ul>'


def _refs(refs: list[CitingRef], base: str) -> str:
    ordered = sorted(refs, key=lambda r: (CITING_KINDS.index(r.kind) if r.kind in CITING_KINDS else 99, r.title))
    return "、".join(
        f'<span class="kb-cited-kind">{escape(r.kind)}</span> '
        f'<a href="{escape(base + page_url(r.src_uri) + (f"#{r.anchor}" if r.anchor else ""), quote=True)}">'
        f"{escape(r.title)}</a>" for r in ordered)


def policy_markdown(corpus: Corpus, policy: Policy, base: str) -> str:
    """The whole page: title, banners, facts, lifecycle, body with anchors, bases, cited-by."""
    parts = [f"# {escape(policy.title)}"]
    if policy.sample:
        parts.append(SAMPLE_BANNER)
    parts += [banner(corpus, policy, base), meta_block(corpus, policy, base), lifecycle(corpus, policy),
              anchor_lines(policy.body, policy.items, policy.body_line).strip()]
    if policy.basis:
        parts.append("## 制定依据 {#basis}\n\n" + "\n".join(f"- {escape(b, quote=False)}" for b in policy.basis))
    parts.append("## 引用本文件的页面 {#cited-by}")
    parts.append(cited_by_html(corpus, policy, base))
    return "\n\n".join(p for p in parts if p) + "\n"
