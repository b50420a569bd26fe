"""Align the articles of two texts of one regulation and mark what changed. Pure, no I/O.

A revision renumbers, rewrites, adds, deletes and splits articles. The alignment pairs each
older article with the newer one that carries its text: candidates come from shared character
bigrams (an inverted index, so a 1,000-article code does not cost a million comparisons), are
scored with ``difflib``'s ratio, and the best order-preserving chain is kept (a weighted longest
increasing subsequence); leftovers are then paired out of order when they are very similar
(an article moved to another chapter), and an older article that now lives in two newer ones
is reported as split.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from kb_tools.laws.model import Article, Law

#: Minimum similarity for an in-order pair (revisions rewrite heavily but keep the order).
ORDERED_MIN = 0.45
#: Bigram overlap from which a candidate below ORDERED_MIN gets the (costly) edit ratio too.
RESCUE_MIN = 0.3
#: Minimum similarity for a pair that breaks the order (moved articles must be clearly the same).
MOVED_MIN = 0.6
#: Similarity above which an older article counts as kept whole (so it cannot have been split).
WHOLE_MIN = 0.85
#: Share of the shorter text's bigrams found in the longer one for a leftover pair to match.
CONTAINED_MIN = 0.75
#: Share of a newer article's bigrams found in an older one for it to count as split off from it.
SPLIT_MIN = 0.6
_CANDIDATES = 6
_PUNCT = re.compile(r"[\s\u3000，。；：、！？,.;:!?“”‘’（）()《》〈〉]")

UNCHANGED = "unchanged"
CHANGED = "changed"
ADDED = "added"
DELETED = "deleted"
SPLIT = "split"

#: Chinese names of the change kinds, for pages and messages.
KIND_LABELS = {UNCHANGED: "未变", CHANGED: "修改", ADDED: "新增", DELETED: "删除", SPLIT: "拆分"}


@dataclass(frozen=True)
class Change:
    """One row of a comparison.

    Attributes:
        kind: unchanged, changed, added, deleted or split.
        old: the article in the older text (None when added).
        new: the article in the newer text carrying it (None when deleted; the main part when split).
        ratio: text similarity of old and new, 0..1.
        also: the other newer articles an older article was split into.
    """

    kind: str
    old: Article | None
    new: Article | None
    ratio: float = 0.0
    also: tuple[Article, ...] = ()

    @property
    def renumbered(self) -> bool:
        """True when the article kept (some of) its text under another number."""
        return self.old is not None and self.new is not None and self.old.key != self.new.key


def _normal(text: str) -> str:
    return _PUNCT.sub("", text)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.3 or matcher.quick_ratio() < 0.3:
        return 0.0
    return matcher.ratio()


def _dice(grams_a: set[str], grams_b: set[str]) -> float:
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))


def _similarity(a: str, b: str, grams_a: set[str], grams_b: set[str]) -> float:
    """The better of edit similarity and bigram overlap.

    ``difflib``'s ratio punishes sentences that swapped places (a revision often reorders the
    款 of an article); the bigram Dice coefficient does not, but ignores order altogether.
    """
    dice = 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # ratio() <= quick_ratio() <= real_quick_ratio(): skip the costly part when it cannot win.
    if matcher.real_quick_ratio() <= dice or matcher.quick_ratio() <= dice:
        return dice
    return max(matcher.ratio(), dice)


def align(older: Law, newer: Law) -> list[Change]:
    """Every article of both texts, paired, in the order of the newer text.

    Deleted articles are placed after the newer article that follows their predecessor, so the
    comparison reads top to bottom like both texts.
    """
    return _aligned(tuple(older.articles), tuple(newer.articles))


#: Pairs of texts aligned, by value (an Article is a frozen dataclass): a 新旧对照 page, the
#: penalty changes and the discretion checks align the same pair, and `mkdocs serve` rebuilds
#: align unchanged pairs again (at the 1,510-regulation scale, 81 pairs: some 3 s a rebuild).
ALIGN_CACHE_SIZE = 256


@functools.lru_cache(maxsize=ALIGN_CACHE_SIZE)
def _aligned(old: tuple[Article, ...], new: tuple[Article, ...]) -> list[Change]:
    """:func:`align` of two texts' articles (callers treat the list as read-only)."""
    return _align(list(old), list(new))


def alignment(older: Law, newer: Law) -> dict[tuple[int, int], Change]:
    """The change of each older article, by its (number, suffix)."""
    return {c.old.key: c for c in align(older, newer) if c.old is not None}


