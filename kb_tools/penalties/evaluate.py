"""Score the extractor against a labelled set: precision and recall per field.

The labelled set (``tests/data/penalties_labelled.yaml``) is written by reading the articles; this
module only compares. Fields are compared as multisets per article, so one missed 罚款 among two
counts once: acts and violated provisions as sets of words, sanction kinds, (kind, tier) pairs,
fine ranges (min, max, unit, base) and (kind, target) pairs. The benchmark and a regression test
print and guard the same numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb_tools.laws.model import Law
from kb_tools.penalties.model import PenaltyArticle, Sanction

FIELDS = ("acts", "violates", "kinds", "tiers", "amounts", "targets")
_PUNCT = re.compile(r"[\s，,、；;。：:]")


@dataclass(frozen=True)
class Label:
    """One labelled article: what it imposes (``penalty`` is False for a negative example)."""

    law: str
    article: str
    penalty: bool
    acts: tuple[str, ...] = ()
    violates: tuple[str, ...] = ()
    sanctions: tuple[dict, ...] = ()


def load_labels(path: Path) -> list[Label]:
    """Read the labelled YAML (a list of ``{law, article, acts, violates, sanctions}``)."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    labels = []
    for row in rows:
        labels.append(
            Label(
                law=row["law"],
                article=row["article"],
                penalty=row.get("expect") != "none",
                acts=tuple(row.get("acts") or ()),
                violates=tuple(row.get("violates") or ()),
                sanctions=tuple(row.get("sanctions") or ()),
            )
        )
    return labels


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _items(field_name: str, acts: Iterable[str], violates: Iterable[str], sanctions: Iterable[dict]) -> Counter:
    if field_name == "acts":
        return Counter({_PUNCT.sub("", a): 1 for a in acts})
    if field_name == "violates":
        return Counter(set(violates))
    rows = list(sanctions)
    if field_name == "kinds":
        return Counter(s["kind"] for s in rows)
    if field_name == "tiers":
        return Counter((s["kind"], s.get("tier")) for s in rows)
    if field_name == "amounts":
        return Counter(
            (_number(s.get("min")), _number(s.get("max")), s.get("unit"), s.get("base"))
            for s in rows
            if s.get("min") is not None or s.get("max") is not None
        )
    if field_name == "targets":
        return Counter((s["kind"], s["target"]) for s in rows if s.get("target"))
    raise ValueError(field_name)


def sanction_row(sanction: Sanction) -> dict:
    """A sanction in the labelled set's form."""
    return {
        "kind": sanction.kind, "min": sanction.min, "max": sanction.max, "unit": sanction.unit,
        "base": sanction.base, "tier": sanction.tier, "target": sanction.target,
    }


@dataclass
class Score:
    """True positives, predictions and gold items of one field."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0


@dataclass
class Report:
    """Scores per field, article detection, and the differences for reading."""

    fields: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    detection: Score = field(default_factory=Score)
    articles: int = 0
    missing: list[str] = field(default_factory=list)  # labelled articles not in the texts
    diffs: list[str] = field(default_factory=list)


def evaluate(labels: list[Label], predict: Callable[[str, str], PenaltyArticle | bool | None]) -> Report:
    """Compare ``predict(law_title, article_label)`` with every label.

    ``predict`` returns the extracted article, ``None`` when the extractor finds no penalty, or
    ``False`` when the article is not in the texts (reported in ``missing``).
    """
    report = Report()
    for label in labels:
        got = predict(label.law, label.article)
        if got is False:
            report.missing.append(f"{label.law} {label.article}")
            continue
        report.articles += 1
        found = got is not None and got is not True
        report.detection.gold += label.penalty
        report.detection.predicted += found
        report.detection.tp += label.penalty and found
        pred_rows = [sanction_row(s) for s in got.sanctions] if found else []  # type: ignore[union-attr]
        pred_acts = got.acts if found else ()  # type: ignore[union-attr]
        pred_viol = got.violates if found else ()  # type: ignore[union-attr]
        for name in FIELDS:
            gold = _items(name, label.acts, label.violates, label.sanctions)
            pred = _items(name, pred_acts, pred_viol, pred_rows)
            score = report.fields[name]
            score.tp += sum((gold & pred).values())
            score.gold += sum(gold.values())
            score.predicted += sum(pred.values())
            if gold != pred:
                extra = sorted(map(str, (pred - gold).elements()))
                lost = sorted(map(str, (gold - pred).elements()))
                report.diffs.append(f"{label.law} {label.article} [{name}] 多出 {extra} 缺少 {lost}")
    return report


def text_predictor(laws: Iterable[Law]) -> Callable[[str, str], PenaltyArticle | bool | None]:
    """``predict`` for :func:`evaluate` over loaded regulations (current texts, by full title)."""
    from kb_tools.penalties.extract import extract

    articles = {(law.title, a.label): (law, a) for law in laws if law.version_of is None for a in law.articles}

    def predict(title: str, label: str) -> PenaltyArticle | bool | None:
        found = articles.get((title, label))
        if found is None:
            return False
        law, article = found
        return extract(article.body, law.title, article.label)

    return predict
