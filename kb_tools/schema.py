"""Front-matter and data-row fields: typed converters and the "unknown key, did you mean" rule.

Every content kind checks its front matter through :func:`check_meta`, so an author sees the same
Chinese message for the same mistake on a regulation, a lecture, a plan or a policy.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from kb_tools.frontmatter import as_date
from kb_tools.model import Level
from kb_tools.problems import ContentProblem

if TYPE_CHECKING:
    from kb_tools.frontmatter import Document

#: A key table: key -> (kind, required). Kinds: str, bool, date, level, any (checked by the caller),
#: list[…] of those.
KeyTable = dict[str, tuple[str, bool]]


def unknown_key_hint(key: str, known: list[str] | tuple[str, ...]) -> str:
    """The hint for a key that is not a field: the closest field, else the list of fields.

    >>> unknown_key_hint("efective", ["title", "effective"])
    '是不是想写 `effective`？'
    """
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.5)
    return f"是不是想写 `{close[0]}`？" if close else f"可用的字段有：{'、'.join(known)}。"


def check_meta(
    doc: Document, keys: KeyTable, problems: list[ContentProblem]
) -> dict[str, Any] | None:
    """Check front matter against a key table; convert dates and levels.

    Unknown keys are errors too: a misspelt ``efective`` would otherwise be silently ignored
    and the status computed from the wrong dates.

    Returns:
        The converted values, or None when a required key is missing or a value is wrong.
    """
    ok = True
    out: dict[str, Any] = {}
    for key, value in doc.meta.items():
        line = doc.line_of(str(key))
        if key not in keys:
            hint = unknown_key_hint(str(key), list(keys))
            problems.append(ContentProblem(doc.path, line, f"文件头中有未知字段 `{key}`。", hint,
                                           code="unknown-key"))
            ok = False
            continue
        kind = keys[key][0]
        converted, error = _convert(kind, value)
        if error:
            problems.append(ContentProblem(doc.path, line, f"字段 `{key}` 的值无效：{error}",
                                           _HINTS.get(kind, ""), code="bad-value"))
            ok = False
            continue
        out[key] = converted
    for key, (_, required) in keys.items():
        if required and out.get(key) in (None, "") and key not in doc.meta:
            problems.append(ContentProblem(doc.path, 1, f"文件头缺少必填字段 `{key}`。",
                                           f"请在文件头中加上 `{key}: …`。", code="missing-key"))
            ok = False
    return out if ok else None


_HINTS = {
    "date": "日期请写成 2024-01-01 的形式。",
    "list[date]": "请写成日期列表，例如 [2011-04-22, 2019-04-23]。",
    "level": "效力级别可选：" + "、".join(level.value for level in Level) + "。",
    "bool": "请写 true 或 false。",
    "list[str]": "请写成列表，例如 [建筑市场, 工程质量安全]。",
}


def _convert(kind: str, value: Any) -> tuple[Any, str]:
    if value is None:
        return None, ""
    if kind == "any":  # a nested mapping the kind checks itself (a policy's legality_review …)
        return value, ""
    if kind == "str":
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value).strip(), ""
        return None, f"应为文字，实际是 {value!r}。"
    if kind == "bool":
        return (value, "") if isinstance(value, bool) else (None, f"应为 true 或 false，实际是 {value!r}。")
    if kind == "date":
        date = as_date(value)
        return (date, "") if date else (None, f"“{value}”不是有效日期。")
    if kind == "level":
        try:
            return Level(str(value).strip()), ""
        except ValueError:
            return None, f"未知的效力级别“{value}”。"
    if kind.startswith("list["):
        items = value if isinstance(value, list) else [value]
        inner = kind[5:-1]
        out = []
        for item in items:
            converted, error = _convert(inner, item)
            if error:
                return None, error
            out.append(converted)
        return out, ""
    raise AssertionError(kind)
