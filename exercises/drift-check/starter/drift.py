"""Nightly drift check for the features of the credit-limit model.

    >>> drift_status([48, 50, 52] * 100, [49, 51, 53] * 100)
    'stable'

Compares last night's live values of a feature with the training data and
pages the on-call engineer when a feature has drifted.
"""

from statistics import fmean

ALERT_TOLERANCE = 0.10  # page when the mean moves by more than 10%


def mean_shift(reference, current):
    """Relative change of the mean: mean_shift([10, 10], [11, 11]) -> 0.1"""
    before = fmean(reference)
    return abs(fmean(current) - before) / abs(before)


def drift_status(reference, current):
    """'stable' or 'significant' for one feature."""
    if mean_shift(reference, current) > ALERT_TOLERANCE:
        return "significant"
    return "stable"


def nightly_report(features):
    """features: {name: (training values, live values)} -> {name: status}"""
    return {name: drift_status(ref, live) for name, (ref, live) in features.items()}


if __name__ == "__main__":
    from statistics import NormalDist

    def sample(mean, spread, n=1000):
        shape = NormalDist(mean, spread)
        return [shape.inv_cdf((i + 0.5) / n) for i in range(n)]

    report = nightly_report(
        {
            "income_k": (sample(50, 10), sample(50, 20)),  # same mean, spread doubled
            "utilisation": (sample(0.30, 0.1), sample(0.34, 0.1)),  # moved 13%: noticed
            "balance_change": (sample(0.5, 10), sample(0.6, 10)),  # moved 20% of almost nothing
        }
    )
    for name, status in report.items():
        print(f"{name:15} {status}")
