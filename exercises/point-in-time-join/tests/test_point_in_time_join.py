"""Hidden tests: every label gets the features that were known when the payment was made."""
import copy

FEATURES = ("payments_7d", "avg_amount_7d")


def label(payment_id, account_id, paid_at, is_fraud=False):
    return {"payment_id": payment_id, "account_id": account_id, "paid_at": paid_at, "is_fraud": is_fraud}


def snap(account_id, as_of, payments_7d, avg_amount_7d=10.0):
    return {"account_id": account_id, "as_of": as_of, "payments_7d": payments_7d, "avg_amount_7d": avg_amount_7d}


def build(subject, labels, snapshots, **kwargs):
    rows = subject.call("training_set.build_training_set", labels, snapshots, **kwargs)
    assert type(rows) is list and all(type(r) is dict for r in rows), (
        f"build_training_set should return a list of dicts, got {rows!r}")
    return rows


def by_payment(rows):
    return {row.get("payment_id"): row for row in rows}


def test_features_written_after_the_payment_are_not_used(subject):
    labels = [label("p1", "a1", "2024-03-04T10:00:00", is_fraud=True)]
    snapshots = [snap("a1", "2024-03-01T00:00:00", 2, 30.0), snap("a1", "2024-03-20T00:00:00", 0, 0.0)]
    row = by_payment(build(subject, labels, snapshots)).get("p1")
    assert row is not None, "the labelled payment p1 is missing from the training set"
    assert row.get("payments_7d") == 2 and row.get("avg_amount_7d") == 30.0, (
        "p1 was paid on 4 March, so its features must be the snapshot of 1 March (2 payments, 30.0); "
        f"the snapshot of 20 March did not exist yet, but the row holds {row.get('payments_7d')!r}, "
        f"{row.get('avg_amount_7d')!r}")


def test_the_newest_snapshot_before_the_payment_wins(subject):
    labels = [label("p1", "a1", "2024-03-10T12:00:00")]
    snapshots = [snap("a1", "2024-03-04T00:00:00", 4), snap("a1", "2024-03-08T00:00:00", 6),
                 snap("a1", "2024-03-06T00:00:00", 5), snap("a1", "2024-03-11T00:00:00", 9)]
    row = by_payment(build(subject, labels, snapshots)).get("p1", {})
    assert row.get("payments_7d") == 6, (
        "of the snapshots taken before 10 March, the one of 8 March is the newest (6 payments); "
        f"the row holds {row.get('payments_7d')!r}. The snapshots are not sorted by time in the input.")


def test_a_snapshot_taken_at_the_payment_time_counts_as_known(subject):
    labels = [label("p1", "a1", "2024-03-10T12:00:00")]
    snapshots = [snap("a1", "2024-03-09T00:00:00", 3), snap("a1", "2024-03-10T12:00:00", 7)]
    row = by_payment(build(subject, labels, snapshots)).get("p1", {})
    assert row.get("payments_7d") == 7, (
        "a snapshot whose as_of equals paid_at was known at that moment and should be used; "
        f"the row holds {row.get('payments_7d')!r}")


def test_each_payment_of_an_account_gets_its_own_features(subject):
    labels = [label("p1", "a1", "2024-03-03T08:00:00"), label("p2", "a1", "2024-03-09T08:00:00"),
              label("p3", "a1", "2024-03-15T08:00:00")]
    snapshots = [snap("a1", "2024-03-02T00:00:00", 1), snap("a1", "2024-03-08T00:00:00", 5),
                 snap("a1", "2024-03-14T00:00:00", 2)]
    rows = by_payment(build(subject, labels, snapshots))
    got = [rows.get(p, {}).get("payments_7d") for p in ("p1", "p2", "p3")]
    assert got == [1, 5, 2], f"three payments on 3, 9 and 15 March should see 1, 5 and 2 payments; got {got}"


