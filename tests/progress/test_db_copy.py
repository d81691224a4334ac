"""`mlquiz db copy SRC DST`: a room moves between SQLite and PostgreSQL, once."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from mlquiz.cli import main
from mlquiz.progress import ProgressStore
from mlquiz.workshop.collect import collect

AT = datetime(2026, 4, 2, 10, tzinfo=timezone.utc)


def fill(db) -> None:
    with ProgressStore.open(db) as store:
        sid = store.start_session("ada")
        for number in range(6):
            store.record("ada", "question_answered", module="m", item=f"q{number % 3}",
                         answer="ABCD"[number % 4], correct=number % 2 == 0,
                         at=AT + timedelta(minutes=number), session_id=sid,
                         detail={"mode": "practice", "ünï": "✓"}, time_spent_ms=1000)
        store.record("Bob", "test_finished", module="m", at=AT,
                     detail={"test_id": "t1", "score": 4, "total": 5})
        store.set_position("ada", "m", "practice", "q2", at=AT)
        store.save_review_state("ada", "q1", '{"card": 1}', AT + timedelta(days=1))
        store.set_setting("@room", "peer_plan", {"polls": ["q1"]})


def comparable(store: ProgressStore, learner: str) -> list[tuple]:
    return [(e.uid, e.learner, e.at, e.kind, e.item, e.answer, e.correct, e.detail,
             e.time_spent_ms) for e in store.events(learner)]


def test_a_room_goes_to_postgresql_and_back_unchanged_and_only_once(tmp_path, pg_url, capsys):
    room, back = tmp_path / "room.db", tmp_path / "back.db"
    fill(room)
    assert main(["db", "copy", str(room), pg_url]) == 0
    assert "copied 7 events (0 already there), 3 new learners" in capsys.readouterr().err
    assert main(["db", "copy", str(room), pg_url]) == 0
    assert "copied 0 events (7 already there), 0 new learners" in capsys.readouterr().err
    assert main(["db", "copy", pg_url, str(back)]) == 0
    capsys.readouterr()

    documents = []
    for db in (room, pg_url, back):
        with ProgressStore.open(db) as store:
            assert comparable(store, "ada") == comparable(ProgressStore.open(room), "ada")
            assert store.best_scores("bob")["m"].score == 4  # "bob" finds "Bob"
            assert store.position("ada").item == "q2"
            assert store.review_state("ada", "q1").state_json == '{"card": 1}'
            assert store.setting("@room", "peer_plan") == {"polls": ["q1"]}
            assert all(e.session_id is not None for e in store.events("ada"))
        assert main(["--db", str(db), "--learner", "ada", "progress", "--json"]) == 0
        document = json.loads(capsys.readouterr().out)
        document.pop("database")
        documents.append(document)
    assert documents[0] == documents[1] == documents[2]

    room_alone = collect([room])
    both = collect([room, pg_url, back])
    assert len(both.events) == len(room_alone.events) == 7, "no event counted twice"
    assert both.warnings == []


def test_a_copy_onto_itself_or_from_nothing_is_refused(tmp_path, capsys):
    room = tmp_path / "room.db"
    fill(room)
    assert main(["db", "copy", str(room), str(room)]) == 2
    assert "is both the source and the destination" in capsys.readouterr().err
    assert main(["db", "copy", str(tmp_path / "nothing.db"), str(tmp_path / "new.db")]) == 2
    assert "does not exist; nothing to copy" in capsys.readouterr().err
    assert not (tmp_path / "new.db").exists()
