"""Upgrade-propensity model: how likely is a customer to buy the premium plan?

Owned by the data science team. As far as they know, only the marketing
dashboard reads predict().
"""
import math

WEIGHTS = {"logins_per_week": 0.35, "seats": 0.12, "support_tickets": -0.25}
BIAS = -2.0


def predict(customer):
    """Probability that the customer upgrades, as a bare float."""
    z = BIAS + sum(weight * customer[name] for name, weight in WEIGHTS.items())
    return 1.0 / (1.0 + math.exp(-z))


if __name__ == "__main__":
    print(predict({"logins_per_week": 9, "seats": 12, "support_tickets": 1}))
