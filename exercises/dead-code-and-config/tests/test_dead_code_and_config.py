"""Hidden tests: no dead experiment flags, and a config loader that refuses mistakes."""
import copy
import json

import pytest

PRODUCTION = {
    "model": {
        "weights": {"tenure": -0.3, "calls": 0.5, "fee": 0.01},
        "bias": -1.2,
    },
    "training": {"learning_rate": 0.05, "epochs": 200},
    "scoring": {"threshold": 0.5},
}
CUSTOMERS = [
    {"tenure_years": 2.0, "support_calls": 4, "monthly_fee": 39.0},
    {"tenure_years": 0.5, "support_calls": 7, "monthly_fee": 59.0},
    {"tenure_years": 8.0, "support_calls": 0, "monthly_fee": 19.0},
    {"tenure_years": 4.5, "support_calls": 2, "monthly_fee": 99.0},
    {"tenure_years": 1.0, "support_calls": 1, "monthly_fee": 29.0, "month": 12},
]
# Scores production gave for CUSTOMERS before the clean-up.
GOLDEN = [0.6433651456944018, 0.9393460966843479, 0.031984397489533266, 0.3635474597184337, 0.3295988401911314]
CONFIG_ERRORS = ("ValueError", "TypeError", "KeyError")


@pytest.fixture
def config(subject):
    return subject.module("config")


@pytest.fixture
def scoring(subject):
    subject.module("config")
    return subject.module("scoring")


def test_production_scores_unchanged(scoring):
    scores = [scoring.score(dict(customer), copy.deepcopy(PRODUCTION)) for customer in CUSTOMERS]
    assert scores == pytest.approx(GOLDEN, rel=1e-12), (
        "score(customer, production_config) no longer gives the scores production "
        "had; removing dead branches must not change the live path"
    )


def test_removed_flags_raise_type_error(subject, scoring):
    for flag in ("exp_holiday_boost", "legacy_bucket", "use_v2"):
        with subject.raises("TypeError"):
            scoring.score(dict(CUSTOMERS[0]), copy.deepcopy(PRODUCTION), **{flag: False})
            pytest.fail(f"score() still accepts the dead experiment flag {flag!r}; delete the flag and its branch")


def test_unknown_key_raises_and_names_it(subject, config):
    cases = [
        ({"training": {"learing_rate": 0.1}}, "learing_rate"),
        ({"scoring": {"treshold": 0.3}}, "treshold"),
        ({"traning": {"epochs": 10}}, "traning"),
    ]
    for overrides, bad_key in cases:
        with subject.raises(CONFIG_ERRORS) as caught:
            config.load_config(copy.deepcopy(PRODUCTION), overrides)
            pytest.fail(f"load_config accepted the unknown key {bad_key!r} without complaint; a typo must raise")
        assert bad_key in caught.value.message, (
            f"the error for an unknown key should name it so the typo is easy to find; got {caught.value.message}"
        )


def test_wrong_type_or_out_of_range_raises(subject, config):
    cases = [
        ({"training": {"epochs": "200"}}, "epochs given as a string"),
        ({"training": {"epochs": 2.5}}, "epochs given as a fraction"),
        ({"scoring": {"threshold": True}}, "threshold given as a bool"),
        ({"training": {"learning_rate": 5.0}}, "learning_rate above 1"),
        ({"training": {"epochs": 0}}, "zero epochs"),
        ({"scoring": {"threshold": 1.5}}, "threshold above 1"),
        ({"training": 0.1}, "a whole section replaced by a number"),
    ]
    for overrides, problem in cases:
        with subject.raises(CONFIG_ERRORS):
            config.load_config(copy.deepcopy(PRODUCTION), overrides)
            pytest.fail(f"load_config accepted {overrides} ({problem}); it must raise instead")


def test_base_is_not_mutated(subject, config):
    base = subject.put(copy.deepcopy(PRODUCTION))
    config.load_config(base, {"training": {"learning_rate": 0.1}, "model": {"bias": -1.0}})
    assert subject.get(base) == PRODUCTION, (
        "load_config changed the base config it was given; every later experiment "
        "would start from someone else's overrides. Return a new dict instead"
    )


def test_diff_returns_only_changed_keys(config):
    base = copy.deepcopy(PRODUCTION)
    experiment = config.load_config(base, {"training": {"learning_rate": 0.1}, "model": {"weights": {"fee": 0.02}}})
    assert config.diff(PRODUCTION, experiment) == {
        "training.learning_rate": (0.05, 0.1),
        "model.weights.fee": (0.01, 0.02),
    }, (
        "diff(a, b) should return only the settings that changed, keyed by their dotted "
        f"path, as (old, new) pairs; got {config.diff(PRODUCTION, experiment)}"
    )
    assert config.diff(PRODUCTION, copy.deepcopy(PRODUCTION)) == {}, (
        "diff of a config with an identical copy of itself should be empty"
    )


def test_partial_override_keeps_the_rest_and_survives_json(config):
    overrides = {"model": {"weights": {"calls": 0.6}}}
    loaded = config.load_config(copy.deepcopy(PRODUCTION), overrides)
    assert loaded["model"]["weights"] == {"tenure": -0.3, "calls": 0.6, "fee": 0.01}, (
        "overriding one weight must keep the other weights of that section; "
        f"got {loaded['model']['weights']}"
    )
    assert json.loads(json.dumps(loaded)) == loaded, (
        "the loaded config should be plain data that survives a JSON round trip unchanged"
    )
    from_json = config.load_config(copy.deepcopy(PRODUCTION), json.loads(json.dumps(overrides)))
    assert from_json == loaded, "overrides read back from JSON should give the same config"
