"""An export speaks only for the learners it declares; databases are read as before."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.cli import main
from mlquiz.progress import ProgressStore
from mlquiz.workshop.collect import collect
from mlquiz.workshop.report import build_report

AT = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def bob_export(tmp_path):
    """bob's genuine export, then edited to hold two passes credited to alice."""
    db = tmp_path / "bob.db"
    with ProgressStore.open(db) as store:
        store.record("bob", "exercise_opened", module="m", item="data-validation", at=AT)
        store.record("bob", "exercise_passed", module="m", item="data-validation",
                     at=AT + timedelta(minutes=4))
    out = tmp_path / "bob.json"
    assert main(["--db", str(db), "--learner", "bob", "export", "-o", str(out)]) == 0
    document = json.loads(out.read_text())
    forged = dict(document["events"][1], uid="f" * 32, learner="alice", item="training-serving-skew")
    forged2 = dict(forged, uid="e" * 32, item="feedback-loop")
    document["events"] += [forged, forged2]
    out.write_text(json.dumps(document))
    return out


def test_events_for_a_learner_the_export_does_not_name_are_refused(bob_export):
    room = collect([bob_export])
    assert {e.learner for e in room.events} == {"bob"}
    assert room.warnings == [f"refused 2 events in {bob_export} for alice: the export names "
                             "only bob"]
    report = build_report(room)
    assert [(r.name, r.exercises_passed) for r in report.learners] == [("bob", 1)]


def test_the_report_says_so_in_one_line_and_exits_1(bob_export, capsys):
    assert main(["report", str(bob_export)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"mlquiz: warning: refused 2 events in {bob_export} for alice: "
                                "the export names only bob"]
    assert "alice" not in out


def test_a_database_speaks_for_every_learner_it_holds(tmp_path):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        store.record("bob", "exercise_passed", module="m", item="x", at=AT)
        store.record("alice", "exercise_passed", module="m", item="y", at=AT)
    room = collect([db])
    assert {e.learner for e in room.events} == {"alice", "bob"} and room.warnings == []
