"""Rows of a list, whatever file they came from: a mapping from column name to text, with its line.

The YAML reader keeps each key's line (so a problem points at the field), a spreadsheet row keeps
its row number (``where`` says ``第 12 行：`` in messages). The power list and declared lists read
rows the same way and then judge them by their own columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from kb_tools.problems import ContentProblem

Value = str | list[str]
#: libyaml's composer when available: five times faster on a list of a thousand items, same line marks.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Record:
    """One row: column name -> text (or lines, for legal bases).

    Attributes:
        path: the file it came from, as shown in messages.
        line: the line (YAML) or row number (spreadsheet) where the row starts.
        key_lines: line of each key, when the file format knows it.
        where: how to name the row in a message (``第 12 行：``); empty for YAML where the line says it.
    """

    path: str
    line: int
    values: dict[str, Value] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    where: str = ""

    def text(self, key: str) -> str:
        value = self.values.get(key, "")
        if isinstance(value, list):
            return "\n".join(value).strip()
        return value.strip()

    def lines(self, key: str) -> list[str]:
        """A multi-line field as a list of non-empty lines."""
        value = self.values.get(key, "")
        raw = value if isinstance(value, list) else value.split("\n")
        return [line.strip() for item in raw for line in str(item).split("\n") if line.strip()]

    def numbered_lines(self, key: str) -> list[tuple[str, int]]:
        """A multi-line field as ``(line text, line in the file)``: each YAML list entry has its own."""
        value = self.values.get(key, "")
        raw = value if isinstance(value, list) else [value]
        out = []
        for index, entry in enumerate(raw):
            where = self.key_lines.get(f"{key}#{index}", self.line_of(key))
            out += [(text.strip(), where) for text in str(entry).split("\n") if text.strip()]
        return out

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def problem(self, key: str, message: str, hint: str, code: str) -> ContentProblem:
        return ContentProblem(self.path, self.line_of(key), f"{self.where}{message}", hint, code=code)


def yaml_problem(rel: str, exc: yaml.YAMLError, code: str) -> ContentProblem:
    """A YAML syntax error as one line with the line it is on."""
    mark = getattr(exc, "problem_mark", None)
    return ContentProblem(
        rel, mark.line + 1 if mark else 1, f"YAML 格式错误：{getattr(exc, 'problem', exc)}。",
        "请检查缩进（用空格，不用 Tab）、冒号后的空格和引号是否成对；长文本可用 | 换行书写。", code=code,
    )


def records_from_yaml(node: yaml.Node, rel: str, problems: list[ContentProblem], code: str) -> list[Record]:
    """The rows of a YAML sequence of mappings, each key with its line."""
    if isinstance(node, yaml.ScalarNode) and not node.value:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(ContentProblem(rel, node.start_mark.line + 1, "这里应是一个列表（每项以“- ”开头）。",
                                       "参照示例文件书写。", code=code))
        return []
    records = []
    for entry in node.value:
        line = entry.start_mark.line + 1
        if not isinstance(entry, yaml.MappingNode):
            problems.append(ContentProblem(rel, line, "列表中的每一项应是“字段: 值”的形式。",
                                           "参照示例文件书写。", code=code))
            continue
        record = Record(rel, line)
        for key_node, value_node in entry.value:
            key = str(key_node.value).strip()
            record.values[key] = plain(value_node)
            record.key_lines[key] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.SequenceNode):
                for index, part in enumerate(value_node.value):
                    record.key_lines[f"{key}#{index}"] = part.start_mark.line + 1
        records.append(record)
    return records


def plain(node: yaml.Node) -> str | list[str]:
    """A node as text, scalars kept exactly as written (``00123`` stays a string, never 123)."""
    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag.endswith(":null") else str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [str(plain(n)) for n in node.value]
    return yaml.serialize(node).strip()
