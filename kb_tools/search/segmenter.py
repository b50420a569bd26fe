"""A plain re-implementation of rjieba's ``cut_for_search(text, hmm=False)``.

The browser must cut a query exactly as the build cut the text, and the browser cannot run
rjieba. So the algorithm (jieba's prefix DAG, the maximum log-probability route, the search-mode
2- and 3-character sub-words) is written twice: here in Python, and in
``kb_tools/assets/kb-search.js``, line for line. This Python twin exists to prove the port
right: tests compare it with rjieba on the whole corpus, and the shared test vectors
(``tests/data/tokenize_vectors.json``) hold the JavaScript twin to the same answers.

The dictionary is jieba's ``dict.txt`` (words and frequencies, the one jieba-rs embeds),
shipped as ``kb_tools/data/jieba_dict.txt.gz``, plus the analyzer's extra words.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

DICT_PATH = Path(__file__).resolve().parent.parent / "data" / "jieba_dict.txt.gz"

#: jieba-rs ``RE_HAN_DEFAULT``: runs of CJK ideographs and the ASCII word characters it keeps together.
HAN_RE = re.compile(
    "([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002b73f"
    "\U0002b740-\U0002b81f\U0002b820-\U0002ceaf\U0002ceb0-\U0002ebef\U0002f800-\U0002fa1f"
    "a-zA-Z0-9+#&._%\\-]+)"
)
#: jieba-rs ``RE_SKIP_DEFAULT`` (Rust's ``\s`` is Unicode White_Space, spelled out here).
SKIP_RE = re.compile("(\r\n|[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])")


@cache
def default_frequencies() -> dict[str, int]:
    """jieba's default dictionary: word -> frequency."""
    freqs: dict[str, int] = {}
    with gzip.open(DICT_PATH, "rt", encoding="utf-8") as handle:
        for line in handle:
            word, _, freq = line.rstrip("\n").partition(" ")
            if word:
                freqs[word] = int(freq or 0)
    return freqs


class Segmenter:
    """Word frequencies plus the cutting algorithm; ``add_word`` mirrors jieba-rs exactly."""

    def __init__(self, freqs: dict[str, int] | None = None) -> None:
        self.freqs = dict(default_frequencies() if freqs is None else freqs)
        self.total = sum(self.freqs.values())
        self.max_len = max((len(w) for w in self.freqs), default=1)

    def add_word(self, word: str, freq: int | None = None) -> int:
        """Add or re-weigh a word as ``rjieba.add_word`` does; returns the frequency used."""
        if freq is None:
            freq = self.suggest_freq(word)
        self.total += freq - self.freqs.get(word, 0)
        self.freqs[word] = freq
        self.max_len = max(self.max_len, len(word))
        return freq

    def suggest_freq(self, segment: str) -> int:
        """jieba-rs ``suggest_freq``: just enough frequency for the segment to stay one word."""
        logtotal = math.log(self.total)
        logfreq = 0.0
        for word in self.cut(segment):
            logfreq = logfreq + math.log(self.freqs.get(word, 1)) - logtotal
        return max(int(math.exp(logfreq + logtotal)) + 1, self.freqs.get(segment, 1))

    def _cut_block(self, block: str) -> list[str]:
        n = len(block)
        edges: list[list[int]] = []
        for i in range(n):
            ends = [j for j in range(i + 1, min(n, i + self.max_len) + 1) if block[i:j] in self.freqs]
            edges.append(ends)
        logtotal = math.log(self.total)
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for i in range(n - 1, -1, -1):
            best: tuple[float, int] | None = None
            for j in edges[i]:
                cand = (math.log(self.freqs.get(block[i:j], 1)) - logtotal + route[j][0], j)
                if best is None or cand >= best:
                    best = cand
            route[i] = best if best is not None else (math.log(1) - logtotal + route[i + 1][0], i + 1)
        words: list[str] = []
        x = 0
        left: int | None = None
        while x < n:
            y = route[x][1]
            piece = block[x:y]
            if len(piece) == 1 and piece.isascii() and piece.isalnum():
                if left is None:
                    left = x
            else:
                if left is not None:
                    words.append(block[left:x])
                    left = None
                words.append(piece)
            x = y
        if left is not None:
            words.append(block[left:])
        return words

    def cut(self, text: str) -> list[str]:
        """``rjieba.cut(text, hmm=False)``."""
        words: list[str] = []
        for block, is_han in split_keep(HAN_RE, text):
            if is_han:
                words.extend(self._cut_block(block))
                continue
            for piece, is_skip in split_keep(SKIP_RE, block):
                if is_skip:
                    words.append(piece)
                else:
                    words.extend(piece)
        return words

    def cut_for_search(self, text: str) -> list[str]:
        """``rjieba.cut_for_search(text, hmm=False)``: each word preceded by its dictionary sub-words."""
        out: list[str] = []
        for word in self.cut(text):
            n = len(word)
            if n > 2:
                out.extend(word[i:i + 2] for i in range(n - 1) if word[i:i + 2] in self.freqs)
            if n > 3:
                out.extend(word[i:i + 3] for i in range(n - 2) if word[i:i + 3] in self.freqs)
            out.append(word)
        return out


def split_keep(pattern: re.Pattern[str], text: str) -> Iterable[tuple[str, bool]]:
    """Split text into (piece, matched) runs, keeping both matched and unmatched parts, none empty."""
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            yield text[last:match.start()], False
        if match.end() > match.start():
            yield match.group(0), True
        last = match.end()
    if last < len(text):
        yield text[last:], False