def _align(old: list[Article], new: list[Article]) -> list[Change]:
    old_text = [_normal(a.body) for a in old]
    new_text = [_normal(a.body) for a in new]
    old_grams = [_bigrams(t) for t in old_text]
    new_grams = [_bigrams(t) for t in new_text]
    index: dict[str, list[int]] = defaultdict(list)
    for i, grams in enumerate(old_grams):
        for gram in grams:
            index[gram].append(i)
    scores: dict[tuple[int, int], float] = {}
    for j, grams in enumerate(new_grams):
        shared: dict[int, int] = defaultdict(int)
        for gram in grams:
            postings = index.get(gram, ())
            if len(postings) > 50:  # a bigram in every article says nothing
                continue
            for i in postings:
                shared[i] += 1
        best = sorted(shared.items(), key=lambda kv: -kv[1] / (len(old_grams[kv[0]]) + len(grams)))
        for i, _ in best[:_CANDIDATES]:
            scores[(i, j)] = _dice(old_grams[i], grams)
        # Identical or near-identical texts in the same place are the common case.
        if j < len(old) and (j, j) not in scores:
            scores[(j, j)] = _dice(old_grams[j], grams)
        # The bigram overlap decides; the costly edit ratio only rescues a best candidate just
        # below the threshold (sentences reordered and reworded at once).
        top = max(((scores[(i, j)], i) for i, _ in best[:_CANDIDATES]), default=(1.0, -1))
        if RESCUE_MIN <= top[0] < ORDERED_MIN:
            i = top[1]
            scores[(i, j)] = _similarity(old_text[i], new_text[j], old_grams[i], grams)
    pairs = _ordered_chain({k: v for k, v in scores.items() if v >= ORDERED_MIN})
    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    for (i, j), score in sorted(scores.items(), key=lambda kv: -kv[1]):
        if score >= MOVED_MIN and i not in used_old and j not in used_new:
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    # A short article absorbed into a longer one (or cut down to its core) keeps most of its bigrams.
    for (i, j), _score in sorted(scores.items(), key=lambda kv: -kv[1]):
        if i in used_old or j in used_new:
            continue
        common = len(old_grams[i] & new_grams[j])
        if common / min(len(old_grams[i]), len(new_grams[j])) >= CONTAINED_MIN:
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    # An older article that survives nearly whole in one newer article was not split up.
    whole = {i for i, j in pairs if scores.get((i, j), 0.0) >= WHOLE_MIN}
    splits = _splits(old_grams, new_grams, whole, pairs, new_text, old_text)
    return _rows(old, new, pairs, scores, splits, old_text, new_text)


