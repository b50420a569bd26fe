# ruff: noqa: E501  (statute paragraphs are one line each, as in docs/laws)
"""A small docs/ tree for the search tests: real-looking regulations, an older version, a
private page, a page with sections. Written with the conftest helpers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import BUILDING_LAW, STATUS_DATE, law_page, write_files

TODAY = dt.date.fromisoformat(STATUS_DATE)

PLANNING_LAW = law_page(
    "中华人民共和国城乡规划法",
    """
    ## 第一章 总则

    第一条 为了加强城乡规划管理，协调城乡空间布局，制定本法。

    ## 第六章 法律责任

    第六十四条 未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的，由县级以上地方人民政府城乡规划主管部门责令停止建设；尚可采取改正措施消除对规划实施的影响的，限期改正，处建设工程造价百分之五以上百分之十以下的罚款。

    第六十六条 建设单位或者个人未经批准进行临时建设的，或者临时建筑物、构筑物超过批准期限不拆除的，由所在地城市、县人民政府城乡规划主管部门责令限期拆除，可以并处临时建设工程造价一倍以下的罚款。
    """,
    short_title="城乡规划法",
    promulgated="2007-10-28",
    amended=["2019-04-23"],
)

REVIEW_LAW = law_page(
    "中华人民共和国行政复议法",
    """
    第一条 为了防止和纠正违法的或者不当的行政行为，制定本法。

    第二十条 公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请。
    """,
    short_title="行政复议法",
    promulgated="1999-04-29",
    amended=["2023-09-01"],
)

REVIEW_LAW_2017 = law_page(
    "中华人民共和国行政复议法",
    """
    第一条 为了防止和纠正违法的或者不当的具体行政行为，制定本法。

    第九条 公民、法人或者其他组织认为具体行政行为侵犯其合法权益的，可以自知道该具体行政行为之日起六十日内提出行政复议申请。
    """,
    short_title="行政复议法",
    promulgated="1999-04-29",
    amended=["2017-09-01"],
    version_of="行政复议法",
)

PROPERTY_RULES = law_page(
    "物业管理条例",
    """
    第十二条 业主大会会议可以采用集体讨论的形式，也可以采用书面征求意见的形式。业主大会决定本条例第十一条规定的事项，应当经专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。

    第三十八条 物业服务合同终止时，物业服务企业应当将物业管理用房和本条例第二十九条第一款规定的资料交还给业主委员会。

    第五十三条 住宅物业、住宅小区内的非住宅物业或者与单幢住宅楼结构相连的非住宅物业的业主，应当按照国家有关规定交纳专项维修资金。
    """,
    level="行政法规",
    doc_number="中华人民共和国国务院令第379号",
    promulgated="2003-06-08",
)

PRIVATE_RULES = law_page(
    "内部工作规程",
    """
    第一条 本规程仅供内部使用，涉及保密事项的审批流程。
    """,
    level="规范性文件",
    public=False,
)

MANUAL = """\
---
title: 维护手册
---

# 维护手册

本手册说明如何维护知识库。

## 添加法规

用 kb import 导入法规原文，检查文件头。

## 检索词典

在 docs/search/userdict.txt 中追加住建领域的专门用语。
"""

FILES: dict[str, str] = {
    "index.md": "# 首页\n\n法规知识库首页。\n",
    "laws/建筑法.md": BUILDING_LAW,
    "laws/城乡规划法.md": PLANNING_LAW,
    "laws/行政复议法.md": REVIEW_LAW,
    "laws/行政复议法/2017-09-01.md": REVIEW_LAW_2017,
    "laws/物业管理条例.md": PROPERTY_RULES,
    "laws/内部工作规程.md": PRIVATE_RULES,
    "manual/index.md": MANUAL,
}


def write_docs(root: Path, extra: dict[str, str] | None = None) -> Path:
    """Write the fixture tree below ``root/docs`` and return the docs directory."""
    docs = root / "docs"
    write_files(docs, {**FILES, **(extra or {})})
    return docs
