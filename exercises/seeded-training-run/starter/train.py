"""Train a tiny logistic-regression churn model with stochastic gradient descent.

    model = fit(rows)                  # rows: list of (features, label) pairs
    predict(model, [0.4, 1.0, 0.0])    # -> probability of churn, 0..1
"""
import math
import random

EPOCHS = 25
LEARNING_RATE = 0.5


def sigmoid(z):
    if z < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def predict(model, features):
    z = model["bias"] + sum(w * x for w, x in zip(model["weights"], features))
    return sigmoid(z)


def fit(rows, epochs=EPOCHS, learning_rate=LEARNING_RATE):
    n_features = len(rows[0][0])
    weights = [random.uniform(-0.5, 0.5) for _ in range(n_features)]
    bias = 0.0
    for _ in range(epochs):
        random.shuffle(rows)  # a new order every epoch helps SGD
        for features, label in rows:
            error = predict({"weights": weights, "bias": bias}, features) - label
            weights = [w - learning_rate * error * x for w, x in zip(weights, features)]
            bias -= learning_rate * error
    return {"weights": weights, "bias": bias}


def sample_rows():
    """Forty customers: (tenure in years, support calls / 10, on a yearly plan), churned?"""
    rows = []
    for i in range(40):
        tenure = (i % 10) / 5
        calls = ((i * 7) % 10) / 10
        yearly = float(i % 3 == 0)
        churned = 1 if calls - tenure / 2 - yearly / 2 > 0 else 0
        rows.append(([tenure, calls, yearly], churned))
    return rows


if __name__ == "__main__":
    rows = sample_rows()
    first, second = fit(rows), fit(rows)
    print("run 1:", [round(w, 6) for w in first["weights"]])
    print("run 2:", [round(w, 6) for w in second["weights"]])
    print("same model twice?", first == second)
