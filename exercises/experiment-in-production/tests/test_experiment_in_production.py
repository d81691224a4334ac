"""Hidden tests: churn_model must be safe to import and keep no hidden state."""
import json

import pytest

from mlquiz.grading.judge import SubjectError

ROWS = [
    ({"tenure_years": 0.5, "support_calls": 6, "late_payments": 2}, 1),
    ({"tenure_years": 4.0, "support_calls": 1, "late_payments": 0}, 0),
    ({"tenure_years": 1.0, "support_calls": 4, "late_payments": 3}, 1),
    ({"tenure_years": 6.0, "support_calls": 0, "late_payments": 0}, 0),
    ({"tenure_years": 2.5, "support_calls": 2, "late_payments": 1}, 0),
    ({"tenure_years": 0.2, "support_calls": 7, "late_payments": 4}, 1),
    ({"tenure_years": 3.0, "support_calls": 5, "late_payments": 2}, 1),
    ({"tenure_years": 5.5, "support_calls": 1, "late_payments": 1}, 0),
]
PROBES = [
    {"tenure_years": 1.5, "support_calls": 3, "late_payments": 1},
    {"tenure_years": 5.0, "support_calls": 0, "late_payments": 0},
    {"tenure_years": 0.3, "support_calls": 8, "late_payments": 3},
]
# Probabilities the production model gave before the clean-up.
GOLDEN = {
    (0.1, 40): [0.8613002415122967, 4.807687527213576e-05, 0.9999975717856463],
    (0.3, 15): [0.9118936075315586, 5.774566746694078e-06, 0.9999998842529966],
}


def fresh_import(subject):
    """Import churn_model in this test's fresh subject (the check folder is its working directory)."""
    return subject.module("churn_model")


def probabilities(module, model):
    return [module.predict_proba(dict(probe), model) for probe in PROBES]


def test_import_prints_nothing(subject):
    fresh_import(subject)
    printed = subject.output()
    assert printed == "", (
        "importing churn_model printed something; an import should only define "
        f"functions and constants. Printed: {printed[:200]!r}"
    )


def test_import_creates_no_files(subject):
    before = set(subject.listdir())
    fresh_import(subject)
    created = sorted(set(subject.listdir()) - before)
    assert created == [], (
        f"importing churn_model created files in the working directory: {created}; "
        "no training or logging should run at import time"
    )


def test_stray_override_file_changes_nothing(subject):
    overrides = {"learning_rate": 5.0, "epochs": 1, "threshold": 0.99}
    subject.write_text("experiment_overrides.json", json.dumps(overrides))
    module = fresh_import(subject)
    model = module.train([(dict(row), label) for row, label in ROWS])
    assert probabilities(module, model) == pytest.approx(GOLDEN[(0.1, 40)], rel=1e-9), (
        "an experiment_overrides.json left in the working directory changed what "
        "train(rows) produces; settings must come from the arguments, not from files "
        "read at import"
    )


def test_results_unchanged(subject):
    module = fresh_import(subject)
    for (rate, epochs), expected in GOLDEN.items():
        model = module.train([(dict(row), label) for row, label in ROWS], learning_rate=rate, epochs=epochs)
        assert probabilities(module, model) == pytest.approx(expected, rel=1e-9), (
            f"train(rows, learning_rate={rate}, epochs={epochs}) no longer gives the "
            "probabilities production had; the clean-up must not change the maths"
        )


# Runs in the subject, so both models stay the learner's own objects: a model handed back to
# the judge is a copy, and a copy cannot show that the second train() overwrote the first model.
TWO_MODELS = """
import churn_model


def probabilities(model, probes):
    return [churn_model.predict_proba(dict(probe), model) for probe in probes]


def train_two(rows, probes):
    small = churn_model.train(list(rows), learning_rate=0.01, epochs=5)
    before = probabilities(small, probes)
    big = churn_model.train(list(rows), learning_rate=0.3, epochs=15)
    return before, probabilities(small, probes), probabilities(big, probes)
"""


def test_two_models_do_not_interfere(subject):
    fresh_import(subject)
    subject.write_text("judge_two_models.py", TWO_MODELS)
    before, after, big = subject.call(
        "judge_two_models.train_two", [(dict(row), label) for row, label in ROWS], PROBES)
    assert after == pytest.approx(before, rel=1e-12), (
        "training a second model changed the predictions of the first one; "
        "train() must return a new model each call instead of refitting a shared one"
    )
    assert big != pytest.approx(before, rel=1e-6), (
        "two models trained with different settings gave the same predictions; "
        "predict_proba(row, model) must use the model it is given"
    )


def test_training_leaves_module_state_alone(subject):
    module = fresh_import(subject)
    snapshot = subject.snapshot("churn_model")
    module.train([(dict(row), label) for row, label in ROWS], learning_rate=0.3, epochs=15)
    after = subject.snapshot("churn_model")
    changed = sorted(name for name, value in snapshot.items() if after.get(name) != value)
    assert changed == [], (
        f"train() changed module-level variables {changed}; pass settings and the "
        "model explicitly instead of keeping them in globals"
    )


def test_threshold_is_an_argument(subject):
    module = fresh_import(subject)
    model = module.train([(dict(row), label) for row, label in ROWS])
    customer = dict(PROBES[0])  # churn probability about 0.86
    try:
        strict = module.will_churn(customer, model, threshold=0.95)
        lenient = module.will_churn(customer, model, threshold=0.5)
    except SubjectError as error:
        if not error.is_a("TypeError"):
            raise
        pytest.fail(f"will_churn(row, model, threshold=...) must accept the threshold as an argument ({error.message})")
    assert strict is False and lenient is True, (
        "will_churn(row, model, threshold=t) must compare the probability with the "
        "threshold it is given, not with a global setting"
    )
