"""Churn model used by the nightly scoring job.

This file started as a notebook. The cells were pasted in one after the
other, the nightly job imports it, and analysts still import it to try
out settings by poking SETTINGS before calling train().
"""
import json
import math
import os

print("churn_model: loading and training ...")

SETTINGS = {"learning_rate": 0.1, "epochs": 40, "threshold": 0.5}

# Experiment hook from the notebook days: whoever ran the last experiment
# left their favourite settings in the working directory.
if os.path.exists("experiment_overrides.json"):
    with open("experiment_overrides.json") as handle:
        SETTINGS.update(json.load(handle))

FEATURES = ("tenure_years", "support_calls", "late_payments")

TRAINING_ROWS = [
    ({"tenure_years": 0.5, "support_calls": 6, "late_payments": 2}, 1),
    ({"tenure_years": 4.0, "support_calls": 1, "late_payments": 0}, 0),
    ({"tenure_years": 1.0, "support_calls": 4, "late_payments": 3}, 1),
    ({"tenure_years": 6.0, "support_calls": 0, "late_payments": 0}, 0),
    ({"tenure_years": 2.5, "support_calls": 2, "late_payments": 1}, 0),
    ({"tenure_years": 0.2, "support_calls": 7, "late_payments": 4}, 1),
    ({"tenure_years": 3.0, "support_calls": 5, "late_payments": 2}, 1),
    ({"tenure_years": 5.5, "support_calls": 1, "late_payments": 1}, 0),
]

MODEL = {"weights": {name: 0.0 for name in FEATURES}, "bias": 0.0}
RUNS = []


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def train(rows, learning_rate=None, epochs=None):
    """Fit MODEL in place. None means: whatever SETTINGS says right now."""
    if learning_rate is not None:
        SETTINGS["learning_rate"] = learning_rate
    if epochs is not None:
        SETTINGS["epochs"] = epochs
    for name in FEATURES:
        MODEL["weights"][name] = 0.0
    MODEL["bias"] = 0.0
    for _ in range(SETTINGS["epochs"]):
        for row, label in rows:
            error = predict_proba(row) - label
            for name in FEATURES:
                MODEL["weights"][name] -= SETTINGS["learning_rate"] * error * row[name]
            MODEL["bias"] -= SETTINGS["learning_rate"] * error
    RUNS.append(dict(SETTINGS))
    with open("experiment_runs.log", "a") as log:
        log.write(json.dumps(RUNS[-1]) + "\n")
    return MODEL


def predict_proba(row, model=None):
    model = model or MODEL
    z = model["bias"] + sum(model["weights"][name] * row[name] for name in FEATURES)
    return _sigmoid(z)


def will_churn(row, model=None):
    return predict_proba(row, model) >= SETTINGS["threshold"]


# --- last notebook cells -------------------------------------------------
train(TRAINING_ROWS)
correct = sum(will_churn(row) == bool(label) for row, label in TRAINING_ROWS)
print("training accuracy:", correct / len(TRAINING_ROWS))

if __name__ == "__main__":
    customer = {"tenure_years": 1.5, "support_calls": 3, "late_payments": 1}
    print("churn probability:", round(predict_proba(customer), 3))
