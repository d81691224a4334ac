"""What works on every screen: help, palette, theme, size guard, modes not built yet, bad input."""
from __future__ import annotations

import subprocess
import sys

from .helpers import screen_name, screen_text, text_of


async def test_help_on_question_mark_lists_this_screens_keys(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_screen("tiny-debt", "practice")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_name(app) == "HelpScreen"
        keys = text_of(app, "#help-screen-keys")
        assert "Hint" in keys and "Solution" in keys
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "PracticeScreen"


async def test_command_palette_jumps_to_a_step(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Second module: step 4")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "BuildupScreen"
        assert app.screen.module_id == "second-module"
        assert "step 4 of 7" in text_of(app, "#title-bar")


async def test_theme_toggle_is_remembered(new_app):
    app = new_app()
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
    again = new_app()
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"


async def test_a_too_small_terminal_gets_a_message(new_app):
    app = new_app()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert screen_name(app) == "TooSmallScreen"
        assert "too small" in text_of(app, "#too-small")
        await pilot.press("enter", "c", "escape")      # nothing opens behind the message
        await pilot.pause()
        assert screen_name(app) == "TooSmallScreen"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"


async def test_module_page_marks_test_recommended_and_opens_modes_by_digit(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_module("tiny-debt")
        await pilot.pause()
        text = screen_text(app)
        assert "Choose your learning style" in text
        assert "★ Recommended" in text_of(app, "#mode-test")
        assert app.screen.query_one("#modes").highlighted_child.id == "mode-test"
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "TestScreen"
        await pilot.press("escape", "3")
        await pilot.pause()
        assert screen_name(app) == "MythsScreen"


async def test_keys_that_make_no_sense_do_nothing(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape", "x", "z", "f5", "d", "space")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        app.open_screen("tiny-debt", "buildup")
        await pilot.pause()
        await pilot.press("d", "4", "space", "h")   # step 1 has three choices only
        await pilot.pause()
        assert not app.screen.query("#step-explanation")
    assert events("prediction_committed") == []


async def test_progress_shows_accuracy_tests_and_streak(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_screen("tiny-debt", "myths")
        await pilot.pause()
        await pilot.press("y", "right", "y", "escape", "escape")
        await pilot.pause()
        await pilot.press("p")
        await app.workers.wait_for_complete()   # read in a thread worker
        await pilot.pause()
        assert screen_name(app) == "ProgressScreen"
        assert "Study streak: 1 day" in text_of(app, "#streak")
        text = screen_text(app)
        assert "Myth busters" in text and "last 2: 1 of 2 right" in text
        assert "100% ┤" in text and "0% └" in text and "oldest → latest" in text
        assert "myths busted 1/2" in text and "exercises passed 0/" in text
        assert "A myth counts as busted when your latest answer to it is right" in text


def run_cli(*args, env_extra=None, tmp_path):
    import os

    env = {**os.environ, "MLQUIZ_CACHE_DIR": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data"), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "mlquiz", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_broken_content_prints_located_lines_and_exits_1(tmp_path):
    import shutil

    from .conftest import FIXTURE_COURSE

    course = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, course)
    questions = course / "tiny-debt" / "questions.yaml"
    questions.write_text(questions.read_text().replace("difficulty: easy", "difficulty: trivial", 1))
    result = run_cli("--course", str(course), "--db", str(tmp_path / "p.db"), "--learner", "ada",
                     tmp_path=tmp_path)
    assert result.returncode == 1
    assert "questions.yaml:" in result.stderr and "difficulty" in result.stderr
    assert "mlquiz validate" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_bad_database_is_one_clear_line_and_exit_2(tmp_path):
    from .conftest import FIXTURE_COURSE

    db = tmp_path / "not-a-db.db"
    db.write_text("this is not sqlite, it is a note\n" * 50)
    result = run_cli("--course", str(FIXTURE_COURSE), "--db", str(db), "--learner", "ada",
                     tmp_path=tmp_path)
    assert result.returncode == 2
    assert "not-a-db.db" in result.stderr
    assert f"mlquiz --db {tmp_path / 'not-a-db-fresh.db'}" in result.stderr, "offers a fresh start"
    assert db.read_text() == "this is not sqlite, it is a note\n" * 50
    assert "Traceback" not in result.stderr + result.stdout


def test_without_a_terminal_the_app_says_so_instead_of_drawing_into_a_pipe(tmp_path):
    from .conftest import FIXTURE_COURSE

    result = run_cli("--course", str(FIXTURE_COURSE), "--db", str(tmp_path / "p.db"),
                     "--learner", "ada", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "mlquiz review --plain" in result.stderr
    assert result.stdout == ""
