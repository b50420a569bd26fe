"""The search thesaurus points at words the statutes really use.

A synonym line ``日常说法 规范用语 …`` makes a search for the everyday word also look for the
statute words. A statute word that no article contains finds nothing and only costs ranking
weight, so every right-hand term of the shipped list (``kb_tools/data/synonyms.txt``) and of the
site's list (``docs/search/synonyms.txt``) must occur in the text of at least one article of
``docs/laws/``. The lists are read with the analyzer's own reader, exactly as search reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest

from kb_tools.corpus import load_corpus
from kb_tools.search.analyzer import (
    DATA_DIR,
    SITE_SYNONYMS,
    analyzer_for,
    default_analyzer,
    normalise,
    read_synonyms,
    read_word_list,
)
from tests.conftest import REPO, STATUS_DATE, write_files

DOCS = REPO / "docs"
SHIPPED = DATA_DIR / "synonyms.txt"
SITE = DOCS / SITE_SYNONYMS
#: The thesaurus covers the bureau's work areas; it must not shrink back to a handful of lines.
MIN_SHIPPED_ENTRIES = 400
MISSING = "这些规范用语在 docs/laws/ 的条文中都没有出现，请改用条文中的说法或删去：\n"


def article_texts(docs_dir: Path) -> list[str]:
    """Normalised text of every article of every regulation page below ``docs_dir/laws``."""
    corpus = load_corpus(docs_dir, dt.date.fromisoformat(STATUS_DATE))
    return [normalise(article.text) for law in corpus.laws.values() for article in law.articles]


def line_numbers(path: Path) -> dict[str, int]:
    """Everyday word -> 1-based line of its first entry (for messages a maintainer can act on)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        parts = line.split()
        if len(parts) >= 2 and not line.lstrip().startswith("#"):
            lines.setdefault(normalise(parts[0]), number)
    return lines


def terms_missing_from(path: Path, texts: Iterable[str]) -> list[str]:
    """``file:line: 日常说法 → 规范用语`` for every statute term that no article contains."""
    if not path.is_file():
        return []
    joined = "\n\u0000".join(texts)  # one search over all articles; the separator occurs in none
    lines = line_numbers(path)
    offenders = []
    for everyday, formal in read_synonyms(path).items():
        for term in formal:
            if term not in joined:
                offenders.append(f"{path.name}:{lines.get(everyday, 0)}: {everyday} → {term}")
    return offenders


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return article_texts(DOCS)


def test_every_statute_term_of_the_shipped_thesaurus_occurs_in_an_article(texts):
    offenders = terms_missing_from(SHIPPED, texts)
    assert not offenders, MISSING + "\n".join(offenders)


def test_every_statute_term_of_the_site_thesaurus_occurs_in_an_article(texts):
    offenders = terms_missing_from(SITE, texts)
    assert not offenders, MISSING + "\n".join(offenders)


def test_the_check_names_each_term_no_article_contains(tmp_path):
    # A real (tiny) corpus and list: the check must catch what it is there to catch.
    write_files(tmp_path, {
        "docs/laws/测试条例.md": """
            ---
            title: 测试条例
            level: 地方性法规
            promulgated: 2020-01-01
            effective: 2020-01-01
            ---

            第一条 房地产开发企业应当按期交付商品房。

            第二条 物业服务企业应当公示收费项目。
            """,
        "docs/search/synonyms.txt": "# 注释\n开发商 房地产开发企业 开发公司\n物业公司 物业服务企业\n甲方 建设单位\n",
    })
    docs = tmp_path / "docs"
    offenders = terms_missing_from(docs / SITE_SYNONYMS, article_texts(docs))
    assert offenders == ["synonyms.txt:2: 开发商 → 开发公司", "synonyms.txt:4: 甲方 → 建设单位"]


def test_the_shipped_thesaurus_covers_the_work_areas_with_one_line_per_everyday_word():
    entries = [line.split() for line in read_word_list(SHIPPED)]
    assert len(entries) >= MIN_SHIPPED_ENTRIES
    assert all(len(parts) >= 2 for parts in entries), "每行至少要有日常说法和一个规范用语"
    words = [normalise(parts[0]) for parts in entries]
    repeated = sorted({w for w in words if words.count(w) > 1})
    assert not repeated, "同一个日常说法只写一行（多个规范用语写在同一行）：" + "、".join(repeated)
    pointless = [parts[0] for parts in entries if parts[0] in parts[1:]]
    assert not pointless, "规范用语与日常说法相同，这一行没有作用：" + "、".join(pointless)
    areas = [line for line in SHIPPED.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert len(areas) >= 25  # grouped under a `# 区域` header per work area


def test_every_everyday_word_typed_alone_brings_its_statute_terms_whole():
    # The word must be recognised as one word in a query, and each statute term must come out
    # as one token, as the index cuts it (the analyzer puts both into the segmenter's dictionary;
    # a term that is still cut needs a line in kb_tools/data/userdict.txt).
    analyzer = default_analyzer()
    missing = []
    for everyday, formal in read_synonyms(SHIPPED).items():
        terms = set(analyzer.query_terms(everyday))
        missing += [f"{everyday} → {term}" for term in formal if term not in terms]
    assert not missing, "查询这些日常说法时没有得到完整的规范用语：\n" + "\n".join(missing)


def test_site_synonyms_apply_on_top_of_the_shipped_thesaurus(tmp_path):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "synonyms.txt").write_text("煤气 液化石油气\n", encoding="utf-8")
    terms = analyzer_for(tmp_path).query_terms("煤气")
    assert "燃气" in terms and "液化石油气" in terms  # shipped and site terms together
