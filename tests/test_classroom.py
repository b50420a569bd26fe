"""法治大讲堂: lecture loading and checks, the generated indexes, cited-by links and the Atom feed."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from kb_tools.checks import check_docs
from tests.conftest import make_config, read, run_build, write_files
from tests.test_study import PENALTY_LAW

ATOM = "{http://www.w3.org/2005/Atom}"


def tiny_pdf(text: str = "slides") -> bytes:
    """A minimal but well-formed one-page PDF (correct xref offsets), as slides beside a lecture."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PROCEDURE = """
---
title: 行政处罚程序要点
lecturer: 甲
date: 2026-03-20
hours: 2
audience: 执法人员
topics: [行政处罚, 执法程序]
attachments: [程序-课件.pdf]
---

## 一、告知

作出决定之前必须告知（《中华人民共和国行政处罚法》第三条），并听取陈述申辩（第四条）。

## 二、听证

听证按法定程序组织（第五条）。
"""

PETITIONS = """
---
title: 信访工作
lecturer: 乙
date: 2026-07-24
hours: 1.5
audience: 信访联络员
topics: [信访工作]
---

本讲介绍信访事项的分类处理。

依照《中华人民共和国行政处罚法》第二条，公正、公开。
"""

OLD = """
---
title: 去年的讲座
lecturer: 甲
date: 2025-06-01
hours: 4
topics: [行政处罚]
summary: 一份较早的讲稿。
---

