"""Hidden tests: the loader must follow the header and the declared units."""

import pytest

from mlquiz.grading.judge import SubjectError


def load_shipments(subject, path):
    rows = subject.call("shipments.load_shipments", path)
    assert type(rows) is list and all(type(row) is dict for row in rows), (
        f"load_shipments should return a list of dicts, got {rows!r:.200}")
    return rows


def load(subject, text):
    """Write `text` as an export and load it; an unexpected crash fails with a hint."""
    path = subject.write_text("export.csv", text)
    try:
        return load_shipments(subject, path)
    except SubjectError as error:
        first_line = text.splitlines()[0]
        pytest.fail(
            f"load_shipments crashed with {error.type_name}: {error.message} on a file "
            f"whose header is {first_line!r}. Find each column by its header name "
            "instead of its position, and the weight in whichever weight column the header declares."
        )


def by_id(rows):
    return {row["order_id"]: row for row in rows}


def test_current_export_still_loads(subject):
    rows = by_id(load(subject, "order_id,customer,weight_g,distance_km\nA-1,Rossi,1250,42\nA-2,Okafor,830,7.5\n"))
    assert set(rows) == {"A-1", "A-2"}, f"expected orders A-1 and A-2, got {sorted(rows)}"
    assert rows["A-1"]["weight_kg"] == pytest.approx(1.25), (
        f"1250 g should load as 1.25 kg, got {rows['A-1']['weight_kg']}"
    )
    assert rows["A-2"]["distance_km"] == pytest.approx(7.5), (
        f"order A-2 travels 7.5 km, got {rows['A-2']['distance_km']}"
    )


def test_reordered_columns(subject):
    rows = by_id(load(subject, "order_id,customer,distance_km,weight_g\nA-1,Rossi,42,1250\n"))
    got = rows["A-1"]
    assert got["weight_kg"] == pytest.approx(1.25), (
        f"the warehouse swapped two columns: order A-1 weighs 1250 g = 1.25 kg, but the "
        f"loader says {got['weight_kg']} kg. Is it still reading the third column whatever its header says?"
    )
    assert got["distance_km"] == pytest.approx(42.0), (
        f"order A-1 travels 42 km, but the loader says {got['distance_km']} km after the columns were reordered"
    )


def test_new_column_added(subject):
    text = "order_id,customer,priority,weight_g,distance_km\nA-1,Rossi,2,1250,42\n"
    got = by_id(load(subject, text))["A-1"]
    assert got["weight_kg"] == pytest.approx(1.25), (
        f"a new 'priority' column appeared before the weight: order A-1 weighs 1.25 kg, but the "
        f"loader says {got['weight_kg']} kg (it read the priority as a weight)"
    )
    assert got["distance_km"] == pytest.approx(42.0), (
        f"a new 'priority' column appeared: order A-1 travels 42 km, the loader says {got['distance_km']}"
    )


def test_header_declares_kilograms(subject):
    got = by_id(load(subject, "order_id,customer,weight_kg,distance_km\nA-1,Rossi,1.25,42\n"))["A-1"]
    assert got["weight_kg"] == pytest.approx(1.25), (
        f"the header says weight_kg and the value is 1.25, so the parcel weighs 1.25 kg; the loader says "
        f"{got['weight_kg']} kg. Is it assuming grams whatever the header declares?"
    )


def test_header_declares_pounds(subject):
    got = by_id(load(subject, "order_id,distance_km,weight_lb\nC-1,12,2\n"))["C-1"]
    assert got["weight_kg"] == pytest.approx(0.90718474, rel=1e-6), (
        f"the header says weight_lb and the value is 2, so the parcel weighs 2 lb = 0.907 kg; the loader "
        f"says {got['weight_kg']} kg. One pound is 0.45359237 kg"
    )


def test_unit_column_per_row(subject):
    text = (
        "order_id,weight,weight_unit,distance_km\n"
        "B-1,830,g,5\n"
        "B-2,2.5,kg,5\n"
        "B-3,10,lb,5\n"
    )
    rows = by_id(load(subject, text))
    expected = {"B-1": 0.83, "B-2": 2.5, "B-3": 4.5359237}
    for order_id, kg in expected.items():
        got = rows[order_id]["weight_kg"]
        assert got == pytest.approx(kg, rel=1e-6), (
            f"order {order_id} declares its unit in the weight_unit column and should weigh {kg} kg, "
            f"but the loader says {got} kg"
        )


def test_unknown_unit_is_rejected(subject):
    path = subject.write_text("export.csv", "order_id,weight_unit,weight,distance_km\nB-1,stone,3,5\n")
    try:
        rows = load_shipments(subject, path)
    except SubjectError as error:
        if not error.is_a("ValueError"):
            pytest.fail(
                f"a weight in 'stone' should raise ValueError naming the unit; got {error.type_name}: {error.message}"
            )
        assert "stone" in error.message, (
            f"the error should name the unknown unit 'stone' so the warehouse can fix it; it says: {error.message}"
        )
        return
    pytest.fail(f"a weight in the unknown unit 'stone' was accepted silently: {rows}. Raise ValueError instead.")


def test_missing_weight_column_is_rejected(subject):
    path = subject.write_text("export.csv", "order_id,customer,distance_km,priority\nA-1,Rossi,42,2\n")
    try:
        rows = load_shipments(subject, path)
    except SubjectError as error:
        if not error.is_a("ValueError"):
            pytest.fail(
                "a file without any weight column should raise ValueError naming the missing column; "
                f"got {error.type_name}: {error.message}"
            )
        assert "weight" in error.message.lower(), (
            f"the error should say that the weight column is missing; it says: {error.message}"
        )
        return
    pytest.fail(
        f"a file without any weight column loaded anyway: {rows}. Some other column was taken as the weight; "
        "raise ValueError instead."
    )
