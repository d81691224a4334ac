"""Hidden tests: a threshold learned on held-out data, and a flag-rate monitor."""

import math
import random

import pytest

from mlquiz.grading.judge import SubjectError


def held_out(seed, n=3000, fraud_share=0.05, fraud_mean=0.5, normal_mean=-3.0):
    """Labelled validation data: (scores, labels), repeatable for a seed."""
    rng = random.Random(seed)
    scores, labels = [], []
    for _ in range(n):
        fraud = rng.random() < fraud_share
        scores.append(1 / (1 + math.exp(-rng.gauss(fraud_mean if fraud else normal_mean, 1.2))))
        labels.append(int(fraud))
    return scores, labels


def function_of(subject, name):
    """alerts.<name> in the subject, or None when alerts.py has no such name."""
    alerts = subject.module("alerts")
    return getattr(alerts, name) if name in subject.snapshot("alerts") else None


def call(subject, name, *args):
    """Call alerts.<name>(*args); a missing function or a crash fails with a readable message."""
    function = function_of(subject, name)
    if function is None:
        pytest.fail(
            f"alerts.py has no function {name}() yet; the task asks for "
            "choose_threshold(scores, labels, target_precision) and check_flag_rate(live_scores, threshold, band)"
        )
    try:
        return function(*args)
    except SubjectError as error:
        pytest.fail(f"alerts.{name}() crashed with {error.type_name}: {error.message}")


def precision_recall(scores, labels, threshold):
    flagged = [label for score, label in zip(scores, labels) if score >= threshold]
    precision = sum(flagged) / len(flagged) if flagged else 0.0
    return precision, sum(flagged) / sum(labels)


def lowest_threshold_reaching(scores, labels, target):
    """Brute force over the distinct scores, from the highest down (scores here have no ties)."""
    lowest, fraud = None, 0
    for rank, (score, label) in enumerate(sorted(zip(scores, labels), reverse=True), start=1):
        fraud += label
        if fraud / rank >= target:
            lowest = score
    return lowest


def learned(subject, scores, labels, target):
    threshold = call(subject, "choose_threshold", scores, labels, target)
    assert isinstance(threshold, (int, float)), (
        f"choose_threshold should return a number for a reachable target ({target}), got {threshold!r}"
    )
    return threshold


def test_precision_on_held_out_data_reaches_the_target(subject):
    scores, labels = held_out(seed=11)
    for target in (0.6, 0.8):
        threshold = learned(subject, scores, labels, target)
        precision, _ = precision_recall(scores, labels, threshold)
        assert precision >= target, (
            f"with target precision {target}, the chosen threshold {threshold:.3f} gives precision {precision:.3f} "
            "on the held-out data it was chosen on (a transaction is flagged when score >= threshold)"
        )


def test_threshold_is_not_stricter_than_needed(subject):
    scores, labels = held_out(seed=12)
    target = 0.7
    threshold = learned(subject, scores, labels, target)
    lowest = lowest_threshold_reaching(scores, labels, target)
    best_recall = precision_recall(scores, labels, lowest)[1]
    _, recall = precision_recall(scores, labels, threshold)
    assert recall >= best_recall - 0.005, (
        f"threshold {threshold:.3f} catches {recall:.1%} of fraud, but {lowest:.3f} also meets precision "
        f"{target} and catches {best_recall:.1%}: choose the lowest threshold that still reaches the target"
    )


def test_threshold_follows_the_scores_when_they_shift(subject):
    scores, labels = held_out(seed=13)
    before = learned(subject, scores, labels, 0.7)
    after = learned(subject, [score + 0.2 for score in scores], labels, 0.7)
    assert after - before == pytest.approx(0.2, abs=0.02), (
        f"every score moved up by 0.2 (a retrained model), so the threshold should move by about 0.2 too; "
        f"it went from {before:.3f} to {after:.3f}. A threshold written into the code cannot do this."
    )


def test_threshold_lies_within_the_scores(subject):
    scores, labels = held_out(seed=14)
    threshold = learned(subject, scores, labels, 0.7)
    assert min(scores) <= threshold <= max(scores), (
        f"the threshold {threshold:.3f} lies outside the held-out scores ({min(scores):.3f} to {max(scores):.3f})"
    )


def test_tied_scores_are_flagged_together(subject):
    # Real scores are often rounded, so several transactions share one score; a threshold
    # flags all of them or none of them.
    scores = [0.95, 0.9, 0.7, 0.7, 0.7, 0.7, 0.3]
    labels = [1, 1, 1, 1, 0, 0, 0]
    threshold = learned(subject, scores, labels, 0.75)
    precision, _ = precision_recall(scores, labels, threshold)
    assert threshold == pytest.approx(0.9), (
        f"with target precision 0.75 on scores {scores} and labels {labels}, choose_threshold returned "
        f"{threshold!r} (precision {precision:.2f} there); the answer is 0.9. The four transactions tied at "
        "0.7 are flagged together, 2 of them fraud, so 0.7 gives 4 of 6 = 0.67, and 0.9 is the lowest "
        "threshold that reaches 0.75. Judge a score only after the last of its ties"
    )


def test_unreachable_target_is_refused(subject):
    scores, labels = [0.9, 0.8, 0.7, 0.6], [0, 1, 0, 1]  # the top score is not fraud
    function = function_of(subject, "choose_threshold")
    if function is None:
        pytest.fail("alerts.py has no function choose_threshold() yet")
    try:
        threshold = function(scores, labels, 0.9)
    except SubjectError as error:
        if error.is_a("ValueError"):
            return
        pytest.fail(f"an unreachable target should return None or raise ValueError, not {error.type_name}: {error.message}")
    assert threshold is None, (
        f"no threshold reaches precision 0.9 on scores {scores} with labels {labels}, yet choose_threshold "
        f"returned {threshold!r}; return None (or raise ValueError) so nobody ships a threshold that cannot deliver"
    )


def test_monitor_reports_a_flag_rate_outside_the_band(subject):
    band = (0.02, 0.08)
    live = [i / 100 for i in range(100)]  # flag rate = share of scores >= threshold
    cases = [(0.95, "ok", "5%"), (0.995, "too_low", "0%"), (0.5, "too_high", "50%"),
             (0.92, "ok", "8% (the upper edge, which is inside)"), (0.98, "ok", "2% (the lower edge, which is inside)")]
    for threshold, expected, rate in cases:
        status = call(subject, "check_flag_rate", live, threshold, band)
        assert status == expected, (
            f"at threshold {threshold} the live flag rate is {rate} and the band is 2%-8%: expected {expected!r}, "
            f"got {status!r}"
        )


def test_retrained_model_gets_its_own_threshold(subject):
    # Model v3 scores everything lower than v1 did; 0.7 was chosen for v1.
    scores, labels = held_out(seed=15, fraud_mean=-0.5, normal_mean=-4.0)
    live, _ = held_out(seed=16, fraud_mean=-0.5, normal_mean=-4.0)
    band = (0.02, 0.08)
    stale = call(subject, "check_flag_rate", live, 0.7, band)
    assert stale == "too_low", (
        f"with the old fixed threshold 0.7, v3 flags almost nothing; the monitor should say 'too_low', got {stale!r}"
    )
    threshold = learned(subject, scores, labels, 0.6)
    fresh = call(subject, "check_flag_rate", live, threshold, band)
    assert fresh == "ok", (
        f"a threshold learned on v3's held-out data ({threshold:.3f}) should give a live flag rate inside "
        f"the 2%-8% band; the monitor said {fresh!r}"
    )
