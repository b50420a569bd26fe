"""`kb check` of 本局文件: 文号 and validity of 规范性文件, duplicates, dates, void documents still cited.

Runs as the feature's ``check`` (after citations are resolved), so `kb check` and a build report
the same problems, each with the file and line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kb_tools.frontmatter import read_text
from kb_tools.model import Status
from kb_tools.policies.lookup import by_reference, compact_doc_number, policy_status
from kb_tools.policies.model import NORMATIVE, Policy, period_end
from kb_tools.problems import ContentProblem, Severity

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

#: Words right after a mention that say the document is cited as void on purpose.
_AS_VOID_RE = re.compile(r"^[ \t\u3000]*[（(]?[^。；\n]{0,4}(已废止|已失效|废止|失效)")


def check(corpus: Corpus) -> list[ContentProblem]:
    """Every policy problem found after loading."""
    problems: list[ContentProblem] = []
    seen: dict[str, Policy] = {}
    for policy in sorted(corpus.policies.values(), key=lambda p: p.src_path):
        problems.extend(_normative(corpus, policy))
        problems.extend(_dates(policy))
        problems.extend(_references(corpus, policy))
        for number in policy.doc_numbers:
            key = compact_doc_number(number)
            first = seen.setdefault(key, policy)
            if first is not policy:
                problems.append(ContentProblem(
                    policy.src_path, policy.line_of("doc_number"),
                    f"文号“{number}”与 {first.src_path} 重复。",
                    "同一文号只能对应一份文件；请核对文号，或删除重复导入的文件。", code="policy-duplicate-number"))
    problems.extend(_void_cited(corpus))
    return problems


def _normative(corpus: Corpus, policy: Policy) -> list[ContentProblem]:
    if policy.kind != NORMATIVE:
        return []
    out = []
    line = policy.line_of("kind")
    if not policy.doc_numbers:
        out.append(ContentProblem(policy.src_path, line, f"行政规范性文件《{policy.title}》没有文号。",
                                  "行政规范性文件实行统一登记、统一编号、统一印发；"
                                  "请在文件头加上 doc_number: 海住建〔2024〕12号。",
                                  code="policy-no-number"))
    if policy.valid_until is None:
        out.append(ContentProblem(policy.src_path, line, f"行政规范性文件《{policy.title}》没有有效期。",
                                  "请在文件头加上 validity: 有效期五年，或 valid_until: 2029-02-28。",
                                  code="policy-no-validity"))
    limit = corpus.options.policy_max_validity_years
    start = policy.effective or policy.issued
    if policy.valid_until and start and policy.valid_until > period_end(start, limit):
        key = "validity" if policy.validity_text else "valid_until"
        out.append(ContentProblem(policy.src_path, policy.line_of(key),
                                  f"《{policy.title}》的有效期超过 {limit} 年（{start.isoformat()} 至 "
                                  f"{policy.valid_until.isoformat()}）。",
                                  f"行政规范性文件的有效期一般不超过 {limit} 年；请缩短有效期，或调整插件选项 "
                                  "policy_max_validity_years。", code="policy-validity-too-long"))
    return out


def _dates(policy: Policy) -> list[ContentProblem]:
    """Each date must not come before the one it follows: review ≤ issued ≤ filed, issued ≤ effective …"""
    review = policy.legality_review.date if policy.legality_review else None
    filed = policy.filing.date if policy.filing else None
    pairs = [
        ("legality_review", "合法性审核日期", review, "issued", "印发日期", policy.issued, False),
        ("issued", "印发日期", policy.issued, "effective", "施行日期", policy.effective, True),
        ("issued", "印发日期", policy.issued, "filing", "备案日期", filed, True),
        ("effective", "施行日期", policy.effective, "valid_until", "有效期届满日期", policy.valid_until, True),
        ("issued", "印发日期", policy.issued, "repealed", "废止日期", policy.repealed, True),
    ]
    out = []
    for _first_key, first_name, first, key, name, later, _ in pairs:
        if first and later and later < first:
            line = policy.line_of(key) if key in policy.key_lines else policy.line_of(_first_key)
            out.append(ContentProblem(policy.src_path, line,
                                      f"{name}（{later.isoformat()}）早于{first_name}（{first.isoformat()}）。",
                                      "请核对日期：顺序应为 合法性审核 → 印发 → 备案/施行 → 有效期届满。",
                                      code="policy-dates-order"))
    return out


def _bases(corpus: Corpus, policy: Policy) -> list[ContentProblem]:
    """Each ``basis`` entry must name an article (or item) the knowledge base has."""
    from kb_tools.citations.resolver import find_citations  # the resolver imports this package's lookup

    out = []
    line = policy.line_of("basis")
    for basis in policy.basis:
        found = find_citations(basis, corpus, on=policy.issued)
        if not found:
            out.append(ContentProblem(policy.src_path, line,
                                      f"制定依据“{basis}”中没有找到《法规名称》第X条形式的引用。",
                                      "请按《法规全称》第X条书写，例如《中华人民共和国建筑法》第七条。",
                                      code="policy-basis-unresolved"))
        for citation in found:
            if citation.problem:
                out.append(ContentProblem(policy.src_path, line,
                                          f"制定依据“{citation.text}”无法解析：{citation.problem}",
                                          citation.hint or "", severity=citation.severity,
                                          code="policy-basis-unresolved"))
    return out


def _references(corpus: Corpus, policy: Policy) -> list[ContentProblem]:
    out = _bases(corpus, policy)
    for key, label in (("successor", "继承文件"), ("amended_by", "修改文件")):
        ref = getattr(policy, key)
        if ref and by_reference(corpus, ref) is None:
            out.append(ContentProblem(policy.src_path, policy.line_of(key), f"{label}“{ref}”不在知识库中。",
                                      "请写出该文件的文号或完整标题，并先把它导入 docs/policies/。",
                                      severity=Severity.WARNING, code="policy-unknown-reference"))
    if policy.successor and not policy.repealed:
        out.append(ContentProblem(policy.src_path, policy.line_of("successor"),
                                  f"《{policy.title}》写了继承文件，但没有写废止日期。",
                                  "被新文件取代的文件请加上 repealed: 废止日期。", severity=Severity.WARNING,
                                  code="policy-successor-without-repeal"))
    return out


def _void_cited(corpus: Corpus) -> list[ContentProblem]:
    """A repealed or expired document cited on a page (or by a list entry) as if it still applied."""
    out = []
    lines: dict[str, list[str]] = {}
    for mention in corpus.citations.mentions:
        policy = mention.citation.policy
        if policy is None or mention.path == policy.src_path:
            continue
        status = policy_status(corpus, policy)
        if status not in (Status.REPEALED, Status.EXPIRED):
            continue
        if mention.path not in lines:
            text, _ = read_text(corpus.docs_dir / mention.path, mention.path)
            lines[mention.path] = (text or "").split("\n")
        source = lines[mention.path]
        line = source[mention.line - 1] if 0 < mention.line <= len(source) else ""
        at = line.find(mention.citation.text)
        if at >= 0 and _AS_VOID_RE.match(line[at + len(mention.citation.text):]):
            continue  # 《…》（已废止）: cited as history on purpose
        citing = corpus.policies.get(mention.path.removeprefix("policies/").removesuffix(".md"))
        if citing is not None and policy_status(corpus, citing) in (Status.REPEALED, Status.EXPIRED):
            continue  # a void document citing another void one needs no change
        out.append(ContentProblem(mention.path, mention.line,
                                  f"“{mention.citation.text}”引用的《{policy.title}》{status.value}，仍被当作现行文件引用。",
                                  _replacement_hint(corpus, policy), code="policy-void-cited"))
    return out


def _replacement_hint(corpus: Corpus, policy: Policy) -> str:
    newer = by_reference(corpus, policy.successor) if policy.successor else None
    if newer is not None:
        return f"请改为引用现行的《{newer.title}》" + (f"（{newer.doc_number}）" if newer.doc_number else "") + \
            "；如确需提及旧文件，请注明“（已废止）”。"
    return "请改为引用现行有效的文件；如确需提及旧文件，请注明“（已废止）”或“（已失效）”。"
