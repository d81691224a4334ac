"""Nightly customer-value report: which customers spend the most?

Every step is a pure function from a list of row dicts to a new list of
row dicts: no files, no globals, inputs left untouched. A pipeline is just
a sequence of steps:

    run_pipeline(orders)                    # the full report
    run_pipeline(orders, steps=STEPS[:3])   # cleaned, paid orders in EUR
"""
import statlib

RATES_TO_EUR = {"EUR": 1.0, "USD": 0.9, "GBP": 1.15}
VIP_Z = 1.0


def zscores(values):
    """The one adapter around statlib: zscores([1.0, 3.0]) -> [-1.0, 1.0]."""
    return statlib.standardize({"value": list(values)}, "value")["value_z"]


def clean(rows):
    return [
        {**row, "customer": row["customer"].strip().lower(), "currency": row["currency"].strip().upper()}
        for row in rows
    ]


def keep_paid(rows):
    return [dict(row) for row in rows if row["status"] == "paid"]


def to_eur(rows):
    return [
        {**row, "amount_eur": round(float(row["amount"]) * RATES_TO_EUR[row["currency"]], 2)}
        for row in rows
    ]


def totals_per_customer(rows):
    totals = {}
    for row in rows:
        orders, total = totals.get(row["customer"], (0, 0.0))
        totals[row["customer"]] = (orders + 1, total + row["amount_eur"])
    return [{"customer": c, "orders": n, "total_eur": t} for c, (n, t) in totals.items()]


def add_zscores(rows):
    scores = zscores([row["total_eur"] for row in rows])
    return [{**row, "z": z} for row, z in zip(rows, scores)]


def report(rows):
    lines = [
        {
            "customer": row["customer"],
            "orders": row["orders"],
            "total_eur": round(row["total_eur"], 2),
            "z": round(row["z"], 3),
            "vip": row["z"] >= VIP_Z,
        }
        for row in rows
    ]
    return sorted(lines, key=lambda line: (-line["total_eur"], line["customer"]))


STEPS = (clean, keep_paid, to_eur, totals_per_customer, add_zscores, report)


def run_pipeline(rows, steps=STEPS):
    """Apply each step to the output of the one before; rows itself is never changed."""
    for step in steps:
        rows = step(rows)
    return rows


if __name__ == "__main__":
    orders = [
        {"order_id": "1", "customer": " Ana ", "amount": "120.00", "currency": "eur", "status": "paid"},
        {"order_id": "2", "customer": "Ben", "amount": "80.00", "currency": "USD", "status": "paid"},
        {"order_id": "3", "customer": "ana", "amount": "35.50", "currency": "EUR", "status": "refunded"},
        {"order_id": "4", "customer": "Cleo", "amount": "300.00", "currency": "gbp", "status": "paid"},
    ]
    for line in run_pipeline(orders):
        print(line)
