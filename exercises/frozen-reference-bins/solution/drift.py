"""Nightly PSI check for the features of the delivery-time model.

    profile = reference_profile(training)   # stored with the model
    psi_against(profile, last_night)        # -> 0.0 unchanged, 1.4 if slower

The profile keeps the bin edges, cut once at the training data's deciles, and
the training shares per bin. Every night the live values go into those same
bins, so a shift shows up as shares that move away from a tenth each.
"""

import bisect
import math

BINS = 10
EPSILON = 1e-4  # stands in for an empty bin's share, so ln() stays finite
STABLE_BELOW = 0.10  # PSI bands: rules of thumb from credit scoring
SIGNIFICANT_ABOVE = 0.25


def decile_edges(values, bins=BINS):
    """The inner cut points that split `values` into `bins` equal groups."""
    ordered = sorted(values)
    return [ordered[len(ordered) * k // bins] for k in range(1, bins)]


def shares(values, edges):
    """Share of `values` per bin; bin i holds edges[i-1] <= v < edges[i].
    Values below the first edge go to the first bin, above the last to the
    last."""
    counts = [0] * (len(edges) + 1)
    for value in values:
        counts[bisect.bisect_right(edges, value)] += 1
    return [count / len(values) for count in counts]


def reference_profile(training, bins=BINS):
    """Bin edges fixed on the training data, its share per bin (JSON-ready)."""
    if not training:
        raise ValueError("a profile needs at least one training value")
    if bins < 2:
        raise ValueError(f"bins must be at least 2, got {bins}")
    edges = [float(edge) for edge in decile_edges(training, bins)]
    return {"edges": edges, "shares": shares(training, edges)}


def psi_against(profile, live):
    """PSI of the live values against the stored profile, in its own bins."""
    if not live:
        raise ValueError("no live values to compare with the profile")
    expected = [max(share, EPSILON) for share in profile["shares"]]
    actual = [max(share, EPSILON) for share in shares(live, profile["edges"])]
    return sum((a - e) * math.log(a / e) for e, a in zip(expected, actual))


def drift_status(profile, live):
    """'stable', 'moderate' or 'significant' for one feature."""
    value = psi_against(profile, live)
    if value < STABLE_BELOW:
        return "stable"
    if value <= SIGNIFICANT_ABOVE:
        return "moderate"
    return "significant"


if __name__ == "__main__":
    from statistics import NormalDist

    def sample(mean, spread, n=2000):
        shape = NormalDist(mean, spread)
        return [shape.inv_cdf((i + 0.5) / n) for i in range(n)]

    # delivery minutes at training time
    profile = reference_profile(sample(30, 8))
    for label, live in [("same as training", sample(30, 8)),
                        ("ten minutes slower", sample(40, 8)),
                        ("spread doubled", sample(30, 16))]:
        value, status = psi_against(profile, live), drift_status(profile, live)
        print(f"{label:20} PSI {value:.3f}  {status}")
