"""Hidden tests: bad customer rows are refused, named and located, never patched."""

import re

import pytest

from mlquiz.grading.judge import SubjectError

HEADER = "customer_id,tenure_months,monthly_charges,contract\n"
GOOD_ROWS = (
    "C-1,14,70.35,month-to-month\n"
    "C-2,52,99.10,two-year\n"
    "C-3,0,45.00,one-year\n"
)


def write(subject, text):
    return subject.write_text("incoming/customers.csv", text)


def load_customers(subject, path):
    return subject.call("customers.load_customers", path)


def rejection(subject, text, problem):
    """Load `text`; return the DataValidationError message, or fail explaining `problem`."""
    path = write(subject, text)
    try:
        rows = load_customers(subject, path)
    except SubjectError as error:
        if error.is_a("DataValidationError"):
            return error.message
        pytest.fail(
            f"{problem}: load_customers should raise DataValidationError, "
            f"but it crashed with {error.type_name}: {error.message}"
        )
    count = len(rows) if isinstance(rows, list) else rows
    pytest.fail(f"{problem}, yet load_customers accepted the file without an error (it returned {count} rows)")


def mentions_line(message, line):
    return re.search(rf"\bline\s*{line}\b", message, re.IGNORECASE) is not None


def test_clean_file_loads_with_types(subject):
    customers = load_customers(subject, write(subject, HEADER + GOOD_ROWS))
    assert type(customers) is list and all(type(row) is dict for row in customers), (
        f"load_customers should return a list of dicts, got {customers!r:.200}")
    assert len(customers) == 3, f"a clean file with 3 customers gave {len(customers)} rows"
    first = customers[0]
    assert first["customer_id"] == "C-1", f"customer_id should be 'C-1', got {first['customer_id']!r}"
    assert isinstance(first["tenure_months"], int) and first["tenure_months"] == 14, (
        f"tenure_months should be the int 14, got {first['tenure_months']!r}"
    )
    assert isinstance(first["monthly_charges"], float) and first["monthly_charges"] == pytest.approx(70.35), (
        f"monthly_charges should be the float 70.35, got {first['monthly_charges']!r}"
    )
    assert customers[2]["tenure_months"] == 0, "a real tenure of 0 months (a brand-new customer) must stay valid"


def test_negative_tenure_is_reported_with_its_line(subject):
    # header = line 1, so the fourth customer sits on line 5
    message = rejection(subject, HEADER + GOOD_ROWS + "C-4,-3,20.05,month-to-month\n", "tenure -3 months is impossible")
    assert mentions_line(message, 5), (
        f"the bad row is on line 5 of the file (the header is line 1); the error should say 'line 5'. It says: {message}"
    )
    assert "tenure_months" in message, f"the error should name the column tenure_months; it says: {message}"


def test_missing_column_is_an_error(subject):
    text = "customer_id,tenure_months,contract\nC-1,14,month-to-month\n"
    message = rejection(subject, text, "the file has no monthly_charges column")
    assert "monthly_charges" in message, f"the error should name the missing column monthly_charges; it says: {message}"


def test_blank_number_is_never_turned_into_zero(subject):
    message = rejection(
        subject,
        HEADER + "C-1,14,70.35,month-to-month\nC-2,,99.10,two-year\n",
        "customer C-2 has a blank tenure_months (line 3), which must not silently become 0",
    )
    assert mentions_line(message, 3) and "tenure_months" in message, (
        f"the error should point at line 3 and the column tenure_months; it says: {message}"
    )


def test_blank_charge_is_never_turned_into_zero(subject):
    message = rejection(
        subject,
        HEADER + "C-1,14,70.35,month-to-month\nC-2,52,99.10,two-year\nC-3,7,,one-year\n",
        "customer C-3 has a blank monthly_charges (line 4), which must not silently become 0.0",
    )
    assert mentions_line(message, 4) and "monthly_charges" in message, (
        f"the error should point at line 4 and the column monthly_charges; it says: {message}"
    )


@pytest.mark.parametrize("written", ["nan", "NaN", "inf", "Infinity"])
def test_a_charge_that_is_not_finite_is_refused(subject, written):
    message = rejection(
        subject,
        HEADER + GOOD_ROWS + f"C-4,7,{written},one-year\n",
        f"monthly_charges {written!r} on line 5 is not an amount anyone pays (float() reads it without complaint)",
    )
    assert mentions_line(message, 5) and "monthly_charges" in message, (
        f"the error should point at line 5 and the column monthly_charges; it says: {message}"
    )


def test_unknown_contract_is_flagged(subject):
    message = rejection(
        subject,
        HEADER + GOOD_ROWS + "C-4,7,30.00,weekly\n",
        "contract 'weekly' is not one of month-to-month, one-year, two-year",
    )
    assert mentions_line(message, 5), f"the unknown contract is on line 5; the error should say so. It says: {message}"
    assert "weekly" in message or "contract" in message, (
        f"the error should name the contract column or the bad value 'weekly'; it says: {message}"
    )


def test_text_in_a_number_column_is_a_validation_error(subject):
    message = rejection(
        subject,
        HEADER + "C-1,twelve,70.35,month-to-month\n",
        "tenure_months 'twelve' on line 2 is not a number",
    )
    assert mentions_line(message, 2), f"the error should point at line 2; it says: {message}"


def test_every_bad_row_is_reported_at_once(subject):
    text = HEADER + "C-1,14,70.35,month-to-month\nC-2,-1,99.10,two-year\nC-3,5,40.00,one-year\nC-4,8,-2.50,one-year\n"
    message = rejection(subject, text, "lines 3 and 5 are both invalid")
    assert mentions_line(message, 3) and mentions_line(message, 5), (
        "both bad rows (line 3: negative tenure, line 5: negative charges) should be listed in one error, "
        f"so the data team can fix the file in one go. The error says: {message}"
    )
