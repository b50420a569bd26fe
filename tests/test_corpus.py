"""The imported corpus in docs/laws: complete, exact article counts, clean `kb check`, stable
addresses, and exactly what `kb import` produces from ../shared/corpus."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from kb_tools.checks import check_docs
from kb_tools.corpus import load_corpus
from kb_tools.importing.batch import import_manifest
from kb_tools.laws.names import slug_for_title
from kb_tools.model import Level, Status
from tests.conftest import CORPUS, REPO, STATUS_DATE

DOCS = REPO / "docs"
TODAY = dt.date.fromisoformat(STATUS_DATE)

pytestmark = pytest.mark.skipif(not (CORPUS / "manifest.tsv").is_file(), reason="../shared/corpus not present")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DOCS, TODAY)


def manifest(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_corpus_text_is_a_page_with_the_documented_article_count(corpus):
    """The corpus README: 91 current documents (26 法律, 35 行政法规, 12 司法解释, 18 地方性法规), 5,117 articles."""
    rows = manifest("manifest.tsv")
    laws = [corpus.by_name(row["title"]) for row in rows]
    assert None not in laws
    assert len(laws) == 91
    assert sum(len(law.articles) for law in laws) == 5117
    levels = {level: sum(1 for law in laws if law.level is level) for level in Level}
    assert (levels[Level.LAW], levels[Level.ADMINISTRATIVE_REGULATION], levels[Level.JUDICIAL_INTERPRETATION],
            levels[Level.LOCAL_REGULATION]) == (26, 35, 12, 18)
    for row, law in zip(rows, laws, strict=True):
        assert law.level.value == row["level"], law.title


def test_versions_become_the_history_of_their_regulation(corpus):
    older = {law.slug: law.version_of for law in corpus.laws.values() if law.version_of}
    assert older == {
        "文物保护法/2017-11-04": "文物保护法",
        "突发事件应对法/2007-08-30": "突发事件应对法",
        "立法法/2015-03-15": "立法法",
        "行政复议法/2017-09-01": "行政复议法",
    }
    assert [v.slug for v in corpus.laws["行政复议法"].versions] == ["行政复议法/2017-09-01"]
    assert corpus.status(corpus.laws["行政复议法/2017-09-01"]) is Status.AMENDED
    replaced = {law.title: (law.successor, law.repealed) for law in corpus.laws.values() if law.successor}
    assert replaced == {
        "信访条例": ("信访工作条例", dt.date(2022, 5, 1)),
        "法规规章备案条例": ("法规规章备案审查条例", dt.date(2024, 11, 1)),
    }
    assert corpus.status(corpus.laws["信访条例"]) is Status.REPEALED


def test_kb_check_reports_no_errors_on_docs():
    problems = check_docs(DOCS, STATUS_DATE)
    assert [p.format() for p in problems if p.is_error] == []


def test_addresses_are_short_ascii_and_unique(corpus):
    for law in corpus.laws.values():
        anchors = [a.anchor for a in law.articles] + [d.anchor for d in law.divisions]
        assert len(anchors) == len(set(anchors)), law.slug
        for anchor in anchors:
            assert re.fullmatch(r"[a-z]+(-[a-z]+)?(-\d+)+(-[a-z]+-\d+)*", anchor), (law.slug, anchor)
        assert law.url == f"laws/{law.slug}/"
        if law.version_of is None:
            assert law.slug == slug_for_title(law.title)


def test_articles_are_numbered_without_gaps(corpus):
    """Every regulation's articles run 1, 2, 3 … (之一 articles aside) — the parser lost none."""
    for law in corpus.laws.values():
        numbers = [a.number for a in law.articles if not a.suffix]
        assert numbers == list(range(1, len(numbers) + 1)), law.slug


@pytest.mark.parametrize(("name", "title"), [
    ("建筑法", "中华人民共和国建筑法"),
    ("《中华人民共和国行政许可法》", "中华人民共和国行政许可法"),
    ("行政诉讼法", "中华人民共和国行政诉讼法"),
    ("物业管理条例", "物业管理条例"),
])
def test_regulations_are_found_by_the_names_people_use(corpus, name, title):
    assert corpus.by_name(name).title == title


def test_docs_laws_is_exactly_what_kb_import_makes(tmp_path: Path):
    """Re-importing the corpus gives byte-identical pages: docs/laws is reproducible from ../shared/corpus."""
    import_manifest(CORPUS / "manifest.tsv", tmp_path)
    import_manifest(CORPUS / "versions.tsv", tmp_path)
    made = {p.relative_to(tmp_path / "laws").as_posix(): p.read_bytes() for p in (tmp_path / "laws").rglob("*.md")}
    kept = {p.relative_to(DOCS / "laws").as_posix(): p.read_bytes() for p in (DOCS / "laws").rglob("*.md")
            if p.name != "index.md"}
    assert sorted(made) == sorted(kept)
    differing = [name for name in made if made[name] != kept[name]]
    assert differing == []
