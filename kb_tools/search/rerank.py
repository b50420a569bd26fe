"""The second pass: the best few results reordered by what their article text says.

Most misses find the right regulation and the wrong article: every article of a regulation
shares its title and chapter words, so the first pass tells them apart by little more than
how often the words occur. The second pass reads the stored text of the best
:data:`DEPTH` results and multiplies each score by a factor per mechanism:

* ``proximity``: the query's words in one sentence (。；！？ or a line break) of the article,
  as a share of the query's words: 罚缴分离 answered where 罚款 and 收缴 meet;
* ``question_types``: a question that asks for a time limit (多久, 几日, 期限…) favours articles
  that set one (十五日内, 20个工作日内) or a period (每年, 每半年); one that asks for conditions
  (条件, 资格…) favours articles that list them (具备下列条件); one about a fine (罚款, 罚多少, 怎么处罚) favours
  articles that set its amount (处二万元以上十万元以下罚款, 一倍以上三倍以下) over those that
  only refer to punishment (依法处理, 依照有关规定处罚);
* ``penalty_intent``: a query about sanctions (罚款, 怎么罚, 法律责任…) favours articles in a
  法律责任/罚则 chapter; a query without such words slightly disfavours them, so a duty is
  answered by the article that imposes it rather than the one that punishes its breach.

The patterns and weights are the only copy: the browser engine receives them in the static
index's manifest (:func:`manifest_config`) and applies the same arithmetic in the same order
(``rerank`` in ``kb_tools/assets/kb-search-ranking.js``), so both engines order alike. Weights
were chosen on ``benchmarks/queries/tune.tsv`` and the dev set as a whole, never per query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb_tools.search import mechanisms
from kb_tools.search.analyzer import normalise
from kb_tools.search.query import ParsedQuery

#: How many of the best results the second pass reorders: the first lines a user reads. An
#: article from further down is never lifted among them, so the pass sharpens the order of what
#: the first pass found (on the tune set: the same Recall@5, depth 20 lost 0.008 of it).
DEPTH = 5
#: Scores at or above this are exact references (ranking.EXACT_BONUS): never reordered.
EXACT_FLOOR = 1e5
#: Factor ``1 + PROXIMITY_WEIGHT * share`` (share of the query's words in the best sentence).
PROXIMITY_WEIGHT = 0.2
#: Factor for an article that answers the question's type (a time limit, conditions).
QUESTION_TYPE_WEIGHT = 0.3
#: Factor ``1 + w`` for a 法律责任 article when the query asks about sanctions, ``1 + w`` with
#: the negative weight when it does not.
PENALTY_WEIGHT = 0.2
NON_PENALTY_WEIGHT = -0.2

# Plain alternations and character classes: the same source compiles in Python and JavaScript.
SENTENCE_SPLIT = r"[。；！？\n]"
TIME_QUERY = r"多久|多长时间|期限|几天|多少天|时限|几日|多少日|几个月|几年|多少年|日内|天内"
#: A time limit (十五日内) or a period (每年, 每半年: 多久检查一次, 多长时间演练一次).
TIME_TEXT = (r"[0-9零一二三四五六七八九十百]+(个工作日|工作日|日|天|个月|年)(内|以内)"
             r"|每[0-9零一二三四五六七八九十半]*个?(年|月|季度|周)")
CONDITION_QUERY = r"条件|具备|资格|资质"
CONDITION_TEXT = r"下列条件|具备下列|符合下列|应当具备|条件[:：]"
AMOUNT_QUERY = r"罚"
AMOUNT_TEXT = r"[0-9零一二三四五六七八九十百千万]+(万元|元)(以上|以下)|[0-9零一二三四五六七八九十]+倍(以上|以下)"
PENALTY_QUERY = r"罚|处分|吊销|没收|法律责任"
PENALTY_CHAPTER = r"法律责任|罚则"


def weights() -> dict[str, float]:
    """The weights in force (an ablated mechanism weighs 0)."""
    on = mechanisms.enabled
    return {"proximity": PROXIMITY_WEIGHT if on("proximity") else 0.0,
            "questionType": QUESTION_TYPE_WEIGHT if on("question_types") else 0.0,
            "penalty": PENALTY_WEIGHT if on("penalty_intent") else 0.0,
            "nonPenalty": NON_PENALTY_WEIGHT if on("penalty_intent") else 0.0}


def manifest_config() -> dict[str, object]:
    """What the browser engine needs to rerank exactly as :func:`rerank` does."""
    return {"depth": DEPTH, "exactFloor": EXACT_FLOOR, "weights": weights(),
            "patterns": {"sentence": SENTENCE_SPLIT, "timeQuery": TIME_QUERY, "timeText": TIME_TEXT,
                         "conditionQuery": CONDITION_QUERY, "conditionText": CONDITION_TEXT,
                         "amountQuery": AMOUNT_QUERY, "amountText": AMOUNT_TEXT,
                         "penaltyQuery": PENALTY_QUERY, "penaltyChapter": PENALTY_CHAPTER}}


def query_words(parsed: ParsedQuery) -> dict[str, set[str]]:
    """The user's own words (weight 1 terms) by the word they came from, for proximity."""
    words: dict[str, set[str]] = {}
    for term in parsed.terms:
        if term.weight >= 1.0:
            words.setdefault(term.source, set()).add(term.text)
    return words


def factor(parsed: ParsedQuery, chapter: str, text: str, w: dict[str, float] | None = None) -> float:
    """The second pass's factor for one article (1.0: no change)."""
    w = weights() if w is None else w
    asked = normalise(" ".join([parsed.text, *parsed.phrases]))
    text = normalise(text)
    m = 1.0
    words = query_words(parsed)
    if w["proximity"] and len(words) >= 2:
        best = 0
        for sentence in re.split(SENTENCE_SPLIT, text):
            best = max(best, sum(1 for terms in words.values() if any(t in sentence for t in terms)))
        m *= 1.0 + w["proximity"] * (best / len(words))
    if w["questionType"] and re.search(TIME_QUERY, asked) and re.search(TIME_TEXT, text):
        m *= 1.0 + w["questionType"]
    if w["questionType"] and re.search(CONDITION_QUERY, asked) and re.search(CONDITION_TEXT, text):
        m *= 1.0 + w["questionType"]
    if w["questionType"] and re.search(AMOUNT_QUERY, asked) and re.search(AMOUNT_TEXT, text):
        m *= 1.0 + w["questionType"]
    if re.search(PENALTY_CHAPTER, chapter):
        m *= 1.0 + (w["penalty"] if re.search(PENALTY_QUERY, asked) else w["nonPenalty"])
    return m


def rerank(results: Sequence[tuple[dict, float]], parsed: ParsedQuery) -> list[tuple[dict, float]]:
    """The best :data:`DEPTH` of ``(stored data, score)`` results (in rank order) with their
    scores multiplied by :func:`factor`; the caller sorts them again (``ranking.order_key``)."""
    w = weights()
    if not parsed.terms or not any(w.values()):
        return list(results)
    out = []
    for i, (data, score) in enumerate(results):
        if i < DEPTH and score < EXACT_FLOOR:
            score *= factor(parsed, data.get("chapter", ""), data.get("text", ""), w)
        out.append((data, score))
    return out
