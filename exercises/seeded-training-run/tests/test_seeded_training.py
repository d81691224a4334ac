"""Hidden tests: the same seed gives the same model, and training leaves everyone else's state alone."""
import random

import pytest

from mlquiz.grading.judge import SubjectError


def make_rows():
    """Thirty customers the learner has not seen: ([tenure, calls, yearly], churned)."""
    rows = []
    for i in range(30):
        tenure = (i % 6) / 3
        calls = ((i * 5) % 9) / 9
        yearly = float(i % 4 == 1)
        rows.append(([tenure, calls, yearly], 1 if calls - tenure / 2 - yearly / 2 > 0 else 0))
    return rows


ROWS = make_rows()


def fit(train, rows, seed):
    """train.fit(rows, seed=seed), turned into a plain failure when fit has no seed parameter."""
    try:
        model = train.fit(rows, seed=seed)
    except SubjectError as error:
        if error.type_name == "TypeError" and "seed" in error.message:
            pytest.fail(f"fit should take the seed as a parameter, fit(rows, seed=7); calling it that way gave: {error.message}")
        raise
    assert type(model) is dict, f"fit should return the model as a dict, got {model!r}"
    for key in ("weights", "bias"):
        assert key in model, f"the model should still have its '{key}' entry; it has {sorted(model)}"
    return model


def test_the_same_seed_gives_the_same_model(subject):
    train = subject.module("train")
    first = fit(train, ROWS, seed=3)
    second = fit(train, ROWS, seed=3)
    assert first["weights"] == second["weights"] and first["bias"] == second["bias"], (
        "two runs on the same rows with seed=3 gave different models: "
        f"{first['weights']} and then {second['weights']}"
    )


def test_different_seeds_give_different_runs(subject):
    train = subject.module("train")
    one = fit(train, ROWS, seed=1)
    two = fit(train, ROWS, seed=2)
    assert one["weights"] != two["weights"], (
        "seed=1 and seed=2 gave exactly the same weights; the seed should drive the starting "
        "weights and the shuffle, not be ignored"
    )


def test_the_global_random_generator_is_left_alone(subject):
    train = subject.module("train")
    subject.call("random.seed", 99)
    fit(train, ROWS, seed=5)
    after = subject.call("random.random")
    expected = random.Random(99).random()
    assert after == expected, (
        "after random.seed(99), fit changed what random.random() returns next: training drew from, "
        "or reseeded, the shared global generator. Use a generator of its own, random.Random(seed)"
    )


def test_the_rows_passed_in_are_left_as_they_were(subject):
    train = subject.module("train")
    rows = subject.put(ROWS)
    fit(train, rows, seed=4)
    assert subject.get(rows) == ROWS, (
        "fit reordered or changed the list of rows it was given; shuffle a copy, not the caller's list"
    )


def test_the_model_records_its_seed(subject):
    train = subject.module("train")
    model = fit(train, ROWS, seed=11)
    assert model.get("seed") == 11, (
        f"a model trained with seed=11 should say so, model['seed'] == 11; it has {model.get('seed')!r}"
    )


def test_the_model_still_learns(subject):
    train = subject.module("train")
    model = fit(train, ROWS, seed=8)
    right = sum((train.predict(model, features) > 0.5) == bool(label) for features, label in ROWS)
    assert right >= 25, (
        f"the trained model classifies only {right} of {len(ROWS)} training rows correctly; "
        "training should still learn (at least 25)"
    )
