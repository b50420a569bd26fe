"""Read ``docs/policies/**/*.md`` into Policy objects; every mistake is one Chinese line with file:line.

The front matter goes through :func:`kb_tools.schema.check_meta` like every other kind; the
nested ``legality_review`` and ``filing`` mappings and the validity period are checked here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kb_tools.cache import SourceCache
from kb_tools.corpus import Corpus
from kb_tools.frontmatter import as_date, load_page
from kb_tools.numerals import cn_to_int
from kb_tools.policies.lookup import DOC_NUMBER_RE
from kb_tools.policies.model import Filing, Policy, Review, period_end
from kb_tools.policies.parser import parse_items
from kb_tools.problems import ContentProblem
from kb_tools.schema import check_meta

POLICIES_DIR = "policies"
#: Generated or hand-written pages of the section that are not documents.
NOT_POLICIES = {"index.md", "review.md", "review/index.md"}

#: Front-matter keys of a policy document: key -> (kind, required).
POLICY_KEYS: dict[str, tuple[str, bool]] = {
    "title": ("str", True),
    "doc_number": ("list[str]", False),
    "authority": ("list[str]", True),
    "kind": ("str", True),
    "issued": ("date", True),
    "effective": ("date", False),
    "valid_until": ("date", False),
    "validity": ("str", False),
    "register_number": ("str", False),
    "legality_review": ("any", False),
    "filing": ("any", False),
    "repealed": ("date", False),
    "amended_by": ("str", False),
    "amended": ("date", False),
    "successor": ("str", False),
    "basis": ("list[str]", False),
    "recipients": ("str", False),
    "attachments": ("list[str]", False),
    "summary": ("str", False),
    "public": ("bool", False),
    "sample": ("bool", False),
}
_PERIOD_RE = re.compile(r"^(?:有效期)?(?:为|至)?[ \t]*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})[ \t]*年$")


def load(corpus: Corpus) -> None:
    """Corpus loader: every policy document into ``corpus.policies``, by slug."""
    folder = corpus.docs_dir / POLICIES_DIR
    policies: dict[str, Policy] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            if path.relative_to(folder).as_posix() in NOT_POLICIES:
                continue
            rel = path.relative_to(corpus.docs_dir).as_posix()
            policy = read_policy(path, rel, corpus.problems, corpus.sources)
            if policy is None or (corpus.public_only and not policy.public):
                if policy is not None:
                    corpus.private_files.add(rel)
                continue
            policies[policy.slug] = policy
    corpus.policies = policies


def read_policy(path: Path, rel: str, problems: list[ContentProblem],
                sources: SourceCache | None = None) -> Policy | None:
    """One policy page, or None (with the reasons in ``problems``); ``sources``: the build's reader."""
    doc = load_page(path, rel, problems, sources=sources, missing=(
        "本局文件缺少文件头（--- 包围的 title、doc_number、kind、issued 等字段）。",
        "请用 `kb import 通知.docx --policy` 导入，或在开头补上 title、authority、kind、issued 等字段。",
        "policy-no-front-matter"))
    if doc is None:
        return None
    meta = check_meta(doc, POLICY_KEYS, problems)
    if meta is None:
        return None
    slug = rel[len(POLICIES_DIR) + 1: -len(".md")]
    policy = Policy(
        slug=slug, src_path=rel, title=meta["title"], kind=meta["kind"],
        doc_numbers=[n for n in meta.get("doc_number") or [] if n],
        authorities=[a for a in meta.get("authority") or [] if a],
        issued=meta.get("issued"), effective=meta.get("effective") or meta.get("issued"),
        valid_until=meta.get("valid_until"), validity_text=meta.get("validity") or "",
        register_number=meta.get("register_number") or "", repealed=meta.get("repealed"),
        amended_by=meta.get("amended_by") or "", amended=meta.get("amended"),
        successor=meta.get("successor") or "", basis=list(meta.get("basis") or []),
        public=meta.get("public", True) is not False, sample=bool(meta.get("sample")),
        body=doc.body, body_line=doc.body_line, key_lines=dict(doc.key_lines),
    )
    ok = True
    if policy.validity_text:
        years = parse_period(policy.validity_text)
        if years is None:
            problems.append(ContentProblem(rel, policy.line_of("validity"),
                                           f"有效期“{policy.validity_text}”无法识别。",
                                           "请写成“有效期五年”或“有效期3年”，或改用 valid_until: 2029-02-28。",
                                           code="policy-bad-validity"))
            ok = False
        else:
            policy.validity_years = years
            start = policy.effective or policy.issued
            if start and policy.valid_until is None:
                policy.valid_until = period_end(start, years)
    review = meta.get("legality_review")
    if review is not None:
        policy.legality_review = _review(review, rel, policy.line_of("legality_review"), problems)
        ok = ok and policy.legality_review is not None
    filing = meta.get("filing")
    if filing is not None:
        policy.filing = _filing(filing, rel, policy.line_of("filing"), problems)
        ok = ok and policy.filing is not None
    for number in policy.doc_numbers:
        if not DOC_NUMBER_RE.fullmatch(number.strip()):
            problems.append(ContentProblem(rel, policy.line_of("doc_number"), f"文号“{number}”的格式不对。",
                                           "文号应写成“机关代字〔年份〕序号号”，例如 海住建〔2024〕12号。",
                                           code="policy-bad-doc-number"))
    if not ok:
        return None
    policy.items = parse_items(doc.body, doc.body_line)
    return policy


def parse_period(text: str) -> int | None:
    """Years of a validity period: ``有效期五年`` / ``有效期为3年`` / ``5年`` → 5 / 3 / 5."""
    match = _PERIOD_RE.match(text.strip().replace(" ", ""))
    if match is None:
        return None
    try:
        years = cn_to_int(match.group("n"))
    except ValueError:
        return None
    return years if years > 0 else None


def _mapping(value: Any, rel: str, line: int, key: str, fields: dict[str, str],
             problems: list[ContentProblem]) -> dict[str, Any] | None:
    example = "、".join(fields)
    if not isinstance(value, dict):
        problems.append(ContentProblem(rel, line, f"字段 `{key}` 应为若干子字段（{example}）。",
                                       f"请写成缩进的子字段，例如：\n{key}:\n  {next(iter(fields))}: …",
                                       code="bad-value"))
        return None
    out: dict[str, Any] = {}
    for sub, raw in value.items():
        if sub not in fields:
            problems.append(ContentProblem(rel, line, f"字段 `{key}` 中有未知子字段 `{sub}`。",
                                           f"可用的子字段有：{example}。", code="unknown-key"))
            return None
        if fields[sub] == "date":
            date = as_date(raw)
            if raw is not None and date is None:
                problems.append(ContentProblem(rel, line, f"`{key}.{sub}` 的值“{raw}”不是有效日期。",
                                               "日期请写成 2024-01-01 的形式。", code="bad-value"))
                return None
            out[sub] = date
        else:
            out[sub] = "" if raw is None else str(raw).strip()
    return out


def _review(value: Any, rel: str, line: int, problems: list[ContentProblem]) -> Review | None:
    out = _mapping(value, rel, line, "legality_review", {"date": "date", "reviewer": "str", "opinion": "str"},
                   problems)
    return None if out is None else Review(out.get("date"), out.get("reviewer", ""), out.get("opinion", ""))


def _filing(value: Any, rel: str, line: int, problems: list[ContentProblem]) -> Filing | None:
    out = _mapping(value, rel, line, "filing", {"authority": "str", "date": "date"}, problems)
    return None if out is None else Filing(out.get("authority", ""), out.get("date"))
