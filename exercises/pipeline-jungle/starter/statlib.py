"""statlib: a small, generic column-statistics library.

Treat it as a third-party package: you use it, you don't change it.
It works on tables stored column-wise, {"column name": [values, ...]}.
"""
import math


def describe(values):
    """Summary of one numeric column: describe([1, 2, 3]) -> {"count": 3, "mean": 2.0, "std": 0.816...}."""
    count = len(values)
    mean = sum(values) / count if count else 0.0
    variance = sum((value - mean) ** 2 for value in values) / count if count else 0.0
    return {"count": count, "mean": mean, "std": math.sqrt(variance)}


def standardize(table, column):
    """Return a new table with an extra column f"{column}_z" holding z-scores."""
    stats = describe(table[column])
    spread = stats["std"] or 1.0
    result = {name: list(values) for name, values in table.items()}
    result[column + "_z"] = [(value - stats["mean"]) / spread for value in table[column]]
    return result
