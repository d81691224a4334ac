"""Scoring for the late-delivery model.

    request = {"id": "r1", "customer_id": "c7", "distance_km": 12.0}
    predict(request, customers)  # -> 0.27...

Each prediction is appended to a log, one JSON object per line; the monthly
retrain (training.py) reads that log.
"""

import json
import math

MODEL_VERSION = "late-delivery-7"
WEIGHTS = {"open_orders": 0.08, "late_last_90d": 0.3, "distance_km": 0.01}
BIAS = -1.2


def features(customer, request):
    """The model's inputs for one request: customer row plus request."""
    return {
        "open_orders": customer["open_orders"],
        "late_last_90d": customer["late_last_90d"],
        "distance_km": request["distance_km"],
    }


def score(values):
    """Probability that the delivery is late."""
    z = BIAS + sum(weight * values[name] for name, weight in WEIGHTS.items())
    return 1 / (1 + math.exp(-z))


def predict(request, customers, log_path="serving_log.jsonl"):
    """Score one request; customers is {customer_id: row of the table}."""
    customer = customers[request["customer_id"]]
    probability = score(features(customer, request))
    with open(log_path, "a", encoding="utf-8") as log:
        entry = {"request_id": request["id"], "score": probability}
        log.write(json.dumps(entry) + "\n")
    return probability
