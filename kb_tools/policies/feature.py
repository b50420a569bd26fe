"""The policies feature's loading step: read the documents, then record what their bases cite.

Separate from the loader so that reading a file needs nothing of the citation resolver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb_tools.citations.resolver import CitingRef, add_citing, add_policy_citing, find_citations
from kb_tools.policies import loader

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

CITING_KIND = "本局文件"


def load(corpus: Corpus) -> None:
    """Corpus loader: documents into ``corpus.policies``; each basis cites its article (cited-by)."""
    loader.load(corpus)
    for policy in corpus.policies.values():
        ref = CitingRef(CITING_KIND, policy.title, policy.src_path, "basis")
        for basis in policy.basis:
            for citation in find_citations(basis, corpus):
                if citation.problem:
                    continue
                if citation.law is not None:
                    for article in citation.articles or (None,):
                        add_citing(corpus, citation.law, article, ref)
                elif citation.policy is not None and citation.policy is not policy:
                    for item in citation.items or (None,):
                        add_policy_citing(corpus, citation.policy, item, ref)
