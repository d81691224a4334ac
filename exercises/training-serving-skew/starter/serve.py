"""Online side: the churn API scores one customer profile per request.

    >>> predict({"tenure_months": 13, "tenure_days": 400,
    ...          "monthly_charges": 70.0, "plan": "basic", "has_phone": True})
    0.40...

The feature code was rebuilt here so the service does not import training code.
"""

from features import PLANS, one_hot
from model import score


def request_features(payload):
    """Feature dict for one request payload from the profile service."""
    # The profile service counts tenure in days.
    tenure_years = payload.get("tenure_days", 0) / 365
    plan = payload.get("plan", "standard")  # most new sign-ups pick standard
    features = {
        "tenure_years": tenure_years,
        "charges_scaled": float(payload.get("monthly_charges", 0)) / 100,
        "support_calls": payload.get("support_calls", 0),
        # every has_* flag in the profile is a product the customer holds
        "products": sum(1 for key, value in payload.items() if key.startswith("has_") and value),
    }
    features.update(one_hot("plan", plan, PLANS))
    return features


def predict(payload):
    """Churn probability returned by the API."""
    return score(request_features(payload))


if __name__ == "__main__":
    from train import offline_predict

    customer = {"tenure_months": 13, "tenure_days": 400, "monthly_charges": 70.0, "plan": "basic"}
    print(f"offline: {offline_predict(customer):.4f}   served: {predict(customer):.4f}")
    customer.pop("plan")
    print(f"no plan  offline: {offline_predict(customer):.4f}   served: {predict(customer):.4f}")
