"""Legal bases of list entries: resolve each line's citations, report what a list must not rest on.

The power list, the inspection items and every declared list ground their entries on articles.
A basis line is resolved by the one citation resolver (``kb_tools.citations.resolver``); what is
wrong with it — an unknown regulation or article, no citation at all, a repealed law, a law not
yet in force, an older text, a whole law without article — becomes a problem at the line it is
written on. Resolved articles learn which entries rest on them (``add_citing``), for the cited-by
lists on regulation pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kb_tools.lists.model import BasisRef, LegalBasis
from kb_tools.model import Status
from kb_tools.numerals import NUMBER_CLASS, cn_to_int
from kb_tools.problems import ContentProblem, Severity

if TYPE_CHECKING:
    from kb_tools.citations.resolver import Citation, CitingRef
    from kb_tools.corpus import Corpus
    from kb_tools.laws.model import Law

#: 第二款 in the 款/项 detail of a cited article.
_CLAUSE_RE = re.compile(rf"第[ \u3000]*({NUMBER_CLASS}+)[ \u3000]*款")


def resolve_basis(basis: LegalBasis, corpus: Corpus, *, title: str, source: str, line: int,
                  prefix: str, citing: CitingRef | None = None) -> LegalBasis:
    """The basis with its citations resolved; problems go to ``corpus.problems``.

    Args:
        basis: the line as read (``refs`` empty).
        title: the entry's title, to name it in messages.
        source: the data file below ``docs/``.
        line: the line to report when the basis has none of its own.
        prefix: the problem codes' prefix (``power`` → ``power-basis-unresolved``).
        citing: the entry as a citing place, recorded on the 本局文件 it names (None for a
            private entry in a public build); regulations learn it from :func:`register_citing`.
    """
    from kb_tools.citations.resolver import find_citations

    at = basis.line or line
    where = f"“{title}”的{basis.label}"
    refs = []
    for citation in find_citations(basis.text, corpus):
        law = citation.law
        problem = citation.problem
        if citation.policy is not None:
            refs.append(_policy_basis(citation, where, corpus, source, at, prefix, citing))
            continue
        if law is None or problem:
            hint = citation.suggestion or "请核对法规全称与条号；部门规章等未收录的文件请先导入知识库。"
            why = problem or "知识库中没有该法规"
            corpus.problems.append(ContentProblem(
                source, at, f"{where}“{citation.text}”无法解析：{why}", hint, code=f"{prefix}-basis-unresolved",
            ))
        if law is not None:
            _check_status(law, citation.text, where, corpus, source, at, prefix)
            if not citation.articles and not problem:
                corpus.problems.append(ContentProblem(
                    source, at, f"{where}“{citation.text}”只写了法规名称，没有写明条款。",
                    "请写明具体条款，例如《中华人民共和国建筑法》第七条。", severity=Severity.WARNING,
                    code=f"{prefix}-basis-whole-law",
                ))
        refs.append(BasisRef(
            text=citation.text,
            law_slug=law.slug if law is not None else None,
            articles=tuple(a.key for a in citation.articles),
            problem=problem,
            clauses=_clauses(citation),
        ))
    if not refs:
        corpus.problems.append(ContentProblem(
            source, at, f"“{title}”的{basis.label}“{basis.text}”中没有找到《法规名称》第X条形式的引用。",
            "请按《法规全称》第X条的格式书写，例如《中华人民共和国建筑法》第七条。",
            code=f"{prefix}-basis-unresolved",
        ))
    return LegalBasis(basis.kind, basis.text, tuple(refs), basis.line)


def _clauses(citation: Citation) -> tuple[tuple[int, int, int], ...]:
    """``(number, suffix, 款)`` of every 款 the citation names (第八条第一款、第二款 -> two)."""
    found: list[tuple[int, int, int]] = []
    for part in citation.parts:
        if part.article is None:
            continue
        for match in _CLAUSE_RE.finditer(part.detail):
            try:
                clause = cn_to_int(match.group(1))
            except ValueError:
                continue
            if clause > 0:
                found.append((part.article.number, part.article.suffix, clause))
    return tuple(dict.fromkeys(found))


def _policy_basis(citation: Citation, where: str, corpus: Corpus, source: str, line: int, prefix: str,
                  citing: CitingRef | None) -> BasisRef:
    """A basis naming a 本局文件: recorded as citing it; void or missing items are errors."""
    from kb_tools.citations.resolver import add_policy_citing
    from kb_tools.policies.lookup import policy_status

    policy = citation.policy
    assert policy is not None
    if citation.problem:
        corpus.problems.append(ContentProblem(source, line, f"{where}“{citation.text}”无法解析：{citation.problem}",
                                              citation.hint or "", code=f"{prefix}-basis-unresolved"))
    status = policy_status(corpus, policy)
    if status in (Status.REPEALED, Status.EXPIRED):
        corpus.problems.append(ContentProblem(
            source, line, f"{where}“{citation.text}”所依据的《{policy.title}》{status.value}。",
            "请改为现行有效的文件，或核实该事项的依据。", code="policy-void-cited"))
    if citing is not None:
        for found in citation.items or (None,):
            add_policy_citing(corpus, policy, found, citing)
    return BasisRef(text=citation.text, law_slug=None, problem=citation.problem, policy_slug=policy.slug)


def _check_status(law: Law, text: str, where: str, corpus: Corpus, source: str, line: int, prefix: str) -> None:
    status = corpus.status(law)
    if status is Status.REPEALED:
        successor = f"，已由《{law.successor}》取代" if law.successor else ""
        corpus.problems.append(ContentProblem(
            source, line, f"{where}“{text}”所依据的《{law.title}》已废止{successor}。",
            "请改为现行有效的法规条款，或核实该事项是否应当取消。", code=f"{prefix}-basis-repealed",
        ))
    elif status is Status.NOT_YET_EFFECTIVE:
        corpus.problems.append(ContentProblem(
            source, line, f"{where}“{text}”所依据的《{law.title}》尚未生效（{law.effective} 起施行）。",
            "施行前请保留现行依据；施行后再改为新依据。", code=f"{prefix}-basis-not-in-force",
        ))
    elif status is Status.AMENDED:
        corpus.problems.append(ContentProblem(
            source, line, f"{where}“{text}”指向《{law.title}》的历史版本。",
            "请改为引用现行文本的条款（核对条号是否已变化）。", severity=Severity.WARNING,
            code=f"{prefix}-basis-old-version",
        ))


def has_resolved(bases: Iterable[LegalBasis]) -> bool:
    """Whether any citation of the bases names a regulation of the knowledge base."""
    return any(ref.law_slug for basis in bases for ref in basis.refs)


def register_citing(corpus: Corpus, bases: Iterable[LegalBasis], ref: CitingRef, anchor: str = "") -> None:
    """Tell every cited article (or whole regulation) that ``ref`` rests on it.

    ``anchor``: what the entry calls the matter it cites the article for (its name), added to
    the article's search anchor text so a query by that name finds the article.
    """
    from kb_tools.citations.resolver import add_anchor, add_citing

    for basis in bases:
        for found in basis.refs:
            law = corpus.laws.get(found.law_slug) if found.law_slug else None
            if law is None:
                continue
            if not found.articles and not found.problem:
                add_citing(corpus, law, None, ref)
            for number, suffix in found.articles:
                article = law.article(number, suffix)
                if article is not None:
                    add_citing(corpus, law, article, ref)
                    if anchor:
                        add_anchor(corpus, law, article, anchor)
