"""The release check for the sentiment model.

    report = run_suite("v3")
    report["passed"]    # may this model version ship?
"""
from sentiment import MODELS, label

# Held-out reviews with their labels, sampled from last year's traffic.
HELD_OUT = [
    ("Great food and friendly staff.", "positive"),
    ("The room was dirty.", "negative"),
    ("Lovely view, delicious breakfast.", "positive"),
    ("Awful, slow service.", "negative"),
    ("Good location, clean room.", "positive"),
    ("The soup was cold and the waiter rude.", "negative"),
    ("Fast check-in, great stay.", "positive"),
    ("Terrible noise all night.", "negative"),
    ("Friendly and clean.", "positive"),
    ("Bad coffee.", "negative"),
]

# Cases for the behavioural tests (use them in your suite).
NEGATION_CASES = [
    ("The food was not good.", "negative"),
    ("The staff were not friendly.", "negative"),
    ("The room was never clean.", "negative"),
    ("The service was not bad.", "positive"),
    ("The coffee wasn't cold.", "positive"),
    ("The food was good.", "positive"),
    ("The room was dirty.", "negative"),
]
NAMES = ["Maria", "Ahmed", "Wei", "John", "Aisha", "Luca"]
NAME_TEMPLATES = [
    "Great service, thanks {name}.",
    "{name} was friendly and fast.",
    "{name} was rude and slow.",
    "The room was lovely, said {name}.",
]
COMPLAINT = " The staff were rude."
DIRECTION_BASES = [
    "The room was clean.",
    "Lovely view and delicious food.",
    "The breakfast was cold.",
    "Good location.",
]

# The largest failure rate each test may show before a release is blocked.
LIMITS = {"mft_negation": 0.0, "inv_names": 0.0, "dir_complaint": 0.0}


def result(failures, total):
    """One test's outcome: what failed, out of how many, and the rate."""
    return {"failures": failures, "total": total, "rate": len(failures) / total}


def minimum_functionality(predict):
    """MFT: simple negated sentences with known labels."""
    failures = [text for text, expected in NEGATION_CASES if label(predict(text)) != expected]
    return result(failures, len(NEGATION_CASES))


def invariance(predict):
    """INV: a different first name must never change the label."""
    failures = []
    for template in NAME_TEMPLATES:
        labels = {label(predict(template.format(name=name))) for name in NAMES}
        if len(labels) > 1:
            failures.append(template)
    return result(failures, len(NAME_TEMPLATES))


def directional(predict):
    """DIR: adding a complaint must not make a review more positive."""
    failures = [base for base in DIRECTION_BASES if predict(base + COMPLAINT) > predict(base)]
    return result(failures, len(DIRECTION_BASES))


def run_suite(model_name):
    if model_name not in MODELS:
        raise ValueError(f"unknown model {model_name!r}; known: {', '.join(MODELS)}")
    predict = MODELS[model_name]
    right = sum(label(predict(text)) == expected for text, expected in HELD_OUT)
    report = {
        "accuracy": right / len(HELD_OUT),
        "mft_negation": minimum_functionality(predict),
        "inv_names": invariance(predict),
        "dir_complaint": directional(predict),
    }
    # Accuracy is reported, but it does not decide: every behavioural test must hold.
    report["passed"] = all(report[test]["rate"] <= limit for test, limit in LIMITS.items())
    return report


if __name__ == "__main__":
    for name in MODELS:
        report = run_suite(name)
        print(name, "passed" if report["passed"] else "BLOCKED",
              {test: report[test]["rate"] for test in LIMITS}, "accuracy", report["accuracy"])
