"""Nightly customer-value report: which customers spend the most?

Six steps, added one at a time by different people. Each step reads the
file the previous one wrote, and numbers travel through module globals.
Run it with: python pipeline.py
"""
import csv

import statlib

RATES_TO_EUR = {"EUR": 1.0, "USD": 0.9, "GBP": 1.15}
VIP_Z = 1.0

TOTALS = {}  # customer -> [orders, total_eur], filled by step 4
STATS = {}   # filled by step 5, read by whoever needs it


def _write(path, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["empty"])
        writer.writeheader()
        writer.writerows(rows)


def _read(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def step1_clean(rows):
    for row in rows:
        row["customer"] = row["customer"].strip().lower()
        row["currency"] = row["currency"].strip().upper()
    _write("tmp_clean.csv", rows)


def step2_keep_paid():
    rows = [row for row in _read("tmp_clean.csv") if row["status"] == "paid"]
    _write("tmp_paid.csv", rows)


def step3_to_eur():
    rows = _read("tmp_paid.csv")
    for row in rows:
        row["amount_eur"] = round(float(row["amount"]) * RATES_TO_EUR[row["currency"]], 2)
    _write("tmp_eur.csv", rows)


def step4_totals():
    for row in _read("tmp_eur.csv"):
        entry = TOTALS.setdefault(row["customer"], [0, 0.0])
        entry[0] += 1
        entry[1] += float(row["amount_eur"])
    rows = [{"customer": c, "orders": n, "total_eur": t} for c, (n, t) in TOTALS.items()]
    _write("tmp_totals.csv", rows)


def step5_zscores():
    # Glue: statlib wants columns, we have rows, so reshape there and back.
    rows = _read("tmp_totals.csv")
    table = {
        "customer": [row["customer"] for row in rows],
        "orders": [row["orders"] for row in rows],
        "total_eur": [float(row["total_eur"]) for row in rows],
    }
    table = statlib.standardize(table, "total_eur")
    STATS.update(statlib.describe(table["total_eur"]))
    scored = [
        {"customer": c, "orders": n, "total_eur": t, "z": z}
        for c, n, t, z in zip(table["customer"], table["orders"], table["total_eur"], table["total_eur_z"])
    ]
    _write("tmp_scored.csv", scored)


def step6_report():
    report = []
    for row in _read("tmp_scored.csv"):
        z = float(row["z"])
        report.append({
            "customer": row["customer"],
            "orders": int(row["orders"]),
            "total_eur": round(float(row["total_eur"]), 2),
            "z": round(z, 3),
            "vip": z >= VIP_Z,
        })
    report.sort(key=lambda row: (-row["total_eur"], row["customer"]))
    return report


def run_pipeline(rows):
    """rows: order dicts with customer, amount, currency, status (all strings)."""
    step1_clean(rows)
    step2_keep_paid()
    step3_to_eur()
    step4_totals()
    step5_zscores()
    return step6_report()


if __name__ == "__main__":
    orders = [
        {"order_id": "1", "customer": " Ana ", "amount": "120.00", "currency": "eur", "status": "paid"},
        {"order_id": "2", "customer": "Ben", "amount": "80.00", "currency": "USD", "status": "paid"},
        {"order_id": "3", "customer": "ana", "amount": "35.50", "currency": "EUR", "status": "refunded"},
        {"order_id": "4", "customer": "Cleo", "amount": "300.00", "currency": "gbp", "status": "paid"},
    ]
    for line in run_pipeline(orders):
        print(line)
