"""Reading files and YAML front matter, with problems that name the file and line.

Content authors edit these files by hand, often on Windows: the reader accepts CRLF and a
byte-order mark, detects GBK/GB18030 instead of failing with a traceback, and reports YAML
mistakes at the line where they are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from kb_tools.problems import ContentProblem
from kb_tools.text import decode_chinese

if TYPE_CHECKING:
    from kb_tools.cache import SourceCache

_FENCE_RE = re.compile(r"^---[ \t]*$")


@dataclass
class Document:
    """A text file split into front matter and body.

    Attributes:
        meta: the parsed front matter (empty when there is none).
        body: the text after the closing ``---``.
        body_line: 1-based line number of the body's first line in the file.
        key_lines: line number of each top-level front-matter key, for messages.
    """

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    has_front_matter: bool = True

    def line_of(self, key: str) -> int:
        """Line of a front-matter key, or of the front matter's first line."""
        return self.key_lines.get(key, 1)


def read_text(path: Path, display: str) -> tuple[str | None, ContentProblem | None]:
    """Read a UTF-8 text file, normalising line endings and dropping a byte-order mark.

    Returns:
        ``(text, None)``, or ``(None, problem)`` when the file is not UTF-8.
    """
    return decode_source(path.read_bytes(), display)


def decode_source(data: bytes, display: str) -> tuple[str | None, ContentProblem | None]:
    """:func:`read_text` of bytes already read (:class:`kb_tools.cache.SourceCache` reads once)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        gbk = _decodes(data, "gb18030")
        if gbk:  # GBK pairs can look like valid UTF-8; the first non-ASCII byte is where it starts
            line = data[: next(i for i, b in enumerate(data) if b > 0x7F)].count(b"\n") + 1
        guess = "GBK/GB18030" if gbk else "未知编码"
        return None, ContentProblem(
            display, line,
            f"文件不是 UTF-8 编码（第 {line} 行起无法按 UTF-8 读取，看起来是 {guess}）。",
            "请用 `kb import 文件` 重新导入（会自动转换编码），或在编辑器中“另存为 UTF-8”。",
            code="encoding",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def split_front_matter(text: str, display: str) -> tuple[Document | None, ContentProblem | None]:
    """Split ``---`` front matter from the body and parse it as YAML.

    Returns:
        ``(document, None)`` or ``(None, problem)`` when the YAML cannot be read.
    """
    lines = text.split("\n")
    if not lines or not _FENCE_RE.match(lines[0]):
        return Document(display, {}, text, 1, has_front_matter=False), None
    end = next((i for i in range(1, len(lines)) if _FENCE_RE.match(lines[i])), None)
    if end is None:
        return None, ContentProblem(
            display, 1, "文件头（front matter）以 --- 开始，但没有结束的 --- 行。",
            "请在文件头最后一个字段之后单独加一行 ---。", code="front-matter",
        )
    raw = "\n".join(lines[1:end])
    try:
        meta = _load_yaml(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, ContentProblem(
            display, line, f"文件头（front matter）不是合法的 YAML：{problem}。",
            "常见原因：冒号后缺空格、引号不成对、缩进不一致、用了中文冒号“：”分隔字段名和值。",
            code="front-matter",
        )
    if not isinstance(meta, dict):
        return None, ContentProblem(
            display, 2, "文件头（front matter）应是“字段: 值”的列表。",
            "请按 `title: 标题` 的形式逐行书写。", code="front-matter",
        )
    key_lines: dict[str, int] = {}
    for offset, line in enumerate(lines[1:end]):
        match = re.match(r"^([^\s#:][^:]*):", line)
        if match:
            key_lines.setdefault(match.group(1).strip(), offset + 2)
    return Document(display, meta, "\n".join(lines[end + 1:]), end + 2, key_lines), None


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2020-02-30) as text instead of crashing,
    so that the key check reports it at its line like any other bad value."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:  # date, or text
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        """The same loader on libyaml's parser (several times faster over thousands of pages)."""

    def _timestamp_or_text(loader: yaml.CSafeLoader, node: yaml.ScalarNode) -> object:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None  # type: ignore[assignment,misc]  # the pure-Python loader is used instead


def _load_yaml(raw: str) -> Any:
    """Parse front matter with libyaml when available. On a YAML error, parse again with the
    pure-Python loader: its wording and line numbers are the ones problem reports show."""
    if _FastLoader is not None:
        try:
            return yaml.load(raw, Loader=_FastLoader)
        except yaml.YAMLError:
            pass
    return yaml.load(raw, Loader=_Loader)


def load_document(path: Path, display: str) -> tuple[Document | None, ContentProblem | None]:
    """Read a file and split its front matter; the one entry point for content files."""
    text, problem = read_text(path, display)
    if text is None:
        return None, problem
    return split_front_matter(text, display)


def load_page(
    path: Path, display: str, problems: list[ContentProblem], *, missing: tuple[str, str, str],
    sources: SourceCache | None = None,
) -> Document | None:
    """A content page that must have front matter; what is wrong goes to ``problems``.

    ``missing`` is the (message, hint, code) reported at line 1 when the file has none: each
    kind of page tells its authors how to start one. ``sources``: the build's reader (one read
    per file per build), else the file is read here.
    """
    doc, problem = sources.document(path, display) if sources is not None else load_document(path, display)
    if doc is None:
        problems.append(problem)  # type: ignore[arg-type]  # problem is set whenever the text is None
        return None
    if not doc.has_front_matter:
        message, hint, code = missing
        problems.append(ContentProblem(display, 1, message, hint, code=code))
        return None
    return doc


def as_date(value: Any) -> dt.date | None:
    """Accept a YAML date or an ISO / Chinese date string; None when it is neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?\s*", value)
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                return None
    return None


#: How authors write "not public" / "public" (YAML 1.1 booleans, and the Chinese words).
_PRIVATE_WORDS = {"false", "no", "off", "否", "不公开", "0"}
_PUBLIC_WORDS = {"true", "yes", "on", "是", "公开", "1"}


def privacy_of_value(value: Any) -> bool | None:
    """A ``public:`` value read as privacy: True private, False public, None unreadable.

    >>> privacy_of_value(False), privacy_of_value("否"), privacy_of_value(None), privacy_of_value("也许")
    (True, True, False, None)
    """
    if value is None:
        return False
    if isinstance(value, bool):
        return not value
    word = str(value).strip().strip("'\"").strip().lower()
    if word in _PRIVATE_WORDS:
        return True
    if word in _PUBLIC_WORDS:
        return False
    return None


def page_privacy(path: Path) -> bool | None:
    """Whether a page's front matter says ``public: false`` (公开属性: 不公开).

    Decided after decoding (UTF-8, else GBK/GB18030, as the build reads such pages), from the
    front matter only, so a public build can filter thousands of pages cheaply.

    Returns:
        True (private), False (public) or None when privacy cannot be read: the file cannot be
        read or decoded, its front matter never ends, or the ``public:`` value is neither yes
        nor no. A public build leaves such a page out (fail closed).
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    decoded = decode_chinese(data)
    if decoded is None:
        return None
    lines = decoded[0].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not _FENCE_RE.match(lines[0]):
        return False
    for line in lines[1:]:
        if _FENCE_RE.match(line):
            return False
        match = re.match(r"^public\s*:(.*?)(?:\s#.*)?$", line)
        if match:
            return privacy_of_value(match.group(1).strip())  # an empty value is unreadable too
    return None


def is_private(path: Path) -> bool:
    """Whether a page must stay out of a public build: private, or privacy unreadable."""
    return page_privacy(path) is not False
