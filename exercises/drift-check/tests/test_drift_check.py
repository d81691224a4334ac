"""Hidden tests: PSI, KS and a status that notices changes of shape, not only of the mean."""

import math
from statistics import NormalDist

import pytest

from mlquiz.grading.judge import SubjectError


def sample(mean, spread, n=2000):
    """A smooth, repeatable sample of a normal distribution (no random numbers)."""
    shape = NormalDist(mean, spread)
    return [shape.inv_cdf((i + 0.5) / n) for i in range(n)]


def call(subject, name, *args):
    """Call drift.<name>(*args) in the subject; a missing function or a crash fails with a
    readable message."""
    drift = subject.module("drift")
    if name not in subject.snapshot("drift"):
        pytest.fail(f"drift.py has no function {name}() yet; the task asks for psi(), ks() and drift_status()")
    try:
        return getattr(drift, name)(*args)
    except SubjectError as error:
        pytest.fail(f"drift.{name}() crashed with {error.type_name}: {error.message}")


TRAINING = sample(50, 10)


def test_identical_distributions_are_stable(subject):
    live = sample(50, 10, n=1000)
    value = call(subject, "psi", TRAINING, live, 10)
    assert value < 0.01, f"two samples of the same distribution should give PSI < 0.01, got {value:.4f}"
    status = call(subject, "drift_status", TRAINING, live)
    assert status == "stable", f"the same distribution twice should be 'stable', got {status!r}"


def test_stability_index_matches_the_worked_example(subject):
    # shares per bin: expected (0.2, 0.5, 0.3), actual (0.1, 0.6, 0.3)
    expected = [0.5] * 20 + [1.5] * 50 + [2.5] * 30
    actual = [0.5] * 10 + [1.5] * 60 + [2.5] * 30
    value = call(subject, "psi", expected, actual, 3)
    assert value == pytest.approx(0.0875, abs=1e-3), (
        f"with bin shares (0.2, 0.5, 0.3) vs (0.1, 0.6, 0.3), PSI = sum((a - e) * ln(a / e)) is about 0.0875, "
        f"but psi() returned {value:.4f}. Check the bins (3 equal-width bins from the lowest to the highest value) "
        "and the formula."
    )


def test_stability_index_is_symmetric_and_finite_with_an_empty_bin(subject):
    for live in (sample(54, 10), sample(52, 14)):
        forward, backward = call(subject, "psi", TRAINING, live, 10), call(subject, "psi", live, TRAINING, 10)
        assert forward == pytest.approx(backward, abs=1e-9), (
            f"PSI should not depend on which sample comes first: psi(a, b) = {forward:.6f} but "
            f"psi(b, a) = {backward:.6f}. Build the bins from the lowest to the highest value of both "
            "samples together."
        )
    expected = [0.5] * 20 + [1.5] * 50 + [2.5] * 30
    gap = [0.5] * 40 + [2.4] * 30 + [2.5] * 30  # three values, nothing in the middle bin
    value = call(subject, "psi", expected, gap, 3)
    assert isinstance(value, float) and math.isfinite(value) and value > 0.25, (
        f"when one sample has an empty bin, PSI should still be a finite, large number (smooth empty bins with a small "
        f"epsilon instead of taking ln(0)); got {value!r}"
    )


def test_same_mean_with_a_doubled_spread_is_significant(subject):
    live = sample(50, 20)
    status = call(subject, "drift_status", TRAINING, live)
    assert status == "significant", (
        f"live incomes have the same mean (50) but twice the standard deviation (20 instead of 10): about a third "
        f"of live customers are now more than two training standard deviations out, against 5% in training. "
        f"drift_status said {status!r}, "
        "expected 'significant'. A check on the mean alone cannot see this."
    )


def test_moderate_shift_is_reported_as_moderate(subject):
    live = sample(54, 10)  # the mean moved 8%, 0.4 standard deviations
    status = call(subject, "drift_status", TRAINING, live)
    assert status == "moderate", (
        f"a mean that moved by 0.4 standard deviations gives a PSI of about 0.15, in the 0.1-0.25 band: "
        f"expected 'moderate', got {status!r}"
    )


def test_tiny_move_of_a_mean_near_zero_is_not_drift(subject):
    training, live = sample(0.5, 10), sample(0.6, 10)
    status = call(subject, "drift_status", training, live)
    assert status == "stable", (
        f"the mean moved from 0.5 to 0.6 (20%), but that is 1% of a standard deviation and the distributions "
        f"overlap almost perfectly. drift_status said {status!r}; expected 'stable'. Percent changes of a mean "
        "near zero page people for nothing."
    )


def test_kolmogorov_smirnov_gap(subject):
    value = call(subject, "ks", [1, 2, 3, 4, 5], [3, 4, 5, 6, 7])
    assert value == pytest.approx(0.4, abs=1e-9), (
        f"KS([1..5], [3..7]) is 0.4 (at x=2 one CDF is at 0.4, the other at 0), got {value!r}"
    )
    same = call(subject, "ks", [3, 1, 2], [1, 2, 3])
    assert same == pytest.approx(0.0, abs=1e-12), f"KS of a sample with itself (in another order) is 0, got {same!r}"
    swapped = call(subject, "ks", [3, 4, 5, 6, 7], [1, 2, 3, 4, 5])
    assert swapped == pytest.approx(value, abs=1e-12), f"KS should be symmetric: {value!r} vs {swapped!r} swapped"


def test_a_discrete_feature_that_moved_is_not_called_stable(subject):
    # seats per account: 48, 50 or 52 in training, 49, 51 or 53 live; every value moved up by one
    training, live = [48, 50, 52] * 100, [49, 51, 53] * 100
    status = call(subject, "drift_status", training, live)
    assert status in ("moderate", "significant"), (
        "a feature with three values moved up by one step, 0.6 of its standard deviation (KS 0.33), "
        f"and drift_status called it {status!r}. With the bins capped at the three values each old "
        "value shares its bin with its new neighbour, so the capped PSI is 0.000 and blind to the "
        "move: keep the bins uncapped, or let KS have a say in the status"
    )
    value = call(subject, "psi", training, live, 10)
    assert isinstance(value, float) and math.isfinite(value), (
        f"psi() of a feature with three values should still be a finite number, got {value!r}"
    )
