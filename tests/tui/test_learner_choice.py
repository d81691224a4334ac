"""Who is studying is a choice the learner sees, remembered per database; a one-off
--learner changes no default (Pilot, real SQLite files, real CLI processes)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mlquiz.progress import ProgressStore
from tests.tui.conftest import FIXTURE_COURSE
from tests.tui.helpers import screen_name, text_of


def _learners(db: Path, *names: str, welcomed: bool = True) -> None:
    with ProgressStore.open(db) as store:
        for name in names:
            store.record(name, "mode_opened", module="tiny-debt")
            if welcomed:
                store.set_setting(name, "welcomed", "yes")


def _cli(tmp_path: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
           "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}
    return subprocess.run([sys.executable, "-m", "mlquiz", "--course", str(FIXTURE_COURSE),
                           "--db", str(tmp_path / "progress.db"), *argv],
                          input=stdin, capture_output=True, text=True, env=env, timeout=60)


async def test_a_one_off_learner_on_a_command_does_not_change_who_the_app_opens_as(
        new_app, db_path, tmp_path):
    app = new_app(learner=None, welcomed=False)
    async with app.run_test() as pilot:
        await pilot.press(*"ana", "enter")
        await pilot.pause()
        await pilot.press("enter")  # the welcome's Start
        await pilot.pause()
    for argv in (["review", "--plain", "--learner", "carol"],
                 ["study", "tiny-debt", "myths", "--plain", "--learner", "carol"]):
        result = _cli(tmp_path, *argv)
        assert result.returncode == 0, result.stderr
    with ProgressStore.open(db_path) as store:
        assert store.most_recent_learner() == "carol"  # carol did write last
    again = new_app(learner=None)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert screen_name(again) == "HomeScreen"
        assert again.ctx.learner == "ana"
        assert "ana" in text_of(again, "#title-bar")
    # The commands that take no --learner run as the app's learner too.
    assert _cli(tmp_path, "progress", "--json").stdout.count('"learner": "ana"') == 1


async def test_the_app_opened_with_a_learner_runs_as_them_once(new_app, db_path):
    _learners(db_path, "ana", "bob")
    first = new_app(learner=None)
    async with first.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")  # ana, highlighted first
        await pilot.pause()
        assert first.ctx.learner == "ana"
    once = new_app(learner="BOB")
    async with once.run_test() as pilot:
        await pilot.pause()
        assert once.ctx.learner == "bob"  # the stored spelling
    again = new_app(learner=None)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.ctx.learner == "ana"


async def test_with_several_learners_and_none_chosen_the_app_asks_and_remembers(
        new_app, db_path, tmp_path):
    _learners(db_path, "ana", "bob")
    app = new_app(learner=None)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert screen_name(app) == "LearnerScreen"
        assert app.ctx.learner == ""
        for key in ("ctrl+p", "escape", "p"):  # no way around the question
            await pilot.press(key)
            await pilot.pause()
            assert screen_name(app) == "LearnerScreen", key
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen" and app.ctx.learner == "bob"
    chosen = json.loads((tmp_path / "config" / "mlquiz" / "chosen-learners.json").read_text())
    with ProgressStore.open(db_path) as store:
        assert chosen["databases"][store.database_id]["learner"] == "bob"
    again = new_app(learner=None)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert screen_name(again) == "HomeScreen" and again.ctx.learner == "bob"


async def test_l_on_home_switches_learner_with_their_own_folder_and_session(
        new_app, db_path, events):
    _learners(db_path, "ada", "bob")
    app = new_app()  # ada, given once
    async with app.run_test() as pilot:
        await pilot.pause()
        ada_folder = app.ctx.workspace
        ada_session = app.ctx.ensure_session()
        await pilot.press("l")
        await pilot.pause()
        assert screen_name(app) == "LearnerScreen"
        await pilot.press("escape")  # back, nothing changed
        await pilot.pause()
        assert screen_name(app) == "HomeScreen" and app.ctx.learner == "ada"
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen" and app.ctx.learner == "bob"
        assert "bob" in text_of(app, "#title-bar")
        assert app.ctx.workspace != ada_folder and app.ctx.workspace.name == "bob"
        assert app.ctx.ensure_session() != ada_session
        app.ctx.record("step_viewed", module="tiny-debt", item="step-1")
    assert [e.item for e in events("step_viewed", learner="bob")] == ["step-1"]
    assert events("step_viewed", learner="ada") == []
    with ProgressStore.open(db_path) as store:
        assert store.active_sessions("ada", within=__import__("datetime").timedelta(days=999)) == []
    again = new_app(learner=None)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.ctx.learner == "bob"


async def test_the_palette_switches_learner_and_a_new_name_is_checked(new_app, db_path):
    _learners(db_path, "ada", "bob")
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"study as bob")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen" and app.ctx.learner == "bob"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"switch learner")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "LearnerScreen"
        await pilot.press("tab", *"?!.", "enter")
        await pilot.pause()
        assert screen_name(app) == "LearnerScreen"
        assert "at least one letter or digit" in text_of(app, "#learners-message")
        field = app.screen.query_one("#learner-new")
        field.value = ""
        await pilot.press(*"Cleo", "enter")
        await pilot.pause()
        assert app.ctx.learner == "Cleo"
        assert screen_name(app) == "WelcomeScreen"  # someone new sees the keys first


async def test_without_a_learner_the_palette_does_not_open_behind_the_welcome(new_app):
    app = new_app(learner=None, welcomed=False)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert screen_name(app) == "WelcomeScreen"
        await app.run_action("app.progress")
        await pilot.pause()
        assert screen_name(app) == "WelcomeScreen"


async def test_the_app_gives_old_shared_exercise_folders_to_their_learner(new_app, db_path,
                                                                         tmp_path):
    shared = tmp_path / "workspace" / "calc"
    shared.mkdir(parents=True)
    (shared / "calc.py").write_text("# ada's work\n")
    os.utime(shared / "calc.py", (1_700_000_000, 1_700_000_000))
    from datetime import datetime, timezone

    with ProgressStore.open(db_path) as store:
        store.record("ada", "exercise_run", module="tiny-debt", item="calc", correct=True,
                     at=datetime(2024, 1, 1, tzinfo=timezone.utc))
        store.set_setting("ada", "welcomed", "yes")
    app = new_app(learner=None)
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.adopted and "calc to ada" in app.adopted
        assert (app.ctx.workspace / "calc" / "calc.py").read_text() == "# ada's work\n"
        assert not shared.exists()


async def test_a_room_database_with_one_learner_and_its_own_timeline_opens_as_that_learner(
        new_app, db_path):
    _learners(db_path, "ana")
    with ProgressStore.open(db_path) as store:
        store.record("@room", "mode_opened")  # the room's own timeline (peer instruction)
    app = new_app(learner=None)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert screen_name(app) == "HomeScreen" and app.ctx.learner == "ana"
