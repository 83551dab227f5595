"""What the scorer measures: blocks matched one to one, precision/recall/F1, character error rate.

A predicted paragraph counts only if it pairs with one ground-truth paragraph, and each truth
paragraph pairs at most once: a paragraph split in two finds one half matched at best, and two
joined into one match neither. Exact matching compares normalized text; fuzzy matching accepts a
similarity of at least 0.9 (rapidfuzz's `fuzz.ratio`, the Indel similarity that difflib's
`SequenceMatcher.ratio` also computes), which forgives a stray character or a lost dash but not a
paragraph that is a fragment or a merger of others.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

FUZZY = 0.9


@dataclass(frozen=True)
class Counts:
    """Matched, predicted and expected blocks: summed over documents, they give micro averages."""

    matched: int = 0
    predicted: int = 0
    expected: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.matched + other.matched, self.predicted + other.predicted,
                      self.expected + other.expected)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match(truth: list[str], predicted: list[str], threshold: float = 1.0) -> Counts:
    """Pair predicted blocks with truth blocks one to one, most similar pairs first.

    >>> match(["a b c", "d e f"], ["a b c", "d e f"]).f1
    1.0
    >>> match(["one long paragraph"], ["one long", "paragraph"], FUZZY)
    Counts(matched=0, predicted=2, expected=1)
    """
    if threshold >= 1.0:
        common = Counter(truth) & Counter(predicted)
        return Counts(sum(common.values()), len(predicted), len(truth))
    return Counts(_greedy_pairs(truth, predicted, threshold), len(predicted), len(truth))


def _greedy_pairs(truth: list[str], predicted: list[str], threshold: float) -> int:
    # Two texts whose lengths differ by more than this ratio cannot reach the threshold
    # (similarity is at most 2·min/(sum of lengths)), so only a window of lengths is compared.
    widen = (2 - threshold) / threshold
    by_length = sorted(range(len(predicted)), key=lambda j: len(predicted[j]))
    lengths = [len(predicted[j]) for j in by_length]
    cutoff = threshold * 100
    candidates = []
    for i, text in enumerate(truth):
        low = bisect.bisect_left(lengths, len(text) / widen)
        high = bisect.bisect_right(lengths, len(text) * widen)
        for j in by_length[low:high]:
            score = fuzz.ratio(text, predicted[j], score_cutoff=cutoff)
            if score:
                candidates.append((-score, i, j))
    candidates.sort()
    used_truth: set[int] = set()
    used_predicted: set[int] = set()
    for _, i, j in candidates:
        if i not in used_truth and j not in used_predicted:
            used_truth.add(i)
            used_predicted.add(j)
    return len(used_truth)


def edit_distance(truth: str, predicted: str) -> int:
    """Levenshtein distance in characters; over len(truth), the character error rate.

    >>> edit_distance("abc", "abc"), edit_distance("abc", "axc"), edit_distance("abc", "")
    (0, 1, 3)
    """
    return Levenshtein.distance(truth, predicted)
