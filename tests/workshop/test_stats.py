"""stats.py against Moodle's quiz statistics, restated step by step, on many small rooms.

Moodle's question statistics calculator walks the latest steps twice: first
the means (and each mark list sorted), then the sums of squared deviations,
of cross products and of the cross products of the *sorted* lists (the
largest covariance possible), each divided by n - 1. The quiz calculator then
takes k2 (the sample variance of the totals) for its coefficient of internal
consistency. The walk is restated here in its own terms, independently of
stats.py, and both must agree.
"""
from __future__ import annotations

import random
from math import sqrt

import pytest

from mlquiz.workshop import stats


def moodle_slot_figures(marks: list[int], totals: list[int]):
    """(discrimination %, discriminative efficiency %) of one slot, Moodle's way."""
    s = len(marks)
    others = [t - m for m, t in zip(marks, totals)]
    mark_avg, other_avg = sum(marks) / s, sum(others) / s
    sorted_marks, sorted_others = sorted(marks), sorted(others)
    var_sum = other_var_sum = cov_sum = cov_max_sum = 0.0
    for i in range(s):
        dm, do = marks[i] - mark_avg, others[i] - other_avg
        var_sum += dm * dm
        other_var_sum += do * do
        cov_sum += dm * do
        cov_max_sum += (sorted_marks[i] - mark_avg) * (sorted_others[i] - other_avg)
    markvariance, othermarkvariance = var_sum / (s - 1), other_var_sum / (s - 1)
    covariance, covariancemax = cov_sum / (s - 1), cov_max_sum / (s - 1)
    discrimination = (100 * covariance / sqrt(markvariance * othermarkvariance)
                      if markvariance * othermarkvariance else None)
    efficiency = 100 * covariance / covariancemax if covariancemax else None
    return discrimination, efficiency, markvariance


def moodle_cic(matrix: list[list[int]], sum_of_mark_variance: float) -> float | None:
    totals = [sum(row) for row in matrix]
    s, p = len(totals), len(matrix[0])
    mean = sum(totals) / s
    k2 = s * (sum((t - mean) ** 2 for t in totals) / s) / (s - 1)
    if s <= 2 or k2 == 0 or p <= 1:
        return None
    return (100 * p / (p - 1)) * (1 - sum_of_mark_variance / k2)


@pytest.mark.parametrize("seed", range(40))
def test_discrimination_efficiency_and_alpha_agree_with_moodles_walk(seed):
    rng = random.Random(seed)
    learners, items = rng.randint(3, 14), rng.randint(2, 6)
    skill = [rng.random() for _ in range(learners)]
    matrix = [[1 if rng.random() < 0.2 + 0.6 * skill[l] else 0 for _ in range(items)]
              for l in range(learners)]
    totals = [sum(row) for row in matrix]
    variance_sum = 0.0
    for i in range(items):
        marks = [row[i] for row in matrix]
        rest = [t - m for m, t in zip(marks, totals)]
        discrimination, efficiency, markvariance = moodle_slot_figures(marks, totals)
        variance_sum += markvariance
        ours = stats.discrimination(marks, rest)
        assert (ours is None) == (discrimination is None)
        if ours is not None:
            assert 100 * ours == pytest.approx(discrimination, abs=1e-9)
        ours = stats.discriminative_efficiency(marks, rest)
        assert (ours is None) == (efficiency is None)
        if ours is not None:
            assert 100 * ours == pytest.approx(efficiency, abs=1e-9)
        assert stats.facility(marks) == pytest.approx(sum(marks) / learners)
    cic = moodle_cic(matrix, variance_sum)
    ours = stats.cronbach_alpha(matrix)
    assert (ours is None) == (cic is None)
    if ours is not None:
        assert 100 * ours == pytest.approx(cic, abs=1e-9)


def test_alpha_needs_three_finished_tests_as_in_moodle():
    assert stats.cronbach_alpha([[1, 0], [0, 1]]) is None
    assert stats.cronbach_alpha([[1, 1], [1, 0], [0, 0]]) == pytest.approx(2 / 3)


def test_efficiency_is_one_when_the_item_ranks_learners_as_the_rest_does():
    assert stats.discriminative_efficiency([0, 0, 1, 1], [0, 1, 2, 3]) == pytest.approx(1.0)
    assert stats.discriminative_efficiency([1, 1, 0, 0], [0, 1, 2, 3]) == pytest.approx(-1.0)
    assert stats.discriminative_efficiency([1, 1, 1, 1], [0, 1, 2, 3]) is None
