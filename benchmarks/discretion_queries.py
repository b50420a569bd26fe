"""Where the 裁量基准 entry of a described act ranks, in both engines, beside its penalty article.

For every query of ``benchmarks/penalty_queries.tsv`` (an act described in everyday words, its
penalty articles labelled), the 裁量 entries of ``docs/lists/discretion/`` whose 处罚依据 cites a
labelled article are "its" entries. Prints, per query, the rank of the first labelled article and of
the first such entry among all results (articles, list entries, sections), for `kb search` (whoosh)
and for the browser engine (the real kb-search.js under Node, on the static index of ``site/``),
and whether the two engines give the same top 5. Run after `kb build` (it reads both indexes that
build wrote). Numbers only.

    .venv/bin/python benchmarks/discretion_queries.py [-n 10]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kb_tools.corpus import load_corpus  # noqa: E402
from kb_tools.discretion.links import entries_for_article  # noqa: E402
from kb_tools.discretion.pages import entry_url  # noqa: E402
from kb_tools.features import default_features  # noqa: E402
from kb_tools.numerals import parse_article_label  # noqa: E402
from kb_tools.search.engine import search  # noqa: E402
from kb_tools.search.eval import read_queries  # noqa: E402
from kb_tools.search.static_eval import NodeEngine  # noqa: E402
from kb_tools.search.static_index import INDEX_DIR  # noqa: E402
from kb_tools.search.whoosh_index import open_index  # noqa: E402


def first_rank(urls: list[str], wanted: set[str]) -> int | None:
    return next((i for i, url in enumerate(urls, 1) if url in wanted), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="results looked at per query")
    parser.add_argument("--queries", type=Path, default=REPO / "benchmarks" / "penalty_queries.tsv")
    args = parser.parse_args()
    from kb_tools.cli import _search_context  # the index folder exactly as `kb search` finds it

    ctx = _search_context(str(REPO / "mkdocs.yml"))
    corpus = load_corpus(REPO / "docs", ctx["today"], features=default_features())  # type: ignore[arg-type]
    ix = open_index(Path(ctx["index_dir"]))  # type: ignore[arg-type]
    node = NodeEngine(REPO / "site" / INDEX_DIR)
    rows = []
    try:
        for q in read_queries(args.queries):
            articles: set[str] = set()
            entries: set[str] = set()
            for title, label in q.relevant:
                law = corpus.by_name(title)
                article = law.article(*parse_article_label(label)) if law else None
                if law is None or article is None:
                    continue
                articles.add(f"{law.url}#{article.anchor}")
                entries |= {entry_url(e) for e in entries_for_article(corpus, law.slug, article.anchor)}
            whoosh = [h.url for h in search(ix, q.query, limit=args.n)]
            static = [h["url"] for h in node.query(q.query, args.n)]
            rows.append((q, first_rank(whoosh, articles), first_rank(whoosh, entries), first_rank(static, articles),
                         first_rank(static, entries), bool(entries), whoosh[:5] == static[:5]))
    finally:
        node.close()
    print(f"查询 {len(rows)} 条（{args.queries.name}），每条看前 {args.n} 个结果；“—”为未进入前 {args.n}。")
    print("| 查询 | 条文（whoosh / 浏览器） | 裁量基准（whoosh / 浏览器） | 两引擎前 5 相同 |")
    print("|---|---|---|---|")

    def show(rank: int | None) -> str:
        return str(rank) if rank else "—"

    for q, wa, we, sa, se, has_entry, same in rows:
        entry = f"{show(we)} / {show(se)}" if has_entry else "（无对应条目）"
        print(f"| {q.query} | {show(wa)} / {show(sa)} | {entry} | {'是' if same else '否'} |")
    with_entry = [r for r in rows if r[5]]
    for k in (1, 3, 5, 10):
        if k > args.n:
            continue
        hits = sum(1 for r in with_entry if r[2] and r[2] <= k)
        print(f"裁量基准条目进入前 {k}：{hits} / {len(with_entry)}（whoosh）")
    print(f"两引擎前 5 相同：{sum(r[6] for r in rows)} / {len(rows)}")


if __name__ == "__main__":
    main()
