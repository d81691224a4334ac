"""Hidden tests: after an erasure the account is nowhere, and nobody else lost anything."""
import copy

from mlquiz.grading.judge import SubjectError


def make_store():
    def ev(event_id, account, cents, referred_by=None):
        return {"event_id": event_id, "account_id": account, "amount_cents": cents, "referred_by": referred_by}
    return {
        "profiles": {"a1": {"email": "ines@example.com", "country": "PT"},
                     "a2": {"email": "tom@example.com", "country": "DE"},
                     "a3": {"email": "li@example.com", "country": "FR"}},
        "events": [ev("e1", "a1", 1200), ev("e2", "a2", 800, referred_by="a1"), ev("e3", "a1", 300),
                   ev("e4", "a3", 450, referred_by="a2")],
        "pending_events": [ev("e5", "a1", 500), ev("e6", "a3", 650, referred_by="a1")],
        "features": {"a1": {"payments": 2, "volume_cents": 1500}, "a2": {"payments": 1, "volume_cents": 800},
                     "a3": {"payments": 1, "volume_cents": 450}},
        "training_sets": {
            "fraud-2024-03": [{"account_id": "a2", "payments": 1, "is_fraud": False},
                              {"account_id": "a3", "payments": 1, "is_fraud": True}],
            "fraud-2024-04": [{"account_id": "a1", "payments": 1, "is_fraud": False},
                              {"account_id": "a2", "payments": 1, "is_fraud": False},
                              {"account_id": "a1", "payments": 2, "is_fraud": True},
                              {"account_id": "a3", "payments": 1, "is_fraud": False}],
        },
        "models": {"fraud-v6": {"training_set": "fraud-2024-03"}, "fraud-v7": {"training_set": "fraud-2024-04"},
                   "fraud-v7-canary": {"training_set": "fraud-2024-04"}},
    }


def erase(subject, account="a1", store=None):
    """Run erase_account in the subject; return (the store afterwards, the report)."""
    remote = subject.put(store if store is not None else make_store())
    report = subject.call("erasure.erase_account", remote, account)
    return subject.get(remote), report


def mentions(value, account):
    """Paths inside `value` where the account id appears, as a value or as a key."""
    found = []

    def walk(item, path):
        if isinstance(item, dict):
            for key, inner in item.items():
                if key == account:
                    found.append(f"{path}[{key!r}]")
                walk(inner, f"{path}[{key!r}]")
        elif isinstance(item, (list, tuple)):
            for n, inner in enumerate(item):
                walk(inner, f"{path}[{n}]")
        elif item == account:
            found.append(path)
    walk(value, "store")
    return found


def test_the_account_appears_nowhere_in_the_store(subject):
    store, _ = erase(subject)
    left = mentions(store, "a1")
    assert not left, f"after erasing a1 its id is still in {len(left)} places: {', '.join(left[:6])}"


def test_the_profile_and_features_are_deleted(subject):
    store, _ = erase(subject)
    assert "a1" not in store["profiles"], "the profile of a1 is still there"
    assert "a1" not in store["features"], "the feature row of a1 is still in the feature table"


def test_events_waiting_in_the_queue_are_deleted_too(subject):
    store, _ = erase(subject)
    pending = [e["event_id"] for e in store["pending_events"]]
    assert "e5" not in pending, (
        "e5, a payment of a1, is still waiting in pending_events: the next nightly run would bring a1 back")


def test_the_next_nightly_run_does_not_bring_the_account_back(subject):
    remote = subject.put(make_store())
    subject.call("erasure.erase_account", remote, "a1")
    subject.call("erasure.rebuild_features", remote)
    features = subject.get(remote)["features"]
    assert "a1" not in features, (
        f"after the erasure, rebuild_features() recomputed features for a1 ({features.get('a1')}) "
        "from payments that were left behind")


def test_training_rows_are_removed_not_relabelled(subject):
    store, _ = erase(subject)
    rows = store["training_sets"]["fraud-2024-04"]
    assert [r.get("account_id") for r in rows] == ["a2", "a3"], (
        "fraud-2024-04 held two rows of a1; both must go. A row whose id is replaced still holds the "
        "person's values and label, and can often be linked back to them. Left: "
        f"{[r.get('account_id') for r in rows]}")
    assert store["training_sets"]["fraud-2024-03"] == make_store()["training_sets"]["fraud-2024-03"], (
        "fraud-2024-03 never held a1 and must stay as it was")


def test_other_accounts_keep_their_records_without_the_reference(subject):
    store, _ = erase(subject)
    events = {e["event_id"]: e for e in store["events"] + store["pending_events"]}
    assert {"e2", "e4", "e6"} <= set(events), (
        "e2 and e6 are other people's payments that only name a1 as the one who invited them; they must "
        f"be kept (only the reference goes). Events left: {sorted(events)}")
    refs = (events["e2"].get("referred_by"), events["e6"].get("referred_by"), events["e4"].get("referred_by"))
    assert refs == (None, None, "a2"), (
        f"referred_by should become None where it named a1 and stay as it was elsewhere; got {refs} "
        "for e2, e6 and e4")


def test_nothing_of_other_accounts_is_lost(subject):
    store, _ = erase(subject)
    before = make_store()
    assert store["profiles"] == {k: v for k, v in before["profiles"].items() if k != "a1"}, "other profiles changed"
    assert store["features"] == {k: v for k, v in before["features"].items() if k != "a1"}, "other features changed"
    assert store["models"] == before["models"], "the model records themselves should stay; list models to retrain"


def test_models_trained_on_the_account_are_listed_for_retraining(subject):
    _, report = erase(subject)
    assert type(report) is dict, f"erase_account should return a report dict, got {report!r}"
    retrain = report.get("models_to_retrain")
    assert type(retrain) is list and sorted(retrain) == ["fraud-v7", "fraud-v7-canary"], (
        "fraud-v7 and fraud-v7-canary were trained on fraud-2024-04, which held a1's rows; fraud-v6 was "
        f"not. models_to_retrain should list exactly the first two, got {retrain!r}")


def test_the_report_counts_what_was_removed(subject):
    _, report = erase(subject)
    removed = report.get("removed") if type(report) is dict else None
    expected = {"profiles": 1, "events": 2, "pending_events": 1, "features": 1, "training_rows": 2}
    assert removed == expected, f"the report's 'removed' should be {expected}, got {removed}"


def test_an_unknown_account_changes_nothing(subject):
    try:
        store, report = erase(subject, account="nobody")
    except SubjectError as error:
        raise AssertionError(f"erasing an account that is not there should not fail; it raised "
                             f"{error.type_name}: {error.message}")
    assert store == make_store(), "erasing an unknown account changed the store"
    assert type(report) is dict and report.get("models_to_retrain") == [], (
        f"nothing was erased, so no model needs retraining; got {report!r}")
