"""Imported and data-file text never runs: the hostile corpus through every importer and page kind."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from kb_tools.text import html_text, md_text
from tests.conftest import BUILDING_LAW, make_config, read, run_build
from tests.hostile import NUL, PAYLOADS, find_live_markup, make_hostile_docs


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    hostile = make_hostile_docs(root / "docs", BUILDING_LAW)
    site = run_build(make_config(root, {"atomic_output": False}))
    site.joinpath("..", "imported.txt").write_text(
        "\n".join(f"{k}={v}" for k, v in hostile.imported.items()), encoding="utf-8")
    return site


def _text(page: str) -> str:
    """The visible text of a page: tags dropped, character references decoded."""
    page = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_no_payload_is_live_on_any_page(hostile_site):
    pages = {str(p.relative_to(hostile_site)) for p in hostile_site.rglob("index.html")}
    # every page kind is there, so the scan below covers them
    for expected in ("laws/危险物品管理办法/index.html", "laws/危险物品管理办法/2015-03-01/index.html",
                     "laws/测试条例/index.html", "laws/by-category/index.html", "laws/by-authority/index.html",
                     "powers/items/H-1/index.html", "powers/list/index.html", "powers/inspections/index.html",
                     "study/2026/index.html", "study/2026/01/index.html", "classroom/index.html", "index.html",
                     "policies/index.html", "lists/index.html", "lists/hostile/index.html",
                     "lists/hostile/items/L-1/index.html", "lists/hostile-discretion/index.html",
                     "lists/hostile-discretion/items/CL-1/index.html", "search/index.html"):
        assert expected in pages, expected
    assert any(p.startswith("powers/inspection-items/") for p in pages)
    assert any(p.startswith("policies/2024/") for p in pages)
    assert any(p.startswith("classroom/2026/") for p in pages)
    assert [str(live) for live in find_live_markup(hostile_site)] == []


def test_hostile_text_stays_readable(hostile_site):
    law = read(hostile_site, "laws/危险物品管理办法/index.html")
    assert "第一章 总则<script>alert(1)</script>" in _text(law)
    assert "[点我](javascript:alert(1))" in _text(law)
    title = re.search(r"<title>(.*?)</title>", read(hostile_site, "laws/测试条例/index.html"), re.S).group(1)
    assert html.unescape(title).startswith("中华人民共和国测试</title><script>alert(1)</script>条例")
    lecture = next(p for p in (hostile_site / "classroom/2026").rglob("index.html"))
    text = _text(lecture.read_text(encoding="utf-8"))
    for payload in PAYLOADS[:9]:
        assert payload in text, payload
    assert "&lt;b&gt;已转义&amp;" in text  # text that looks escaped is shown as written, not decoded
    power = _text(read(hostile_site, "powers/items/H-9/index.html"))
    assert "事项9</title><script>alert(1)</script>" in power
    assert "空字节" in _text(read(hostile_site, "powers/list/index.html"))
    entry = _text(read(hostile_site, "lists/hostile-discretion/items/CL-1/index.html"))
    assert "首次发现<script>alert(1)</script>" in entry and "责令改正<script>alert(1)</script>" in entry
    law = _text(read(hostile_site, "laws/建筑法/index.html"))  # the basis article lists the entries
    assert "未取得施工许可证擅自施工<img src=x onerror=alert(1)>" in law


def test_imported_lecture_markdown_carries_no_html(hostile_site):
    paths = dict(line.split("=", 1) for line in
                 (hostile_site.parent / "imported.txt").read_text(encoding="utf-8").splitlines())
    body = Path(paths["lecture"]).read_text(encoding="utf-8").split("---\n", 2)[2]
    assert re.findall(r"<(?!br>)", body) == []
    assert "](javascript" not in body.replace("\\](", "")
    assert "\x00" not in body
    for key in ("law", "version", "powers"):
        assert "\x00" not in Path(paths[key]).read_text(encoding="utf-8")
    assert NUL.replace("\x00", "") in Path(paths["law"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escapers_leave_no_markup(payload):
    import markdown

    rendered = markdown.markdown(f"# {md_text(payload)}\n\n| {md_text(payload)} |\n|---|\n| x |\n\n"
                                 f"[{md_text(payload)}](a.md)\n",
                                 extensions=["tables", "attr_list", "md_in_html", "toc"])
    assert not find_live_markup_in(rendered)
    assert html.unescape(re.sub(r"<[^>]+>", "", html_text(payload))) == payload


def find_live_markup_in(fragment: str) -> list[str]:
    from tests.hostile import _Scanner

    scanner = _Scanner("fragment")
    scanner.feed(fragment)
    scanner.close()
    return [str(live) for live in scanner.found]


def test_every_exported_workbook_holds_the_payloads_as_text(hostile_site):
    """The .xlsx exports (``kb_tools.xlsx`` writes the XML itself): valid workbooks whatever the
    data files held, no cell a formula, no control character, the payloads readable as text."""
    import io

    from openpyxl import load_workbook

    books = sorted(hostile_site.rglob("*.xlsx"))
    assert {p.relative_to(hostile_site).parts[0] for p in books} >= {"powers", "lists", "policies"}
    texts: list[str] = []
    for path in books:
        sheet = load_workbook(io.BytesIO(path.read_bytes())).active
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (path.name, cell.coordinate)
                    assert not cell.value.startswith(("=", "+", "-", "@")), (path.name, cell.value)
                    assert NUL not in cell.value and "\x00" not in cell.value
                    texts.append(cell.value)
    joined = "\n".join(texts)
    kept = [payload for payload in PAYLOADS if payload in joined]
    assert len(kept) >= 3, kept  # markup payloads come back character for character, as text
