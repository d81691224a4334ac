"""Check a batch of feature records against the schema before anyone trains or serves on it.

    problems = validate_batch(records, environment="training")
    # [] when the batch is fine, otherwise one readable line per problem
"""

import math

# What each feature should look like. Reviewed and checked in like code.
#   type:         "int" | "number" (a finite int or float) | "str" | "bool"
#   min / max:    inclusive range for numbers
#   values:       the allowed values of a text feature
#   presence:     the smallest share of records that must carry a value (not None)
#   environments: where the feature belongs (default: both)
SCHEMA = {
    "age": {"type": "int", "min": 18, "max": 110, "presence": 1.0},
    "income": {"type": "number", "min": 0, "presence": 0.9},
    "plan": {"type": "str", "values": ["basic", "plus", "pro"], "presence": 1.0},
    "visits_30d": {"type": "int", "min": 0, "presence": 1.0},
    "churned": {"type": "bool", "presence": 1.0, "environments": ["training"]},
}

# Features the privacy review forbids: personal data never enters the model.
BANNED = {"email", "phone", "full_name", "home_address"}

ENVIRONMENTS = ("training", "serving")


def has_type(value, kind):
    # bool is a subclass of int in Python, so True must not pass as an age.
    if kind == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "int":
        return isinstance(value, int)
    if kind == "number":
        # NaN and infinity are floats, but no model can learn from them
        return isinstance(value, (int, float)) and math.isfinite(value)
    return isinstance(value, str)


def value_problem(value, rule):
    """Why `value` breaks `rule`, or None."""
    if not has_type(value, rule["type"]):
        wanted = "a finite number" if rule["type"] == "number" else rule["type"]
        return f"expected {wanted}, got {value!r}"
    if "min" in rule and value < rule["min"]:
        return f"{value!r} is below the minimum {rule['min']}"
    if "max" in rule and value > rule["max"]:
        return f"{value!r} is above the maximum {rule['max']}"
    if "values" in rule and value not in rule["values"]:
        return f"{value!r} is not one of {', '.join(rule['values'])}"
    return None


def validate_batch(records, environment="training"):
    if environment not in ENVIRONMENTS:
        raise ValueError(f"environment must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}")
    if not records:
        return ["the batch is empty"]
    problems = []
    expected = {name: rule for name, rule in SCHEMA.items()
                if environment in rule.get("environments", ENVIRONMENTS)}
    seen = set()
    for number, record in enumerate(records, start=1):
        seen.update(record)
        for name, rule in expected.items():
            value = record.get(name)
            if value is None:
                continue  # counted by the presence check below
            reason = value_problem(value, rule)
            if reason:
                problems.append(f"row {number}: {name}: {reason}")
    for name in sorted(seen - set(expected)):
        if name in BANNED:
            problems.append(f"{name}: banned feature (personal data must not reach the model)")
        elif name in SCHEMA:
            problems.append(f"{name}: not expected in {environment} data")
        else:
            problems.append(f"{name}: unknown feature, not in the schema")
    for name, rule in expected.items():
        present = sum(record.get(name) is not None for record in records)
        share = present / len(records)
        if share < rule["presence"]:
            problems.append(
                f"{name}: present in {share:.0%} of rows, expected at least {rule['presence']:.0%}")
    return problems


if __name__ == "__main__":
    batch = [
        {"age": 34, "income": 52000.0, "plan": "plus", "visits_30d": 4, "churned": False},
        {"age": -1, "income": 61000.0, "plan": "plus", "visits_30d": 2, "churned": True},
        {"age": 51, "income": None, "plan": "gold", "visits_30d": 0, "churned": False},
        {"age": 29, "income": 38000.0, "plan": "basic", "visits_30d": 9, "churned": False,
         "email": "kim@example.com"},
    ]
    print("\n".join(validate_batch(batch)) or "batch looks fine")
