"""A small logistic-regression churn model.

    >>> model = ChurnModel(weights={"support_calls": 0.5}, bias=-1.0)
    >>> round(model.predict({"support_calls": 2}), 3)
    0.5

No change is needed here; model_store.py is where the debt is.
"""

import math
from dataclasses import dataclass, field


@dataclass
class ChurnModel:
    weights: dict  # feature name -> weight, in the order the model expects
    bias: float
    metadata: dict = field(default_factory=dict)

    @property
    def feature_names(self):
        return list(self.weights)

    def predict(self, record):
        """Churn probability for one record holding every feature."""
        z = self.bias + sum(weight * float(record[name]) for name, weight in self.weights.items())
        return 1 / (1 + math.exp(-z))


def train(rows, labels, feature_names, epochs=300, learning_rate=0.05):
    """Fit the weights by batch gradient descent; rows are dicts of numbers."""
    model = ChurnModel(weights={name: 0.0 for name in feature_names}, bias=0.0)
    for _ in range(epochs):
        errors = [model.predict(row) - label for row, label in zip(rows, labels)]
        for name in feature_names:
            gradient = sum(e * float(row[name]) for e, row in zip(errors, rows)) / len(rows)
            model.weights[name] -= learning_rate * gradient
        model.bias -= learning_rate * sum(errors) / len(rows)
    return model
