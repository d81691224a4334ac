"""Hidden tests: Jensen-Shannon divergence over every category of either side."""

import math

import pytest

from mlquiz.grading.judge import SubjectError

TRAINING = ["card"] * 600 + ["paypal"] * 300 + ["invoice"] * 100


def call(subject, name, *args, **kwargs):
    """categories.<name>(...) in the sandbox; a crash becomes a readable failure."""
    try:
        return subject.call(f"categories.{name}", *args, **kwargs)
    except SubjectError as error:
        where = f" at {error.where}" if error.where else ""
        pytest.fail(f"categories.{name}() raised {error.type_name}: {error.message}{where}")


def test_equal_shares_have_zero_divergence(subject):
    shares = {"card": 0.6, "paypal": 0.3, "invoice": 0.1}
    value = call(subject, "divergence", shares, dict(shares))
    assert type(value) is float and abs(value) < 1e-12, f"equal shares should give a divergence of 0, got {value!r}"


def test_shares_with_nothing_in_common_give_the_maximum(subject):
    value = call(subject, "divergence", {"card": 1.0}, {"wallet": 1.0})
    assert type(value) is float and value == pytest.approx(1.0, abs=1e-9), (
        f"two distributions with no category in common are as far apart as Jensen-Shannon allows: 1 in base 2. "
        f"Got {value!r}"
    )
    natural = call(subject, "divergence", {"card": 1.0}, {"wallet": 1.0}, base=math.e)
    assert type(natural) is float and natural == pytest.approx(math.log(2), abs=1e-9), (
        f"with natural logs (base=math.e) the maximum is ln 2 = 0.693..., got {natural!r}"
    )


def test_divergence_is_symmetric(subject):
    p = {"card": 0.6, "paypal": 0.3, "invoice": 0.1}
    q = {"card": 0.45, "paypal": 0.2, "invoice": 0.05, "wallet": 0.3}
    forward, backward = call(subject, "divergence", p, q), call(subject, "divergence", q, p)
    assert type(forward) is float and forward == pytest.approx(backward, abs=1e-12), (
        f"Jensen-Shannon does not depend on the order: divergence(p, q) = {forward!r} but "
        f"divergence(q, p) = {backward!r}. KL(p || q) does, which is why it is the wrong tool here."
    )
    assert forward == pytest.approx(0.17115, abs=1e-4), (
        f"for these shares the JS divergence in base 2 is about 0.1711, got {forward!r}: average the two KL "
        "divergences against m, the mean of the two distributions, over the categories of both sides"
    )


def test_a_vanished_category_gives_a_finite_answer(subject):
    live = ["card"] * 650 + ["paypal"] * 350  # invoice switched off
    report = call(subject, "categorical_drift", TRAINING, live)
    assert type(report) is dict, f"categorical_drift should return a dict, got {report!r:.80}"
    value = report.get("divergence")
    assert type(value) is float and math.isfinite(value) and 0 < value <= 1, (
        f"when a training category is missing live, the divergence should be a finite number between 0 and 1, "
        f"got {value!r}"
    )
    assert report.get("missing") == ["invoice"], (
        f"the report should name the training categories absent from live under 'missing': expected "
        f"['invoice'], got {report.get('missing')!r}"
    )


def test_a_new_category_is_named_and_counted(subject):
    live = ["card"] * 450 + ["paypal"] * 200 + ["invoice"] * 50 + ["wallet"] * 300
    report = call(subject, "categorical_drift", TRAINING, live)
    assert type(report) is dict and report.get("new") == ["wallet"], (
        f"a payment method seen live but never in training should be listed under 'new': expected ['wallet'], "
        f"got {report.get('new') if type(report) is dict else report!r}"
    )
    assert report.get("drifted") is True and report.get("divergence") == pytest.approx(0.1711, abs=1e-3), (
        f"a new category taking 30% of traffic gives a JS divergence of about 0.171, above 0.1, so drifted; "
        f"got divergence {report.get('divergence')!r}, drifted {report.get('drifted')!r}"
    )
    assert report.get("missing") == [], f"no training category is missing here, got {report.get('missing')!r}"


def test_a_normal_night_is_not_drifted(subject):
    live = ["card"] * 590 + ["paypal"] * 310 + ["invoice"] * 100
    report = call(subject, "categorical_drift", TRAINING, live)
    assert type(report) is dict and report.get("drifted") is False, (
        f"one point moving from card to paypal is normal noise and should not count as drifted; got {report!r}"
    )
    assert report.get("new") == [] and report.get("missing") == [], (
        f"the same categories on both sides: 'new' and 'missing' should be empty lists, got {report!r}"
    )


def test_an_empty_sample_is_refused(subject):
    with subject.raises("ValueError"):
        subject.call("categories.category_shares", [])
    with subject.raises("ValueError"):
        subject.call("categories.categorical_drift", TRAINING, [])
