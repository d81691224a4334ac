"""The store on a real SQLite file and a real PostgreSQL database: every event kind
round-trips, resume survives reopening."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.progress import EVENT_KINDS, Event, ProgressStore, StoreError


@pytest.fixture
def db_path(db_location):
    return db_location  # a SQLite file, then a PostgreSQL URL (tests/progress/conftest.py)


def test_open_creates_the_file_and_its_folders(tmp_path):
    db_path = tmp_path / "data" / "progress.db"
    with ProgressStore.open(db_path) as store:
        assert store.learners() == []
    assert db_path.is_file()


@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_every_event_kind_round_trips_through_a_reopened_file(db_path, kind):
    at = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=timezone.utc)
    with ProgressStore.open(db_path) as store:
        sid = store.start_session("ada", client="tui")
        written = store.record("ada", kind, module="ml-technical-debt", item=f"item-{kind}",
                               answer="C", correct=False, hint_level=2, time_spent_ms=5400,
                               detail={"mode": "practice", "nested": [1, "two", None]},
                               session_id=sid, at=at)
    with ProgressStore.open(db_path) as store:
        (read,) = store.events("ada")
    assert read == written
    assert read == Event(id=read.id, uid=written.uid, learner="ada", at=at,
                         module="ml-technical-debt", item=f"item-{kind}", kind=kind, answer="C",
                         correct=False, hint_level=2, time_spent_ms=5400,
                         detail={"mode": "practice", "nested": [1, "two", None]}, session_id=sid)
    assert len(read.uid) == 32


def test_unset_fields_stay_unset_and_at_defaults_to_now(db_path):
    before = datetime.now(timezone.utc)
    with ProgressStore.open(db_path) as store:
        store.record("ada", "mode_opened")
        (event,) = store.events()
    assert (event.module, event.item, event.answer, event.correct) == (None, None, None, None)
    assert event.detail == {}
    assert before <= event.at <= datetime.now(timezone.utc)


def test_events_filter_and_come_back_in_time_order(db_path):
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with ProgressStore.open(db_path) as store:
        store.record("ada", "question_answered", module="m1", item="q2", at=t0 + timedelta(1))
        store.record("ada", "question_answered", module="m1", item="q1", at=t0)
        store.record("bob", "question_answered", module="m1", item="q1", at=t0)
        store.record("ada", "step_viewed", module="m2", item="s1", at=t0 + timedelta(2))
        assert [e.item for e in store.events("ada")] == ["q1", "q2", "s1"]
        assert [e.item for e in store.events("ada", module="m1")] == ["q1", "q2"]
        assert [e.learner for e in store.events(item="q1")] == ["ada", "bob"]
        assert [e.item for e in store.events("ada", since=t0 + timedelta(1))] == ["q2", "s1"]
        assert [e.kind for e in store.events(kind="step_viewed")] == ["step_viewed"]
        assert store.events("nobody") == []


def test_unknown_kind_is_refused_and_nothing_is_written(db_path):
    with ProgressStore.open(db_path) as store:
        with pytest.raises(ValueError):
            store.record("ada", "question_answerd")
        assert store.events() == []


def test_resume_position_is_right_after_reopening(db_path):
    with ProgressStore.open(db_path) as store:
        store.set_position("ada", module="m1", screen="lesson", item="step-3")
        store.set_position("ada", module="m2", screen="practice", item="q-4")
        store.set_position("ada", module="m1", screen="practice", item="q-9")
        store.set_position("bob", module="m2", screen="test")
    with ProgressStore.open(db_path) as store:
        latest = store.position("ada")
        assert (latest.module, latest.screen, latest.item) == ("m1", "practice", "q-9")
        m2 = store.position("ada", module="m2")
        assert (m2.screen, m2.item) == ("practice", "q-4")
        assert store.position("ada", module="m3") is None
        assert store.position("carol") is None
        assert store.position("bob").item is None


def test_learners_sessions_and_settings_persist(db_path):
    with ProgressStore.open(db_path) as store:
        ada = store.ensure_learner("ada")
        assert store.ensure_learner("ada") == ada
        sid = store.start_session("ada", client="cli")
        store.end_session(sid)
        store.set_setting("ada", "theme", {"name": "nord", "size": 2})
    with ProgressStore.open(db_path) as store:
        assert [learner.name for learner in store.learners()] == ["ada"]
        assert store.setting("ada", "theme") == {"name": "nord", "size": 2}
        assert store.setting("ada", "missing", default=7) == 7
        assert store.setting("nobody", "theme") is None


def test_empty_learner_name_is_a_clear_error(db_path):
    with ProgressStore.open(db_path) as store:
        with pytest.raises(StoreError, match="learner name"):
            store.ensure_learner("  ")


def test_review_state_due_items_are_most_overdue_first(db_path):
    now = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    with ProgressStore.open(db_path) as store:
        store.save_review_state("ada", "q1", '{"s": 1}', now - timedelta(hours=1))
        store.save_review_state("ada", "q2", '{"s": 2}', now - timedelta(days=2))
        store.save_review_state("ada", "q3", '{"s": 3}', now + timedelta(days=1))
        store.save_review_state("ada", "q1", '{"s": 4}', now - timedelta(minutes=5))
        store.save_review_state("bob", "q9", "{}", now - timedelta(days=9))
    with ProgressStore.open(db_path) as store:
        due = store.due_review_items("ada", now)
        assert [(r.item, r.state_json) for r in due] == [("q2", '{"s": 2}'), ("q1", '{"s": 4}')]
        assert [r.item for r in store.due_review_items("ada", now, limit=1)] == ["q2"]
        assert store.count_due("ada", now) == 2
        assert store.count_due("ada", now + timedelta(days=2)) == 3
        assert set(store.review_states("ada")) == {"q1", "q2", "q3"}


def test_one_review_state_and_the_due_ids_read_what_was_saved(db_location):
    from datetime import datetime, timezone

    from mlquiz.progress import ProgressStore

    store = ProgressStore.open(db_location)
    early = datetime(2026, 1, 1, tzinfo=timezone.utc)
    late = datetime(2026, 3, 1, tzinfo=timezone.utc)
    store.save_review_state("ada", "q-late", '{"card": 2}', late)
    store.save_review_state("ada", "q-early", '{"card": 1}', early)
    assert store.review_state("ada", "q-early").state_json == '{"card": 1}'
    assert store.review_state("ada", "q-none") is None
    assert store.review_state("bob", "q-early") is None
    assert store.due_item_ids("ada", datetime(2026, 2, 1, tzinfo=timezone.utc)) == ["q-early"]
    assert store.due_item_ids("ada", late) == ["q-early", "q-late"], "most overdue first"
