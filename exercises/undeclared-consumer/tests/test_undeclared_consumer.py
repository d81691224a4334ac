"""Hidden tests: predict() returns a structured, versioned prediction, only to declared
consumers, and billing is one of them."""
import json
import math

import pytest

from mlquiz.grading.judge import Remote, SubjectError

CUSTOMERS = [
    {"logins_per_week": 9, "seats": 12, "support_tickets": 1},
    {"logins_per_week": 14, "seats": 10, "support_tickets": 0},
    {"logins_per_week": 2, "seats": 3, "support_tickets": 4},
    {"logins_per_week": 6, "seats": 8, "support_tickets": 2},
    {"logins_per_week": 11, "seats": 20, "support_tickets": 3},
    {"logins_per_week": 4, "seats": 1, "support_tickets": 0},
    {"logins_per_week": 7, "seats": 8, "support_tickets": 2},
]
# Upgrade probabilities the old predict() returned for CUSTOMERS.
OLD_PROBABILITIES = [
    0.9121360851706988, 0.9836975006285591, 0.12564785651534566, 0.6364525402815662,
    0.9706877692486436, 0.382252125230751, 0.7130001627522815,
]
# Discounts billing gave for CUSTOMERS before the change.
OLD_DISCOUNTS = [0.10, 0.10, 0.0, 0.0, 0.10, 0.0, 0.0]


# A stand-in for a retrained model, and a spy that notes who asks the real one; put in the
# subject for one test each (they are not secrets).
FAKE_MODEL = """
from types import SimpleNamespace


def fake_predict(customer, consumer=None, threshold=0.6):
    return SimpleNamespace(
        probability=0.7, label=0.7 >= threshold, threshold=threshold,
        model_version="retrained", to_dict=lambda: {},
    )
"""
SPY = """
import model

REAL_PREDICT = model.predict
SEEN = []


def spy_predict(customer, *args, **kwargs):
    SEEN.append(kwargs["consumer"] if "consumer" in kwargs else (args[0] if args else None))
    return REAL_PREDICT(customer, *args, **kwargs)
"""
DASHBOARD = "marketing-dashboard"


@pytest.fixture
def model(subject):
    return subject.module("model")


@pytest.fixture
def billing(subject):
    subject.module("model")
    return subject.module("billing")


def attribute(value, name):
    """getattr(value, name, None), for a learner object in the subject too."""
    if type(value) is not Remote:
        return getattr(value, name, None)
    try:
        return getattr(value, name)
    except SubjectError as error:
        if error.is_a("AttributeError"):
            return None
        raise


def ask(model, customer, **settings):
    """model.predict(customer, consumer="marketing-dashboard", **settings), a declared reader.

    A predict() that does not take `consumer` yet is asked without it, so these tests judge the
    prediction itself and the consumer tests below judge the declaration."""
    try:
        return model.predict(dict(customer), consumer=DASHBOARD, **settings)
    except SubjectError as error:
        if not error.is_a("TypeError"):
            raise
        if "consumer" in error.message:
            try:
                return model.predict(dict(customer), **settings)
            except SubjectError as retry_error:
                if not retry_error.is_a("TypeError"):
                    raise
                error = retry_error
        pytest.fail(
            "predict(customer, consumer=..., threshold=...) must accept the caller's name and the "
            f"threshold it should carry ({error.message})"
        )


def predict_with_threshold(model, customer, threshold):
    return ask(model, customer, threshold=threshold)


def test_prediction_is_not_a_bare_number(model):
    prediction = ask(model, CUSTOMERS[0])
    assert not isinstance(prediction, (int, float)), (
        "predict() still returns a bare number; every reader has to guess what it "
        "means. Return a structured prediction (probability, label, threshold, model_version)"
    )


def test_probability_is_in_range_and_unchanged(model):
    for customer, old in zip(CUSTOMERS, OLD_PROBABILITIES):
        prediction = ask(model, customer)
        probability = attribute(prediction, "probability")
        assert isinstance(probability, float) and 0.0 <= probability <= 1.0, (
            f"prediction.probability should be a float in [0, 1]; got {probability!r}"
        )
        assert math.isclose(probability, old, rel_tol=1e-12), (
            f"the probability for {customer} changed from {old} to {probability}; "
            "wrapping the output must not change the model"
        )


def test_label_agrees_with_the_threshold_it_carries(model):
    for threshold in (0.3, 0.5, 0.7130001627522815, 0.8):
        for customer in CUSTOMERS:
            prediction = predict_with_threshold(model, customer, threshold)
            assert prediction.threshold == threshold, (
                f"predict(customer, threshold={threshold}) should carry that threshold; "
                f"it carries {prediction.threshold!r}"
            )
            assert prediction.label == (prediction.probability >= threshold), (
                f"label {prediction.label!r} contradicts probability {prediction.probability:.3f} "
                f"and threshold {threshold}: the label must be probability >= threshold"
            )
    default = ask(model, CUSTOMERS[0])
    assert default.threshold == 0.8, (
        "by default the model should carry the 0.8 threshold billing used to hard-code, "
        f"so the decision stays the same; got {default.threshold!r}"
    )


