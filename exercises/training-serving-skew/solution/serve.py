"""Online side: the churn API scores one customer profile per request.

    >>> predict({"tenure_months": 13, "monthly_charges": 70.0, "plan": "basic"})
    0.5035...

Features come from features.customer_features, exactly as in training.
"""

from features import customer_features
from model import score


def predict(payload):
    """Churn probability returned by the API."""
    return score(customer_features(payload))


if __name__ == "__main__":
    from train import offline_predict

    customer = {"tenure_months": 13, "tenure_days": 400, "monthly_charges": 70.0, "plan": "basic"}
    print(f"offline: {offline_predict(customer):.4f}   served: {predict(customer):.4f}")
    customer.pop("plan")
    print(f"no plan  offline: {offline_predict(customer):.4f}   served: {predict(customer):.4f}")
