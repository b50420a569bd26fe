"""A hostile-content corpus: every payload through every importer and every page kind.

The payloads are what an attacker (or a careless copy from a web page) puts into a law text, a
Word lecture or a spreadsheet. ``make_hostile_docs`` runs the real `kb import`, `kb import-lecture`
and `kb import-powers` commands on sources full of them, and adds data files and front matter
(issuer, categories, study plan, inspection items, a declared list and a 裁量基准) carrying them
too. ``find_live_markup`` is the oracle: an element, attribute or URL that came from a payload and would run.
"""

from __future__ import annotations

import html.parser
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import yaml
from click.testing import CliRunner

#: Each payload would run script (or inject markup) if it reached a page as HTML.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    '<a href="javascript:alert(1)">链接</a>',
    "[点我](javascript:alert(1))",
    "![图](javascript:alert(1))",
    "<javascript:alert(1)>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '{: onclick="alert(1)" }',
    "{{ config }}{% raw %}",
    "&lt;b&gt;已转义&amp;",
    "<details open ontoggle=alert(1)>",
]
#: Joined into one string for fields that take a single line.
ALL = " ".join(PAYLOADS)
NUL = "空\x00字节"


def _txt_law() -> str:
    """A law text as pasted from a web page: payloads in the title, headings and articles."""
    return textwrap.dedent(f"""\
        危险物品<script>alert(1)</script>管理办法
        （2020年5月1日市人民政府令第1号公布 自2020年6月1日起施行）
        第一章 总则<script>alert(1)</script>
        第一条 为了测试，制定本办法。{ALL}
        第二条 {NUL}本办法适用于全市。[点我](javascript:alert(1))
        第二章 管理<img src=x onerror=alert(1)>
        第三条 {PAYLOADS[2]} {PAYLOADS[8]}
        第四条 本办法自2020年6月1日起施行。
        """)


def _txt_old_version() -> str:
    return textwrap.dedent(f"""\
        危险物品<script>alert(1)</script>管理办法
        （2015年3月1日市人民政府令第9号公布）
        第一章 总则<svg onload=alert(1)>
        第一条 旧文本。{ALL}
        第二条 旧文本第二条。{PAYLOADS[1]}
        """)


