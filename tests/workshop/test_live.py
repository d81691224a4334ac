"""The live view's core: where each learner is, who is stuck, and reading only what is new."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mlquiz.content import load_course
from mlquiz.errors import MlquizError
from mlquiz.progress import ProgressStore
from mlquiz.workshop import presence
from mlquiz.workshop.live import LiveRoom, RoomFeed, RoomState

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"
MODULE = "tiny-debt"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture(scope="module")
def course():
    return load_course(FIXTURE_COURSE)


def by_name(view):
    return {learner.name: learner for learner in view.learners}


def test_where_each_learner_is_now(tmp_path, course):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        store.record("ada", "test_started", module=MODULE, at=at(0),
                     detail={"test_id": "t1", "questions": [f"q-{i}" for i in range(1, 11)]})
        for i in range(1, 4):
            store.record("ada", "question_answered", module=MODULE, item=f"q-{i}", answer="A",
                         correct=True, at=at(i), detail={"mode": "test", "test_id": "t1"})
        store.record("bob", "step_viewed", module=MODULE, item="step-3", at=at(1))
        store.record("cy", "exercise_run", item="ex-skew", at=at(2),
                     detail={"passed": False, "failed_tests": ["test_same_features"]})
        store.ensure_learner("dee")  # joined, nothing recorded yet
    live = LiveRoom.open(db, course)
    room = by_name(live.refresh(now=at(4)))
    assert room["ada"].where == "Tiny debt · test · question 4 of 10"
    assert room["bob"].where == "Tiny debt · buildup · step 3 of 7"
    assert room["cy"].where == "exercise ex-skew · failing test_same_features"
    assert room["dee"].where == "joined" and not room["dee"].active_now
    live.close()


def test_the_same_failing_check_again_and_again_and_no_progress_are_called_out(tmp_path, course):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        for minute in range(3):
            store.record("cy", "exercise_run", item="ex-skew", at=at(minute),
                         detail={"passed": False, "failed_tests": ["test_same_features"]})
        store.record("eve", "step_viewed", module=MODULE, item="step-1", at=at(0))
        for minute in (5, 9, 14):  # wrong answers only: busy, but not moving forward
            store.record("eve", "question_answered", module=MODULE, item="q-1", answer="B",
                         correct=False, at=at(minute), detail={"mode": "practice"})
        store.record("fay", "step_viewed", module=MODULE, item="step-1", at=at(13))
        for name in ("cy", "eve", "fay"):  # their apps are open
            presence.beat(store, store.start_session(name, client="web"), name, now=at(15))
    live = LiveRoom.open(db, course, stuck_after=timedelta(minutes=10), repeated_failures=3)
    view = live.refresh(now=at(15))
    room = by_name(view)
    assert room["cy"].stuck == "failed test_same_features 3 times in a row"
    assert room["eve"].stuck == "no progress for 15 min"
    assert room["fay"].stuck is None
    assert {learner.name for learner in view.learners[:2]} == {"cy", "eve"}  # help first
    with ProgressStore.open(db) as store:  # cy gets past it
        store.record("cy", "exercise_run", item="ex-skew", at=at(15.5),
                     detail={"passed": True, "failed_tests": []})
    assert by_name(live.refresh(now=at(16)))["cy"].stuck is None
    live.close()


def test_a_question_needs_the_minimum_answers_to_rank_as_hard(tmp_path, course):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        for name, answer in (("a", "B"), ("b", "B"), ("c", "A")):
            store.record(name, "question_answered", module=MODULE, item="q-1", answer=answer,
                         correct=answer == "A", detail={"mode": "practice"})
            store.record(name, "question_answered", module=MODULE, item="q-1", answer="A",
                         correct=True, detail={"mode": "practice"})  # second answers don't count
        store.record("a", "question_answered", module=MODULE, item="q-2", answer="C",
                     correct=False, detail={"mode": "practice"})
    view = LiveRoom.open(db, course, min_answers=3).refresh()
    assert [(q.id, q.answered, round(q.facility, 2), q.top_distractor) for q in view.hardest] == [
        ("q-1", 3, 0.33, "B")]
    assert view.few_answers == 1  # q-2: one answer is not yet a finding


def test_each_refresh_reads_only_the_new_events_and_agrees_with_a_full_read(tmp_path, course):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        for i in range(30):
            store.record(f"l{i % 5}", "question_answered", module=MODULE, item=f"q-{i % 4 + 1}",
                         answer="AB"[i % 2], correct=i % 2 == 0, detail={"mode": "practice"})
    feed = RoomFeed(db)
    state = RoomState(course, min_answers=1)
    state.add(feed.read())
    # Another process writes ten more, as a served tab would.
    subprocess.run([sys.executable, "-c",
                    "import sys; from mlquiz.progress import ProgressStore\n"
                    "with ProgressStore.open(sys.argv[1]) as s:\n"
                    "    for i in range(10):\n"
                    "        s.record('new', 'exercise_run', item='ex', detail={'passed': False,"
                    " 'failed_tests': ['test_x']})", str(db)], check=True)
    new = feed.read()
    assert len(new) == 10 and {e.learner for e in new} == {"new"}
    state.add(new)
    assert feed.read() == []
    fresh = RoomState(course, min_answers=1)
    fresh.add(RoomFeed(db).read())
    now = datetime.now(timezone.utc)
    assert state.view(now) == fresh.view(now)
    assert state.view(now).exercises[0].failed_checks == 10


def test_the_rooms_own_timeline_and_old_spellings_of_one_name(tmp_path, course):
    import sqlite3

    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        store.record("EVE", "step_viewed", module=MODULE, item="step-1")
        store.record("@room", "step_viewed", module=MODULE, item="step-1")
    conn = sqlite3.connect(db)  # a room recorded before names were folded
    with conn:
        conn.execute("INSERT INTO learners(name, created_at) VALUES ('eve', '2026-01-01T00:00:00+00:00')")
    conn.close()
    with ProgressStore.open(db) as store:
        store.record("eve", "step_viewed", module=MODULE, item="step-2")
    view = LiveRoom.open(db, course).refresh()
    assert [(l.name, l.steps_seen) for l in view.learners] == [("EVE", 2)]


def test_a_missing_or_foreign_file_is_one_clear_error(tmp_path):
    with pytest.raises(MlquizError, match="does not exist") as missing:
        RoomFeed(tmp_path / "nope.db")
    assert missing.value.exit_code == 2
    (tmp_path / "notes.txt").write_text("not a database\n" * 50)
    with pytest.raises(MlquizError) as foreign:
        RoomFeed(tmp_path / "notes.txt")
    assert foreign.value.exit_code == 2


def test_someone_silent_on_one_screen_is_stuck_until_they_have_clearly_left(tmp_path, course):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        store.record("gus", "step_viewed", module=MODULE, item="step-1", at=at(0))
        store.record("gus", "mode_opened", module=MODULE, at=at(1), detail={"mode": "practice"})
        tab = store.start_session("gus", client="web")
        presence.beat(store, tab, "gus", now=at(12.8))   # his app is open, he records nothing
    live = LiveRoom.open(db, course)
    gus = by_name(live.refresh(now=at(13)))["gus"]
    assert gus.active_now and gus.stuck == "no progress for 13 min"
    assert gus.where == "Tiny debt · practice"
    gone = by_name(live.refresh(now=at(45)))["gus"]   # no beat for half an hour: app gone
    assert not gone.active_now and gone.stuck is None  # gone, not stuck
