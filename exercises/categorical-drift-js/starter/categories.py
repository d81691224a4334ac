"""Drift check for the categorical features of the checkout model.

    training = ["card"] * 70 + ["paypal"] * 30
    categorical_drift(training, ["card"] * 60 + ["paypal"] * 40)
    # -> {"divergence": 0.02..., "drifted": False}

Every night it compares the category shares of one feature (payment method,
country, device) in last night's traffic with the training data.
"""

import math
from collections import Counter

DRIFTED_ABOVE = 0.1


def category_shares(values):
    """{category: share of values}

    category_shares(["a", "a", "b", "b"]) -> {"a": 0.5, "b": 0.5}
    """
    counts = Counter(values)
    return {category: n / len(values) for category, n in counts.items()}


def divergence(p, q):
    """How far share dicts p (training) and q (live) are apart: KL(p || q)."""
    total = 0.0
    for category, share in p.items():
        total += share * math.log(share / q[category])
    return total


def categorical_drift(training, live):
    """{"divergence": float, "drifted": bool} for one categorical feature."""
    value = divergence(category_shares(training), category_shares(live))
    return {"divergence": value, "drifted": value > DRIFTED_ABOVE}


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