正文。
"""

FILES = {
    "index.md": "# 首页\n",
    "laws/行政处罚法.md": PENALTY_LAW,
    "classroom/2026/程序.md": PROCEDURE,
    "classroom/2026/程序-课件.pdf": tiny_pdf(),
    "classroom/2026/信访.md": PETITIONS,
    "classroom/2025/去年的讲座.md": OLD,
}


def build(root: Path, files: dict[str, str | bytes] = FILES, extra: dict | None = None, **options: object) -> Path:
    write_files(root / "docs", files)
    # No search index: these tests look at the classroom pages only, and the index is the slow part.
    options = {"classroom_hours_target": 4, "search_index": False, **options}
    return run_build(make_config(root, options, **(extra or {})))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("classroom"))


def flat(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


def hrefs(html: str) -> list[str]:
    return [unquote(h) for h in re.findall(r'href="([^"]*)"', html)]


def test_index_groups_by_year_with_hours_against_the_configured_target(site):
    html = flat(read(site, "classroom/index.html"))
    assert "2026年（2 讲，3.5 课时）" in html
    assert "2025年（1 讲，4 课时）" in html
    assert html.index("2026年（2 讲") < html.index("2025年（1 讲")
    assert "累计 <strong>3.5</strong> 课时 / 年度目标 4 课时（88%），尚差 0.5 课时。" in html
    assert "累计 <strong>4</strong> 课时 / 年度目标 4 课时（100%），已完成年度目标。" in html
    assert "每年不少于 4 课时" in html
    assert {"2026/程序/", "2026/信访/", "2025/去年的讲座/", "feed.xml"} <= set(hrefs(html))


def test_target_defaults_to_eight_hours(tmp_path):
    write_files(tmp_path / "docs", FILES)
    site = run_build(make_config(tmp_path, {"search_index": False}))
    html = read(site, "classroom/index.html")
    assert "累计 <strong>3.5</strong> 课时 / 年度目标 8 课时（44%），尚差 4.5 课时。" in html


def test_per_lecturer_and_per_topic_pages(site):
    by_lecturer = read(site, "classroom/by-lecturer/index.html")
    assert "甲（2 讲，6 课时）" in by_lecturer and "乙（1 讲，1.5 课时）" in by_lecturer
    by_topic = read(site, "classroom/by-topic/index.html")
    assert "行政处罚（2 讲，6 课时）" in by_topic
    assert "执法程序（1 讲，2 课时）" in by_topic
    assert "信访工作（1 讲，1.5 课时）" in by_topic
    assert "../2026/程序/" in hrefs(by_topic)


def test_lecture_page_shows_facts_attachments_and_cited_articles(site):
    html = flat(read(site, "classroom/2026/程序/index.html"))
    assert "<dt>主讲人</dt><dd>甲</dd>" in html
    assert "<dt>课时</dt><dd>2</dd>" in html
    assert "<dt>主题</dt><dd>行政处罚、执法程序</dd>" in html
    assert "../程序-课件.pdf" in hrefs(html)
    assert (site / "classroom/2026/程序-课件.pdf").read_bytes().startswith(b"%PDF-")
    body = html[:html.index('id="cited-articles"')]
    # In the text, 第四条 (after the named regulation) becomes a link too; 第五条 stays text.
    assert re.search(r'<a[^>]*href="../../../laws/[^"]*/#article-4"[^>]*>第四条</a>', unquote(body))
    assert "（第五条）" in body
    cited = html[html.index('id="cited-articles"'):]
    links = hrefs(cited)
    # 第四条 follows the named regulation in the same section without repeating its title.
    for number in (3, 4):
        assert f"../../../laws/行政处罚法/#article-{number}" in links
    # 第五条 stands in a section that names no regulation: it is not attributed to one.
    assert "#article-5" not in " ".join(links)
    assert "#article-2" not in " ".join(links)


def test_cited_articles_list_the_lecture_back(site):
    html = read(site, "laws/行政处罚法/index.html")
    fourth = html[html.index('id="article-4"'):html.index('id="article-5"')]
    assert "讲堂" in fourth and "行政处罚程序要点" in fourth
    assert "../../classroom/2026/程序/" in hrefs(fourth)
    second = html[html.index('id="article-2"'):html.index('id="article-3"')]
    assert "信访工作" in second
    first = html[html.index('id="article-1"'):html.index('id="article-2"')]
    assert "讲堂" not in first


def parse_feed(site: Path) -> ET.Element:
    root = ET.fromstring((site / "classroom/feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    return root


def test_feed_is_atom_with_relative_links_without_site_url(site):
    root = parse_feed(site)
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}").text
    assert root.find(f"{ATOM}updated").text == "2026-07-24T00:00:00+08:00"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["信访工作", "行政处罚程序要点", "去年的讲座"]
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 3 and all(i.startswith("urn:uuid:") for i in ids)
    for entry in entries:
        dt.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert not link.startswith(("http", "/"))
        assert (site / "classroom" / link / "index.html").is_file()  # resolves against the feed's folder
    first = entries[0]
    assert first.find(f"{ATOM}summary").text.startswith("本讲介绍信访事项的分类处理。")
    assert [c.get("term") for c in entries[1].findall(f"{ATOM}category")] == ["行政处罚", "执法程序"]
    assert root.find(f"{ATOM}link[@rel='self']") is None


def test_feed_links_are_absolute_with_site_url(tmp_path, site):
    other = build(tmp_path, extra={"site_url": "https://kb.example.gov.cn/zjj/"})
    root = parse_feed(other)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://kb.example.gov.cn/zjj/classroom/feed.xml"
    links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    assert links[0] == "https://kb.example.gov.cn/zjj/classroom/2026/信访/"
    # Entry ids do not depend on where the site is published.
    assert [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")] == \
        [e.find(f"{ATOM}id").text for e in parse_feed(site).findall(f"{ATOM}entry")]


def test_check_reports_lecture_problems(tmp_path):
    write_files(tmp_path, {
        "laws/行政处罚法.md": PENALTY_LAW,
        "classroom/2026/无课时.md": "---\ntitle: 无课时\nlecturer: 甲\ndate: 2026-01-05\n---\n正文\n",
        "classroom/2026/坏附件.md": ("---\ntitle: 坏附件\nlecturer: 甲\ndate: 2026-01-05\nhours: 2\n"
                                  "attachments: [不存在.pdf]\n---\n\n见《中华人民共和国行政处罚法》第三条。\n\n"
                                  "又见第九十九条。\n\n再见《中华人民共和国行政处罚法》第八十条。\n"),
        "classroom/2026/坏日期.md": "---\ntitle: 坏日期\nlecturer: 甲\ndate: 2026-13-05\nhours: two\n---\n正文\n",
    })
    problems = [p for p in check_docs(tmp_path, "2026-11-26") if p.path.startswith("classroom/")]
    found = {(p.path, p.line, p.code) for p in problems}
    assert ("classroom/2026/无课时.md", 1, "missing-key") in found
    assert ("classroom/2026/坏附件.md", 6, "lecture-missing-attachment") in found
    assert ("classroom/2026/坏附件.md", 11, "citation-missing-article") in found
    assert ("classroom/2026/坏日期.md", 4, "bad-value") in found
    assert ("classroom/2026/坏日期.md", 5, "bad-value") in found
    assert ("classroom/2026/坏附件.md", 13, "citation-missing-article") in found
    missing = [p for p in problems if p.code == "citation-missing-article"]
    assert len(missing) == 2  # reported once each, though the citation checker sees the titled one too
    assert missing[0].is_error and "第九十九条不存在" in missing[0].message
    assert all(p.is_error for p in problems)


def test_sample_lectures_are_clean_and_substantive():
    from kb_tools.corpus import load_corpus
    from kb_tools.features import default_features

    docs = Path(__file__).resolve().parent.parent / "docs"
    corpus = load_corpus(docs, dt.date(2026, 11, 26), features=default_features())
    assert [p for p in corpus.problems if p.path.startswith("classroom/")] == []
    lectures = corpus.lectures
    assert len(lectures) >= 4
    for lecture in lectures:
        body = (docs / lecture.src_uri).read_text(encoding="utf-8").split("---", 2)[2]
        assert 800 <= len("".join(body.split())) <= 1600, lecture.src_uri
        assert lecture.cited and all(c.article is not None for c in lecture.cited if c.law.slug == "行政处罚法")
        for name in lecture.attachments:
            assert (docs / lecture.folder / name).read_bytes().startswith(b"%PDF-")
    topics = {t for lec in lectures for t in lec.topics}
    assert {"行政处罚", "现场执法", "信访工作", "规范性文件"} <= topics


def test_private_lecture_and_its_slides_stay_out_of_a_public_build(tmp_path):
    private = PETITIONS.replace("hours: 1.5", "hours: 1.5\npublic: false\nattachments: [信访-课件.pdf]")
    private += "\n![流程](信访-流程.png)\n"
    files = {**FILES, "classroom/2026/信访.md": private, "classroom/2026/信访-课件.pdf": tiny_pdf("private"),
             "classroom/2026/信访-流程.png": b"\x89PNG\r\n\x1a\n"}
    site = build(tmp_path, files, public_build=True)
    assert not (site / "classroom/2026/信访").exists()
    assert not (site / "classroom/2026/信访-课件.pdf").exists()
    assert not (site / "classroom/2026/信访-流程.png").exists()
    assert (site / "classroom/2026/程序-课件.pdf").exists()
    assert "信访工作" not in read(site, "classroom/index.html")
    assert "信访工作" not in read(site, "classroom/feed.xml")
    assert "2026年（1 讲，2 课时）" in read(site, "classroom/index.html")


def test_a_draft_is_off_the_site_and_an_announced_lecture_is_not_counted(tmp_path):
    from click.testing import CliRunner

    from kb_tools.cli import main

    docs = tmp_path / "docs"
    write_files(docs, FILES)
    result = CliRunner().invoke(main, ["new", "lecture", "测试讲座", "--docs-dir", str(docs), "--date", "2026-12-20",
                                       "--hours", "6"])
    assert result.exit_code == 0, result.output
    site = build(tmp_path, {})
    index = read(site, "classroom/index.html")
    assert "测试讲座" not in index and not (site / "classroom/2026/测试讲座/index.html").exists()
    assert "2026年（2 讲，3.5 课时）" in index  # the draft's 6 hours are not counted
    # The trainer removes `draft: true`; the date is still ahead: shown as 预告, not counted.
    page = docs / "classroom/2026/测试讲座.md"
    page.write_text(page.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    site = build(tmp_path, {})
    index = read(site, "classroom/index.html")
    assert "测试讲座" in index and "预告" in index
    assert "2026年（2 讲，3.5 课时，另有预告 1 讲）" in index
    year = index[index.index('id="year-2026"'):index.index('id="year-2025"')]
    assert "尚差 0.5 课时" in year and "已完成年度目标" not in year  # 3.5 of 4 hours held
    assert "本讲尚未举办" in read(site, "classroom/2026/测试讲座/index.html")


def test_bare_article_in_a_table_row_links_to_the_law_named_in_an_earlier_row(tmp_path):
    lecture = (
        "---\ntitle: 表格讲稿\nlecturer: 甲\ndate: 2026-03-20\nhours: 2\n---\n\n## 一、依据\n\n"
        "| 事项 | 依据 |\n|---|---|\n| 告知 | 《中华人民共和国行政处罚法》第三条 |\n| 申辩 | 第四条 |\n"
    )
    files = {"index.md": "# 首页\n", "laws/行政处罚法.md": PENALTY_LAW, "classroom/2026/表格.md": lecture}
    site = build(tmp_path, files)
    html = read(site, "classroom/2026/表格/index.html")
    cell = html[html.index("申辩"):]
    cell = cell[:cell.index("</tr>")]
    assert "#article-4" in unquote(cell), cell


def test_pages_link_the_feed_in_their_head(site):
    for page in ("index.html", "classroom/index.html", "classroom/2026/程序/index.html"):
        html = read(site, page)
        head = html[:html.index("</head>")]
        link = re.search(r'<link rel="alternate feed" type="application/atom\+xml"[^>]*href="([^"]+)"', head)
        assert link, page
        assert urljoin("http://kb.local/" + page, link.group(1)) == "http://kb.local/classroom/feed.xml", page


def test_feed_link_resolves_on_the_404_page_and_is_no_language_alternate(site):
    """The 404 page is served at any depth, so its feed link is root-absolute, never ``//classroom``
    (a host name); and no link is exactly ``rel="alternate"``, which Material's script takes for a
    language version and fetches a ``sitemap.xml`` beside (a 404 on every page)."""
    head = read(site, "404.html").split("</head>")[0]
    assert 'href="/classroom/feed.xml"' in head, head
    for page in ("index.html", "404.html", "classroom/index.html"):
        assert 'rel="alternate"' not in read(site, page), page
