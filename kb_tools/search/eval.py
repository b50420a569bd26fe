"""Search quality: Recall@1/5/10 and MRR@10 at article granularity over a labelled query file.

The query file is the TSV of ``../shared/eval/`` (``id``, ``query``, ``relevant`` =
``<title>#<第N条>|…``). A result counts when it points to one of the labelled articles;
several results inside one article count once, non-article results are skipped.

Engines are plugged in through :data:`ENGINES`: ``name -> factory(context) -> engine`` where an
engine is ``callable(query, limit) -> list[(title, article_label)]``. The whoosh engine is
registered here; the static (browser) engine registers itself from its own module.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Engine = Callable[[str, int], list[tuple[str, str | None]]]
EngineFactory = Callable[["EvalContext"], Engine]

#: Engines by name; other modules add theirs (e.g. ``ENGINES["static"] = make_static_engine``).
ENGINES: dict[str, EngineFactory] = {}
#: Modules imported before an engine is looked up, so that they can register themselves.
ENGINE_MODULES = {"static": "kb_tools.search.static_eval"}
KS = (1, 5, 10)


@dataclass
class EvalContext:
    """What an engine factory may need: where the docs, the index and the built site are."""

    docs_dir: Path
    index_dir: Path
    site_dir: Path | None = None
    status_date: Any = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvalQuery:
    """One labelled query."""

    id: str
    query: str
    relevant: tuple[tuple[str, str], ...]


@dataclass
class QueryResult:
    """What the engine returned for one query and how it scored."""

    query: EvalQuery
    found: list[tuple[str, str]]
    recall: dict[int, float]
    reciprocal_rank: float

    @property
    def first_hit(self) -> int | None:
        """1-based rank of the first relevant article, or None."""
        return round(1 / self.reciprocal_rank) if self.reciprocal_rank else None


@dataclass
class Report:
    """Averages over all queries, and each query's result (misses are listed from these)."""

    engine: str
    results: list[QueryResult]

    @property
    def recall(self) -> dict[int, float]:
        n = len(self.results) or 1
        return {k: sum(r.recall[k] for r in self.results) / n for k in KS}

    @property
    def mrr(self) -> float:
        return sum(r.reciprocal_rank for r in self.results) / (len(self.results) or 1)

    def misses(self, k: int = 5) -> list[QueryResult]:
        """Queries with a labelled article outside the top ``k``."""
        return [r for r in self.results if r.recall[k] < 1.0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine, "queries": len(self.results),
            **{f"recall@{k}": round(v, 4) for k, v in self.recall.items()}, "mrr@10": round(self.mrr, 4),
            "misses": [{"id": r.query.id, "query": r.query.query,
                        "relevant": ["#".join(x) for x in r.query.relevant],
                        "first_hit": r.first_hit, "top5": ["#".join(x) for x in r.found[:5]]}
                       for r in self.misses()],
        }


def read_queries(path: Path) -> list[EvalQuery]:
    """Read the TSV; raises ValueError with the line number on a malformed row."""
    queries = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"id", "query", "relevant"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path} 缺少列：{'、'.join(sorted(missing))}（应为 id, query, relevant）。")
        for line, row in enumerate(reader, start=2):
            labels = []
            for item in (row.get("relevant") or "").split("|"):
                title, sep, article = item.strip().partition("#")
                if not sep or not title or not article:
                    raise ValueError(f"{path}:{line}: relevant 列应为“标题#第N条”，实际是“{item}”。")
                labels.append((title.strip(), article.strip()))
            queries.append(EvalQuery(row["id"], row["query"], tuple(labels)))
    return queries


def distinct_articles(results: list[tuple[str, str | None]], k: int) -> list[tuple[str, str]]:
    """The first ``k`` distinct articles among results (non-article results skipped)."""
    seen: list[tuple[str, str]] = []
    for title, article in results:
        if not article or (title, article) in seen:
            continue
        seen.append((title, article))
        if len(seen) == k:
            break
    return seen


def evaluate(engine: Engine, queries: list[EvalQuery], name: str = "whoosh") -> Report:
    """Run every query (top 10 distinct articles) and score it."""
    results = []
    for q in queries:
        found = distinct_articles(engine(q.query, 30), 10)
        relevant = set(q.relevant)
        recall = {k: len(relevant & set(found[:k])) / len(relevant) for k in KS}
        rr = next((1 / i for i, f in enumerate(found, start=1) if f in relevant), 0.0)
        results.append(QueryResult(q, found, recall, rr))
    return Report(name, results)


def get_engine(name: str, context: EvalContext) -> Engine:
    """The engine registered under ``name``; raises KeyError with the known names."""
    module = ENGINE_MODULES.get(name)
    if name not in ENGINES and module:
        import importlib

        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    if name not in ENGINES:
        raise KeyError(f"未知的检索引擎“{name}”，可用：{'、'.join(sorted(ENGINES)) or '无'}。")
    return ENGINES[name](context)


def _whoosh_engine(context: EvalContext) -> Engine:
    from kb_tools.search.engine import ensure_index, search

    ix, _stats = ensure_index(context.docs_dir, context.index_dir, today=context.status_date)

    def run(query: str, limit: int) -> list[tuple[str, str | None]]:
        return [(h.title, h.article) for h in search(ix, query, limit=limit)]

    return run


ENGINES["whoosh"] = _whoosh_engine


def format_report(report: Report) -> str:
    """The plain-text report: the four figures, then every miss with what came first instead."""
    r = report.recall
    lines = [
        f"引擎 {report.engine}，{len(report.results)} 条查询",
        f"Recall@1 {r[1]:.3f}  Recall@5 {r[5]:.3f}  Recall@10 {r[10]:.3f}  MRR@10 {report.mrr:.3f}",
    ]
    misses = report.misses()
    if misses:
        lines.append(f"前 5 未全部命中（{len(misses)} 条）：")
    for m in misses:
        rank = f"首个命中第 {m.first_hit} 位" if m.first_hit else "前 10 无命中"
        lines.append(f"  {m.query.id} {m.query.query}（{rank}）")
        lines.append(f"    应为：{'；'.join('《{}》{}'.format(*x) for x in m.query.relevant)}")
        lines.append(f"    前 3：{'；'.join('《{}》{}'.format(*x) for x in m.found[:3]) or '无'}")
    return "\n".join(lines)
