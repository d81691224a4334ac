"""Item statistics of a test, as Moodle's quiz statistics report defines them.

x is a learner's mark on one item, X their total, X - x their mark on the
rest of the test. All marks here are 0 or 1 (one right option).

>>> facility([1, 1, 0, 1])
0.75
>>> round(discrimination([1, 1, 0, 0], [2, 3, 0, 1]), 3)   # item vs rest of test
0.894
>>> round(cronbach_alpha([[1, 1], [1, 0], [0, 0]]), 3)
0.667
"""
from __future__ import annotations

from collections import Counter
from math import sqrt
from typing import Iterable, Sequence

# Moodle: discrimination below 30% "very likely" needs checking.
DISCRIMINATION_FLAG = 0.30
# Tarrant, Ware & Mohammed 2009: a distractor picked by < 5% is not working.
DISTRACTOR_FLAG = 0.05


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def variance(values: Sequence[float]) -> float:
    """Population variance (Moodle divides by n)."""
    if not values:
        return 0.0
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / len(values)


def covariance(a: Sequence[float], b: Sequence[float]) -> float:
    if not a:
        return 0.0
    ma, mb = mean(a), mean(b)
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / len(a)


def facility(marks: Sequence[float], max_mark: float = 1.0) -> float | None:
    """Mean mark / maximum mark: the share of the room that got it right."""
    return mean(marks) / max_mark if marks else None


def discrimination(item_marks: Sequence[float], rest_marks: Sequence[float]) -> float | None:
    """Correlation of the item with the rest of the test (-1..1); None if undefined.

    Undefined when everyone scored the same on the item or on the rest: a
    question all learners got right cannot separate anybody.
    """
    v_item, v_rest = variance(item_marks), variance(rest_marks)
    if len(item_marks) < 2 or v_item == 0 or v_rest == 0:
        return None
    return covariance(item_marks, rest_marks) / sqrt(v_item * v_rest)


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """p/(p-1) * (1 - sum of item variances / variance of totals); rows are learners."""
    if len(matrix) < 2 or not matrix[0] or len(matrix[0]) < 2:
        return None
    p = len(matrix[0])
    item_variances = sum(variance([row[i] for row in matrix]) for i in range(p))
    total_variance = variance([sum(row) for row in matrix])
    if total_variance == 0:
        return None
    return p / (p - 1) * (1 - item_variances / total_variance)


def option_shares(picks: Iterable[str], options: Sequence[str]) -> dict[str, float]:
    """Share of the room that picked each option letter (options never picked get 0)."""
    counts = Counter(p for p in picks if p)
    total = sum(counts.values())
    return {o: (counts[o] / total if total else 0.0) for o in options}


def facility_band(value: float | None) -> str:
    """Moodle's reading of a facility index."""
    if value is None:
        return "no answers"
    if value <= 0.05:
        return "extremely hard or broken"
    if value < 0.35:
        return "hard"
    if value < 0.65:
        return "about right"
    if value < 0.95:
        return "easy"
    return "extremely easy"
