"""Train a tiny logistic-regression churn model with stochastic gradient descent.

    model = fit(rows, seed=7)          # rows: list of (features, label) pairs
    predict(model, [0.4, 1.0, 0.0])    # -> probability of churn, 0..1
    model["seed"]                      # 7: the run can be repeated
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


def fit(rows, seed, epochs=EPOCHS, learning_rate=LEARNING_RATE):
    # A generator of our own: the same seed gives the same run, and nobody
    # else's draws from the global generator can change it (or be changed).
    rng = random.Random(seed)
    order = list(rows)  # shuffle a copy; the caller's list stays as it was
    n_features = len(order[0][0])
    weights = [rng.uniform(-0.5, 0.5) for _ in range(n_features)]
    bias = 0.0
    for _ in range(epochs):
        rng.shuffle(order)
        for features, label in order:
            error = predict({"weights": weights, "bias": bias}, features) - label
            weights = [w - learning_rate * error * x for w, x in zip(weights, features)]
            bias -= learning_rate * error
    return {"weights": weights, "bias": bias, "seed": seed}


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
    first, second = fit(rows, seed=7), fit(rows, seed=7)
    print("run 1:", [round(w, 6) for w in first["weights"]])
    print("run 2:", [round(w, 6) for w in second["weights"]])
    print("same model twice?", first == second)
