"""Load the customer extract that the churn model is retrained on every week.

    >>> customers = load_customers("customers.csv")
    >>> customers[0]["tenure_months"]
    14

Every row is checked against SCHEMA; a bad file raises DataValidationError
listing every problem with its line number, so the CRM team can fix it.
"""

import csv
import math

CONTRACTS = ("month-to-month", "one-year", "two-year")


class DataValidationError(ValueError):
    """The file cannot be used for training; `errors` lists each problem."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def _text(value):
    if not value.strip():
        raise ValueError("is blank")
    return value.strip()


def _whole_number(value):
    text = _text(value)
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"not a whole number: {text!r}") from None


def _decimal(value):
    text = _text(value)
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    # float() also reads 'nan' and 'inf'; neither is an amount a customer pays
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {text!r}")
    return number


def _at_least(minimum):
    def check(number):
        if number < minimum:
            raise ValueError(f"must be >= {minimum}, got {number}")

    return check


def _one_of(allowed):
    def check(value):
        if value not in allowed:
            raise ValueError(f"unknown value {value!r}, expected one of {', '.join(allowed)}")

    return check


# column -> (parse the text, check the parsed value)
SCHEMA = {
    "customer_id": (_text, None),
    "tenure_months": (_whole_number, _at_least(0)),
    "monthly_charges": (_decimal, _at_least(0)),
    "contract": (_text, _one_of(CONTRACTS)),
}


def validate_row(row, line):
    """Return (customer, problems) for one CSV row found on `line`."""
    customer, problems = {}, []
    for column, (parse, check) in SCHEMA.items():
        try:
            value = parse(row[column] or "")
            if check:
                check(value)
        except ValueError as error:
            problems.append(f"line {line}: {column}: {error}")
        else:
            customer[column] = value
    return customer, problems


def load_customers(path):
    """Read `path` and return one dict per customer, or raise DataValidationError."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in SCHEMA if column not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError([f"{path}: missing column(s): {', '.join(missing)}"])
        customers, problems = [], []
        for row in reader:
            customer, row_problems = validate_row(row, reader.line_num)
            customers.append(customer)
            problems.extend(row_problems)
    if problems:
        raise DataValidationError(problems)
    if not customers:
        raise DataValidationError([f"{path} holds no customers"])
    return customers


def average_tenure(customers):
    """Mean tenure in months, a number the weekly report shows."""
    return sum(c["tenure_months"] for c in customers) / len(customers)


if __name__ == "__main__":
    try:
        rows = load_customers("customers.csv")
    except DataValidationError as error:
        print(f"customers.csv rejected:\n{error}")
    else:
        print(f"{len(rows)} customers, average tenure {average_tenure(rows):.1f} months")
