"""罚则 extraction: quality on the labelled sets of docs/, coverage and speed on the scale corpus.

Prints, for ``docs/``:

* precision and recall per field (acts, violated provisions, sanction kinds, (kind, tier),
  fine ranges, (kind, target)) and for telling penalty articles apart, on
  ``tests/data/penalties_labelled.yaml`` (the set the extractor was developed on) and on
  ``tests/data/penalties_heldout.yaml`` (regulations it was not tuned on);
* how many articles of the current texts are penalty articles and how many were read completely;

and for ``../shared/corpus/scale/national-laws.tar.gz`` (1,510 texts, read straight from the
tarball with the importer's normalisation and the law parser, no site built):

* penalty articles found, complete, and by level (司法解释 apart: the site leaves them out);
* extraction time per MB of article text beside a plain ``re.search("罚款")`` scan of the same
  texts in the same run (the cheapest possible "penalty finder"; best of ``--repeat``).

Numbers only; nothing here asserts a time.

    .venv/bin/python benchmarks/penalty_bench.py [--repeat 3] [--no-scale] [--diffs]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kb_tools.corpus import load_corpus  # noqa: E402
from kb_tools.importing.law import law_text_from_lines  # noqa: E402
from kb_tools.importing.sources import decode_text  # noqa: E402
from kb_tools.laws.parser import parse_body  # noqa: E402
from kb_tools.penalties.evaluate import FIELDS, evaluate, load_labels, text_predictor  # noqa: E402
from kb_tools.penalties.extract import extract  # noqa: E402
from kb_tools.penalties.honesty import unsupported  # noqa: E402
from kb_tools.problems import KbError  # noqa: E402

SETS = {
    "labelled": REPO / "tests" / "data" / "penalties_labelled.yaml",
    "held-out": REPO / "tests" / "data" / "penalties_heldout.yaml",
}
FIELD_NAMES = {
    "acts": "违法行为 acts", "violates": "违反条款 violates", "kinds": "处罚种类 kinds",
    "tiers": "种类+情节 tiers", "amounts": "幅度 amounts", "targets": "对象 targets",
}


def quality(corpus, show_diffs: bool) -> None:
    predict = text_predictor(corpus.laws.values())
    for name, path in SETS.items():
        labels = load_labels(path)
        report = evaluate(labels, predict)
        laws = len({label.law for label in labels})
        print(f"\n{name}: {path.relative_to(REPO)} — {report.articles} articles of {laws} regulations "
              f"({sum(not label.penalty for label in labels)} impose nothing)")
        if report.missing:
            print(f"  not in docs/: {', '.join(report.missing)}")
        print(f"  {'field':<20} {'precision':>9} {'recall':>7} {'tp/pred/gold':>14}")
        rows = [("penalty article", report.detection)] + [(FIELD_NAMES[f], report.fields[f]) for f in FIELDS]
        for title, score in rows:
            print(f"  {title:<20} {score.precision:>9.3f} {score.recall:>7.3f} "
                  f"{f'{score.tp}/{score.predicted}/{score.gold}':>14}")
        if show_diffs:
            for line in report.diffs:
                print("   ", line)


def docs_coverage(corpus) -> None:
    laws = [law for law in corpus.current_laws if law.level.value != "司法解释"]
    found = complete = with_penalties = honest = 0
    for law in laws:
        here = 0
        for article in law.articles:
            penalty = extract(article.body, law.title, article.label)
            if penalty is None:
                continue
            here += 1
            complete += penalty.complete
            honest += not unsupported(article.body, penalty)
        found += here
        with_penalties += bool(here)
    print(f"\ndocs/ current texts (司法解释 left out): {len(laws)} regulations, {with_penalties} with penalty "
          f"articles; {found} penalty articles, {complete} complete ({complete / max(found, 1):.1%}), "
          f"{honest} pass the honesty check")


def scale_texts() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(title, level, [(label, body), …]) for every tarball member, parsed as the importer would."""
    from benchmarks.scale_site import read_manifest, read_members

    rows = {row.path: row for row in read_manifest()}
    out = []
    for path, data in sorted(read_members().items()):
        row = rows.get(path)
        try:
            text = law_text_from_lines(decode_text(data, path)[0].split("\n"))
        except KbError:
            continue
        parsed = parse_body("\n\n".join(text.body), path)  # paragraphs as render_page writes them
        title = row.title if row else text.title
        out.append((title, row.level if row else "", [(a.label, a.body) for a in parsed.articles]))
    return out


def best_of(repeat: int, func) -> tuple[float, float, object]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs (CPU time is steadier on a shared machine)."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, result


def scale(repeat: int) -> None:
    start = time.perf_counter()
    texts = scale_texts()
    articles = [(title, level, label, body) for title, level, arts in texts for label, body in arts]
    megabytes = sum(len(body.encode("utf-8")) for *_, body in articles) / 1e6
    print(f"\nscale corpus: {len(texts)} texts, {len(articles)} articles, {megabytes:.2f} MB of article text "
          f"(read and parsed in {time.perf_counter() - start:.1f} s)")

    def run_extract() -> list:
        return [extract(body, title, label) for title, _level, label, body in articles]

    fine = re.compile("罚款")

    def run_baseline() -> int:
        return sum(1 for *_, body in articles if fine.search(body))

    extract_s, extract_cpu, results = best_of(repeat, run_extract)
    baseline_s, baseline_cpu, baseline_hits = best_of(repeat, run_baseline)
    by_level: Counter = Counter()
    complete_by_level: Counter = Counter()
    for (_title, level, _label, _body), penalty in zip(articles, results, strict=True):  # type: ignore[arg-type]
        if penalty is not None:
            by_level[level] += 1
            complete_by_level[level] += penalty.complete
    found = sum(by_level.values())
    complete = sum(complete_by_level.values())
    honest = sum(1 for (*_, body), penalty in zip(articles, results, strict=True)  # type: ignore[arg-type]
                 if penalty is not None and not unsupported(body, penalty))
    print(f"  penalty articles: {found}, complete {complete} ({complete / max(found, 1):.1%}), "
          f"{honest} pass the honesty check; articles containing 罚款: {baseline_hits}")
    for level, count in by_level.most_common():
        print(f"    {level or '?':<6} {count:>6} found, {complete_by_level[level]:>6} complete")
    print(f"  {'':<30} {'wall s':>8} {'wall s/MB':>10} {'CPU s':>8} {'CPU s/MB':>9}")
    for name, wall, cpu in (("extract (kb_tools.penalties)", extract_s, extract_cpu),
                            ("baseline re.search(罚款)", baseline_s, baseline_cpu)):
        print(f"  {name:<30} {wall:>8.3f} {wall / megabytes:>10.4f} {cpu:>8.3f} {cpu / megabytes:>9.4f}")
    print(f"  extraction costs {extract_cpu / max(baseline_cpu, 1e-9):.0f}× the baseline scan (CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the best is printed")
    parser.add_argument("--no-scale", action="store_true", help="only docs/ (the labelled sets)")
    parser.add_argument("--diffs", action="store_true", help="print every difference from the labels")
    args = parser.parse_args()
    corpus = load_corpus(REPO / "docs", dt.date(2026, 11, 26))
    quality(corpus, args.diffs)
    docs_coverage(corpus)
    if not args.no_scale:
        scale(args.repeat)


if __name__ == "__main__":
    main()
