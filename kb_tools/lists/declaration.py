"""Read ``docs/lists/<name>/list.yaml``: a list kind declared by a legal officer, checked field by field.

Every mistake is one problem at its line, in Chinese, with what to write instead: an unknown key
(with the closest one), a column without key or label, a key that is not ASCII, two code columns,
a choice column without choices. A declaration with errors declares nothing (its rows are not read),
so a half-understood list never reaches the site.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from kb_tools.frontmatter import read_text
from kb_tools.lists.model import Column, ColumnType, ListSpec, Role
from kb_tools.lists.records import YAML_LOADER, plain, yaml_problem
from kb_tools.problems import ContentProblem
from kb_tools.schema import unknown_key_hint
from kb_tools.text import join_cjk

DECLARATION = "list.yaml"
#: Keys of the declaration, and of each column.
LIST_KEYS = ("title", "columns", "description", "sample", "unit", "rows", "adopted")
COLUMN_KEYS = ("key", "label", "type", "role", "filter", "required", "choices", "aliases", "table", "of")
#: Column keys the machinery uses itself (filter names in the address, the 公开 flag).
RESERVED_KEYS = {"q", "rank", "public", "items", "export"}
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TRUE = {"true", "yes", "是", "1", "y"}
_FALSE = {"false", "no", "否", "0", "n", ""}


def read_declaration(path: Path, rel: str, problems: list[ContentProblem]) -> tuple[ListSpec | None, yaml.Node | None]:
    """The declared list and the node of its inline ``rows`` (None when there are none).

    Returns ``(None, None)`` when the declaration has an error (every error is in ``problems``).
    """
    name = path.parent.name
    before = len(problems)
    if not NAME_RE.match(name):
        problems.append(ContentProblem(
            rel, 0, f"清单文件夹名“{name}”不能用作网址。",
            "请用小写英文字母、数字和连字符命名文件夹，例如 docs/lists/legal-review/。", code="list-name"))
        return None, None
    text, problem = read_text(path, rel)
    if text is None:
        problems.append(problem)  # type: ignore[arg-type]  # problem is set whenever the text is None
        return None, None
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(rel, exc, "list-yaml"))
        return None, None
    if not isinstance(root, yaml.MappingNode):
        problems.append(ContentProblem(rel, 1, "清单声明的顶层应为“title:”“columns:”等字段。",
                                       "参照 docs/lists/ 下的示例清单书写。", code="list-yaml"))
        return None, None
    fields: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + 1
        if key not in LIST_KEYS:
            problems.append(ContentProblem(rel, lines[key], f"清单声明中有未知字段“{key}”。",
                                           unknown_key_hint(key, LIST_KEYS), code="list-unknown-key"))
            continue
        fields[key] = value_node
    title = _scalar(fields.get("title"))
    if not title:
        problems.append(ContentProblem(rel, lines.get("title", 1), "清单声明缺少 title（清单名称）。",
                                       "请写 title: 重大行政执法决定法制审核目录清单。", code="list-missing-field"))
    columns = _columns(fields.get("columns"), rel, lines.get("columns", 1), problems)
    sample = _flag(fields.get("sample"), rel, "sample", problems)
    adopted = _date(fields.get("adopted"), rel, problems)
    if len(problems) > before:
        return None, None
    description = join_cjk(_scalar(fields.get("description")))  # a folded (>-) paragraph without stray gaps
    spec = ListSpec(name=name, title=title, columns=tuple(columns), description=description,
                    sample=sample, source=rel, unit=_scalar(fields.get("unit")) or "项", adopted=adopted)
    return spec, fields.get("rows")


def _scalar(node: yaml.Node | None) -> str:
    if node is None:
        return ""
    value = plain(node)
    return value.strip() if isinstance(value, str) else ""


def _date(node: yaml.Node | None, rel: str, problems: list[ContentProblem]) -> dt.date | None:
    """``adopted:`` (the day a 裁量基准 was adopted), or None when not given."""
    text = _scalar(node)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        line = node.start_mark.line + 1  # type: ignore[union-attr]  # a scalar node always has a start mark
        problems.append(ContentProblem(rel, line, f"adopted 的值“{text}”不是日期。",
                                       "请按 2024-05-01 的格式填写本清单的施行日期。", code="list-bad-value"))
        return None


def _flag(node: yaml.Node | None, rel: str, key: str, problems: list[ContentProblem]) -> bool:
    text = _scalar(node).lower()
    if text in _TRUE:
        return True
    if text not in _FALSE:
        problems.append(ContentProblem(rel, node.start_mark.line + 1, f"{key} 的值“{text}”无法识别。",  # type: ignore[union-attr]  # a scalar node always has a start mark
                                       f"请写 {key}: true 或 {key}: false。", code="list-bad-value"))
    return False


def _columns(node: yaml.Node | None, rel: str, line: int, problems: list[ContentProblem]) -> list[Column]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        problems.append(ContentProblem(
            rel, line, "清单声明缺少 columns（列的列表）。",
            "请在 columns: 下逐列写 - key: name（英文键）和 label: 事项名称（中文列名）。", code="list-missing-field"))
        return []
    columns: list[Column] = []
    seen: dict[str, int] = {}
    for entry in node.value:
        at = entry.start_mark.line + 1
        if not isinstance(entry, yaml.MappingNode):
            problems.append(ContentProblem(rel, at, "每一列应写成“key: …”“label: …”的形式。",
                                           "参照示例清单书写。", code="list-yaml"))
            continue
        column = _column(entry, rel, problems)
        if column is None:
            continue
        for name in (column.key, column.label):
            if name in seen:
                problems.append(ContentProblem(rel, at, f"列名或键“{name}”重复（第 {seen[name]} 行已使用）。",
                                               "每列的 key 和 label 都必须唯一。", code="list-duplicate-column"))
            seen.setdefault(name, at)
        columns.append(column)
    for role, what, example in ((Role.CODE, "编码", "code"), (Role.TITLE, "标题", "title")):
        marked = [c for c in columns if c.role is role]
        if len(marked) != 1:
            problems.append(ContentProblem(
                rel, line, f"清单应有且只有一列 role: {example}（{what}列），现在有 {len(marked)} 列。",
                f"请在{what}列写 role: {example}；编码列决定每项的页面地址，标题列是每项的名称。",
                code="list-role"))
    basis_keys = {c.key for c in columns if c.role is Role.BASIS}
    for column in columns:
        if column.type is ColumnType.TIERS and column.of not in basis_keys:
            problems.append(ContentProblem(
                rel, line, f"裁量档次列“{column.label}”的 of“{column.of}”不是本清单的依据列。",
                "请写 of: 处罚依据列的 key（该列须为 role: basis），幅度按该列所引条文的罚款幅度检查。",
                code="list-column"))
    return columns


def _column(node: yaml.MappingNode, rel: str, problems: list[ContentProblem]) -> Column | None:
    values: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    start = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + 1
        if key not in COLUMN_KEYS:
            problems.append(ContentProblem(rel, lines[key], f"列声明中有未知字段“{key}”。",
                                           unknown_key_hint(key, COLUMN_KEYS), code="list-unknown-key"))
            continue
        values[key] = value_node
    before = len(problems)
    key, label = _scalar(values.get("key")), _scalar(values.get("label"))
    if not key or not KEY_RE.match(key) or key in RESERVED_KEYS:
        why = "缺少 key" if not key else (f"的 key“{key}”是保留字" if key in RESERVED_KEYS
                                        else f"的 key“{key}”不是小写英文开头的字母、数字、下划线")
        problems.append(ContentProblem(rel, lines.get("key", start), f"列声明{why}。",
                                       "key 用于网址和文件，请写小写英文，例如 key: department。", code="list-column"))
    if not label:
        problems.append(ContentProblem(rel, start, f"列“{key}”缺少 label（中文列名）。",
                                       "请写 label: 承办科室。", code="list-column"))
    type_text = _scalar(values.get("type")) or "text"
    try:
        column_type = ColumnType(type_text)
    except ValueError:
        problems.append(ContentProblem(rel, lines["type"], f"列“{label or key}”的类型“{type_text}”无法识别。",
                                       "type 可写 text（文字）、date（日期）、number（数字）、choice（选项）、"
                                       "tiers（裁量档次）。",
                                       code="list-column"))
        column_type = ColumnType.TEXT
    role_text = _scalar(values.get("role"))
    role = None
    if role_text:
        try:
            role = Role(role_text)
        except ValueError:
            problems.append(ContentProblem(rel, lines["role"], f"列“{label or key}”的 role“{role_text}”无法识别。",
                                           "role 可写 code（编码）、title（标题）、basis（法律依据，按引用解析）。",
                                           code="list-column"))
    choices = _texts(values.get("choices"))
    if column_type is ColumnType.CHOICE and not choices:
        problems.append(ContentProblem(rel, lines.get("type", start), f"选项列“{label or key}”没有列出 choices。",
                                       "请写 choices: [行政处罚, 行政强制, 行政许可]。", code="list-column"))
    if column_type is ColumnType.TIERS and role is not None:
        problems.append(ContentProblem(rel, lines.get("role", start),
                                       f"裁量档次列“{label or key}”不能有 role。",
                                       "请删除该列的 role；用 of: 指明处罚依据列。", code="list-column"))
    if role is Role.BASIS and column_type is not ColumnType.TEXT:
        problems.append(ContentProblem(rel, lines.get("type", start), f"依据列“{label or key}”只能是 text 类型。",
                                       "请删除该列的 type。", code="list-column"))
    flags = {name: _flag(values.get(name), rel, name, problems) for name in ("filter", "required")}
    table = values.get("table")
    if len(problems) > before:
        return None
    return Column(key=key, label=label, type=column_type, role=role, filter=flags["filter"],
                  required=flags["required"] or role in (Role.CODE, Role.TITLE), choices=tuple(choices),
                  aliases=tuple(_texts(values.get("aliases"))),
                  in_table=True if table is None else _flag(table, rel, "table", problems),
                  of=_scalar(values.get("of")))


def _texts(node: yaml.Node | None) -> list[str]:
    if node is None:
        return []
    value = plain(node)
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v).strip()]
