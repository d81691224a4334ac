"""Hidden tests: every batch is checked against the schema, the environment and the privacy list."""
import math
import re

import pytest


def record(**changes):
    base = {"age": 40, "income": 50000.0, "plan": "basic", "visits_30d": 3, "churned": False}
    base.update(changes)
    return base


def clean_batch(n=10):
    plans = ["basic", "plus", "pro"]
    return [record(age=20 + i, income=30000.0 + 1000 * i, plan=plans[i % 3], visits_30d=i, churned=i % 2 == 0)
            for i in range(n)]


def serving(batch):
    return [{key: value for key, value in row.items() if key != "churned"} for row in batch]


def problems_of(subject, batch, environment="training"):
    found = subject.call("batch_check.validate_batch", batch, environment)
    assert type(found) is list and all(type(p) is str for p in found), (
        f"validate_batch should return a list of strings, got {found!r}"
    )
    return found


def mentions(problems, *words):
    """The problems that contain every one of `words` (case-insensitive)."""
    return [p for p in problems if all(w.lower() in p.lower() for w in words)]


def names_row(problem, number):
    return re.search(rf"\brow\s*{number}\b", problem, re.IGNORECASE) is not None


def test_a_clean_training_batch_has_no_problems(subject):
    found = problems_of(subject, clean_batch())
    assert found == [], f"a clean training batch should give no problems, got {found}"


def test_a_clean_serving_batch_needs_no_label(subject):
    found = problems_of(subject, serving(clean_batch()), "serving")
    assert found == [], (
        f"serving data has no label yet; a clean serving batch without 'churned' should give no problems, got {found}"
    )


def test_the_label_must_not_reach_serving(subject):
    found = problems_of(subject, clean_batch(), "serving")
    assert mentions(found, "churned"), (
        f"a serving batch that carries the label 'churned' leaks the answer and should be flagged; got {found}"
    )


def test_a_training_batch_without_labels_is_flagged(subject):
    found = problems_of(subject, serving(clean_batch()), "training")
    assert mentions(found, "churned"), f"training rows without the label 'churned' should be flagged; got {found}"


def test_an_out_of_range_value_names_its_row_and_feature(subject):
    batch = clean_batch()
    batch[2]["age"] = -1
    found = problems_of(subject, batch)
    hits = mentions(found, "age")
    assert hits and any(names_row(p, 3) for p in hits), (
        f"the third record has age -1 (below 18); a problem should name 'row 3' and 'age'. Got {found}"
    )


def test_the_range_is_inclusive(subject):
    batch = clean_batch()
    batch[0]["age"] = 18
    batch[1]["age"] = 110
    batch[2]["visits_30d"] = 0
    found = problems_of(subject, batch)
    assert found == [], f"age 18, age 110 and 0 visits are on the edges of their ranges and valid; got {found}"


def test_an_unknown_plan_is_flagged(subject):
    batch = clean_batch()
    batch[4]["plan"] = "gold"
    found = problems_of(subject, batch)
    hits = mentions(found, "plan")
    assert hits and any(names_row(p, 5) for p in hits), (
        f"plan 'gold' on the fifth record is not one of basic, plus, pro; a problem should name row 5 and plan. Got {found}"
    )


def test_wrong_types_are_flagged_and_a_bool_is_not_an_int(subject):
    batch = clean_batch()
    batch[1]["visits_30d"] = "3"
    batch[6]["age"] = True
    found = problems_of(subject, batch)
    assert any(names_row(p, 2) for p in mentions(found, "visits_30d")), (
        f"visits_30d '3' (text) on row 2 is not an int and should be flagged; got {found}"
    )
    assert any(names_row(p, 7) for p in mentions(found, "age")), (
        f"age True on row 7 is a bool, not an int (even though Python lets bool pass as int); got {found}"
    )


def test_an_int_income_is_a_number(subject):
    batch = clean_batch()
    batch[0]["income"] = 42000
    found = problems_of(subject, batch)
    assert found == [], f"income is a 'number', so the int 42000 is fine; got {found}"


def test_an_infinite_income_is_flagged(subject):
    batch = clean_batch()
    batch[6]["income"] = math.inf
    found = problems_of(subject, batch)
    assert any(names_row(p, 7) for p in mentions(found, "income")), (
        "income on row 7 is infinity: a float, above the minimum 0, and still no income anyone earns. "
        f"A problem should name row 7 and income. Got {found}"
    )


def test_incomes_that_are_nan_are_caught(subject):
    batch = clean_batch(10)
    batch[2]["income"] = math.nan
    batch[5]["income"] = math.nan
    found = problems_of(subject, batch)
    assert mentions(found, "income"), (
        "two of ten incomes are NaN. NaN is a float and no comparison with it is ever true, so it slips "
        "past a range check; flag it as a bad value, or count it as absent (then 2 of 10 is more than the "
        f"10% income may miss). Got {found}"
    )


def test_presence_below_its_share_is_flagged(subject):
    batch = clean_batch(10)
    batch[0]["income"] = None
    del batch[1]["income"]
    found = problems_of(subject, batch)
    assert mentions(found, "income"), (
        f"income is absent from 2 of 10 records (a None and a missing key), above the 10% allowed; got {found}"
    )


def test_presence_within_its_share_is_fine(subject):
    batch = clean_batch(10)
    batch[3]["income"] = None
    found = problems_of(subject, batch)
    assert found == [], f"income absent from 1 of 10 records is within its 90% presence; got {found}"


def test_a_banned_field_is_flagged(subject):
    batch = clean_batch()
    batch[5]["email"] = "kim@example.com"
    found = problems_of(subject, batch)
    assert mentions(found, "email", "banned"), (
        f"an 'email' field is personal data on the BANNED list; a problem should name it and say banned. Got {found}"
    )


def test_an_unknown_field_is_flagged(subject):
    batch = clean_batch()
    batch[0]["shoe_size"] = 42
    found = problems_of(subject, batch)
    assert mentions(found, "shoe_size"), f"'shoe_size' is not in the schema and should be flagged; got {found}"


def test_every_problem_is_reported_at_once(subject):
    batch = clean_batch()
    batch[1]["age"] = 7
    batch[8]["plan"] = "gold"
    batch[3]["phone"] = "555-0100"
    found = problems_of(subject, batch)
    assert mentions(found, "age") and mentions(found, "plan") and mentions(found, "phone"), (
        f"three things are wrong (age on row 2, plan on row 9, a phone field); all three should be listed. Got {found}"
    )


def test_an_empty_batch_is_a_problem_not_a_crash(subject):
    found = problems_of(subject, [])
    assert found, "an empty batch should be reported as a problem, not pass and not crash"


def test_an_unknown_environment_is_refused(subject):
    with subject.raises("ValueError"):
        subject.call("batch_check.validate_batch", clean_batch(), "staging")


def test_the_records_are_not_changed(subject):
    batch = clean_batch()
    batch[2]["age"] = -1
    batch[4]["email"] = "kim@example.com"
    remote = subject.put(batch)
    subject.call("batch_check.validate_batch", remote, "training")
    assert subject.get(remote) == batch, "validate_batch changed the records it was checking; it should only read them"
