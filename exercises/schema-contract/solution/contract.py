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


def _parse(version):
    """'10.2.0' -> (10, 2, 0), so versions compare as numbers, not as text."""
    return tuple(int(part) for part in version.split("."))


def _field_breaks(name, was, now):
    """What an existing consumer of field `name` can no longer rely on; [] if nothing."""
    if now is None:
        return [f"{name}: removed while consumers rely on it"] if was.get("required") else []
    problems = []
    if was["type"] != now["type"] and not (was["type"] == "float" and now["type"] == "int"):
        problems.append(f"{name}: type changed from {was['type']} to {now['type']}")
    if was.get("required") and not now.get("required"):
        problems.append(f"{name}: was required, may now be missing")
    if "unit" in was and now.get("unit") != was["unit"]:
        problems.append(f"{name}: unit changed from {was['unit']} to {now.get('unit')}")
    if "values" in was:
        if "values" not in now:
            problems.append(f"{name}: any value may now appear, not only {was['values']}")
        else:
            added = [v for v in now["values"] if v not in was["values"]]
            if added:
                problems.append(f"{name}: new values {added} that consumers do not expect")
    return problems


def breaking_changes(old, new):
    """Every promise of `old` that data written under `new` may break, one line per problem,
    each starting with the field's name. Fields added in `new` break nobody: consumers
    ignore fields they do not know."""
    problems = []
    for name, was in old["fields"].items():
        problems += _field_breaks(name, was, new["fields"].get(name))
    return problems


def review_change(old, new):
    """'major' if a consumer can break, 'minor' if the fields changed compatibly, else 'none'."""
    if breaking_changes(old, new):
        return "major"
    if old["fields"] != new["fields"]:
        return "minor"
    return "none"


def check_release(old, new):
    """Raise ContractError unless the new version number says what the change is; return the kind."""
    kind = review_change(old, new)
    before, after = _parse(old["version"]), _parse(new["version"])
    if kind == "major" and after[0] <= before[0]:
        raise ContractError("breaking change without a new major version: "
                            + "; ".join(breaking_changes(old, new)))
    if kind != "none" and after <= before:
        raise ContractError(f"the fields changed but version {new['version']} is not above {old['version']}")
    return kind


if __name__ == "__main__":
    import copy

    new = copy.deepcopy(PAYMENT_EVENTS_V1)
    new["version"] = "1.5.0"
    new["fields"]["amount"] = {"type": "float", "required": True, "unit": "euros"}
    new["fields"]["status"]["values"].append("refunded")
    print(review_change(PAYMENT_EVENTS_V1, new), breaking_changes(PAYMENT_EVENTS_V1, new))
