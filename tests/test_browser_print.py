"""A reading pack printed to PDF through chromium: A4, one sheet per section, no navigation chrome."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import make_config, run_build, write_files
from tests.test_study import PENALTY_LAW, PLAN

CHROMIUM = "/usr/bin/chromium"
#: Labels that only the site's navigation shows (site name, tabs, sidebar, search, footer).
NAV_LABELS = ["测试站点", "首页", "学法计划", "法治大讲堂", "搜索", "Material for MkDocs"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("print")
    write_files(root / "docs", {"index.md": "# 首页\n", "laws/行政处罚法.md": PENALTY_LAW, "study/2026.yml": PLAN})
    theme = {"name": "material", "language": "zh", "font": False,
             "features": ["navigation.tabs", "navigation.sections"]}
    nav = [{"首页": "index.md"}, {"学法计划": ["study/index.md", {"2026年": "study/2026/index.md"}]}]
    return run_build(make_config(root, {"search_index": False}, theme=theme, nav=nav))


def page_count(pdf: Path) -> int:
    """Pages of a PDF: pdfinfo (poppler-utils) when present, else the /Type /Page objects."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def page_size(pdf: Path) -> tuple[float, float] | None:
    if not shutil.which("pdfinfo"):
        return None
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return float(match.group(1)), float(match.group(2))


def test_reading_pack_prints_on_a4_without_navigation(site, tmp_path, browser):
    pdf = tmp_path / "pack.pdf"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((site / "study/2026/01/index.html").as_uri())
        chrome = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"]
        # On screen the navigation is there (so the checks below can fail)…
        assert all(page.locator(sel).first.is_visible() for sel in chrome)
        assert page.locator(".kb-pack-actions button").is_visible()
        # …and in print it is gone, with the print button.
        page.emulate_media(media="print")
        for sel in [*chrome, ".md-sidebar--secondary", ".kb-pack-actions button", ".kb-pack-source"]:
            assert not page.locator(sel).first.is_visible(), sel
        assert page.locator(".kb-pack-article").first.is_visible()
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    finally:
        page.close()

    # The cover shares its sheet with the focus articles; the study record has a sheet of its own.
    assert page_count(pdf) == 2
    size = page_size(pdf)
    if size is not None:
        assert abs(size[0] - 595) < 2 and abs(size[1] - 842) < 2
    pages = pdf_pages(pdf, 2)
    assert "会前学法" in pages[0] and "预计阅读" in pages[0]
    assert "行政机关不得因当事人陈述、申辩而给予更重的处罚。" in pages[0]
    assert "学习体会" in pages[1]
    for number, text in enumerate(pages, 1):  # every sheet says what it is, when, and which sheet
        assert "住房和城乡建设局·2026年1月会前学法" in text, number
        assert "学法会：2026年1月13日（星期二）" in text, number
        assert f"第{number}页/共2页" in text, number
    text = "".join(pages)
    for label in NAV_LABELS:
        assert label not in text, label
    assert "（file://" in text and "laws/行政处罚法/" in text  # the link's address, after its text


def pdf_pages(pdf: Path, count: int) -> list[str]:
    """The text of each page, white space removed (pdftotext, from poppler-utils)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF text; scripts/test.sh installs it")
    pages = []
    for number in range(1, count + 1):
        out = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
        pages.append("".join(out.split()))
    return pages


def test_a_regulation_prints_its_title_status_and_page_numbers_without_cited_by(site, tmp_path, browser):
    pdf = tmp_path / "law.pdf"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((site / "laws/行政处罚法/index.html").as_uri())
        assert page.locator(".kb-cited-by").first.is_visible()  # the reading pack cites its articles
        assert page.locator(".kb-copy").first.is_visible()
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    count = page_count(pdf)
    pages = pdf_pages(pdf, count)
    for number, text in enumerate(pages, 1):
        assert "《中华人民共和国行政处罚法》" in text and "时效性：有效" in text, number
        assert f"第{number}页/共{count}页" in text, number
    text = "".join(pages)
    assert "被引用" not in text and "复制引用" not in text
    for label in NAV_LABELS:
        assert label not in text, label
