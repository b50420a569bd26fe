"""A sample of the scale corpus goes through the real importer (benchmarks/scale_site.py) cleanly.

The sample holds every awkward case of the 1,510-text set: several versions of one law (one
without a date in its file name, two with the same text date), a law stored twice with
identical content, 民法典 parts, a text without any article, titles that collide once
punctuation is removed, a text whose only date is in its file name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.scale_site import TARBALL, import_scale, kb_config, read_manifest, write_home
from kb_tools.checks import check_docs
from kb_tools.corpus import load_corpus
from kb_tools.frontmatter import load_document
from kb_tools.laws.parser import parse_body
from tests.conftest import STATUS_DATE, read, run_build

SAMPLE = [
    "刑法/刑法修正案（七）.md",  # no 第…条 line at all
    "司法解释/最高人民法院 最高人民检察院关于办理操纵证券、期货市场刑事案件适用法律若干问题的解释(2019-06-27).md",
    "司法解释/最高人民法院、最高人民检察院关于办理操纵证券、期货市场刑事案件适用法律若干问题的解释.md",
    "司法解释/最高人民法院关于审理生态环境损害赔偿案件的若干规定（试行）(2020-12-29).md",
    "司法解释/最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定（一）(2022-03-01).md",
    "司法解释/最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定（一）.md",
    "司法解释/最高人民法院关于适用《民事诉讼法》的解释(2020-12-29).md",
    "司法解释/最高人民法院关于适用《民事诉讼法》的解释(2022-04-01).md",
    "司法解释/最高人民法院关于适用《民事诉讼法》的解释(2022-04-02).md",
    "宪法相关法/全国人民代表大会议事规则(2021-03-11).md",  # 第一条 before 第一章
    "宪法相关法/居民身份证法(2011-10-29).md",
    "行政法/居民身份证法(2011-10-29).md",  # byte-identical copy of the previous one
    "民法典/合同编.md",  # ## 分编 / ### 章 / #### 节
    "民法典/总则.md",
    "民法商法/公司法(2018-10-26).md",
    "民法商法/公司法(2023-12-29).md",
    "行政法规/道路运输条例(2019-03-02).md",
    "行政法规/道路运输条例(2022-03-29).md",
    "行政法规/道路运输条例(2023-07-20).md",
    "部门规章/公安部/道路交通安全违法行为处理程序规定(2020-04-30).md",  # dated only by its file name
]

pytestmark = pytest.mark.skipif(not TARBALL.is_file(), reason=f"scale corpus not found at {TARBALL}")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("scale")
    docs = root / "docs"
    write_home(docs)
    return root, import_scale(docs, SAMPLE)


def test_sample_passes_kb_check_without_errors(imported):
    root, _ = imported
    errors = [p.format() for p in check_docs(root / "docs", STATUS_DATE) if p.is_error]
    assert errors == []


def test_article_counts_match_the_manifest(imported):
    _, result = imported
    expected = {row.path: row.article_lines for row in read_manifest()}
    for member, page in result.pages.items():
        doc, problem = load_document(page, member)
        assert doc is not None, problem
        assert len(parse_body(doc.body).articles) == expected[member], member


def test_duplicates_versions_and_parts(imported):
    root, result = imported
    assert result.duplicates == {"行政法/居民身份证法(2011-10-29).md": "宪法相关法/居民身份证法(2011-10-29).md"}
    assert len(result.pages) == len(SAMPLE) - 1
    corpus = load_corpus(root / "docs")
    company = corpus.laws["公司法"]
    assert company.amended[-1].isoformat() == "2023-12-29"
    assert [v.slug for v in company.versions] == ["公司法/2018-10-26"]
    assert len(corpus.laws["道路运输条例"].versions) == 2
    # Three texts of one interpretation, two of them with the same date in their text.
    interpretation = corpus.laws["最高人民法院关于适用民事诉讼法的解释"]
    assert len(interpretation.versions) == 2
    assert len({v.slug for v in interpretation.versions}) == 2
    # The file without a date in its name is the older text (its content has the older date).
    consumer = corpus.by_name("最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定（一）")
    assert consumer is not None and len(consumer.versions) == 1
    part = corpus.laws["民法典·合同编"]
    assert part.title == "中华人民共和国民法典·合同编"
    assert {d.kind.value for d in part.divisions} >= {"分编", "章"}
    assert not any(h.text.startswith("#") for h in part.history)
    amendment = next(law for law in corpus.laws.values() if law.title.endswith("刑法修正案（七）"))
    assert amendment.articles == () and amendment.preamble
    assert result.pages["部门规章/公安部/道路交通安全违法行为处理程序规定(2020-04-30).md"].is_file()
    traffic = corpus.laws["道路交通安全违法行为处理程序规定"]
    assert traffic.effective is not None and traffic.version_date is not None
    assert traffic.effective <= traffic.version_date


def test_sample_site_builds_and_law_pages_carry_no_law_navigation(imported, tmp_path: Path):
    root, _ = imported
    import yaml

    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(kb_config(root / "docs", tmp_path / "site"), allow_unicode=True),
                      encoding="utf-8")
    site = run_build(config)
    html = read(site, "laws/公司法/index.html")
    assert 'id="article-266"' in html
    # Regulations are not_in_nav: a law page links to no other regulation through the nav.
    nav = html.split('<div class="md-sidebar md-sidebar--primary"', 1)[1].split("</nav>", 1)[0]
    assert "道路运输条例" not in nav and "公司法/2018-10-26" not in nav
    assert (site / "laws/by-year/index.html").is_file()
