"""Training rows for the monthly retrain, read from the serving log.

    training_rows("serving_log.jsonl", {"r1": 1})
    # -> [({"open_orders": 3, ...}, 1)]
    skew_report("serving_log.jsonl", customers)
    # -> {"open_orders": 0.5, ...}
"""

import json

from serve import features


def read_log(log_path):
    """Every entry of the serving log, oldest first."""
    with open(log_path, encoding="utf-8") as log:
        return [json.loads(line) for line in log if line.strip()]


def training_rows(log_path, labels):
    """(features as served, label) per labelled request, in log order."""
    return [(entry["features"], labels[entry["request_id"]])
            for entry in read_log(log_path)
            if entry["request_id"] in labels]


def skew_report(log_path, customers):
    """{feature: share of logged requests whose feature, recomputed from
    `customers` now, differs from the value served}. A request whose
    customer is not in the table counts as differing."""
    entries = read_log(log_path)
    if not entries:
        return {}
    differing = {name: 0 for name in entries[0]["features"]}
    for entry in entries:
        served = entry["features"]
        customer = customers.get(entry["customer_id"])
        # distance_km comes from the request; its logged value stands in
        again = features(customer, served) if customer is not None else {}
        for name in differing:
            if again.get(name) != served.get(name):
                differing[name] += 1
    return {name: count / len(entries) for name, count in differing.items()}