def _ordered_chain(scores: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The set of pairs increasing in both texts with the greatest total similarity."""
    items = sorted(scores.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
    size = max((j for (_, j) in scores), default=-1) + 2
    tree_val = [0.0] * (size + 1)
    tree_idx = [-1] * (size + 1)
    best_val: list[float] = []
    prev: list[int] = []

    def query(pos: int) -> tuple[float, int]:
        val, idx = 0.0, -1
        while pos > 0:
            if tree_val[pos] > val:
                val, idx = tree_val[pos], tree_idx[pos]
            pos -= pos & -pos
        return val, idx

    def update(pos: int, val: float, idx: int) -> None:
        while pos <= size:
            if val > tree_val[pos]:
                tree_val[pos], tree_idx[pos] = val, idx
            pos += pos & -pos

    # Items of one old article are processed in decreasing j, so an old article pairs once.
    for n, ((_, j), score) in enumerate(items):
        val, idx = query(j)  # best chain ending at new index < j
        best_val.append(val + score)
        prev.append(idx)
        update(j + 1, val + score, n)
    if not best_val:
        return []
    end = max(range(len(best_val)), key=best_val.__getitem__)
    chain = []
    while end >= 0:
        chain.append(items[end][0])
        end = prev[end]
    chain.reverse()
    # Processing one old index in decreasing j still lets a chain take two of them; keep the best.
    seen_old: set[int] = set()
    result = []
    for i, j in chain:
        if i not in seen_old:
            seen_old.add(i)
            result.append((i, j))
    return result


def _splits(
    old_grams: list[set[str]],
    new_grams: list[set[str]],
    whole: set[int],
    pairs: list[tuple[int, int]],
    new_text: list[str],
    old_text: list[str],
) -> dict[int, list[int]]:
    """Newer articles (unpaired) whose text mostly comes from one older article (not kept whole)."""
    paired_new = {j for _, j in pairs}
    result: dict[int, list[int]] = defaultdict(list)
    for j, grams in enumerate(new_grams):
        if j in paired_new or len(new_text[j]) < 8:
            continue
        best_i, best_share = -1, 0.0
        for i, og in enumerate(old_grams):
            if i in whole:
                continue
            share = len(grams & og) / len(grams)
            if share > best_share:
                best_i, best_share = i, share
        if best_share >= SPLIT_MIN and len(old_text[best_i]) > len(new_text[j]) * 0.9:
            result[best_i].append(j)
    return result


def _rows(
    old: list[Article],
    new: list[Article],
    pairs: list[tuple[int, int]],
    scores: dict[tuple[int, int], float],
    splits: dict[int, list[int]],
    old_text: list[str],
    new_text: list[str],
) -> list[Change]:
    by_new: dict[int, Change] = {}
    by_old_pair = {i: j for i, j in pairs}
    split_new = {j: i for i, js in splits.items() for j in js}
    deleted: list[int] = []
    for i, art in enumerate(old):
        if i in by_old_pair:
            j = by_old_pair[i]
            extra = tuple(new[k] for k in splits.get(i, ()))
            same = old_text[i] == new_text[j]
            kind = SPLIT if extra else (UNCHANGED if same else CHANGED)
            by_new[j] = Change(kind, art, new[j], 1.0 if same else scores.get((i, j), 0.0), extra)
        elif i in splits:
            js = splits[i]
            kind = SPLIT if len(js) > 1 else CHANGED
            ratio = _ratio(old_text[i], new_text[js[0]])
            by_new[js[0]] = Change(kind, art, new[js[0]], ratio, tuple(new[k] for k in js[1:]))
        else:
            deleted.append(i)
    rows: list[Change] = []
    # Deleted articles go after the newer row of their nearest paired predecessor.
    after: dict[int, list[int]] = defaultdict(list)
    new_of_old = {i: j for i, j in pairs}
    for i in deleted:
        anchor = max((new_of_old[k] for k in range(i) if k in new_of_old), default=-1)
        after[anchor].append(i)
    for i in after.get(-1, ()):
        rows.append(Change(DELETED, old[i], None))
    for j, art in enumerate(new):
        if j in by_new:
            rows.append(by_new[j])
        elif j in split_new:
            pass  # shown with the older article it came from
        else:
            rows.append(Change(ADDED, None, art))
        for i in after.get(j, ()):
            rows.append(Change(DELETED, old[i], None))
    return rows


def summary(changes: list[Change]) -> dict[str, int]:
    """Counts per kind, plus ``renumbered`` (pairs whose number differs)."""
    counts = {kind: 0 for kind in KIND_LABELS}
    counts["renumbered"] = 0
    for change in changes:
        counts[change.kind] += 1
        if change.renumbered:
            counts["renumbered"] += 1
    return counts


#: Changed articles diffed, by their texts: `mkdocs serve` rebuilds diff the same pairs again
#: (at the 1,510-regulation scale some 2,400 pairs, about 1 s a rebuild).
DIFF_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=DIFF_CACHE_SIZE)
def diff_html(old: str, new: str) -> tuple[str, str]:
    """Character-level diff of two Chinese texts: (old with ``<del>``, new with ``<ins>``).

    Chinese has no spaces, so words cannot be found by splitting; characters are the unit, and
    tiny equal runs between two changes are folded into the change so the marks read as words.

    >>> diff_html("应当在六十日内", "应当在九十日内")
    ('应当在<del>六</del>十日内', '应当在<ins>九</ins>十日内')
    """
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops = _merge_small_equals(matcher.get_opcodes(), old)
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        a, b = escape(old[i1:i2]), escape(new[j1:j2])
        if tag == "equal":
            left.append(a)
            right.append(b)
            continue
        if a:
            left.append(f"<del>{a}</del>")
        if b:
            right.append(f"<ins>{b}</ins>")
    return "".join(left), "".join(right)


Opcode = tuple[str, int, int, int, int]


def _merge_small_equals(ops: Sequence[Opcode], old: str) -> list[Opcode]:
    """Fold an equal run of one character between two changes into them (fewer, longer marks)."""
    out: list[Opcode] = []
    for op in ops:
        tag = op[0]
        if (tag != "equal" and len(out) >= 2 and out[-1][0] == "equal" and out[-2][0] != "equal"
                and out[-1][2] - out[-1][1] <= 1):
            eq = out.pop()
            prev = out.pop()
            out.append(("replace", prev[1], op[2], prev[3], op[4]))
            del eq
            continue
        if tag != "equal" and out and out[-1][0] != "equal":
            prev = out.pop()
            out.append(("replace", prev[1], op[2], prev[3], op[4]))
            continue
        out.append(op)
    return out
