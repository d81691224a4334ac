"""Load the customer extract that the churn model is retrained on every week.

    >>> customers = load_customers("customers.csv")
    >>> customers[0]["tenure_months"]
    14

The CRM team produces the file; training trusts whatever comes out of here.
"""

import csv


class DataValidationError(ValueError):
    """The file cannot be used for training."""


def _number(text, kind):
    # Blank cells show up now and then; 0 keeps the training job running.
    return kind(text) if text.strip() else kind(0)


def load_customers(path):
    """Read `path` and return one dict per customer."""
    customers = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            customers.append(
                {
                    "customer_id": row["customer_id"],
                    "tenure_months": _number(row["tenure_months"], int),
                    "monthly_charges": _number(row["monthly_charges"], float),
                    "contract": row["contract"],
                }
            )
    if not customers:
        raise DataValidationError(f"{path} holds no customers")
    return customers


def average_tenure(customers):
    """Mean tenure in months, a number the weekly report shows."""
    return sum(c["tenure_months"] for c in customers) / len(customers)


if __name__ == "__main__":
    rows = load_customers("customers.csv")
    print(f"{len(rows)} customers, average tenure {average_tenure(rows):.1f} months")
