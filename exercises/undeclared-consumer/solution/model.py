"""Upgrade-propensity model: how likely is a customer to buy the premium plan?

Declared consumers (tell the model team before you read predict()):
- billing.discount_for: gives a discount when the label is True.

predict() returns a Prediction that carries its own meaning:

    p = predict({"logins_per_week": 9, "seats": 12, "support_tickets": 1})
    p.probability, p.label, p.threshold, p.model_version
    json.dumps(p.to_dict())
"""
import math
from dataclasses import asdict, dataclass

MODEL_VERSION = "upgrade-propensity-2024.1"
DEFAULT_THRESHOLD = 0.8
WEIGHTS = {"logins_per_week": 0.35, "seats": 0.12, "support_tickets": -0.25}
BIAS = -2.0


@dataclass(frozen=True)
class Prediction:
    probability: float
    label: bool
    threshold: float
    model_version: str

    def to_dict(self):
        return asdict(self)


def predict(customer, threshold=DEFAULT_THRESHOLD):
    """Upgrade probability with its decision, the threshold behind it and the model version."""
    z = BIAS + sum(weight * customer[name] for name, weight in WEIGHTS.items())
    probability = 1.0 / (1.0 + math.exp(-z))
    return Prediction(
        probability=probability,
        label=probability >= threshold,
        threshold=threshold,
        model_version=MODEL_VERSION,
    )


if __name__ == "__main__":
    print(predict({"logins_per_week": 9, "seats": 12, "support_tickets": 1}))
