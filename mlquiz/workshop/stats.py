"""Item statistics of a test, as Moodle's quiz statistics report defines them.

x is a learner's mark on one item, X their total, X - x their mark on the
rest of the test. All marks here are 0 or 1 (one right option). Variances
and covariances divide by n - 1, as Moodle's question statistics calculator
does (question/classes/statistics/questions/calculator.php); every ratio
below comes out the same with either divisor.

>>> facility([1, 1, 0, 1])
0.75
>>> round(discrimination([1, 1, 0, 0], [2, 3, 0, 1]), 3)   # item vs rest of test
0.894
>>> round(discriminative_efficiency([1, 0, 1, 0, 0], [2, 2, 1, 1, 0]), 3)
0.375
>>> round(cronbach_alpha([[1, 1], [1, 0], [0, 0]]), 3)
0.667
"""
from __future__ import annotations

from collections import Counter
from math import sqrt
from typing import Iterable, Sequence

# Moodle: discrimination below 30% "very likely" needs checking.
DISCRIMINATION_FLAG = 0.30
# Moodle's help text: a discriminative efficiency this low makes a question dubious.
EFFICIENCY_FLAG = 0.15
# Tarrant, Ware & Mohammed 2009: a distractor picked by < 5% is not working.
DISTRACTOR_FLAG = 0.05
# Below this many answers a discrimination or efficiency figure is mostly noise: a
# correlation's standard error is about (1 - r^2) / sqrt(n - 1), so +-0.30 at n = 10
# around Moodle's 0.30 line, +-0.21 at n = 20. The report marks such a figure as
# resting on few answers instead of flagging it (and says so, with the n).
FEW_ANSWERS = 20
# Facility bands (Moodle): <= 5% broken, < 35% hard, < 65% about right, < 95% easy.
FACILITY_BOUNDS = (0.05, 0.35, 0.65, 0.95)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def variance(values: Sequence[float]) -> float:
    """Sample variance (Moodle divides by n - 1); 0 for fewer than two values."""
    if len(values) < 2:
        return 0.0
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


def covariance(a: Sequence[float], b: Sequence[float]) -> float:
    if len(a) < 2:
        return 0.0
    ma, mb = mean(a), mean(b)
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / (len(a) - 1)


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


def discriminative_efficiency(item_marks: Sequence[float],
                              rest_marks: Sequence[float]) -> float | None:
    """Cov(x, X - x) / the largest covariance the two mark distributions allow.

    The largest covariance pairs the item marks and the rest-of-test marks
    both sorted ascending (Moodle's covariancemax); None when it is 0.
    """
    if len(item_marks) < 2:
        return None
    biggest = covariance(sorted(item_marks), sorted(rest_marks))
    if biggest == 0:
        return None
    return covariance(item_marks, rest_marks) / biggest


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """p/(p-1) * (1 - sum of item variances / variance of totals); rows are learners.

    None with fewer than three attempts or two items (Moodle computes its
    coefficient of internal consistency only for more than two attempts).
    """
    if len(matrix) < 3 or not matrix[0] or len(matrix[0]) < 2:
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


def agreeing_digits(value: float, bounds: Sequence[float], digits: int = 2,
                    *, scale: float = 1.0) -> str:
    """`value * scale` with enough decimals that it sits on the same side of every bound.

    >>> agreeing_digits(0.2996, [0.30])    # 0.30 would read as "not flagged"
    '0.2996'
    >>> agreeing_digits(0.3049, [0.30])
    '0.30'
    >>> agreeing_digits(0.3496, [0.35], 0, scale=100)
    '34.96'
    """
    for extra in range(0, 7):
        text = f"{value * scale:.{digits + extra}f}"
        shown = float(text) / scale
        if all((shown < b) == (value < b) for b in bounds):
            return text
    return f"{value * scale:.{digits + 6}f}"
