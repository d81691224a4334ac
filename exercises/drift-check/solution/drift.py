"""Drift checks for one numeric feature: live data against the training data.

    >>> drift_status(sample(50, 10), sample(50, 20))    # same mean, spread doubled
    'significant'
    >>> drift_status([48, 50, 52] * 100, [49, 51, 53] * 100)  # three values, each one higher
    'moderate'

PSI compares binned proportions; KS compares the empirical distribution
functions. Both notice a change of shape that leaves the mean where it was.

The bins are equal-width over both samples together, so psi(a, b) equals
psi(b, a) and nothing has to be stored with the model. Credit scoring
usually cuts the reference at its deciles instead and keeps those edges
(every bin then starts with a tenth of the training data); the price is
that PSI is no longer symmetric.

There are never more bins than either sample has distinct values: on a
feature with few values, narrower bins measure the gaps between those
values, and the PSI explodes. The price of the cap is the opposite error:
coarse bins can hold a whole shift inside them (PSI 0.000 for the example
above, where KS is 0.33). So the status does not rest on PSI alone: a KS
statistic above its 1% critical value makes a feature at least 'moderate'.
"""

import bisect
import math
from statistics import NormalDist

EPSILON = 1e-4  # stands in for an empty bin's share, so ln() stays finite
KS_CRITICAL_C = 1.63  # c(alpha) of the two-sample KS test at alpha = 0.01
STABLE_BELOW = 0.10  # PSI bands: rules of thumb from credit scoring,
SIGNIFICANT_ABOVE = 0.25  # not a statistical test; they depend on the bins.


def _bin_shares(values, low, width, bins):
    counts = [0] * bins
    for value in values:
        index = int((value - low) / width) if width else 0
        counts[min(index, bins - 1)] += 1
    return [max(count / len(values), EPSILON) for count in counts]


def psi(expected, actual, bins=10):
    """Population stability index of `actual` against `expected`.

    Both samples are cut into `bins` equal-width bins spanning the smallest
    to the largest value of the two together; the last bin includes the top.
    There are never more bins than either sample has distinct values.
    psi([0.5] * 2 + [1.5] * 5 + [2.5] * 3, [0.5] + [1.5] * 6 + [2.5] * 3, bins=3) -> 0.0875
    """
    if not expected or not actual:
        raise ValueError("psi needs two non-empty samples")
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    bins = min(bins, len(set(expected)), len(set(actual)))
    low = min(min(expected), min(actual))
    high = max(max(expected), max(actual))
    width = (high - low) / bins
    shares_e = _bin_shares(expected, low, width, bins)
    shares_a = _bin_shares(actual, low, width, bins)
    return sum((a - e) * math.log(a / e) for e, a in zip(shares_e, shares_a))


def ks(a, b):
    """Two-sample Kolmogorov-Smirnov statistic: the largest gap between the
    empirical CDFs. ks([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]) -> 0.4
    """
    if not a or not b:
        raise ValueError("ks needs two non-empty samples")
    a, b = sorted(a), sorted(b)
    gap = 0.0
    for x in sorted(set(a) | set(b)):
        cdf_a = bisect.bisect_right(a, x) / len(a)
        cdf_b = bisect.bisect_right(b, x) / len(b)
        gap = max(gap, abs(cdf_a - cdf_b))
    return gap


def ks_critical(n, m):
    """The KS statistic two samples of sizes n and m exceed by chance with probability 1%
    (the large-sample approximation): ks_critical(300, 300) -> 0.133..."""
    return KS_CRITICAL_C * math.sqrt((n + m) / (n * m))


def drift_status(reference, current, bins=10):
    """'stable', 'moderate' or 'significant': the PSI band of current vs reference, and at
    least 'moderate' when KS sees a shift that no chance explains (PSI can be blind to it)."""
    value = psi(reference, current, bins)
    if value > SIGNIFICANT_ABOVE:
        return "significant"
    if value >= STABLE_BELOW or ks(reference, current) > ks_critical(len(reference), len(current)):
        return "moderate"
    return "stable"


def sample(mean, spread, n=1000):
    """A smooth, repeatable sample of a normal distribution (for examples and the demo)."""
    shape = NormalDist(mean, spread)
    return [shape.inv_cdf((i + 0.5) / n) for i in range(n)]


def nightly_report(features):
    """features: {name: (training values, live values)} -> {name: status}"""
    return {name: drift_status(ref, live) for name, (ref, live) in features.items()}


if __name__ == "__main__":
    features = {
        "income_k": (sample(50, 10), sample(50, 20)),  # same mean, spread doubled
        "utilisation": (sample(0.30, 0.1), sample(0.34, 0.1)),  # moved 0.4 sd
        "balance_change": (sample(0.5, 10), sample(0.6, 10)),  # moved 0.01 sd
    }
    for name, (training, live) in features.items():
        print(f"{name:15} PSI {psi(training, live):.3f}  KS {ks(training, live):.3f}  {drift_status(training, live)}")
