"""Who is in the room follows the apps really connected: each one's heartbeat, and its
session's end when the app exits; not how recently a learner recorded something."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from mlquiz.content import load_course
from mlquiz.progress import ProgressStore
from mlquiz.workshop import presence
from mlquiz.workshop.live import LiveRoom
from mlquiz.workshop.peer_room import RoomPolls

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_an_app_that_beats_is_present_until_it_exits_or_stops_beating(tmp_path):
    with ProgressStore.open(tmp_path / "room.db") as store:
        ada, bo = store.start_session("ada", client="web"), store.start_session("bo", client="web")
        presence.beat(store, ada, "ada", now=at(0))
        presence.beat(store, bo, "bo", now=at(0))
        assert set(presence.connected(store, now=at(10))) == {"ada", "bo"}
        store.end_session(ada)                       # ada's tab closed: her app ended it
        assert set(presence.connected(store, now=at(11))) == {"bo"}
        presence.beat(store, bo, "bo", now=at(20))
        assert set(presence.connected(store, now=at(20 + 59))) == {"bo"}
        # bo's process was killed: no end, no more beats; gone after three missed ones
        assert presence.connected(store, now=at(20 + 61)) == {}


def test_a_session_with_no_heartbeat_is_not_present(tmp_path):
    with ProgressStore.open(tmp_path / "room.db") as store:
        sid = store.start_session("ada", client="web")
        store.record("ada", "step_viewed", module="tiny-debt", item="step-1", session_id=sid,
                     at=at(0))
        assert presence.connected(store, now=at(1)) == {}
        assert RoomPolls(store, load_course(FIXTURE_COURSE), clock=lambda: at(1)).present() == []


def test_the_live_view_marks_active_the_open_tabs_not_the_recent_events(tmp_path):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        # ada answered a minute ago and closed her tab; bo reads a step for 20 minutes
        ada = store.start_session("ada", client="web")
        store.record("ada", "step_viewed", module="tiny-debt", item="step-1", session_id=ada,
                     at=at(19 * 60))
        presence.beat(store, ada, "ada", now=at(19 * 60))
        store.end_session(ada)
        bo = store.start_session("bo", client="web")
        store.record("bo", "step_viewed", module="tiny-debt", item="step-2", session_id=bo,
                     at=at(0))
        presence.beat(store, bo, "bo", now=at(20 * 60 - 5))
    live = LiveRoom.open(db, load_course(FIXTURE_COURSE))
    view = live.refresh(now=at(20 * 60))
    state = {learner.name: learner for learner in view.learners}
    assert not state["ada"].active_now and state["ada"].stuck is None, "her tab is closed"
    assert state["bo"].active_now and view.active_count == 1, "his tab is open"
    assert state["bo"].stuck == "no progress for 20 min"
    live.close()


def test_old_heartbeats_are_forgotten_so_the_record_stays_small(tmp_path):
    with ProgressStore.open(tmp_path / "room.db") as store:
        for n in range(5):
            presence.beat(store, store.start_session(f"l{n}"), f"l{n}", now=at(0))
        late = store.start_session("zed")
        presence.beat(store, late, "zed", now=at(60 * 60))
        assert list(store.setting(presence.PRESENCE_LEARNER, presence.KEY)) == [str(late)]


def test_the_presence_record_is_nobody_a_command_names(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "mine.db"
    with ProgressStore.open(db) as store:   # one learner's own database, after the app ran
        sid = store.start_session("ada")
        store.record("ada", "step_viewed", module="tiny-debt", item="step-1", session_id=sid)
        presence.beat(store, sid, "ada")
    done = subprocess.run([sys.executable, "-m", "mlquiz", "--db", str(db), "--course",
                           str(FIXTURE_COURSE), "progress"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "@presence" not in done.stdout + done.stderr and "learners in" not in done.stderr
    unknown = subprocess.run([sys.executable, "-m", "mlquiz", "--db", str(db), "--course",
                              str(FIXTURE_COURSE), "progress", "--learner", "bo"],
                             capture_output=True, text=True, timeout=60)
    assert "@presence" not in unknown.stdout + unknown.stderr
