"""Training rows for the monthly retrain of the late-delivery model.

    training_rows("serving_log.jsonl", labels, customers, requests)
    # -> [(features, label), ...]
"""

import json

from serve import features


def training_rows(log_path, labels, customers, requests):
    """One (features, label) pair per logged request that has a label.

    labels: {request_id: 0 or 1}; customers: today's customer table;
    requests: {request_id: the request as it came in}.
    """
    rows = []
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            entry = json.loads(line)
            request = requests[entry["request_id"]]
            # the customer table as it is today
            customer = customers[request["customer_id"]]
            label = labels.get(entry["request_id"], 0)
            rows.append((features(customer, request), label))
    return rows
