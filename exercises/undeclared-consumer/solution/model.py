"""Upgrade-propensity model: how likely is a customer to buy the premium plan?

Every reader of predict() is declared in CONSUMERS and names itself on each
call, so the model team can see who depends on the output before a retrain:

    p = predict({"logins_per_week": 9, "seats": 12, "support_tickets": 1}, consumer="billing")
    p.probability, p.label, p.threshold, p.model_version
    json.dumps(p.to_dict())
    predict(customer, consumer="fraud-team")   # UndeclaredConsumer: declare it first
"""
import math
from dataclasses import asdict, dataclass

MODEL_VERSION = "upgrade-propensity-2024.1"
DEFAULT_THRESHOLD = 0.8
WEIGHTS = {"logins_per_week": 0.35, "seats": 0.12, "support_tickets": -0.25}
BIAS = -2.0

# Who reads predict(), and what for. Add a line here (and tell the model
# team) before a new system starts using the output.
CONSUMERS = {
    "marketing-dashboard": "shows the upgrade probability per account",
    "billing": "gives a discount when the label is True (billing.discount_for)",
}


class UndeclaredConsumer(PermissionError):
    """A caller that is not listed in CONSUMERS."""


@dataclass(frozen=True)
class Prediction:
    probability: float
    label: bool
    threshold: float
    model_version: str

    def to_dict(self):
        return asdict(self)


def predict(customer, consumer, threshold=DEFAULT_THRESHOLD):
    """Upgrade probability with its decision, the threshold behind it and the model version,
    for a declared consumer only."""
    if consumer not in CONSUMERS:
        raise UndeclaredConsumer(
            f"{consumer!r} is not a declared consumer of the upgrade model; add it to CONSUMERS first"
        )
    z = BIAS + sum(weight * customer[name] for name, weight in WEIGHTS.items())
    probability = 1.0 / (1.0 + math.exp(-z))
    return Prediction(
        probability=probability,
        label=probability >= threshold,
        threshold=threshold,
        model_version=MODEL_VERSION,
    )


if __name__ == "__main__":
    print(predict({"logins_per_week": 9, "seats": 12, "support_tickets": 1}, consumer="marketing-dashboard"))