def _docx_lecture(path: Path) -> None:
    """A trainer's Word file: payloads in the title, author, keywords, headings, runs, lists, tables."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = "讲稿" + PAYLOADS[8]
    props.author = "讲师" + PAYLOADS[10]
    props.keywords = "主题<script>alert(1)</script>，" + PAYLOADS[5]
    document.add_heading("一、要点" + PAYLOADS[0], level=1)
    for payload in PAYLOADS:
        paragraph = document.add_paragraph("正文：")
        paragraph.add_run(payload)
        paragraph.add_run(" 加粗" + payload).bold = True
    document.add_paragraph("列表项" + PAYLOADS[2], style="List Bullet")
    document.add_paragraph("编号项" + PAYLOADS[4], style="List Number")
    document.add_paragraph("# 不是标题" + PAYLOADS[12])
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "表头" + PAYLOADS[1]
    table.cell(0, 1).text = "表头|竖线" + PAYLOADS[6]
    table.cell(1, 0).text = PAYLOADS[9]
    table.cell(1, 1).text = PAYLOADS[13]
    document.save(str(path))


def _csv_powers() -> str:
    header = "事项编码,事项名称,事项类型,承办科室,设定依据,办理流程,申请材料,承诺期限,备注"
    rows = [header]
    for i, payload in enumerate(PAYLOADS, start=1):
        cells = [f"H-{i}", f"事项{i}{payload}", "行政许可", f"科室{payload}",
                 "《中华人民共和国建筑法》第七条", f"流程{payload}", f"材料{payload}", f"5日{payload}",
                 f"备注{payload}"]
        rows.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    rows.append(f'"H-NUL","事项{NUL}","行政许可","甲科","《中华人民共和国建筑法》第八条","","","",""')
    return "\n".join(rows) + "\n"


def _inspections_yaml() -> str:
    items = [{"检查事项编码": f"J-{i}", "检查事项名称": f"检查{i}{payload}", "检查对象": f"对象{payload}",
              "检查依据": ["《中华人民共和国建筑法》第七条"], "检查方式": "双随机抽查", "频次": f"每年{payload}",
              "承办科室": f"科室{payload}", "关联事项编码": "H-1", "备注": payload}
             for i, payload in enumerate(PAYLOADS, start=1)]
    return yaml.safe_dump({"检查事项": items}, allow_unicode=True, sort_keys=False)


def _study_plan() -> str:
    months = [{"month": m, "regulation": "《中华人民共和国建筑法》", "articles": ["第七条"],
               "meeting": f"2026-{m:02d}-10", "presenter": f"领学人{PAYLOADS[m - 1]}",
               "notes": f"要点{PAYLOADS[m - 1]} {PAYLOADS[-m]}"} for m in range(1, 13)]
    return yaml.safe_dump({"year": 2026, "title": "学法计划" + PAYLOADS[8], "months": months},
                          allow_unicode=True, sort_keys=False)


def _policy_notice() -> str:
    """An OA notice whose title, items and attachment list carry payloads (`kb import --policy`)."""
    return "\n".join([
        "海州市住房和城乡建设局文件",
        "海住建规〔2024〕7号",
        "海州市住房和城乡建设局关于印发",
        f"施工许可管理办法{PAYLOADS[3]}的通知",
        "各处室：",
        f"第一条 为规范施工许可{PAYLOADS[0]}，根据《中华人民共和国建筑法》第七条，制定本办法。",
        f"第二条 申请人应当提交材料{PAYLOADS[4]}。",
        f"（一）申请表{PAYLOADS[6]}；",
        "第三条 本办法自2024年6月1日起施行，有效期五年。",
        f"附件：1. 申请表{PAYLOADS[7]}",
        "海州市住房和城乡建设局",
        "2024年5月10日",
    ]) + "\n"


def _declared_list() -> str:
    """A list declared in YAML whose labels, choices and rows carry payloads."""
    rows = [{"编号": f"L-{i}", "事项": f"事项{payload}", "类别": "行政处罚", "科室": f"科室{payload}",
             "依据": ["《中华人民共和国建筑法》第七条"], "说明": payload}
            for i, payload in enumerate(PAYLOADS, start=1)]
    declaration = {
        "title": "恶意清单" + PAYLOADS[5], "description": "说明" + PAYLOADS[9],
        "columns": [
            {"key": "code", "label": "编号", "role": "code"},
            {"key": "name", "label": "事项", "role": "title"},
            {"key": "kind", "label": "类别", "type": "choice", "choices": ["行政处罚"], "filter": True},
            {"key": "dept", "label": "科室", "filter": True},
            {"key": "basis", "label": "依据", "role": "basis"},
            {"key": "note", "label": "说明"},
        ],
        "rows": rows,
    }
    return yaml.safe_dump(declaration, allow_unicode=True, sort_keys=False)


def _discretion_list() -> str:
    """A 裁量基准 (a list with a tiers column) whose acts, 情节 and other sanctions carry payloads:
    its entry pages, tier tables, the 罚则 card and cited-by of the basis article show them."""
    rows = [{"编号": f"CL-{i}", "违法行为": f"未取得施工许可证擅自施工{payload}",
             "处罚依据": ["《中华人民共和国建筑法》第七条"],
             "裁量档次": [{"档次": "轻微", "情节": f"首次发现{payload}", "其他处罚": f"责令改正{payload}"},
                      {"档次": "一般", "情节": payload, "幅度": "不予罚款"}]}
            for i, payload in enumerate(PAYLOADS, start=1)]
    declaration = {
        "title": "恶意裁量基准" + PAYLOADS[0], "adopted": "2025-01-01",
        "columns": [
            {"key": "code", "label": "编号", "role": "code"},
            {"key": "act", "label": "违法行为", "role": "title"},
            {"key": "punish", "label": "处罚依据", "role": "basis"},
            {"key": "tiers", "label": "裁量档次", "type": "tiers", "of": "punish"},
        ],
        "rows": rows,
    }
    return yaml.safe_dump(declaration, allow_unicode=True, sort_keys=False)


@dataclass
class HostileDocs:
    """What was written, for the assertions: the paths of the imported pages."""

    docs: Path
    imported: dict[str, Path] = field(default_factory=dict)


def make_hostile_docs(docs: Path, clean_law: str) -> HostileDocs:
    """Fill ``docs`` through the real commands, plus hostile data files and front matter.

    ``clean_law`` is a well-formed 建筑法 page: the power items and the study plan cite it, so
    their pages are generated with the hostile fields around real citations.
    """
    from kb_tools.cli import main

    sources = docs.parent / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# 首页\n\n<!-- kb:home -->\n", encoding="utf-8")
    (docs / "laws").mkdir(exist_ok=True)
    (docs / "laws/建筑法.md").write_text(clean_law, encoding="utf-8")
    fields = {"title": "中华人民共和国测试" + PAYLOADS[8] + "条例", "level": "行政法规",
              "authority": "国务院" + PAYLOADS[10], "doc_number": "令第1号" + PAYLOADS[0],
              "short_title": "测试条例", "category": ["分类" + PAYLOADS[1], "分类" + PAYLOADS[5]],
              "promulgated": "2010-01-01"}
    head = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    (docs / "laws/测试条例.md").write_text(
        f"---\n{head}---\n\n## 第一章 总则{PAYLOADS[2]}\n\n第一条 本条例{PAYLOADS[0]}。\n", encoding="utf-8")
    runner = CliRunner()
    result = HostileDocs(docs)

    def run(*args: str) -> None:
        outcome = runner.invoke(main, list(args), catch_exceptions=False)
        assert outcome.exit_code == 0, outcome.output

    (sources / "law.txt").write_text(_txt_law(), encoding="utf-8")
    run("import", str(sources / "law.txt"), "--docs-dir", str(docs), "--slug", "危险物品管理办法")
    result.imported["law"] = docs / "laws/危险物品管理办法.md"
    (sources / "old.txt").write_text(_txt_old_version(), encoding="utf-8")
    run("import", str(sources / "old.txt"), "--docs-dir", str(docs), "--version-of", "危险物品管理办法")
    result.imported["version"] = docs / "laws/危险物品管理办法/2015-03-01.md"
    _docx_lecture(sources / "lecture.docx")
    run("import-lecture", str(sources / "lecture.docx"), "--docs-dir", str(docs), "--date", "2026-03-01")
    result.imported["lecture"] = next((docs / "classroom/2026").glob("*.md"))
    (sources / "powers.csv").write_text(_csv_powers(), encoding="utf-8")
    run("import-powers", str(sources / "powers.csv"), "--docs-dir", str(docs))
    result.imported["powers"] = docs / "powers/powers.yaml"
    (docs / "powers/inspections.yaml").write_text(_inspections_yaml(), encoding="utf-8")
    (docs / "study").mkdir(exist_ok=True)
    (docs / "study/2026.yml").write_text(_study_plan(), encoding="utf-8")
    (sources / "notice.txt").write_text(_policy_notice(), encoding="utf-8")
    run("import", str(sources / "notice.txt"), "--docs-dir", str(docs), "--policy")
    result.imported["policy"] = next((docs / "policies").rglob("*.md"))
    (docs / "lists/hostile").mkdir(parents=True, exist_ok=True)
    (docs / "lists/hostile/list.yaml").write_text(_declared_list(), encoding="utf-8")
    (docs / "lists/hostile-discretion").mkdir(parents=True, exist_ok=True)
    (docs / "lists/hostile-discretion/list.yaml").write_text(_discretion_list(), encoding="utf-8")
    return result


@dataclass(frozen=True)
class Live:
    """One piece of markup from a payload that the browser would act on."""

    page: str
    what: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}"


class _Scanner(html.parser.HTMLParser):
    """Collects every element, attribute and URL that a payload could have produced."""

    URL_ATTRS: ClassVar[set[str]] = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster"}

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.found: list[Live] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "alert" in value:
                self.found.append(Live(self.page, f"<{tag} {name}={value!r}>"))
            if name in self.URL_ATTRS and value.strip().lower().replace("\x00", "").startswith(
                    ("javascript:", "vbscript:", "data:text/html")):
                self.found.append(Live(self.page, f"<{tag} {name}={value!r}>"))
            if name == "srcdoc":
                self.found.append(Live(self.page, f"<{tag} srcdoc>"))
        if tag in ("svg", "iframe", "object", "embed") and any("alert" in (v or "") for _, v in attrs):
            self.found.append(Live(self.page, f"<{tag}>"))
        if tag == "img" and any(v == "x" for n, v in attrs if n == "src"):
            self.found.append(Live(self.page, "<img src=x>"))
        if tag == "script":
            self.in_script = True
        if tag == "details" and any(n == "open" for n, _ in attrs) and any(n == "ontoggle" for n, _ in attrs):
            self.found.append(Live(self.page, "<details ontoggle>"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(1)" in data:
            self.found.append(Live(self.page, f"<script>{data[:60]}"))
        if "\x00" in data:
            self.found.append(Live(self.page, "NUL byte in the page"))


def find_live_markup(site: Path) -> list[Live]:
    """Every live payload in every HTML file of a built site."""
    found: list[Live] = []
    for page in sorted(site.rglob("*.html")):
        scanner = _Scanner(str(page.relative_to(site)))
        scanner.feed(page.read_text(encoding="utf-8"))
        scanner.close()
        found += scanner.found
    return found
