"""Hidden tests: the API must serve the numbers the model was trained on."""

import ast

import pytest

from mlquiz.grading.judge import SubjectError

# 20 customer records and the churn probability the trained model gives each
# of them offline (recorded from the nightly batch job).
GOLDEN = [
    ({"customer_id": "C-001", "tenure_days": 1346, "tenure_months": 44, "monthly_charges": 112.79, "plan": "standard", "support_calls": 5, "has_phone": True, "has_internet": False, "has_tv": True},
     0.42546051758925924),
    ({"customer_id": "C-002", "tenure_days": 257, "tenure_months": 8, "monthly_charges": 108.97, "plan": "basic", "support_calls": 0, "has_phone": True, "has_internet": True, "has_tv": True},
     0.38934729312752253),
    ({"customer_id": "C-003", "tenure_days": 1758, "tenure_months": 57, "monthly_charges": 23.91, "plan": "premium", "support_calls": 0, "has_phone": False, "has_internet": False, "has_tv": False},
     0.03224331382288704),
    ({"customer_id": "C-004", "tenure_days": 273, "tenure_months": 8, "monthly_charges": 75.71, "plan": "standard", "support_calls": 0, "has_phone": False, "has_internet": True, "has_tv": False},
     0.3816769072019342),
    ({"customer_id": "C-005", "tenure_days": 1206, "tenure_months": 39, "monthly_charges": 59.91, "plan": "premium", "support_calls": 0, "has_phone": True, "has_internet": True, "has_tv": False},
     0.05172663440092952),
    ({"customer_id": "C-006", "tenure_days": 442, "tenure_months": 14, "monthly_charges": 76.16, "plan": "premium", "support_calls": 1, "has_phone": True, "has_internet": True, "has_tv": True},
     0.16775997312413188),
    ({"customer_id": "C-007", "tenure_days": 264, "tenure_months": 8, "monthly_charges": 79.9, "plan": "standard", "support_calls": 5, "has_phone": True, "has_internet": False, "has_tv": False},
     0.7895198012843451),
    ({"customer_id": "C-008", "tenure_days": 1876, "tenure_months": 61, "monthly_charges": 54.16, "plan": "basic", "support_calls": 6, "has_phone": True, "has_internet": False, "has_tv": True},
     0.25128825810093064),
    ({"customer_id": "C-009", "tenure_days": 1249, "tenure_months": 41, "monthly_charges": 70.52, "plan": "standard", "support_calls": 5, "has_phone": True, "has_internet": False, "has_tv": True},
     0.32906727308573297),
    ({"customer_id": "C-010", "tenure_days": 2116, "tenure_months": 69, "monthly_charges": 59.81, "plan": "standard", "support_calls": 1, "has_phone": False, "has_internet": True, "has_tv": False},
     0.04168760392997406),
    ({"customer_id": "C-011", "tenure_days": 337, "tenure_months": 11, "monthly_charges": 94.46, "plan": "premium", "support_calls": 6, "has_phone": False, "has_internet": True, "has_tv": False},
     0.7898154461937886),
    ({"customer_id": "C-012", "tenure_days": 2054, "tenure_months": 67, "monthly_charges": 75.99, "plan": "standard", "support_calls": 0, "has_phone": False, "has_internet": False, "has_tv": False},
     0.05825177853088748),
    ({"customer_id": "C-013", "tenure_days": 286, "tenure_months": 9, "monthly_charges": 24.07, "plan": "premium", "support_calls": 2, "has_phone": True, "has_internet": False, "has_tv": False},
     0.2891347597876227),
    ({"customer_id": "C-014", "tenure_days": 1185, "tenure_months": 38, "monthly_charges": 89.66, "plan": "premium", "support_calls": 2, "has_phone": True, "has_internet": True, "has_tv": True},
     0.10191856228378869),
    ({"customer_id": "C-015", "tenure_days": 499, "tenure_months": 16, "monthly_charges": 67.37, "plan": "basic", "support_calls": 6, "has_phone": True, "has_internet": False, "has_tv": False},
     0.8238244712881189),
    ({"customer_id": "C-016", "tenure_days": 2053, "tenure_months": 67, "monthly_charges": 26.06, "plan": "standard", "support_calls": 3, "has_phone": True, "has_internet": False, "has_tv": False},
     0.058301719846428804),
    ({"customer_id": "C-017", "tenure_days": 1160, "tenure_months": 38, "monthly_charges": 88.64, "plan": "standard", "support_calls": 5, "has_phone": False, "has_internet": False, "has_tv": True},
     0.5151586864363622),
    ({"customer_id": "C-018", "tenure_days": 741, "tenure_months": 24, "monthly_charges": 33.13, "plan": "premium", "support_calls": 1, "has_phone": True, "has_internet": False, "has_tv": True},
     0.09802979714784435),
    ({"customer_id": "C-019", "tenure_days": 1174, "tenure_months": 38, "monthly_charges": 18.41, "plan": "standard", "support_calls": 4, "has_phone": True, "has_internet": True, "has_tv": False},
     0.16765528679137542),
    ({"customer_id": "C-020", "tenure_days": 2131, "tenure_months": 70, "monthly_charges": 113.02, "plan": "premium", "support_calls": 5, "has_phone": True, "has_internet": True, "has_tv": False},
     0.13135016348708253),
]
TOLERANCE = 1e-9