def test_prediction_names_its_model_version(model):
    version = attribute(ask(model, CUSTOMERS[0]), "model_version")
    assert isinstance(version, str) and version.strip(), (
        "every prediction should carry a non-empty model_version string, so a "
        f"consumer can tell which model made it; got {version!r}"
    )


def test_prediction_serialises_to_json(model):
    prediction = ask(model, CUSTOMERS[1])
    to_dict = attribute(prediction, "to_dict")
    assert type(to_dict) is Remote, "the prediction should offer to_dict() returning plain, JSON-ready data"
    try:
        data = json.loads(json.dumps(to_dict()))
    except (TypeError, ValueError) as error:
        pytest.fail(f"prediction.to_dict() should return plain, JSON-ready data ({error})")
    expected = {
        "probability": prediction.probability,
        "label": prediction.label,
        "threshold": prediction.threshold,
        "model_version": prediction.model_version,
    }
    assert {key: data.get(key) for key in expected} == expected, (
        "prediction.to_dict() should survive json.dumps/json.loads with probability, "
        f"label, threshold and model_version intact; got {data}"
    )


def test_billing_discounts_are_unchanged(billing):
    discounts = [billing.discount_for(dict(customer)) for customer in CUSTOMERS]
    assert discounts == pytest.approx(OLD_DISCOUNTS), (
        f"billing.discount_for gave {discounts}, before the change it gave {OLD_DISCOUNTS}; "
        "the same customers should still get the discount"
    )


def patch_predict(subject, model, billing, replacement):
    """Make both model.predict and billing's own imported name (if any) point at `replacement`."""
    subject.call("builtins.setattr", model, "predict", replacement)
    if "predict" in subject.snapshot("billing"):
        subject.call("builtins.setattr", billing, "predict", replacement)


def test_billing_follows_the_models_decision(subject, billing):
    model = subject.module("model")
    subject.write_text("judge_fake_model.py", FAKE_MODEL)
    fake_predict = subject.module("judge_fake_model").fake_predict
    patch_predict(subject, model, billing, fake_predict)
    try:
        discount = billing.discount_for(dict(CUSTOMERS[6]))
    except SubjectError as error:
        if not error.is_a("TypeError"):
            raise
        pytest.fail(f"billing.discount_for cannot handle a structured prediction yet ({error.message})")
    assert discount == pytest.approx(0.10), (
        "after a retrain the model says label=True (probability 0.7, its threshold 0.6), "
        "but billing gave no discount: billing must use the prediction's label instead "
        "of comparing the probability with its own 0.8"
    )


# --- the consumer is declared, and only declared consumers get predictions --------------------

def test_consumers_are_declared_in_the_model(subject, model):
    names = subject.snapshot("model").get("CONSUMERS")
    assert type(names) in (dict, list, tuple, set, frozenset), (
        "model.py should declare who reads predict() in CONSUMERS, a dict from each consumer's "
        f"name to what it uses the prediction for; got {names!r}"
    )
    missing = [name for name in ("billing", DASHBOARD) if name not in names]
    assert not missing, (
        f"CONSUMERS does not list {missing}: every system that reads predict() must be declared "
        "where the model team sees it before a retrain"
    )


def test_an_undeclared_consumer_is_refused(subject, model):
    try:
        model.predict(dict(CUSTOMERS[0]), consumer=DASHBOARD)
    except SubjectError as error:
        pytest.fail(
            "predict(customer, consumer='marketing-dashboard') should answer a declared consumer, "
            f"but it raised {error.type_name}: {error.message}"
        )
    with subject.raises(("PermissionError", "ValueError")):
        model.predict(dict(CUSTOMERS[0]), consumer="fraud-team")
        pytest.fail(
            "predict(customer, consumer='fraud-team') answered, but fraud-team is not in CONSUMERS: "
            "an undeclared reader must get a PermissionError, so new consumers cannot appear silently"
        )
    try:
        model.predict(dict(CUSTOMERS[0]))
    except SubjectError:
        pass
    else:
        pytest.fail(
            "predict(customer) answered without being told who is asking: a caller that does not "
            "name itself must be refused too, or the list of consumers means nothing"
        )


def test_billing_names_itself_when_it_asks(subject, billing):
    model = subject.module("model")
    subject.write_text("judge_spy.py", SPY)
    spy = subject.module("judge_spy")
    patch_predict(subject, model, billing, spy.spy_predict)
    billing.discount_for(dict(CUSTOMERS[0]))
    seen = subject.snapshot("judge_spy").get("SEEN")
    assert seen, "billing.discount_for did not ask model.predict for a prediction"
    said = "without saying who it is" if all(name is None for name in seen) else f"as {seen!r}"
    assert all(name == "billing" for name in seen), (
        f"billing asked the model {said}; it should call predict(customer, consumer='billing'), "
        "so the model team can see which decisions depend on their output"
    )
