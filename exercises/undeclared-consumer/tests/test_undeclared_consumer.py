"""Hidden tests: predict() returns a structured, versioned prediction that billing uses."""
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


# A stand-in for a retrained model, put in the subject for one test (it is not a secret).
FAKE_MODEL = """
from types import SimpleNamespace


def fake_predict(customer, threshold=0.6):
    return SimpleNamespace(
        probability=0.7, label=0.7 >= threshold, threshold=threshold,
        model_version="retrained", to_dict=lambda: {},
    )
"""


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


def predict_with_threshold(model, customer, threshold):
    try:
        return model.predict(dict(customer), threshold=threshold)
    except SubjectError as error:
        if not error.is_a("TypeError"):
            raise
        pytest.fail(f"predict(customer, threshold=...) must accept the threshold it should carry ({error.message})")


def test_prediction_is_not_a_bare_number(model):
    prediction = model.predict(dict(CUSTOMERS[0]))
    assert not isinstance(prediction, (int, float)), (
        "predict() still returns a bare number; every reader has to guess what it "
        "means. Return a structured prediction (probability, label, threshold, model_version)"
    )


def test_probability_is_in_range_and_unchanged(model):
    for customer, old in zip(CUSTOMERS, OLD_PROBABILITIES):
        prediction = model.predict(dict(customer))
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
    default = model.predict(dict(CUSTOMERS[0]))
    assert default.threshold == 0.8, (
        "by default the model should carry the 0.8 threshold billing used to hard-code, "
        f"so the decision stays the same; got {default.threshold!r}"
    )


def test_prediction_names_its_model_version(model):
    version = attribute(model.predict(dict(CUSTOMERS[0])), "model_version")
    assert isinstance(version, str) and version.strip(), (
        "every prediction should carry a non-empty model_version string, so a "
        f"consumer can tell which model made it; got {version!r}"
    )


def test_prediction_serialises_to_json(model):
    prediction = model.predict(dict(CUSTOMERS[1]))
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


def test_billing_follows_the_models_decision(subject, billing):
    model = subject.module("model")
    subject.write_text("judge_fake_model.py", FAKE_MODEL)
    fake_predict = subject.module("judge_fake_model").fake_predict
    subject.call("builtins.setattr", model, "predict", fake_predict)
    if "predict" in subject.snapshot("billing"):
        subject.call("builtins.setattr", billing, "predict", fake_predict)
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
