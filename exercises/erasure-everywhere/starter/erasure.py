"""Erase one account from everywhere Relay's fraud pipeline copied it to.

    report = erase_account(store, "a1")     # changes `store` in place
    # {"account_id": "a1",
    #  "removed": {"profiles": 1, "events": 3, "pending_events": 1, "features": 1, "training_rows": 2},
    #  "models_to_retrain": ["fraud-v7"]}

Where an account's data goes (the lineage of the fraud model):

    profiles         {account_id: {...}}                  sign-up details
    events           [{event_id, account_id, amount_cents, referred_by}, ...]
                                                          processed payments; referred_by names the
                                                          account that invited this one, or is None
    pending_events   the same shape: arrived, not yet processed by the nightly job
    features         {account_id: {...}}                  built by rebuild_features()
    training_sets    {name: [{account_id, ..., is_fraud}, ...]}   frozen copies of features + labels
    models           {name: {"training_set": name}}       what each model was trained on
"""


def rebuild_features(store):
    """The nightly job: fold pending events into events, then recompute every account's features."""
    store["events"].extend(store["pending_events"])
    store["pending_events"] = []
    features = {}
    for event in store["events"]:
        row = features.setdefault(event["account_id"], {"payments": 0, "volume_cents": 0})
        row["payments"] += 1
        row["volume_cents"] += event["amount_cents"]
    store["features"] = features


def erase_account(store, account_id):
    removed = {"profiles": 0, "events": 0, "pending_events": 0, "features": 0, "training_rows": 0}
    del store["profiles"][account_id]
    removed["profiles"] = 1
    before = len(store["events"])
    store["events"] = [e for e in store["events"] if e["account_id"] != account_id]
    removed["events"] = before - len(store["events"])
    # Training sets are frozen, so the rows are anonymised rather than deleted.
    for rows in store["training_sets"].values():
        for row in rows:
            if row["account_id"] == account_id:
                row["account_id"] = "anonymous"
    return {"account_id": account_id, "removed": removed, "models_to_retrain": []}


if __name__ == "__main__":
    store = {
        "profiles": {"a1": {"email": "ines@example.com"}, "a2": {"email": "tom@example.com"}},
        "events": [
            {"event_id": "e1", "account_id": "a1", "amount_cents": 1200, "referred_by": None},
            {"event_id": "e2", "account_id": "a2", "amount_cents": 800, "referred_by": "a1"},
        ],
        "pending_events": [{"event_id": "e3", "account_id": "a1", "amount_cents": 500, "referred_by": None}],
        "features": {},
        "training_sets": {"fraud-2024-04": [{"account_id": "a1", "payments": 1, "is_fraud": False},
                                            {"account_id": "a2", "payments": 1, "is_fraud": False}]},
        "models": {"fraud-v7": {"training_set": "fraud-2024-04"}},
    }
    rebuild_features(store)
    store["pending_events"].append({"event_id": "e4", "account_id": "a1", "amount_cents": 900, "referred_by": None})
    print(erase_account(store, "a1"))
    rebuild_features(store)
    print("features after the next nightly run:", store["features"])
    print("training rows:", store["training_sets"]["fraud-2024-04"])
