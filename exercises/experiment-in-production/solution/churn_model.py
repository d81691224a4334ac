"""Churn model used by the nightly scoring job.

Importing this module only defines things: no training, no printing, no
files. Settings and the trained model are passed in and returned, never
kept in module globals:

    model = train(TRAINING_ROWS, learning_rate=0.1, epochs=40)
    predict_proba(customer, model)        # -> 0.86...
    will_churn(customer, model, threshold=0.5)
"""
import math

FEATURES = ("tenure_years", "support_calls", "late_payments")

TRAINING_ROWS = (
    ({"tenure_years": 0.5, "support_calls": 6, "late_payments": 2}, 1),
    ({"tenure_years": 4.0, "support_calls": 1, "late_payments": 0}, 0),
    ({"tenure_years": 1.0, "support_calls": 4, "late_payments": 3}, 1),
    ({"tenure_years": 6.0, "support_calls": 0, "late_payments": 0}, 0),
    ({"tenure_years": 2.5, "support_calls": 2, "late_payments": 1}, 0),
    ({"tenure_years": 0.2, "support_calls": 7, "late_payments": 4}, 1),
    ({"tenure_years": 3.0, "support_calls": 5, "late_payments": 2}, 1),
    ({"tenure_years": 5.5, "support_calls": 1, "late_payments": 1}, 0),
)


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def train(rows, learning_rate=0.1, epochs=40):
    """Return a new model fitted on rows; train(rows) -> {"weights": {...}, "bias": ...}."""
    model = {"weights": {name: 0.0 for name in FEATURES}, "bias": 0.0}
    for _ in range(epochs):
        for row, label in rows:
            error = predict_proba(row, model) - label
            for name in FEATURES:
                model["weights"][name] -= learning_rate * error * row[name]
            model["bias"] -= learning_rate * error
    return model


def predict_proba(row, model):
    """Churn probability of one customer under the given model."""
    z = model["bias"] + sum(model["weights"][name] * row[name] for name in FEATURES)
    return _sigmoid(z)


def will_churn(row, model, threshold=0.5):
    """True when the churn probability reaches the threshold."""
    return predict_proba(row, model) >= threshold


def _demo():
    model = train(TRAINING_ROWS)
    correct = sum(will_churn(row, model) == bool(label) for row, label in TRAINING_ROWS)
    print("training accuracy:", correct / len(TRAINING_ROWS))
    customer = {"tenure_years": 1.5, "support_calls": 3, "late_payments": 1}
    print("churn probability:", round(predict_proba(customer, model), 3))


if __name__ == "__main__":
    _demo()
