"""`kb new lecture` and where lecture pages live: ``docs/classroom/<year>/<title>.md``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from kb_tools.classroom.model import CLASSROOM_DIR
from kb_tools.laws.names import slug_for_title
from kb_tools.problems import KbError

LECTURE_BODY = """
## 一、本讲要点

（用两三句话说明本讲解决什么问题、适用于哪些岗位。）

## 二、法律依据

（引用条文请写成《法规全称》第X条，例如 `《中华人民共和国行政处罚法》第四十四条`（不带反引号），
构建时会自动链接到条文，并在该条下方列出本讲稿；同一节中再次引用同一法规时可只写“第X条”。）

## 三、实务要点

1. （要点一）
2. （要点二）

## 四、案例与讨论

（一个真实或改编的案例，以及讨论题。）
"""


DEFAULT_LECTURER = "（主讲人）"
DEFAULT_TOPIC = "（主题）"
#: The template's instructions: text in （…） that a finished lecture no longer carries (`kb check` warns).
TEMPLATE_PLACEHOLDERS = (DEFAULT_LECTURER, DEFAULT_TOPIC, *re.findall(r"（[^（）\n]{2,}）", LECTURE_BODY))


def lecture_path(docs_dir: Path, title: str, date: dt.date) -> Path:
    """Where a lecture with this title and date is kept."""
    return docs_dir / CLASSROOM_DIR / str(date.year) / f"{slug_for_title(title)}.md"


def front_matter(title: str, *, lecturer: str, date: dt.date, hours: float, audience: str,
                 topics: list[str], attachments: list[str] | None = None, draft: bool = False) -> str:
    """The front matter block of a lecture page (every field present, so authors see them all).

    ``draft``: a new page from the template is a draft, off the site and out of the class hours
    until the trainer removes the line; an imported finished lecture is not.
    """
    meta = {
        "title": title,
        "lecturer": lecturer,
        "date": date,
        "hours": int(hours) if float(hours).is_integer() else hours,
        "audience": audience,
        "topics": topics,
        "attachments": attachments or [],
    }
    if draft:
        meta["draft"] = True
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None) + "---\n"


def new_lecture_page(docs_dir: Path, title: str, *, date: dt.date, lecturer: str = DEFAULT_LECTURER,
                     hours: float = 2, audience: str = "全局干部职工", topics: list[str] | None = None) -> Path:
    """Write a lecture page from the template; refuse to overwrite an existing one."""
    if not title.strip():
        raise KbError("讲稿标题不能为空。")
    path = lecture_path(docs_dir, title, date)
    if path.exists():
        raise KbError(f"{path} 已存在，请换一个标题或直接编辑该文件。")
    path.parent.mkdir(parents=True, exist_ok=True)
    head = front_matter(title.strip(), lecturer=lecturer, date=date, hours=hours, audience=audience,
                        topics=topics or [DEFAULT_TOPIC], draft=True)
    path.write_text(head + LECTURE_BODY, encoding="utf-8")
    return path
