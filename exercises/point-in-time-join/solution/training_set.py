"""Build the fraud model's training set: one row per labelled payment, with the account's features.

    rows = build_training_set(labels, snapshots, max_age_days=7)
    # [{"payment_id": "p1", "account_id": "a1", "paid_at": "...", "is_fraud": False,
    #   "payments_7d": 3, "avg_amount_7d": 41.5}, ...]

`labels` is one record per payment whose outcome is known:
    {"payment_id": "p1", "account_id": "a1", "paid_at": "2024-03-04T10:00:00", "is_fraud": False}
`snapshots` is the feature table's history: each row holds an account's feature values
as they stood from `as_of` on (the job that computes them writes a new row every few days):
    {"account_id": "a1", "as_of": "2024-03-02T00:00:00", "payments_7d": 3, "avg_amount_7d": 41.5}
All timestamps are ISO 8601 strings in UTC.
"""
from datetime import datetime, timedelta

FEATURES = ("payments_7d", "avg_amount_7d")


def _time(text):
    return datetime.fromisoformat(text)


def _as_of(history, moment, max_age):
    """The newest snapshot known at `moment` (as_of <= moment), or None if there is none
    or it is older than `max_age`."""
    known = [snap for snap in history if _time(snap["as_of"]) <= moment]
    if not known:
        return None
    best = max(known, key=lambda snap: _time(snap["as_of"]))
    if moment - _time(best["as_of"]) > max_age:
        return None
    return best


def build_training_set(labels, snapshots, max_age_days=7):
    """One row per label, in the labels' order, with the features as they stood at paid_at.

    A label with no usable snapshot keeps its row, with None for every feature: dropping it
    would leave out exactly the new or quiet accounts."""
    max_age = timedelta(days=max_age_days)
    by_account = {}
    for snap in snapshots:
        by_account.setdefault(snap["account_id"], []).append(snap)

    rows = []
    for label in labels:
        history = by_account.get(label["account_id"], [])
        snap = _as_of(history, _time(label["paid_at"]), max_age)
        row = dict(label)
        for name in FEATURES:
            row[name] = None if snap is None else snap[name]
        rows.append(row)
    return rows


if __name__ == "__main__":
    labels = [
        {"payment_id": "p1", "account_id": "a1", "paid_at": "2024-03-04T10:00:00", "is_fraud": True},
        {"payment_id": "p2", "account_id": "a2", "paid_at": "2024-03-05T09:30:00", "is_fraud": False},
    ]
    snapshots = [
        {"account_id": "a1", "as_of": "2024-03-01T00:00:00", "payments_7d": 2, "avg_amount_7d": 30.0},
        {"account_id": "a1", "as_of": "2024-03-20T00:00:00", "payments_7d": 0, "avg_amount_7d": 0.0},
        {"account_id": "a2", "as_of": "2024-03-03T00:00:00", "payments_7d": 5, "avg_amount_7d": 22.0},
    ]
    for row in build_training_set(labels, snapshots):
        print(row)
