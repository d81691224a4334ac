"""Hidden tests: PSI against bin edges fixed once on the training data, smoothed, JSON-ready."""

import json
import math
from statistics import NormalDist

import pytest

from mlquiz.grading.judge import SubjectError


def sample(mean, spread, n=2000):
    """A smooth, repeatable sample of a normal distribution (no random numbers)."""
    shape = NormalDist(mean, spread)
    return [shape.inv_cdf((i + 0.5) / n) for i in range(n)]


TRAINING = sample(30, 8)


def call(subject, name, *args):
    """drift.<name>(*args) in the sandbox; a crash becomes a readable failure."""
    try:
        return subject.call(f"drift.{name}", *args)
    except SubjectError as error:
        where = f" at {error.where}" if error.where else ""
        pytest.fail(f"drift.{name}() raised {error.type_name}: {error.message}{where}")


def test_profile_keeps_edges_and_shares_not_raw_values(subject):
    profile = call(subject, "reference_profile", TRAINING)
    assert type(profile) is dict, f"reference_profile should return a plain dict, got {profile!r:.80}"
    assert set(profile) >= {"edges", "shares"}, (
        f"the profile should hold 'edges' and 'shares'; it has the keys {sorted(profile)}"
    )
    assert "values" not in profile and len(json.dumps(profile)) < 4000, (
        "the profile should be small: the bin edges and the training share per bin, not the 2000 raw values"
    )
    edges, shares = profile["edges"], profile["shares"]
    assert len(edges) == 9 and edges == sorted(edges), (
        f"10 bins need 9 inner edges in increasing order; got {len(edges)} edges"
    )
    assert len(shares) == 10 and abs(sum(shares) - 1) < 1e-9, (
        f"10 bins need 10 training shares that add up to 1; got {len(shares)} adding up to {sum(shares):.4f}"
    )
    assert all(abs(s - 0.1) < 0.01 for s in shares), (
        f"edges at the training deciles put about a tenth of the training data in each bin; got {shares}"
    )


def test_same_distribution_is_stable(subject):
    profile = call(subject, "reference_profile", TRAINING)
    value = call(subject, "psi_against", profile, sample(30, 8, n=1000))
    assert type(value) is float and value < 0.02, (
        f"last night's values come from the training distribution, so PSI should be near 0; got {value!r}"
    )
    status = call(subject, "drift_status", profile, sample(30, 8, n=1000))
    assert status == "stable", f"the same distribution should be 'stable', got {status!r}"


def test_slower_deliveries_are_significant(subject):
    profile = call(subject, "reference_profile", TRAINING)
    value = call(subject, "psi_against", profile, sample(40, 8))
    assert type(value) is float and value > 0.25, (
        f"deliveries ten minutes slower (1.25 standard deviations) should give a PSI well above 0.25, got "
        f"{value!r}. If it is about 0, the live values are being cut at their own deciles: use the "
        "profile's edges."
    )
    status = call(subject, "drift_status", profile, sample(40, 8))
    assert status == "significant", f"a shift of 1.25 standard deviations should be 'significant', got {status!r}"


def test_doubled_spread_is_significant(subject):
    profile = call(subject, "reference_profile", TRAINING)
    status = call(subject, "drift_status", profile, sample(30, 16))
    assert status == "significant", (
        f"the same mean with twice the spread empties the middle bins and fills the outer ones; expected "
        f"'significant', got {status!r}"
    )


def test_moderate_shift_is_moderate(subject):
    profile = call(subject, "reference_profile", TRAINING)
    status = call(subject, "drift_status", profile, sample(33, 8))
    assert status == "moderate", (
        f"a shift of 3 minutes (0.375 standard deviations) gives a PSI of about 0.13, in the 0.1-0.25 band; "
        f"expected 'moderate', got {status!r}"
    )


def test_values_beyond_every_edge_give_a_finite_psi(subject):
    profile = call(subject, "reference_profile", TRAINING)
    value = call(subject, "psi_against", profile, [500.0] * 100)
    assert type(value) is float and math.isfinite(value) and value > 1, (
        f"when every live value lies past the last edge, nine bins are empty: smooth empty shares with a small "
        f"epsilon so PSI is a large but finite float; got {value!r}"
    )
    low = call(subject, "psi_against", profile, [-100.0] * 100)
    assert type(low) is float and math.isfinite(low) and low > 1, (
        f"values below the first edge belong in the first bin, and PSI must stay finite; got {low!r}"
    )


def test_profile_works_after_a_json_round_trip(subject):
    profile = call(subject, "reference_profile", TRAINING)
    stored = json.loads(json.dumps(profile))
    live = sample(36, 8)
    fresh, reread = call(subject, "psi_against", profile, live), call(subject, "psi_against", stored, live)
    assert type(reread) is float and reread == pytest.approx(fresh, abs=1e-9), (
        f"the profile is stored as JSON next to the model; read back, it should give the same PSI "
        f"({fresh!r}), got {reread!r}"
    )


def test_empty_samples_are_refused(subject):
    with subject.raises("ValueError"):
        subject.call("drift.reference_profile", [])
    profile = call(subject, "reference_profile", TRAINING)
    with subject.raises("ValueError"):
        subject.call("drift.psi_against", profile, [])
