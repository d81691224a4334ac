"""Hidden tests: the customer-value pipeline must be pure and composable."""
import copy

import pytest

from mlquiz.grading.judge import Remote, SubjectError

ORDERS = [
    {"order_id": "1", "customer": " Ana ", "amount": "120.00", "currency": "eur", "status": "paid"},
    {"order_id": "2", "customer": "Ben", "amount": "80.00", "currency": "USD", "status": "paid"},
    {"order_id": "3", "customer": "ana", "amount": "35.50", "currency": "EUR", "status": "refunded"},
    {"order_id": "4", "customer": "Cleo", "amount": "300.00", "currency": "gbp", "status": "paid"},
    {"order_id": "5", "customer": "dev ", "amount": "42.10", "currency": "usd", "status": "paid"},
    {"order_id": "6", "customer": "Ben", "amount": "19.99", "currency": "EUR", "status": "pending"},
    {"order_id": "7", "customer": "Eli", "amount": "64.00", "currency": "GBP", "status": "paid"},
    {"order_id": "8", "customer": "ANA", "amount": "15.25", "currency": "eur", "status": "paid"},
    {"order_id": "9", "customer": "Dev", "amount": "210.40", "currency": "USD", "status": "paid"},
    {"order_id": "10", "customer": "Fay", "amount": "9.90", "currency": "EUR", "status": "paid"},
    {"order_id": "11", "customer": " ben", "amount": "60.00", "currency": "gbp", "status": "paid"},
    {"order_id": "12", "customer": "Gus", "amount": "500.00", "currency": "USD", "status": "cancelled"},
]

# The report production printed before the clean-up.
GOLDEN = [
    {"customer": "cleo", "orders": 1, "total_eur": 345.0, "z": 1.761, "vip": True},
    {"customer": "dev", "orders": 2, "total_eur": 227.25, "z": 0.668, "vip": False},
    {"customer": "ben", "orders": 2, "total_eur": 141.0, "z": -0.133, "vip": False},
    {"customer": "ana", "orders": 2, "total_eur": 135.25, "z": -0.186, "vip": False},
    {"customer": "eli", "orders": 1, "total_eur": 73.6, "z": -0.759, "vip": False},
    {"customer": "fay", "orders": 1, "total_eur": 9.9, "z": -1.35, "vip": False},
]


@pytest.fixture
def pipeline(subject):
    """A freshly imported pipeline module, run in the check folder."""
    return subject.module("pipeline")


def new_files(subject, before):
    """Names that appeared in the check folder since `before` (a set of names)."""
    return sorted(set(subject.listdir()) - before)


def test_report_matches_golden_output(pipeline):
    report = pipeline.run_pipeline(copy.deepcopy(ORDERS))
    assert report == GOLDEN, (
        "run_pipeline(orders) no longer gives the report production had; "
        f"expected {GOLDEN}, got {report}"
    )


def test_no_files_are_written(subject, pipeline):
    before = set(subject.listdir())
    pipeline.run_pipeline(copy.deepcopy(ORDERS))
    created = new_files(subject, before)
    assert created == [], (
        f"run_pipeline wrote {created} into the working directory; "
        "pass data from step to step as return values, not through tmp files"
    )


def test_input_is_not_mutated(subject, pipeline):
    orders = subject.put(copy.deepcopy(ORDERS))
    pipeline.run_pipeline(orders)
    assert subject.get(orders) == ORDERS, (
        "run_pipeline changed the order dicts it was given (for example it "
        "stripped the customer names in place); build new rows instead"
    )


def test_two_runs_give_identical_reports(pipeline):
    first = pipeline.run_pipeline(copy.deepcopy(ORDERS))
    second = pipeline.run_pipeline(copy.deepcopy(ORDERS))
    assert second == first, (
        "running the pipeline twice in one process gave a different second report; "
        "some state (totals, stats) survives between runs in a global"
    )


def test_steps_compose(subject, pipeline):
    before = set(subject.listdir())
    steps = pipeline.STEPS if "STEPS" in subject.snapshot("pipeline") else None
    if steps is None:
        pytest.fail("pipeline.py must offer STEPS, the tuple of step functions run_pipeline applies in order")
    assert (type(steps) in (tuple, list) and len(steps) == 6
            and all(type(step) is Remote and subject.type_of(step) == "function" for step in steps)), (
        "STEPS must hold the six step functions, in order"
    )
    orders = subject.put(copy.deepcopy(ORDERS))
    try:
        paid_in_eur = pipeline.run_pipeline(orders, steps=steps[:3])
    except SubjectError as error:
        if not error.is_a("TypeError"):
            raise
        pytest.fail(f"run_pipeline(rows, steps=...) must accept the steps to run ({error.message})")
    assert subject.get(orders) == ORDERS, "running the first three steps changed the input rows"
    assert len(paid_in_eur) == 9 and all(row["status"] == "paid" for row in paid_in_eur), (
        "the first three steps (clean, keep paid, convert) should return the 9 paid orders"
    )
    first = paid_in_eur[0]
    assert first["customer"] == "ana" and first["amount_eur"] == pytest.approx(120.0), (
        "after the first three steps each order should carry a cleaned customer name "
        f"and its amount_eur; got {first}"
    )
    assert new_files(subject, before) == [], (
        "running only some of the steps still wrote files into the working directory"
    )