def score(subject, function, record):
    """`function`'s answer for a copy of `record`, as a float; a crash or a non-number fails
    with a readable message."""
    try:
        got = subject.call(function, dict(record))
    except SubjectError as error:
        pytest.fail(f"{function} crashed with {error.type_name}: {error.message} on the record {record}")
    if type(got) not in (int, float):
        pytest.fail(f"{function} should return a number, got {got!r} for the record {record}")
    return got


def served(subject, record):
    """The API's answer for a copy of `record`."""
    return score(subject, "serve.predict", record)


def offline(subject, record):
    return score(subject, "train.offline_predict", record)


def test_offline_scores_still_match_the_trained_model(subject):
    for record, expected in GOLDEN:
        got = offline(subject, record)
        assert got == pytest.approx(expected, abs=TOLERANCE), (
            f"the offline score for {record['customer_id']} changed: {got:.4f} instead of {expected:.4f}. "
            "The model was trained on those features; fix serving to match training, not the other way round."
        )


def test_served_predictions_equal_offline_for_golden_records(subject):
    mismatches = []
    for record, expected in GOLDEN:
        got = served(subject, record)
        if abs(got - expected) > TOLERANCE:
            mismatches.append(f"{record['customer_id']}: served {got:.4f} vs offline {expected:.4f}")
    assert not mismatches, (
        f"{len(mismatches)} of {len(GOLDEN)} customers get a different score from the API than offline "
        f"({'; '.join(mismatches[:3])}). These records have every field filled in, so the two paths "
        "compute at least one feature differently; the tests below try one field at a time."
    )


# Each test below changes ONE field of a complete record and compares the API with itself,
# so a failure names that field and no other difference between the paths can cause it.

def assert_same_score(subject, changed, reference, what, than="with the field set to training's value"):
    got, want = served(subject, changed), served(subject, reference)
    assert got == pytest.approx(want, abs=TOLERANCE), (
        f"{what}: the API scores {got:.4f} instead of {want:.4f}, its score for the same customer {than}."
    )


def test_missing_plan_is_filled_like_training(subject):
    base = dict(GOLDEN[1][0], plan="basic")
    without_plan = {key: value for key, value in base.items() if key != "plan"}
    for variant, label in ((without_plan, "plan is missing"), (dict(base, plan=None), "plan is null"),
                           (dict(base, plan=""), "plan is an empty string")):
        assert_same_score(subject, variant, base,
                          f"when the {label}, training treats the customer as 'basic', but the API does "
                          "not. Training fills a missing plan in one way; serving must fill it the same way")


def test_missing_support_calls_count_as_zero(subject):
    base = dict(GOLDEN[6][0], support_calls=0)
    variant = {key: value for key, value in base.items() if key != "support_calls"}
    assert_same_score(subject, variant, base,
                      "without 'support_calls', training counts 0 calls, but the API does something else")


def test_missing_product_flags_count_as_not_held(subject):
    for dropped in ("has_phone", "has_internet", "has_tv"):
        base = dict(GOLDEN[6][0], **{dropped: False})
        variant = {key: value for key, value in base.items() if key != dropped}
        assert_same_score(subject, variant, base,
                          f"without '{dropped}', training counts that product as not held, "
                          "but the API does something else")


