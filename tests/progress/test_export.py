"""`mlquiz export` writes the whole event log; read_export reads it back unchanged."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest

from mlquiz.cli import main
from mlquiz.progress import EVENT_KINDS, ProgressStore, StoreError, read_export


@pytest.fixture
def db(db_location):
    path = db_location
    at = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)
    with ProgressStore.open(path) as store:
        sid = store.start_session("ada")
        for number, kind in enumerate(EVENT_KINDS):
            store.record("ada", kind, module="m", item=f"i{number}", at=at.replace(minute=number),
                         answer="line one\nline, two \"quoted\"" if number == 3 else None,
                         correct=(None, True, False)[number % 3], hint_level=number % 2,
                         time_spent_ms=number * 100, session_id=sid,
                         detail={"mode": "test", "ünï": "✓", "list": [1, 2]})
        store.record("bob", "step_viewed", module="m", item="s1", at=at)
    return path


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_round_trips_every_field(db, tmp_path, fmt, capsys):
    out = tmp_path / f"ada.{fmt}"
    assert main(["--db", str(db), "--learner", "ada", "export", "--format", fmt, "-o", str(out)]) == 0
    assert f"Exported {len(EVENT_KINDS)} events" in capsys.readouterr().err
    learners, events = read_export(out)
    with ProgressStore.open(db) as store:
        assert events == store.events("ada")
    assert [learner.name for learner in learners] == ["ada"]


def test_json_export_is_the_documented_document(db, capsys):
    assert main(["--db", str(db), "export", "--format", "json", "--all"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["mlquiz_export"] == 1 and document["schema_version"] == 2
    assert [learner["name"] for learner in document["learners"]] == ["ada", "bob"]
    assert len(document["events"]) == len(EVENT_KINDS) + 1  # every kind of ada, and bob's one
    assert set(document["events"][0]) == {
        "id", "uid", "learner", "at", "module", "item", "kind", "answer", "correct",
        "hint_level", "time_spent_ms", "detail", "session_id"}


def test_csv_export_has_detail_as_json_text(db, capsys):
    assert main(["--db", str(db), "--learner", "bob", "export", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["learner"], row["kind"], row["detail"]) for row in rows] == [
        ("bob", "step_viewed", "{}")]


def test_export_defaults_to_the_most_recent_learner(db, capsys):
    assert main(["--db", str(db), "export"]) == 0
    learners = {event["learner"] for event in json.loads(capsys.readouterr().out)["events"]}
    assert learners == {"ada"}  # ada's last event is later than bob's


def test_export_refuses_to_write_over_the_database(db, capsys):
    if isinstance(db, str):  # a URL: the export is refused as not being a file
        assert main(["--db", db, "export", "-o", db]) == 2
        assert "is a PostgreSQL URL, not a file" in capsys.readouterr().err.splitlines()[-1]
        with ProgressStore.open(db) as store:
            assert len(store.events()) == len(EVENT_KINDS) + 1
        return
    before = db.read_bytes()
    assert main(["--db", str(db), "export", "-o", str(db)]) == 2
    assert "the progress database itself" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_export_for_an_unknown_learner_names_the_known_ones(db, capsys):
    assert main(["--db", str(db), "--learner", "zed", "export"]) == 2
    assert "learners: ada, bob" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["not an export", '{"events": []}', '{"mlquiz_export": 1}',
                                  "uid,learner\nx,y\n", '{"mlquiz_export": 7, "events": []}'])
def test_reading_something_else_is_a_clear_error(tmp_path, text):
    path = tmp_path / "export.json"
    path.write_text(text)
    with pytest.raises(StoreError) as caught:
        read_export(path)
    assert str(path) in str(caught.value) and caught.value.exit_code == 2
