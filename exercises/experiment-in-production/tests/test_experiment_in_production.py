"""Hidden tests: churn_model must be safe to import and keep no hidden state."""
import copy
import importlib
import json
import sys

import pytest

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


def fresh_import(tmp_path, monkeypatch):
    """Import churn_model from scratch with tmp_path as the working directory."""
    monkeypatch.chdir(tmp_path)
    sys.modules.pop("churn_model", None)
    return importlib.import_module("churn_model")


def probabilities(module, model):
    return [module.predict_proba(dict(probe), model) for probe in PROBES]


def test_import_prints_nothing(tmp_path, monkeypatch, capsys):
    fresh_import(tmp_path, monkeypatch)
    printed = capsys.readouterr()
    assert printed.out == "" and printed.err == "", (
        "importing churn_model printed something; an import should only define "
        f"functions and constants. Printed: {(printed.out + printed.err)[:200]!r}"
    )


def test_import_creates_no_files(tmp_path, monkeypatch):
    fresh_import(tmp_path, monkeypatch)
    created = sorted(path.name for path in tmp_path.iterdir())
    assert created == [], (
        f"importing churn_model created files in the working directory: {created}; "
        "no training or logging should run at import time"
    )


def test_stray_override_file_changes_nothing(tmp_path, monkeypatch):
    overrides = {"learning_rate": 5.0, "epochs": 1, "threshold": 0.99}
    (tmp_path / "experiment_overrides.json").write_text(json.dumps(overrides))
    module = fresh_import(tmp_path, monkeypatch)
    model = module.train([(dict(row), label) for row, label in ROWS])
    assert probabilities(module, model) == pytest.approx(GOLDEN[(0.1, 40)], rel=1e-9), (
        "an experiment_overrides.json left in the working directory changed what "
        "train(rows) produces; settings must come from the arguments, not from files "
        "read at import"
    )


def test_results_unchanged(tmp_path, monkeypatch):
    module = fresh_import(tmp_path, monkeypatch)
    for (rate, epochs), expected in GOLDEN.items():
        model = module.train([(dict(row), label) for row, label in ROWS], learning_rate=rate, epochs=epochs)
        assert probabilities(module, model) == pytest.approx(expected, rel=1e-9), (
            f"train(rows, learning_rate={rate}, epochs={epochs}) no longer gives the "
            "probabilities production had; the clean-up must not change the maths"
        )


def test_two_models_do_not_interfere(tmp_path, monkeypatch):
    module = fresh_import(tmp_path, monkeypatch)
    small = module.train([(dict(row), label) for row, label in ROWS], learning_rate=0.01, epochs=5)
    before = probabilities(module, small)
    big = module.train([(dict(row), label) for row, label in ROWS], learning_rate=0.3, epochs=15)
    after = probabilities(module, small)
    assert after == pytest.approx(before, rel=1e-12), (
        "training a second model changed the predictions of the first one; "
        "train() must return a new model instead of filling a shared global"
    )
    assert probabilities(module, big) != pytest.approx(before, rel=1e-6), (
        "two models trained with different settings gave the same predictions; "
        "predict_proba(row, model) must use the model it is given"
    )


def test_training_leaves_module_state_alone(tmp_path, monkeypatch):
    module = fresh_import(tmp_path, monkeypatch)
    plain = (dict, list, set, int, float, str, tuple, bool)
    snapshot = {
        name: copy.deepcopy(value)
        for name, value in vars(module).items()
        if not name.startswith("__") and isinstance(value, plain)
    }
    module.train([(dict(row), label) for row, label in ROWS], learning_rate=0.3, epochs=15)
    changed = sorted(
        name for name, value in snapshot.items() if getattr(module, name, None) != value
    )
    assert changed == [], (
        f"train() changed module-level variables {changed}; pass settings and the "
        "model explicitly instead of keeping them in globals"
    )


def test_threshold_is_an_argument(tmp_path, monkeypatch):
    module = fresh_import(tmp_path, monkeypatch)
    model = module.train([(dict(row), label) for row, label in ROWS])
    customer = dict(PROBES[0])  # churn probability about 0.86
    try:
        strict = module.will_churn(customer, model, threshold=0.95)
        lenient = module.will_churn(customer, model, threshold=0.5)
    except TypeError as error:
        pytest.fail(f"will_churn(row, model, threshold=...) must accept the threshold as an argument ({error})")
    assert strict is False and lenient is True, (
        "will_churn(row, model, threshold=t) must compare the probability with the "
        "threshold it is given, not with a global setting"
    )
