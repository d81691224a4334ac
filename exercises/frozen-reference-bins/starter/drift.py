"""Nightly PSI check for the features of the delivery-time model.

    profile = reference_profile(training)   # stored with the model
    psi_against(profile, last_night)        # -> 0.0, every night

At training time the job stores a profile of each feature; every night it
compares last night's values with that profile and draws the PSI on the
dashboard. The line has been flat at zero since launch.
"""

import math

BINS = 10
STABLE_BELOW = 0.10  # PSI bands: rules of thumb from credit scoring
SIGNIFICANT_ABOVE = 0.25


def decile_edges(values, bins=BINS):
    """The inner cut points that split `values` into `bins` equal groups."""
    ordered = sorted(values)
    return [ordered[len(ordered) * k // bins] for k in range(1, bins)]


def shares(values, edges):
    """Share of `values` per bin; bin i holds edges[i-1] <= v < edges[i]."""
    counts = [0] * (len(edges) + 1)
    for value in values:
        index = 0
        while index < len(edges) and value >= edges[index]:
            index += 1
        counts[index] += 1
    return [count / len(values) for count in counts]


def reference_profile(training, bins=BINS):
    """What the training job stores about one feature, next to the model."""
    return {"values": list(training)}  # keep everything, work it out later


def psi_against(profile, live):
    """PSI of last night's values against the stored profile."""
    reference = profile["values"]
    expected = shares(reference, decile_edges(reference))
    # each sample is cut at its own deciles
    actual = shares(live, decile_edges(live))
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
