"""清理: which documents expired, which expire soon, which rest on a law article that changed.

The legal officer's yearly review asks these three questions; the 清理 page and `kb check` both
answer them from here. A basis is resolved as the law stood when the document was issued, so a
later amendment of the article shows as a change (named as the revision alerts name it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb_tools.citations.resolver import find_citations
from kb_tools.model import Status
from kb_tools.policies.lookup import is_expiring, policy_status

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.policies.model import Policy


@dataclass(frozen=True)
class BasisChange:
    """A basis of a document that changed after the document was issued."""

    policy: Policy
    basis: str
    change: str
    line: int
    url: str = ""


def expired(corpus: Corpus) -> list[Policy]:
    """Documents whose validity period is over (已失效), most recent end first."""
    found = [p for p in corpus.policies.values() if policy_status(corpus, p) is Status.EXPIRED]
    return sorted(found, key=lambda p: (p.valid_until, p.slug), reverse=True)


def expiring_soon(corpus: Corpus) -> list[Policy]:
    """Documents in force that end within ``policy_expiry_warning_days``, soonest first."""
    found = [p for p in corpus.policies.values() if is_expiring(corpus, p)]
    return sorted(found, key=lambda p: (p.valid_until, p.slug))


def basis_changes(corpus: Corpus, policy: Policy) -> list[BasisChange]:
    """Bases of one document amended or repealed after it was issued, each change named."""
    if policy.issued is None:
        return []
    changes: list[BasisChange] = []
    line = policy.line_of("basis")
    for basis in policy.basis:
        for citation in find_citations(basis, corpus, on=policy.issued):
            change = _change(corpus, policy, citation)
            if change:
                changes.append(BasisChange(policy, basis, change, line, _url(citation)))
    return changes


def _url(citation: object) -> str:
    """Where the basis pointed when the document was issued (an older text when there is one)."""
    from kb_tools.citations.resolver import Citation

    assert isinstance(citation, Citation)
    if citation.policy is not None:
        return citation.policy.url
    if citation.law is None:
        return ""
    return citation.law.url + (f"#{citation.articles[0].anchor}" if citation.articles else "")


def _change(corpus: Corpus, policy: Policy, citation: object) -> str | None:
    from kb_tools.citations.resolver import Citation

    assert isinstance(citation, Citation) and policy.issued is not None
    if citation.policy is not None:
        status = policy_status(corpus, citation.policy)
        if status in (Status.REPEALED, Status.EXPIRED):
            return f"依据的《{citation.policy.title}》{status.value}"
        return None
    law = citation.law
    if law is None or citation.problem:
        return None
    current = corpus.laws.get(law.version_of, law) if law.version_of else law
    if current.repealed and current.repealed > policy.issued:
        succ = f"，由《{current.successor}》取代" if current.successor else ""
        return f"《{current.title}》已于 {current.repealed.isoformat()} 废止{succ}"
    if citation.alert:
        return citation.alert
    later = [d for d in current.amended if d > policy.issued]
    if later and law is current:  # amended later, the older text is not in the knowledge base
        what = "、".join(a.label for a in citation.articles) or "相关条款"
        return (f"《{current.title}》在 {later[-1].isoformat()} 修改（知识库未收录修改前文本），"
                f"请核对{what}是否变化")
    return None


def all_basis_changes(corpus: Corpus) -> list[BasisChange]:
    """Basis changes of every document not already void (repealed or expired need no 清理 of bases)."""
    out: list[BasisChange] = []
    for policy in corpus.policies.values():
        if policy_status(corpus, policy) in (Status.REPEALED, Status.EXPIRED):
            continue
        out.extend(basis_changes(corpus, policy))
    return out
