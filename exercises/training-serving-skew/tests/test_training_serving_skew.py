"""Hidden tests: the API must serve the numbers the model was trained on."""

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
        f"({'; '.join(mismatches[:3])}). Are train and serve computing tenure the same way?"
    )


def test_missing_plan_is_filled_like_training(subject):
    base = dict(GOLDEN[1][0])  # a basic-plan customer
    without_plan = {key: value for key, value in base.items() if key != "plan"}
    for variant, label in ((dict(base, plan=None), "plan is null"), (without_plan, "plan is missing")):
        got, want = served(subject, variant), offline(subject, variant)
        assert got == pytest.approx(want, abs=TOLERANCE), (
            f"when {label}, the API scores {base['customer_id']} at {got:.4f} but training would give {want:.4f}. "
            "Training fills a missing plan in one way; serving must fill it the same way."
        )


def test_missing_optional_fields_match_training(subject):
    base = dict(GOLDEN[6][0])
    for dropped in ("support_calls", "has_tv", "has_internet"):
        variant = {k: v for k, v in base.items() if k != dropped}
        got, want = served(subject, variant), offline(subject, variant)
        assert got == pytest.approx(want, abs=TOLERANCE), (
            f"without '{dropped}', the API gives {got:.4f} but training gives {want:.4f} for {base['customer_id']}"
        )


def test_extra_keys_do_not_change_the_prediction(subject):
    record, expected = GOLDEN[4]
    noisy = dict(record, has_pets=True, has_newsletter=True, utm_source="spring-sale", tenure_weeks=172)
    got = served(subject, noisy)
    assert got == pytest.approx(expected, abs=TOLERANCE), (
        f"adding keys the model never saw (has_pets, has_newsletter, utm_source, tenure_weeks) moved the API's score "
        f"for {record['customer_id']} from {expected:.4f} to {got:.4f}. Features should be built from a fixed list of fields."
    )


def test_served_features_do_not_depend_on_tenure_days(subject):
    record, expected = GOLDEN[0]
    shifted = dict(record, tenure_days=record["tenure_days"] + 20)  # profile refreshed, warehouse not yet
    got = served(subject, shifted)
    assert got == pytest.approx(offline(subject, shifted), abs=TOLERANCE), (
        f"with tenure_days={shifted['tenure_days']} and tenure_months={shifted['tenure_months']}, the API gives "
        f"{got:.4f} and training gives {offline(subject, shifted):.4f}: both paths must read tenure from the same field"
    )