def test_features_of_another_account_never_leak_in(subject):
    labels = [label("p1", "a1", "2024-03-10T00:00:00")]
    snapshots = [snap("a2", "2024-03-09T00:00:00", 40), snap("a1", "2024-03-05T00:00:00", 3)]
    row = by_payment(build(subject, labels, snapshots)).get("p1", {})
    assert row.get("payments_7d") == 3, f"p1 belongs to a1 and should get a1's features (3); got {row.get('payments_7d')!r}"


def test_a_payment_with_no_earlier_snapshot_keeps_its_label(subject):
    labels = [label("p1", "a1", "2024-03-10T00:00:00"), label("p2", "new", "2024-03-10T00:00:00", is_fraud=True)]
    snapshots = [snap("a1", "2024-03-09T00:00:00", 3), snap("new", "2024-03-12T00:00:00", 1)]
    rows = by_payment(build(subject, labels, snapshots))
    assert "p2" in rows, (
        "p2's account had no snapshot yet when it paid; keep the row (with None features) instead of "
        "dropping it, or the training set loses exactly the new accounts")
    missing = {name: rows["p2"].get(name, "absent") for name in FEATURES}
    assert all(value is None for value in missing.values()), (
        f"p2 had no features known at payment time, so each feature should be None; got {missing}")
    assert rows["p2"].get("is_fraud") is True, "the label itself must be kept as it was"


def test_a_snapshot_older_than_the_max_age_is_not_used(subject):
    labels = [label("p1", "a1", "2024-03-20T00:00:00"), label("p2", "a2", "2024-03-20T00:00:00")]
    snapshots = [snap("a1", "2024-03-01T00:00:00", 8), snap("a2", "2024-03-17T00:00:00", 4)]
    rows = by_payment(build(subject, labels, snapshots, max_age_days=7))
    stale = rows.get("p1", {}).get("payments_7d", "absent")
    fresh = rows.get("p2", {}).get("payments_7d", "absent")
    assert "p1" in rows and stale is None, (
        "a1's only snapshot is 19 days older than the payment, beyond max_age_days=7: "
        f"serving would have had nothing that fresh, so the features should be None; got {stale!r}")
    assert fresh == 4, f"a2's snapshot is 3 days old, within the limit, and should be used; got {fresh!r}"


def test_the_max_age_is_taken_from_the_argument(subject):
    labels = [label("p1", "a1", "2024-03-20T00:00:00")]
    snapshots = [snap("a1", "2024-03-01T00:00:00", 8)]
    row = by_payment(build(subject, labels, snapshots, max_age_days=30)).get("p1", {})
    assert row.get("payments_7d") == 8, (
        f"with max_age_days=30 a 19-day-old snapshot is fresh enough; got {row.get('payments_7d')!r}")


def test_rows_keep_the_order_and_fields_of_the_labels(subject):
    labels = [label("p3", "a1", "2024-03-12T00:00:00", True), label("p1", "a2", "2024-03-11T00:00:00"),
              label("p2", "a1", "2024-03-10T00:00:00")]
    snapshots = [snap("a1", "2024-03-09T00:00:00", 3), snap("a2", "2024-03-09T00:00:00", 1)]
    rows = build(subject, labels, snapshots)
    assert [r.get("payment_id") for r in rows] == ["p3", "p1", "p2"], (
        f"one row per label, in the labels' order; got {[r.get('payment_id') for r in rows]}")
    for given, row in zip(labels, rows):
        kept = {key: row.get(key) for key in given}
        assert kept == given, f"the label's own fields should be kept unchanged: expected {given}, got {kept}"


def test_the_inputs_are_left_as_they_were(subject):
    labels = [label("p1", "a1", "2024-03-04T10:00:00", True), label("p2", "b", "2024-03-04T10:00:00")]
    snapshots = [snap("a1", "2024-03-01T00:00:00", 2), snap("a1", "2024-03-20T00:00:00", 0)]
    before = (copy.deepcopy(labels), copy.deepcopy(snapshots))
    remote_labels, remote_snaps = subject.put(labels), subject.put(snapshots)
    subject.call("training_set.build_training_set", remote_labels, remote_snaps)
    after = (subject.get(remote_labels), subject.get(remote_snaps))
    assert after == before, "build_training_set changed the labels or snapshots it was given"
