"""Load the nightly shipments export into features for the delivery-time model.

    >>> rows = load_shipments("shipments.csv")
    >>> rows[0]
    {'order_id': 'A-1001', 'weight_kg': 1.25, 'distance_km': 42.0}

The warehouse system writes the export; this file only reads it.
"""

import csv


def load_shipments(path):
    """Read the export at `path`; return one dict per shipment."""
    shipments = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)  # skip the header line
        for row in reader:
            if not row:
                continue
            shipments.append(
                {
                    "order_id": row[0],
                    # The warehouse always sends grams (checked with them in 2021).
                    "weight_kg": float(row[2]) / 1000,
                    "distance_km": float(row[3]),
                }
            )
    return shipments


def heavy_share(shipments, limit_kg=20.0):
    """Share of shipments above `limit_kg`: heavy parcels go by freight."""
    if not shipments:
        return 0.0
    return sum(s["weight_kg"] > limit_kg for s in shipments) / len(shipments)


if __name__ == "__main__":
    rows = load_shipments("shipments.csv")
    for row in rows:
        print(row)
    print(f"heavy share: {heavy_share(rows):.0%}")
