"""Hidden tests: no dead experiment flags, and a config loader that refuses mistakes."""
import ast
import copy
import json
import math

import pytest

from mlquiz.grading.judge import SubjectError

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


# --- what is left of the dead branches -------------------------------------------------------

DEAD_NAMES = ("exp_holiday_boost", "legacy_bucket", "use_v2", "tenure2", "month")


def _docstrings(tree):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def leftovers(source):
    """Names, strings and always-false branches of the old experiments, with their lines."""
    tree = ast.parse(source, filename="scoring.py")
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        text = None
        if isinstance(node, ast.Name):
            text = node.id
        elif isinstance(node, ast.arg):
            text = node.arg
        elif isinstance(node, ast.Attribute):
            text = node.attr
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = node.value
        if text is not None and text.lower() in DEAD_NAMES:
            found.append((node.lineno, f"'{text}' on line {node.lineno}"))
        if isinstance(node, (ast.If, ast.IfExp)) and isinstance(node.test, ast.Constant):
            found.append((node.lineno, f"a branch on the constant {node.test.value!r} on line {node.lineno}"))
    return [text for _line, text in sorted(set(found))]


def test_dead_branches_are_deleted_not_switched_off(subject):
    try:
        found = leftovers(subject.source("scoring.py"))
    except SyntaxError as error:
        pytest.fail(f"scoring.py does not parse: {error}")
    assert not found, (
        "scoring.py still holds what is left of the old experiments: " + ", ".join(found[:6])
        + ". Taking a flag out of the signature is not enough: delete its branch too (the v2 "
        "formula, the December boost, the ten buckets), so nobody can switch it back on."
    )


# --- score() reads the config, and only the config -------------------------------------------

def test_score_uses_the_settings_it_is_given(scoring):
    config = copy.deepcopy(PRODUCTION)
    config["model"] = {"weights": {"tenure": -0.2, "calls": 0.4, "fee": 0.02}, "bias": -1.0}
    for customer in CUSTOMERS[:4]:
        z = -1.0 - 0.2 * customer["tenure_years"] + 0.4 * customer["support_calls"] + 0.02 * customer["monthly_fee"]
        expected = 1.0 / (1.0 + math.exp(-z))
        got = scoring.score(dict(customer), copy.deepcopy(config))
        assert got == pytest.approx(expected, rel=1e-12), (
            f"with bias -1.0 and weights tenure -0.2, calls 0.4, fee 0.02, score({customer}) should be "
            f"{expected:.6f}, got {got!r}: score() must use the weights and the bias of the config it is given"
        )


def without(config, dotted):
    """A deep copy of `config` with one setting removed: without(c, "model.bias")."""
    config = copy.deepcopy(config)
    *sections, leaf = dotted.split(".")
    node = config
    for section in sections:
        node = node[section]
    del node[leaf]
    return config


def refuses(call):
    """True when the call raised in the learner's code."""
    try:
        call()
    except SubjectError:
        return True
    return False


def test_a_missing_setting_is_an_error_not_a_guess(scoring):
    customer = dict(CUSTOMERS[0])
    for setting in ("model.bias", "model.weights.tenure", "model.weights.calls", "model.weights.fee"):
        config = without(PRODUCTION, setting)
        assert refuses(lambda: scoring.score(customer, config)), (
            f"score() gave an answer for a config without {setting}: it filled in a default of its own. "
            "A guessed default hides a broken config (for example an override that replaced the whole "
            "weights section); read the setting directly so a missing one raises"
        )
    config = without(PRODUCTION, "scoring.threshold")
    assert refuses(lambda: scoring.needs_call(customer, config)), (
        "needs_call() gave an answer for a config without scoring.threshold: it guessed the threshold. "
        "Read config['scoring']['threshold'] so a missing one raises"
    )


# --- load_config leaves both of its inputs alone ---------------------------------------------

OVERRIDES = {"training": {"learning_rate": 0.1}, "model": {"weights": {"fee": 0.02}, "bias": -1.0}}


def test_overrides_are_not_changed(subject, config):
    overrides = subject.put(copy.deepcopy(OVERRIDES))
    config.load_config(copy.deepcopy(PRODUCTION), overrides)
    assert subject.get(overrides) == OVERRIDES, (
        f"load_config changed the overrides it was given (they are now {subject.get(overrides)}); "
        "the experiment's file would no longer say what the experiment changed. Read them, don't consume them"
    )


CHANGE_THE_RESULT = """
import json
import config

base = json.loads({base!r})
overrides = json.loads({overrides!r})
loaded = config.load_config(base, overrides)

def scribble(node):
    for key, value in list(node.items()):
        if isinstance(value, dict):
            scribble(value)
        else:
            node[key] = 7
scribble(loaded)
print(json.dumps({{"base": base, "overrides": overrides}}))
"""


def test_the_result_shares_no_dict_with_its_inputs(subject):
    for overrides in (OVERRIDES, {"training": {"epochs": 10}}):
        code = CHANGE_THE_RESULT.format(base=json.dumps(PRODUCTION), overrides=json.dumps(overrides))
        done = subject.run(["python", "-c", code], timeout=5)
        assert done.returncode == 0, f"load_config(base, {overrides}) failed: {done.stderr[-400:]}"
        after = json.loads(done.stdout.strip().splitlines()[-1])
        assert after == {"base": PRODUCTION, "overrides": overrides}, (
            f"after load_config(base, {overrides}), changing the config it returned also changed "
            "the base or the overrides: the result still shares dicts with them, so editing one "
            "experiment's config edits the others. Build a new dict for every section"
        )
