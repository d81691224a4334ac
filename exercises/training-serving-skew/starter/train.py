"""Offline side: the features the model was trained on, and the nightly batch scores.

    >>> offline_predict({"tenure_months": 13, "tenure_days": 400,
    ...                  "monthly_charges": 70.0, "plan": "basic"})
    0.5035...
"""

from features import PLANS, PRODUCTS, one_hot
from model import score


def training_features(row):
    """Feature dict for one customer row from the warehouse."""
    # Customers without a plan record signed up before plans existed: basic.
    plan = row.get("plan") or "basic"
    features = {
        "tenure_years": row["tenure_months"] / 12,
        "charges_scaled": row["monthly_charges"] / 100,
        "support_calls": row.get("support_calls", 0),
        "products": sum(1 for product in PRODUCTS if row.get(product)),
    }
    features.update(one_hot("plan", plan, PLANS))
    return features


def offline_predict(row):
    """Churn probability as the nightly batch job computes it."""
    return score(training_features(row))


if __name__ == "__main__":
    row = {"tenure_months": 13, "tenure_days": 400, "monthly_charges": 70.0, "plan": "basic"}
    print(f"offline: {offline_predict(row):.4f}")
