"""Load the nightly shipments export into features for the delivery-time model.

    >>> rows = load_shipments("shipments.csv")
    >>> rows[0]
    {'order_id': 'A-1001', 'weight_kg': 1.25, 'distance_km': 42.0}

Columns are found by their header name, so the warehouse may reorder them or
add new ones. Weights arrive in the unit the file declares and leave in kg.
"""

import csv

GRAMS_PER_UNIT = {"g": 1.0, "kg": 1000.0, "lb": 453.59237}

# A header that carries its unit in its name: column -> unit.
WEIGHT_COLUMNS = {"weight_g": "g", "weight_kg": "kg", "weight_lb": "lb"}


def to_kg(value, unit, line):
    """Convert one weight to kilograms: to_kg("830", "g", 3) -> 0.83."""
    grams = GRAMS_PER_UNIT.get(unit.strip().lower())
    if grams is None:
        known = ", ".join(GRAMS_PER_UNIT)
        raise ValueError(f"line {line}: unknown weight unit {unit!r} (known: {known})")
    return float(value) * grams / 1000


def _weight_source(header):
    """Which column holds the weight, and its fixed unit (None: a weight_unit column)."""
    for column, unit in WEIGHT_COLUMNS.items():
        if column in header:
            return column, unit
    if "weight" in header and "weight_unit" in header:
        return "weight", None
    raise ValueError(
        "no weight column: expected one of weight_g, weight_kg, weight_lb, "
        "or weight together with weight_unit"
    )


def load_shipments(path):
    """Read the export at `path`; return one dict per shipment, weights in kg."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for required in ("order_id", "distance_km"):
            if required not in header:
                raise ValueError(f"missing column {required!r} in {path}")
        weight_column, fixed_unit = _weight_source(header)

        shipments = []
        for row in reader:
            line = reader.line_num
            unit = fixed_unit or row["weight_unit"]
            shipments.append(
                {
                    "order_id": row["order_id"],
                    "weight_kg": to_kg(row[weight_column], unit, line),
                    "distance_km": float(row["distance_km"]),
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
