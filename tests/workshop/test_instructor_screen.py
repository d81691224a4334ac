"""`mlquiz --instructor`: the room's progress on screen, refreshed while learners work."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from mlquiz.progress import ProgressStore
from mlquiz.tui.screens.instructor import make_instructor_app
from mlquiz.workshop import presence

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"
MODULE = "tiny-debt"


@pytest.fixture
def room(tmp_path) -> Path:
    """ada (tab open) and bob: both answered q1, ada fell for B; bob failed an exercise twice."""
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        sid = store.start_session("ada", client="tui")
        store.record("ada", "step_viewed", module=MODULE, item="step-1", session_id=sid)
        store.record("ada", "step_viewed", module=MODULE, item="step-2", session_id=sid)
        store.record("ada", "question_answered", module=MODULE, item="q1", answer="B",
                     correct=False, detail={"mode": "practice"}, session_id=sid)
        presence.beat(store, sid, "ada")  # her app is connected: it beats
        store.record("bob", "question_answered", module=MODULE, item="q1", answer="A",
                     correct=True, detail={"mode": "practice"})
        store.record("bob", "question_answered", module=MODULE, item="q2", answer="A",
                     correct=True, detail={"mode": "practice"})
        for _ in range(2):
            store.record("bob", "exercise_run", item="ex-skew",
                         detail={"passed": False, "failed_tests": ["test_same_features"]})
        store.record("bob", "exercise_passed", item="ex-skew")
    return db


def rows(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def learner_names(app) -> list[str]:
    return [row[0] for row in rows(app, "#room-learners")]


async def until(pilot, check, limit: int = 200) -> None:
    """Let the app run (50 ms at a time) until `check()` holds."""
    for _ in range(limit):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen never showed it")


async def test_it_shows_each_learner_the_hardest_question_and_the_failing_exercise(room):
    app = make_instructor_app(room, FIXTURE_COURSE, refresh_every=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.snapshot is not None)
        learners = {row[0]: row for row in rows(app, "#room-learners")}
        assert learners["ada"][1] == "●" and learners["ada"][4:] == ["2", "—", "0"]
        assert learners["ada"][2] == "Tiny debt · practice"  # q1 is not in the course: no place
        assert learners["bob"][2] == "exercise ex-skew · passed"
        assert learners["bob"][4:] == ["0", "—", "1"]
        hardest = rows(app, "#room-questions")  # q1 has two first answers: the minimum is 3
        assert hardest == []
        title = str(app.screen.query_one("#room-questions-title").content)
        assert "at least 3 learners; 2 more with fewer answers" in title
        assert rows(app, "#room-exercises") == [
            ["ex-skew", "1", "1", "2", "test_same_features"]]
        status = str(app.screen.query_one("#room-status", Static).content)
        assert "2 learners" in status and "8 events" in status


async def test_the_learner_who_keeps_failing_the_same_check_comes_first(room):
    with ProgressStore.open(room) as store:
        for _ in range(3):
            store.record("zoe", "exercise_run", item="ex-skew",
                         detail={"passed": False, "failed_tests": ["test_no_leak"]})
        for name in ("ann", "cal"):
            store.record(name, "question_answered", module=MODULE, item="q1", answer="B",
                         correct=False, detail={"mode": "practice"})
    app = make_instructor_app(room, FIXTURE_COURSE, refresh_every=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.snapshot is not None)
        first = rows(app, "#room-learners")[0]
        assert first[:2] == ["zoe", "!"]
        help_text = str(app.screen.query_one("#room-help", Static).content)
        assert help_text == "Needs help: zoe: failed test_no_leak 3 times in a row"
        assert "1 may need help" in str(app.screen.query_one("#room-status", Static).content)
        (hard,) = [row for row in rows(app, "#room-questions") if row[0] == "q1"]
        assert hard[2:] == ["4", "25%", "B (75%)"]


async def test_it_refreshes_on_its_own_when_new_events_land(room):
    app = make_instructor_app(room, FIXTURE_COURSE, refresh_every=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: learner_names(app) == ["ada", "bob"])
        with ProgressStore.open(room) as store:  # a learner joins while the view is open
            store.record("carol", "step_viewed", module=MODULE, item="step-1")
        await until(pilot, lambda: "carol" in learner_names(app))
        assert app.screen.refreshes >= 2


async def test_r_reads_the_room_again_at_once(room):
    app = make_instructor_app(room, FIXTURE_COURSE, refresh_every=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.snapshot is not None)
        with ProgressStore.open(room) as store:
            store.record("dan", "question_answered", module=MODULE, item="q2", answer="C",
                         correct=False, detail={"mode": "test"})
        assert "dan" not in learner_names(app)
        await pilot.press("r")
        await until(pilot, lambda: "dan" in learner_names(app))


async def test_e_writes_the_html_report_and_shows_where(room, tmp_path):
    app = make_instructor_app(room, FIXTURE_COURSE, refresh_every=3600, export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.snapshot is not None)
        await pilot.press("e")
        await pilot.pause()
        written = app.screen.last_export
        assert written is not None and written.parent == tmp_path
        assert str(written) in str(app.screen.query_one("#room-note", Static).content)
    html = written.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "ada" in html


def test_a_room_that_does_not_exist_is_one_line_and_exit_2(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mlquiz", "--instructor", "--db", str(tmp_path / "later.db")],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "later.db does not exist" in result.stderr
    assert not (tmp_path / "later.db").exists()  # the view creates nothing
