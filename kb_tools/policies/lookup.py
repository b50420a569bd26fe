"""Find a policy document by title or by 文号: what the citation resolver asks beside its law lookup.

Imports only the model's vocabulary, so the resolver can use it without importing the pages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kb_tools.laws.names import normalise_title
from kb_tools.model import Status
from kb_tools.policies.model import Policy, expiring, status_of

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus

#: A 文号: issuer code, year in brackets, serial and 号 (海住建〔2024〕12号, 浙建〔2023〕5号).
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（][12]\d{3}[〕\]］)）][ \t]*第?[ \t]*\d{1,4}[ \t]*号")


def compact_doc_number(text: str) -> str:
    """A 文号 as compared: no spaces, every bracket form as 〔〕, no 第 before the serial."""
    text = "".join(text.split())
    for a in "[［(（":
        text = text.replace(a, "〔")
    for b in "]］)）":
        text = text.replace(b, "〕")
    return re.sub(r"〕第(\d)", r"〕\1", text)


def _index(corpus: Corpus) -> tuple[dict[str, Policy], dict[str, Policy]]:
    cached = corpus.__dict__.get("_policy_index")
    if cached is not None and cached[0] is corpus.policies:
        return cached[1], cached[2]
    titles: dict[str, Policy] = {}
    numbers: dict[str, Policy] = {}
    for policy in corpus.policies.values():
        titles.setdefault(normalise_title(policy.title), policy)
        for number in policy.doc_numbers:
            numbers.setdefault(compact_doc_number(number), policy)
    corpus.__dict__["_policy_index"] = (corpus.policies, titles, numbers)
    return titles, numbers


def by_title(corpus: Corpus, title: str) -> Policy | None:
    """The policy with this title (《》 and spacing ignored)."""
    return _index(corpus)[0].get(normalise_title(title))


def by_doc_number(corpus: Corpus, number: str) -> Policy | None:
    """The policy with this 文号 (any of a 联合发文's numbers)."""
    return _index(corpus)[1].get(compact_doc_number(number))


def by_reference(corpus: Corpus, text: str) -> Policy | None:
    """A policy named by title (with or without 《》) or by 文号, as ``successor`` and ``amended_by`` are."""
    text = text.strip()
    found = by_doc_number(corpus, text)
    if found is None:
        match = DOC_NUMBER_RE.search(text)
        found = by_doc_number(corpus, match.group(0)) if match else None
    if found is None:
        found = by_title(corpus, text.split("》")[0].lstrip("《") if "《" in text else text)
    return found


def policy_status(corpus: Corpus, policy: Policy) -> Status:
    """时效性 of a policy on the corpus date (an amendment counts from the amending document's effect)."""
    amended_on = None
    if policy.amended_by:
        amending = by_reference(corpus, policy.amended_by)
        if amending is not None:
            amended_on = amending.effective or amending.issued
    return status_of(policy, corpus.today, amended_on=amended_on)


def is_expiring(corpus: Corpus, policy: Policy) -> bool:
    """即将失效: in force and ending within the configured window (``policy_expiry_warning_days``)."""
    return policy_status(corpus, policy) is Status.IN_FORCE and expiring(
        policy, corpus.today, corpus.options.policy_expiry_warning_days)


def number_pattern(corpus: Corpus) -> re.Pattern[str] | None:
    """A pattern of the 文号 forms of the knowledge base's issuers (海住建〔2024〕12号 …), or None.

    Built from the issuer codes actually in use, so 根据海住建〔2024〕12号 matches from 海住建 and a
    文号 of another bureau is left alone.
    """
    cached = corpus.__dict__.get("_policy_number_re")
    if cached is not None and cached[0] is corpus.policies:
        return cached[1]
    prefixes = set()
    for policy in corpus.policies.values():
        for number in policy.doc_numbers:
            head = re.split(r"[〔\[［(（]", number, maxsplit=1)[0].strip()
            if head:
                prefixes.add(head)
    pattern = None
    if prefixes:
        names = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
        pattern = re.compile(rf"(?:{names})[ \t]*[〔\[［(（][12]\d{{3}}[〕\]］)）][ \t]*第?[ \t]*\d{{1,4}}[ \t]*号")
    corpus.__dict__["_policy_number_re"] = (corpus.policies, pattern)
    return pattern
