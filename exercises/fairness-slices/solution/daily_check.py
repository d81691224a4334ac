"""Morning health check of the loan-default model.

Runs on yesterday's applications once their outcomes are known. Each row:
    {"group": "north", "score": 0.31, "label": 0}
score is the predicted probability of default, label is 1 if the loan
defaulted. Applications with score >= threshold are declined automatically.

    report = daily_check(rows)
    report["status"]   # "ok", "alert" (overall or one group's bias is off) or "halt"
    report["alerts"]   # ["west"]
"""


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def summarize(rows, threshold):
    """Count, prediction bias, accuracy and decline rate of a set of rows."""
    declined = [row["score"] >= threshold for row in rows]
    return {
        "count": len(rows),
        "bias": _mean([row["score"] for row in rows]) - _mean([row["label"] for row in rows]),
        "accuracy": _mean([flag == bool(row["label"]) for flag, row in zip(declined, rows)]),
        "flag_rate": _mean(declined),
    }


def daily_check(rows, max_bias=0.05, max_gap=0.1, min_count=30, max_flag_rate=0.3, threshold=0.5):
    """Check the overall prediction bias, that of every large enough group, and the decline rate.

    The overall check stays: when everyone is over-predicted alike, no group
    stands out from the others, yet the model is still off. A group is named
    in "alerts" when its bias differs from the overall bias by more than
    max_gap; groups with fewer than min_count rows are too noisy to judge and
    are left out. Declining more than max_flag_rate of all applications is an
    action limit: the status becomes "halt".
    """
    by_group = {}
    for row in rows:
        by_group.setdefault(row["group"], []).append(row)
    overall = summarize(rows, threshold)
    groups = {
        name: summarize(members, threshold)
        for name, members in sorted(by_group.items())
        if len(members) >= min_count
    }
    alerts = [name for name, stats in groups.items() if abs(stats["bias"] - overall["bias"]) > max_gap]
    if overall["flag_rate"] > max_flag_rate:
        status = "halt"
    elif alerts or abs(overall["bias"]) > max_bias:
        status = "alert"
    else:
        status = "ok"
    return {"status": status, "alerts": alerts, "overall": overall, "groups": groups}


if __name__ == "__main__":
    rows = []
    for group, shift in (("north", -0.07), ("south", -0.07), ("east", -0.07), ("west", 0.2)):
        rows += [{"group": group, "score": 0.6 + shift, "label": 1}] * 20
        rows += [{"group": group, "score": 0.1 + shift, "label": 0}] * 80
    print(daily_check(rows))  # "alert": west is named
