"""Drift check for the categorical features of the checkout model.

    training = ["card"] * 70 + ["paypal"] * 30
    categorical_drift(training, ["card"] * 60 + ["paypal"] * 40)
    # -> {"divergence": 0.008..., "drifted": False,
    #     "new": [], "missing": []}

Jensen-Shannon divergence over every category of either side: symmetric,
finite when a category exists on one side only, and at most 1 in base 2.
"""

import math
from collections import Counter

DRIFTED_ABOVE = 0.1


def category_shares(values):
    """{category: share of values}

    category_shares(["a", "a", "b", "b"]) -> {"a": 0.5, "b": 0.5}
    """
    if not values:
        raise ValueError("no values to count categories in")
    counts = Counter(values)
    return {category: n / len(values) for category, n in counts.items()}


def _kl(p, m, base):
    # terms with p == 0 contribute nothing; m > 0 wherever p > 0
    return sum(share * math.log(share / m[category], base)
               for category, share in p.items() if share > 0)


def divergence(p, q, base=2):
    """Jensen-Shannon divergence of two share dicts.

    divergence({"a": 1.0}, {"b": 1.0}) -> 1.0
    """
    categories = set(p) | set(q)
    m = {c: (p.get(c, 0.0) + q.get(c, 0.0)) / 2 for c in categories}
    return (_kl(p, m, base) + _kl(q, m, base)) / 2


def categorical_drift(training, live):
    """Divergence, drifted flag, and categories new in or missing from live."""
    p, q = category_shares(training), category_shares(live)
    value = divergence(p, q)
    return {
        "divergence": value,
        "drifted": value > DRIFTED_ABOVE,
        "new": sorted(set(q) - set(p)),
        "missing": sorted(set(p) - set(q)),
    }


if __name__ == "__main__":
    training = ["card"] * 600 + ["paypal"] * 300 + ["invoice"] * 100
    nights = {
        "a normal night":
            ["card"] * 590 + ["paypal"] * 310 + ["invoice"] * 100,
        "new wallet launched":
            ["card"] * 450 + ["paypal"] * 200 + ["invoice"] * 50
            + ["wallet"] * 300,
        "invoice switched off": ["card"] * 650 + ["paypal"] * 350,
    }
    for name, live in nights.items():
        print(f"{name:22}", categorical_drift(training, live))
