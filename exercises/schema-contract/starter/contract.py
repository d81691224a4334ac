"""The payments team's data contract for the `payment_events` feed, and the check its CI runs.

    problems = breaking_changes(old_contract, new_contract)   # [] when no consumer can break
    kind = review_change(old_contract, new_contract)          # "none" | "minor" | "major"
    check_release(old_contract, new_contract)                  # raises ContractError if the
                                                               # version does not say "breaking"

A contract lists what consumers may rely on, field by field:
    type:     "str" | "int" | "float" | "bool"
    required: True when every event carries the field (never missing, never None)
    unit:     what a number measures, e.g. "cents" or "seconds"
    values:   the only values a text field may take
"""

PAYMENT_EVENTS_V1 = {
    "name": "payment_events",
    "version": "1.4.0",
    "owner": "payments-platform",
    "fields": {
        "payment_id": {"type": "str", "required": True},
        "account_id": {"type": "str", "required": True},
        "amount": {"type": "int", "required": True, "unit": "cents"},
        "status": {"type": "str", "required": True, "values": ["authorised", "settled", "declined"]},
        "paid_at": {"type": "str", "required": True},
        "device_id": {"type": "str", "required": False},
    },
}


class ContractError(Exception):
    """A new contract version breaks what consumers were promised."""


def breaking_changes(old, new):
    problems = []
    for name in old["fields"]:
        if name not in new["fields"]:
            problems.append(f"{name}: removed")
    return problems


def review_change(old, new):
    if breaking_changes(old, new):
        return "major"
    if old != new:
        return "minor"
    return "none"


def check_release(old, new):
    problems = breaking_changes(old, new)
    if problems and new["version"] <= old["version"]:
        raise ContractError("breaking change without a new major version: " + "; ".join(problems))


if __name__ == "__main__":
    import copy

    new = copy.deepcopy(PAYMENT_EVENTS_V1)
    new["version"] = "1.5.0"
    new["fields"]["amount"] = {"type": "float", "required": True, "unit": "euros"}
    new["fields"]["status"]["values"].append("refunded")
    print(review_change(PAYMENT_EVENTS_V1, new), breaking_changes(PAYMENT_EVENTS_V1, new))
    print("amount moved from integer cents to euros, and a new status appeared: every consumer "
          "that sums amounts or switches on status is broken, yet the check calls it minor.")
