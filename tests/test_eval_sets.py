"""The labelled search queries in benchmarks/queries/ (tune.tsv, holdout.tsv).

A label that names no article of a current law page in docs/laws/ would silently count as a miss
for every engine, so every label is resolved here against the pages `kb build` reads; ids and
query texts must be unique across both halves and the shared dev set, so that tuning on one file
never sees a query of another.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from kb_tools.corpus import load_corpus
from kb_tools.search.eval import EvalQuery, read_queries
from tests.conftest import REPO, SHARED, STATUS_DATE

DOCS = REPO / "docs"
QUERIES = REPO / "benchmarks" / "queries"
SETS = {"tune": QUERIES / "tune.tsv", "hold": QUERIES / "holdout.tsv"}
DEV = SHARED / "eval" / "queries-dev.tsv"
HEADER = "id\tquery\trelevant"
MIN_QUERIES = 75


def article_index(docs: Path) -> dict[str, dict[str, str]]:
    """Title -> {article label -> the source line it starts on}, current texts only.

    Labels refer to the current text of each law (older versions live in laws/<slug>/<date>.md
    and are not what a search result points to).
    """
    corpus = load_corpus(docs, dt.date.fromisoformat(STATUS_DATE))
    index: dict[str, dict[str, str]] = {}
    for law in corpus.laws.values():
        if law.version_of is not None:
            continue
        lines = (docs / law.src_path).read_text(encoding="utf-8").splitlines()
        index[law.title] = {a.label: lines[a.line - 1] for a in law.articles}
    return index


def unresolved(queries: list[EvalQuery], index: dict[str, dict[str, str]]) -> list[str]:
    """One line per label that is not an article of a current law page (empty when all resolve)."""
    problems = []
    for query in queries:
        for title, label in query.relevant:
            articles = index.get(title)
            if articles is None:
                problems.append(f"{query.id}: 没有标题为“{title}”的法规页面")
            elif label not in articles:
                problems.append(f"{query.id}: 《{title}》中没有{label}")
            elif not re.match(re.escape(label) + r"[\s\u3000]", articles[label]):
                problems.append(f"{query.id}: 《{title}》{label}所在行不以条号开头")
    return problems


def normalised(text: str) -> str:
    """Query text compared without spacing differences (全角/半角空格、多个空格)."""
    return re.sub(r"[\s\u3000]+", " ", text).strip()


@pytest.fixture(scope="module")
def index() -> dict[str, dict[str, str]]:
    return article_index(DOCS)


@pytest.fixture(scope="module")
def sets() -> dict[str, list[EvalQuery]]:
    return {name: read_queries(path) for name, path in SETS.items()}


@pytest.mark.parametrize("name", sorted(SETS))
def test_file_is_tab_separated_utf8_with_the_dev_header(name):
    raw = SETS[name].read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == HEADER
    assert lines[-1] == "", "file ends with a newline"
    for number, line in enumerate(lines[1:-1], start=2):
        assert line.count("\t") == 2, f"{SETS[name].name}:{number}: expected 3 tab-separated columns"
        assert line == line.strip(), f"{SETS[name].name}:{number}: stray spaces at the ends"


@pytest.mark.parametrize("name", sorted(SETS))
def test_set_is_large_enough_and_ids_are_numbered(name, sets):
    queries = sets[name]
    assert len(queries) >= MIN_QUERIES
    assert [q.id for q in queries] == [f"{name}-{i:03d}" for i in range(1, len(queries) + 1)]
    for query in queries:
        assert query.query.strip(), query.id
        assert len(set(query.relevant)) == len(query.relevant), f"{query.id}: a label is repeated"


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_label_is_an_article_of_a_current_law_page(name, sets, index):
    assert unresolved(sets[name], index) == []


def test_unresolved_labels_are_reported(tmp_path, index):
    path = tmp_path / "q.tsv"
    path.write_text(
        f"{HEADER}\n"
        "x-1\t施工许可\t中华人民共和国建筑法#第八条\n"
        "x-2\t施工许可\t中华人民共和国建筑法#第八百条|建筑法#第八条\n",
        encoding="utf-8",
    )
    assert unresolved(read_queries(path), index) == [
        "x-2: 《中华人民共和国建筑法》中没有第八百条",
        "x-2: 没有标题为“建筑法”的法规页面",
    ]


@pytest.mark.skipif(not DEV.is_file(), reason="needs ../shared/eval/queries-dev.tsv")
def test_ids_and_queries_are_unique_across_both_halves_and_the_dev_set(sets):
    everything = [q for queries in sets.values() for q in queries] + read_queries(DEV)
    ids = Counter(q.id for q in everything)
    texts = Counter(normalised(q.query) for q in everything)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in texts.items() if n > 1] == []


def test_readme_states_the_sizes_of_both_files(sets):
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    for name, path in SETS.items():
        stated = re.search(rf"^\| `{re.escape(path.name)}` \| (\d+) \|", readme, re.M)
        assert stated, f"README.md 没有 {path.name} 的条数"
        assert int(stated.group(1)) == len(sets[name])
