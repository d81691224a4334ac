"""Hidden tests: predictions log the features they used, and training reads them from that log."""

import json
import math

import pytest

from mlquiz.grading.judge import SubjectError

WEIGHTS = {"open_orders": 0.08, "late_last_90d": 0.3, "distance_km": 0.01}

CUSTOMERS_THEN = {
    "c1": {"open_orders": 2, "late_last_90d": 0},
    "c2": {"open_orders": 5, "late_last_90d": 1},
}
CUSTOMERS_NOW = {  # a month later: c2 had a late delivery and ordered more
    "c1": {"open_orders": 2, "late_last_90d": 0},
    "c2": {"open_orders": 9, "late_last_90d": 2},
}
REQUESTS = [
    {"id": "r1", "customer_id": "c1", "distance_km": 4.0},
    {"id": "r2", "customer_id": "c2", "distance_km": 18.5},
    {"id": "r3", "customer_id": "c1", "distance_km": 30.0},
]


def expected_score(customer, request):
    z = -1.2 + WEIGHTS["open_orders"] * customer["open_orders"] + WEIGHTS["late_last_90d"] * customer[
        "late_last_90d"] + WEIGHTS["distance_km"] * request["distance_km"]
    return 1 / (1 + math.exp(-z))


def call(subject, dotted, *args):
    """A learner function by dotted name; a missing one or a crash becomes a readable failure."""
    module, name = dotted.split(".")
    if name not in subject.snapshot(module):
        pytest.fail(f"{module}.py has no function {name}() yet")
    try:
        return subject.call(dotted, *args)
    except SubjectError as error:
        where = f" at {error.where}" if error.where else ""
        pytest.fail(f"{dotted}() raised {error.type_name}: {error.message}{where}")


def serve_all(subject, log):
    return [call(subject, "serve.predict", request, CUSTOMERS_THEN, log) for request in REQUESTS]


def log_entries(subject, log):
    if not subject.exists(log):
        pytest.fail(f"predict() was given log_path={log!r} but wrote no file there")
    try:
        return [json.loads(line) for line in subject.read_text(log).splitlines() if line.strip()]
    except ValueError:
        pytest.fail("every line of the serving log should be one JSON object")


def test_scores_are_unchanged(subject):
    scores = serve_all(subject, "log_scores.jsonl")
    for request, got in zip(REQUESTS, scores):
        want = expected_score(CUSTOMERS_THEN[request["customer_id"]], request)
        assert type(got) is float and got == pytest.approx(want, abs=1e-12), (
            f"predict() should still return the model's probability: for request {request['id']} "
            f"{want:.6f}, got {got!r}"
        )


def test_each_prediction_logs_the_features_it_used(subject):
    log = "log_features.jsonl"
    scores = serve_all(subject, log)
    entries = log_entries(subject, log)
    assert len(entries) == 3, f"three predictions should leave three log lines, found {len(entries)}"
    for request, entry, score in zip(REQUESTS, entries, scores):
        customer = CUSTOMERS_THEN[request["customer_id"]]
        want = {"open_orders": customer["open_orders"], "late_last_90d": customer["late_last_90d"],
                "distance_km": request["distance_km"]}
        assert entry.get("request_id") == request["id"], (
            f"log line {entries.index(entry) + 1} should carry request_id {request['id']!r}, got {entry!r:.120}"
        )
        assert entry.get("features") == want, (
            f"the log line of {request['id']} should hold the exact feature values it was scored on under "
            f"'features': {want}; got {entry.get('features')!r}"
        )
        assert entry.get("customer_id") == request["customer_id"], (
            f"the log line of {request['id']} should name its customer_id, so features can be recomputed later"
        )
        assert entry.get("model_version") == "late-delivery-7", (
            f"each log line should name the model version that scored it ('late-delivery-7'), got "
            f"{entry.get('model_version')!r}"
        )
        assert entry.get("score") == pytest.approx(score, abs=1e-9), (
            f"the logged score of {request['id']} should equal the returned one, {score!r}"
        )


def test_the_log_is_appended_to(subject):
    log = "log_append.jsonl"
    serve_all(subject, log)
    call(subject, "serve.predict", REQUESTS[0], CUSTOMERS_THEN, log)
    entries = log_entries(subject, log)
    assert len(entries) == 4, f"four predictions should leave four lines; earlier lines must stay, found {len(entries)}"


def test_training_rows_hold_the_values_served(subject):
    log = "log_training.jsonl"
    serve_all(subject, log)
    labels = {"r1": 0, "r2": 1, "r3": 0}
    try:
        rows = subject.call("training.training_rows", log, labels)
    except SubjectError as error:
        pytest.fail(f"training_rows(log_path, labels) should work with just the log and the labels; it raised "
                    f"{error.type_name}: {error.message}")
    assert type(rows) is list and len(rows) == 3, f"three labelled requests should give three rows, got {rows!r:.120}"
    served_c2 = {"open_orders": 5, "late_last_90d": 1, "distance_km": 18.5}
    features, label = rows[1]
    assert features == served_c2 and label == 1, (
        f"the row for r2 should hold the values the model saw when serving ({served_c2}) and label 1, even though "
        f"the customer table has changed since; got {features!r} and {label!r}"
    )


def test_requests_without_a_label_are_left_out(subject):
    log = "log_unlabelled.jsonl"
    serve_all(subject, log)
    rows = call(subject, "training.training_rows", log, {"r2": 1})
    assert type(rows) is list and len(rows) == 1, (
        f"only r2 has a label yet; the other requests should be left out, not taken as 'not late'. Got {rows!r:.160}"
    )
    assert rows[0][1] == 1, f"the one row should carry r2's label 1, got {rows[0]!r}"


def test_skew_report_names_the_feature_that_changed(subject):
    log = "log_skew.jsonl"
    serve_all(subject, log)
    report = call(subject, "training.skew_report", log, CUSTOMERS_NOW)
    assert type(report) is dict, f"skew_report should return a dict of feature name to share, got {report!r:.80}"
    want = {"open_orders": 1 / 3, "late_last_90d": 1 / 3, "distance_km": 0.0}
    assert set(report) == set(want), f"the report should cover every feature, {sorted(want)}; got {sorted(report)}"
    for name, share in want.items():
        assert report[name] == pytest.approx(share, abs=1e-9), (
            f"one of three logged requests (r2, customer c2) now recomputes to a different {name}; the share "
            f"should be {share:.3f}, got {report[name]!r}"
        )
    same = call(subject, "training.skew_report", log, CUSTOMERS_THEN)
    assert type(same) is dict and all(v == 0 for v in same.values()), (
        f"with the table as it was when serving, nothing differs: every share should be 0, got {same!r}"
    )


def test_skew_report_counts_a_missing_customer_as_differing(subject):
    log = "log_missing.jsonl"
    serve_all(subject, log)
    report = call(subject, "training.skew_report", log, {"c1": CUSTOMERS_THEN["c1"]})
    assert type(report) is dict and report.get("open_orders") == pytest.approx(1 / 3, abs=1e-9), (
        f"customer c2 is no longer in the table, so its request cannot be recomputed and counts as differing "
        f"(1 of 3); got {report!r}"
    )
