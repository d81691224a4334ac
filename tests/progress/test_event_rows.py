"""event_rows: the light read path the instructor report uses over a whole room."""
from __future__ import annotations

from dataclasses import astuple
from datetime import datetime, timedelta, timezone

from mlquiz.progress import ProgressStore

AT = datetime(2026, 3, 4, 9, 0, tzinfo=timezone.utc)


def test_event_rows_carry_the_same_fields_as_events(db_location):
    with ProgressStore.open(db_location) as store:
        sid = store.start_session("ada")
        store.record("ada", "question_answered", module="m", item="q1", answer="B",
                     correct=False, hint_level=1, time_spent_ms=4200,
                     detail={"mode": "test", "test_id": "t1"}, session_id=sid, at=AT)
        store.record("bob", "step_viewed", module="m", item="s1", at=AT + timedelta(seconds=1))
        store.record("bob", "exercise_run", item="ex", correct=True,
                     detail={"passed": True, "failed_tests": []}, at=AT + timedelta(seconds=2))
        events = store.events()
        rows = store.event_rows()
    assert sorted(tuple(row) for row in rows) == sorted(astuple(event) for event in events)
    by_kind = {row.kind: row for row in rows}
    assert by_kind["question_answered"].correct is False
    assert by_kind["exercise_run"].correct is True
    assert by_kind["step_viewed"].correct is None and by_kind["step_viewed"].detail == {}
    assert by_kind["question_answered"].at == AT and by_kind["question_answered"].at.tzinfo


def test_equal_details_are_decoded_once(db_location):
    with ProgressStore.open(db_location) as store:
        for learner in ("ada", "bob"):
            store.record(learner, "question_answered", module="m", item="q1", answer="A",
                         correct=True, detail={"mode": "practice"})
        first, second = store.event_rows()
    assert first.detail == {"mode": "practice"} and first.detail is second.detail
