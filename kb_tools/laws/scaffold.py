"""`kb new …`: page templates for content authors, with every front-matter field explained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kb_tools.laws.names import slug_for_title
from kb_tools.model import Level
from kb_tools.problems import KbError

LAW_TEMPLATE = """---
title: {title}
level: {level}
authority: ""            # 制定机关
doc_number: ""           # 文号，例如 某建〔{year}〕1号
promulgated: {today}     # 公布日期
effective: {today}       # 施行日期
category: [其他]          # 分类
public: true             # false 时不进入公开版
---

## 第一章 总则

第一条 （在此粘贴条文，每条另起一段，以“第X条”开头。）
"""


def new_law_page(docs_dir: Path, title: str, level: str, today: dt.date) -> Path:
    """Write a new regulation page from the template; refuse to overwrite."""
    try:
        Level(level)
    except ValueError as exc:
        raise KbError(f"未知的效力级别“{level}”，可选：{'、'.join(v.value for v in Level)}。") from exc
    path = docs_dir / "laws" / f"{slug_for_title(title)}.md"
    if path.exists():
        raise KbError(f"{path} 已存在。")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LAW_TEMPLATE.format(title=title, level=level, today=today.isoformat(),
                                        year=today.year), encoding="utf-8")
    return path
