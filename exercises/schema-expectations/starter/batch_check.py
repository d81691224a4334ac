"""Check a batch of feature records against the schema before anyone trains or serves on it.

    problems = validate_batch(records, environment="training")
    # [] when the batch is fine, otherwise one readable line per problem
"""

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


def validate_batch(records, environment="training"):
    problems = []
    for name in SCHEMA:
        if name not in records[0]:
            problems.append(f"missing feature {name}")
    return problems


if __name__ == "__main__":
    batch = [
        {"age": 34, "income": 52000.0, "plan": "plus", "visits_30d": 4, "churned": False},
        {"age": -1, "income": 61000.0, "plan": "plus", "visits_30d": 2, "churned": True},
        {"age": 51, "income": None, "plan": "gold", "visits_30d": 0, "churned": False},
        {"age": 29, "income": 38000.0, "plan": "basic", "visits_30d": 9, "churned": False,
         "email": "kim@example.com"},
    ]
    print(validate_batch(batch) or "batch looks fine")
