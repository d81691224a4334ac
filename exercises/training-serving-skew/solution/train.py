"""Offline side: the nightly batch scores.

    >>> offline_predict({"tenure_months": 13, "monthly_charges": 70.0, "plan": "basic"})
    0.5035...
"""

from features import customer_features
from model import score


def offline_predict(row):
    """Churn probability as the nightly batch job computes it."""
    return score(customer_features(row))


if __name__ == "__main__":
    row = {"tenure_months": 13, "tenure_days": 400, "monthly_charges": 70.0, "plan": "basic"}
    print(f"offline: {offline_predict(row):.4f}")
