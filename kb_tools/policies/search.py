"""Search documents of 本局文件: one per numbered item, like articles, plus the text before the first item.

Every document carries the 文号, so a 文号 query goes straight to the document (the ranking's
exact-number rule, the same one that finds 国务院令第379号), and its kind (``level``) as a facet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kb_tools.policies.lookup import policy_status
from kb_tools.search.documents import ARTICLE, SearchDoc, plain_text

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.policies.model import Policy


def documents(corpus: Corpus) -> Iterable[SearchDoc]:
    """The documents feature of the policies kind (``Feature.documents``)."""
    for policy in corpus.policies.values():
        yield from policy_documents(corpus, policy)


def policy_documents(corpus: Corpus, policy: Policy) -> list[SearchDoc]:
    """The lead text and each top-level-or-deeper item of one document, in reading order."""
    common: dict[str, Any] = {
        "page": policy.src_path, "title": policy.title, "level": policy.kind,
        "status": policy_status(corpus, policy).value, "category": "本局文件",
        "doc_number": " ".join(policy.doc_numbers),
        "promulgated": policy.issued.isoformat() if policy.issued else "",
        "effective": policy.effective.isoformat() if policy.effective else "",
        "law": f"policies/{policy.slug}", "current": f"policies/{policy.slug}",
    }
    lines = policy.body.split("\n")
    first = policy.items[0].line - policy.body_line if policy.items else len(lines)
    lead = plain_text("\n".join(lines[:first]))
    docs = [SearchDoc(id=policy.url, kind=ARTICLE, url=policy.url, text=lead or policy.title, number=0,
                      **common)]
    by_anchor = {i.anchor: i for i in policy.items}
    for position, item in enumerate(policy.items, start=1):
        parent = by_anchor.get(item.anchor.rsplit("-", 2)[0]) if item.level > 1 else None
        end = policy.items[position].line if position < len(policy.items) else policy.body_line + len(lines)
        own = "\n".join(lines[item.line - policy.body_line: end - policy.body_line])  # up to the next item
        url = f"{policy.url}#{item.anchor}"
        docs.append(SearchDoc(id=url, kind=ARTICLE, url=url, text=plain_text(own), article=item.cite,
                              chapter=parent.heading if parent else "", number=position, **common))
    return docs