def test_extra_keys_do_not_change_the_prediction(subject):
    record = GOLDEN[4][0]
    noisy = dict(record, has_pets=True, has_newsletter=True, utm_source="spring-sale", tenure_weeks=172)
    assert_same_score(subject, noisy, record,
                      "adding keys the model never saw (has_pets, has_newsletter, utm_source, tenure_weeks) "
                      "moved the API's score. Features should be built from a fixed list of fields",
                      than="without those keys")


def test_tenure_comes_from_tenure_months_only(subject):
    record = GOLDEN[0][0]
    shifted = dict(record, tenure_days=record["tenure_days"] + 20)  # profile refreshed, warehouse not yet
    assert_same_score(subject, shifted, record,
                      f"changing only tenure_days (to {shifted['tenure_days']}) changed the API's score; "
                      "training reads tenure from tenure_months, so serving must too",
                      than="before the change")
    without_days = {key: value for key, value in record.items() if key != "tenure_days"}
    assert_same_score(subject, without_days, record,
                      "a record without tenure_days gets another score; training never reads tenure_days",
                      than="with tenure_days")
    longer = dict(record, tenure_months=record["tenure_months"] + 24)
    assert served(subject, longer) != pytest.approx(served(subject, record), abs=TOLERANCE), (
        "two more years of tenure_months did not change the API's score: serving must read tenure "
        "from tenure_months, as training does"
    )


# --- one copy of the feature code ------------------------------------------------------------

RAW_FIELDS = ("tenure_months", "tenure_days", "monthly_charges", "support_calls", "plan",
              "has_phone", "has_internet", "has_tv")
PRODUCT_FIELDS = ("has_phone", "has_internet", "has_tv")
FILES = ("features.py", "train.py", "serve.py")


def _is_main_guard(node):
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


def _docstring_nodes(tree):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def field_reads(filename, source):
    """{raw field: {"serve.py: request_features", ...}}: where a file names each raw field,
    outside docstrings and the `if __name__ == "__main__":` demo."""
    tree = ast.parse(source, filename=filename)
    docstrings = _docstring_nodes(tree)
    reads = {}

    def visit(node, place):
        if _is_main_guard(node):
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            name = getattr(node, "name", "<lambda>")
            place = f"{filename}: {name}()" if place.endswith("module level") else f"{place[:-2]}.{name}()"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            named = [node.value] if node.value in RAW_FIELDS else []
            if node.value == "has_":  # a prefix match reads every product flag
                named = list(PRODUCT_FIELDS)
            for field in named:
                reads.setdefault(field, set()).add(place)
        for child in ast.iter_child_nodes(node):
            visit(child, place)

    visit(tree, f"{filename}: module level")
    return reads


def all_field_reads(subject):
    merged = {}
    for filename in FILES:
        try:
            source = subject.source(filename)
        except Exception:  # noqa: BLE001 - a missing file simply reads no field
            continue
        try:
            reads = field_reads(filename, source)
        except SyntaxError as error:
            pytest.fail(f"{filename} does not parse: {error}")
        for field, places in reads.items():
            merged.setdefault(field, set()).update(places)
    return merged


def test_serving_keeps_no_feature_code_of_its_own(subject):
    reads = all_field_reads(subject)
    own = sorted({place for places in reads.values() for place in places if place.startswith("serve.py")})
    fields = sorted(field for field, places in reads.items() if any(p.startswith("serve.py") for p in places))
    assert not own, (
        f"serve.py still reads raw fields itself ({', '.join(fields)} in {', '.join(own)}). "
        "A corrected copy is still a copy: the next change to one side brings the skew back. "
        "Let serve.py call the one feature function (in features.py) instead."
    )


# Every version of the feature code must read these two; other names ("plan", "support_calls")
# are also feature names and one-hot prefixes, so they may appear beside a helper.
ALWAYS_READ = ("tenure_months", "monthly_charges")


def test_the_feature_code_exists_once(subject):
    reads = all_field_reads(subject)
    twice = {field: sorted(reads[field]) for field in ALWAYS_READ if len(reads.get(field, ())) > 1}
    assert not twice, (
        "there are still two versions of the feature code: "
        + "; ".join(f"{field} is read in {', '.join(places)}" for field, places in sorted(twice.items()))
        + ". Keep one function that turns a record into features, and call it from everywhere."
    )
