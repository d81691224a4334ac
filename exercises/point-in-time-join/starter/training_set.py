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

FEATURES = ("payments_7d", "avg_amount_7d")


def build_training_set(labels, snapshots, max_age_days=7):
    # Take each account's newest snapshot and join it onto every label of that account.
    newest = {}
    for snap in snapshots:
        account = snap["account_id"]
        if account not in newest or snap["as_of"] > newest[account]["as_of"]:
            newest[account] = snap

    rows = []
    for label in labels:
        snap = newest.get(label["account_id"])
        if snap is None:
            continue
        row = dict(label)
        for name in FEATURES:
            row[name] = snap[name]
        rows.append(row)
    return rows


if __name__ == "__main__":
    labels = [
        {"payment_id": "p1", "account_id": "a1", "paid_at": "2024-03-04T10:00:00", "is_fraud": True},
        {"payment_id": "p2", "account_id": "a2", "paid_at": "2024-03-05T09:30:00", "is_fraud": False},
    ]
    snapshots = [
        {"account_id": "a1", "as_of": "2024-03-01T00:00:00", "payments_7d": 2, "avg_amount_7d": 30.0},
        # written after the fraud was found: the account was frozen, so it stopped paying
        {"account_id": "a1", "as_of": "2024-03-20T00:00:00", "payments_7d": 0, "avg_amount_7d": 0.0},
        {"account_id": "a2", "as_of": "2024-03-03T00:00:00", "payments_7d": 5, "avg_amount_7d": 22.0},
    ]
    for row in build_training_set(labels, snapshots):
        print(row)
    print("p1 was paid on 4 March; its features should be the ones known then (2 payments), not 0.")
