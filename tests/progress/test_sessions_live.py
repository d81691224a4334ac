"""Which sessions are live: what `mlquiz serve` asks before two tabs share a name."""
from __future__ import annotations

from datetime import timedelta

from mlquiz.progress import ProgressStore
from mlquiz.progress.events import utc_now

HOUR = timedelta(hours=1)


def test_an_open_session_is_live_and_an_ended_one_is_not(db_location):
    with ProgressStore.open(db_location) as store:
        open_sid = store.start_session("ada", client="serve")
        ended_sid = store.start_session("ada", client="serve")
        store.end_session(ended_sid)
        store.start_session("grace", client="serve")
        live = store.active_sessions("ada", within=HOUR)
        assert [(s.id, s.learner) for s in live] == [(open_sid, "ada")]
        assert {s.learner for s in store.active_sessions(within=HOUR)} == {"ada", "grace"}
        assert store.active_sessions("nobody", within=HOUR) == []


def test_a_session_seen_lately_through_its_events_stays_live(tmp_path):
    """A session left open by a killed window drops out; recording keeps one alive."""
    with ProgressStore.open(tmp_path / "room.db") as store:
        sid = store.start_session("ada")
        later = utc_now() + timedelta(hours=3)
        assert store.active_sessions("ada", within=HOUR, now=later) == []
        store.record("ada", "step_viewed", module="m", item="s1", session_id=sid,
                     at=later - timedelta(minutes=5))
        (live,) = store.active_sessions("ada", within=HOUR, now=later)
        assert live.id == sid
        assert live.last_seen == later - timedelta(minutes=5)


def test_another_connection_sees_the_session(db_location):
    path = db_location
    with ProgressStore.open(path) as first, ProgressStore.open(path) as second:
        sid = first.start_session("ada")
        assert [s.id for s in second.active_sessions("ada", within=HOUR)] == [sid]
        first.end_session(sid)
        assert second.active_sessions("ada", within=HOUR) == []


def test_which_of_some_sessions_are_still_open(db_location):
    """What presence asks of the sessions its heartbeats name (workshop/presence.py)."""
    with ProgressStore.open(db_location) as store:
        tab, closed = store.start_session("ada", client="web"), store.start_session("bo")
        store.end_session(closed)
        assert store.open_session_ids([tab, closed, 9999]) == {tab}
        assert store.open_session_ids([]) == set()
