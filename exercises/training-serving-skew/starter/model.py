"""The churn model: weights from the last training run, and the scoring rule.

    >>> round(score({name: 0.0 for name in WEIGHTS}), 3)
    0.31

No change is needed here: the model is fine, its inputs are the problem.
"""

import math

BIAS = -0.8
WEIGHTS = {
    "tenure_years": -0.55,
    "charges_scaled": 1.3,
    "support_calls": 0.35,
    "products": -0.4,
    "plan_basic": 0.5,
    "plan_standard": 0.1,
    "plan_premium": -0.3,
}


def score(features):
    """Churn probability for one feature dict that holds every name in WEIGHTS."""
    z = BIAS + sum(weight * features[name] for name, weight in WEIGHTS.items())
    return 1 / (1 + math.exp(-z))
