"""The one place where a customer record becomes model features.

    >>> customer_features({"tenure_months": 13, "monthly_charges": 70.0})["plan_basic"]
    1

Training (train.py) and serving (serve.py) both call customer_features, so
the model sees the same numbers online as it learned from offline.
"""

PLANS = ("basic", "standard", "premium")
PRODUCTS = ("has_phone", "has_internet", "has_tv")
# Customers without a plan record signed up before plans existed.
DEFAULT_PLAN = "basic"


def one_hot(prefix, value, choices):
    """one_hot("plan", "basic", PLANS) -> {"plan_basic": 1, "plan_standard": 0, ...}"""
    return {f"{prefix}_{choice}": int(value == choice) for choice in choices}


def customer_features(record):
    """Feature dict for one customer record; keys outside the schema are ignored."""
    features = {
        "tenure_years": record["tenure_months"] / 12,
        "charges_scaled": float(record["monthly_charges"]) / 100,
        "support_calls": record.get("support_calls") or 0,
        "products": sum(1 for product in PRODUCTS if record.get(product)),
    }
    features.update(one_hot("plan", record.get("plan") or DEFAULT_PLAN, PLANS))
    return features
