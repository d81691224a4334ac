"""Hands-on exercises in the app: the list, the editor, real checks in a child process.

Runs on the real course and its built-in exercise `training-serving-skew`;
every check is a real grading run (the warm worker forks a sandboxed pytest).
"""
from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from .conftest import LEARNER
from .helpers import screen_name, screen_text, text_of

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
EXERCISE = "training-serving-skew"
MODULE = "ml-technical-debt"
SOLUTION = ROOT / "exercises" / EXERCISE / "solution"


async def open_list(app, pilot) -> None:
    await pilot.pause()
    app.open_screen(MODULE, "exercises")
    await pilot.pause()


async def open_exercise(app, pilot, *, via_list: bool = False) -> None:
    """Open the exercise screen: from the list (highlight the row, press enter), or
    straight on top of home, as the list does, to keep the test quick."""
    if via_list:
        await open_list(app, pilot)
        listing = app.screen.query_one("#exercise-list")
        listing.index = [row.id for row in listing.children].index(f"exercise-{EXERCISE}")
        await pilot.press("enter")
    else:
        from mlquiz.tui.screens.exercise import ExerciseScreen

        await pilot.pause()
        app.push_screen(ExerciseScreen(app.ctx, MODULE, app.ctx.exercises.open(EXERCISE)))
    await pilot.pause()
    assert screen_name(app) == "ExerciseScreen"


async def save_and_check(app, pilot) -> str:
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one("#exercise-results").plain


def results(app) -> str:
    return app.screen.query_one("#exercise-results").plain


def editor(app, name: str) -> TextArea:
    return app.screen.editors[name]


async def test_list_shows_each_exercise_with_its_state_difficulty_and_debt(new_app, tmp_path):
    from mlquiz.content import load_course
    from mlquiz.grading.service import ExerciseService
    from mlquiz.progress import ProgressStore

    app = new_app(course=COURSE)
    store = ProgressStore.open(tmp_path / "progress.db")
    with ExerciseService(load_course(COURSE), store, LEARNER, tmp_path / "workspace") as service:
        service.open("data-validation")            # opened, never passed: in progress
    store.close()
    async with app.run_test() as pilot:
        await open_list(app, pilot)
        row = app.screen.query_one(f"#exercise-{EXERCISE}")
        assert "○ pending" in row.query_one(".exercise-state").content
        assert row.query_one(".exercise-difficulty").content == "easy"
        assert "Training/serving skew" in row.query_one(".exercise-debt").content
        started = app.screen.query_one("#exercise-data-validation .exercise-state").content
        assert started == "◐ in progress"
        assert "0 of 12 passed" in text_of(app, "#title-bar")


async def test_type_the_fix_check_pass_then_solution_beside_and_recorded(new_app, events):
    app = new_app(course=COURSE)
    async with app.run_test(notifications=True) as pilot:
        await open_exercise(app, pilot, via_list=True)
        assert text_of(app, "#title-bar").startswith("In progress · One feature function")
        assert "training/serving skew" in app.screen.query_one("#exercise-instructions").source.lower()
        assert editor(app, "features.py").language == "python"
        assert not app.screen.has_class("-solution")
        for name in ("features.py", "train.py", "serve.py"):
            editor(app, name).load_text((SOLUTION / name).read_text())
        assert "Stuck? ctrl+g" in app.screen.query_one("#exercise-hints").source
        assert (await save_and_check(app, pilot)).startswith("✓ All 9 checks pass.")
        assert "Passed" in text_of(app, "#title-bar")
        assert "Stuck?" not in app.screen.query_one("#exercise-hints").source  # it passes now
        assert app.screen.has_class("-solution")
        shown = app.screen.query_one("#solution-editor", TextArea).text
        assert shown == (SOLUTION / "features.py").read_text()
        assert any("All checks pass" in n.message for n in app._notifications)
        await pilot.press("escape")                 # back to the list: the state is updated
        await pilot.pause()
        assert "● passed" in app.screen.query_one(f"#exercise-{EXERCISE} .exercise-state").content
    assert [e.item for e in events("exercise_passed")] == [EXERCISE]
    runs = events("exercise_run")
    assert [(e.item, e.correct) for e in runs] == [(EXERCISE, True)]
    assert [e.item for e in events("solution_revealed")] == [EXERCISE]
    saved = (app.ctx.workspace / EXERCISE / "serve.py").read_text()
    assert saved == (SOLUTION / "serve.py").read_text()


async def test_a_failing_save_shows_the_failing_tests_message(new_app, events):
    app = new_app(course=COURSE)
    async with app.run_test(notifications=True) as pilot:
        await open_exercise(app, pilot)
        text = await save_and_check(app, pilot)      # the starter as it is: skewed
        assert text.startswith("✗ 3 of 9 checks pass")
        assert "✗ Missing plan is filled like training" in text
        assert "Training fills a missing plan in one way" in text
        assert not app.screen.has_class("-solution")
        footer_keys = [key for key, b in app.screen.active_bindings.items() if b.enabled]
        assert "ctrl+l" not in footer_keys           # the footer offers no solution before a pass
        await pilot.press("ctrl+l")                  # and the key keeps it closed
        await pilot.pause()
        assert not app.screen.has_class("-solution")
    assert [(e.item, e.correct) for e in events("exercise_run")] == [(EXERCISE, False)]
    assert events("exercise_passed") == []
    assert events("solution_revealed") == []


async def test_a_syntax_error_shows_file_line_and_caret(new_app):
    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        await open_exercise(app, pilot)
        await pilot.press("ctrl+n", "ctrl+n")        # features.py -> train.py -> serve.py
        await pilot.pause()
        assert app.screen.current_file() == "serve.py"
        await pilot.press(*"def broken(:", "enter")   # typed into the editor
        text = await save_and_check(app, pilot)
        assert text.startswith("✗ serve.py:1:12: SyntaxError")
        assert "def broken(:" in text and "^" in text
        assert editor(app, "serve.py").cursor_location == (0, 11)   # the cursor is put there


async def test_the_hint_ladder_counts_up_and_is_recorded(new_app, events):
    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        await open_exercise(app, pilot)
        assert "ctrl+g shows a hint (4 in all" in text_of(app, "#exercise-hints")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert text_of(app, "#exercise-hints").startswith("**Hint 1 of 4:** ")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "**Hint 2 of 4:** " in text_of(app, "#exercise-hints")
    assert [e.hint_level for e in events("exercise_hint")] == [1, 2]


async def test_editor_key_falls_back_to_the_built_in_editor_when_headless(new_app, monkeypatch):
    monkeypatch.setenv("EDITOR", "/bin/false")
    app = new_app(course=COURSE)
    async with app.run_test(notifications=True) as pilot:
        await open_exercise(app, pilot)
        await pilot.press("x")                      # an edit that must not be lost
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert any("built-in editor" in n.message for n in app._notifications)
        assert screen_name(app) == "ExerciseScreen"
        assert app.screen.focused is editor(app, "features.py")
        assert (app.ctx.workspace / EXERCISE / "features.py").read_text().startswith("x")


async def test_quit_and_resume_on_the_same_exercise_and_file(new_app):
    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        await open_exercise(app, pilot)
        await pilot.press("ctrl+n")                 # train.py
        await pilot.press(*"# mine", "enter")
        await pilot.press("ctrl+c")                 # quit at once: the edit is saved on the way out
    assert (app.ctx.workspace / EXERCISE / "train.py").read_text().startswith("# mine\n")
    again = new_app(course=COURSE)
    async with again.run_test() as pilot:
        await pilot.pause()
        await pilot.press("c")                      # Continue where you left off
        await pilot.pause()
        assert screen_name(again) == "ExerciseScreen"
        assert again.screen.current_file() == "train.py"
        assert editor(again, "train.py").text.startswith("# mine\n")


async def test_reset_asks_first_then_restores_the_starter(new_app, events):
    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        await open_exercise(app, pilot)
        await pilot.press(*"oops")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("n")                      # keep my files
        await pilot.pause()
        assert editor(app, "features.py").text.startswith("oops")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        starter = ROOT / "exercises" / EXERCISE / "starter" / "features.py"
        assert editor(app, "features.py").text == starter.read_text()
    reset = events("exercise_reset")
    assert len(reset) == 1
    backup = Path(reset[0].detail["backup"])
    assert (backup / "features.py").read_text().startswith("oops")


async def test_editor_key_hands_the_file_over_then_reloads_and_checks(new_app, monkeypatch, events):
    """Where the terminal can be suspended: $EDITOR runs on the file, then the app
    shows what it wrote and checks it. The editor here is `cp` of the reference file."""
    from contextlib import nullcontext

    monkeypatch.setenv("EDITOR", f"cp {SOLUTION / 'features.py'}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        monkeypatch.setattr(app, "suspend", nullcontext)
        await open_exercise(app, pilot)
        await pilot.press("ctrl+o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert editor(app, "features.py").text == (SOLUTION / "features.py").read_text()
        assert results(app).startswith("✗ ")          # train.py and serve.py still skew
    assert [(e.item, e.correct) for e in events("exercise_run")] == [(EXERCISE, False)]


async def test_continue_names_the_exercise_and_file_left_open(new_app):
    from textual.widgets import Button

    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        await open_exercise(app, pilot)
        await pilot.press("ctrl+n")  # on to the second file
        await pilot.pause()
        await pilot.press("ctrl+c")  # quit from the editor
    again = new_app(course=COURSE)
    async with again.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        label = str(again.screen.query_one("#continue", Button).label)
        assert label.endswith("› Hands-on exercises · One feature function for training and "
                              "serving (train.py)")


def test_an_exercise_place_reads_as_its_title_and_file():
    from mlquiz.content import load_course
    from mlquiz.tui.summary import item_title, place

    course = load_course(COURSE)
    module = course.module(MODULE)
    title = "One feature function for training and serving"
    assert item_title(module, place(EXERCISE, "serve.py"), course) == f"{title} (serve.py)"
    assert item_title(module, place(EXERCISE), course) == title
    assert item_title(module, "no-such-exercise:x.py", course) == ""


async def test_exercise_events_are_dated_by_the_apps_clock(new_app, events):
    from .conftest import NOW

    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        await open_exercise(app, pilot)
        await pilot.press("ctrl+g")  # a hint
        await pilot.pause()
    recorded = events("exercise_opened") + events("exercise_hint")
    assert len(recorded) == 2 and {e.at for e in recorded} == {NOW}


async def test_a_fix_made_on_disk_is_reloaded_when_the_buffer_is_clean(new_app, events):
    """The learner fixes serve.py in their own editor; the app shows it and never writes the starter back."""
    app = new_app(course=COURSE)
    async with app.run_test(notifications=True) as pilot:
        await open_exercise(app, pilot)
        on_disk = app.ctx.workspace / EXERCISE
        for name in ("features.py", "train.py", "serve.py"):
            (on_disk / name).write_text((SOLUTION / name).read_text())
        assert (await save_and_check(app, pilot)).startswith("✓ All 9 checks pass.")
        assert editor(app, "serve.py").text == (SOLUTION / "serve.py").read_text()
        assert any("changed on disk" in n.message for n in app._notifications)
        editor(app, "serve.py").insert("# one more line\n", (0, 0))   # a real edit, on the fix
        await save_and_check(app, pilot)
    assert (on_disk / "serve.py").read_text() == "# one more line\n" + (SOLUTION / "serve.py").read_text()
    assert [e.item for e in events("exercise_passed")] == [EXERCISE]


async def test_the_editor_notices_a_change_on_disk_while_it_is_open(new_app):
    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        await open_exercise(app, pilot)
        path = app.ctx.workspace / EXERCISE / "serve.py"
        path.write_text("# fixed elsewhere\n")
        for _ in range(60):                     # the screen looks at the disk every second
            await pilot.pause(0.05)
            if editor(app, "serve.py").text == "# fixed elsewhere\n":
                break
        assert editor(app, "serve.py").text == "# fixed elsewhere\n"


async def test_a_file_changed_on_disk_and_here_is_never_written_blind(new_app, events):
    """One typed character plus ctrl+s used to overwrite a fix made on disk; now the app asks."""
    app = new_app(course=COURSE)
    async with app.run_test(notifications=True) as pilot:
        await open_exercise(app, pilot)
        path = app.ctx.workspace / EXERCISE / "serve.py"
        fixed = (SOLUTION / "serve.py").read_text()
        editor(app, "serve.py").insert("x", (0, 0))                  # typed here first ...
        path.write_text(fixed)                                        # ... fixed on disk meanwhile
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "serve.py changed on disk while you were editing it here" in screen_text(app)
        assert path.read_text() == fixed                              # nothing written yet
        assert events("exercise_run") == []                           # and nothing checked
        await pilot.press("d")                                        # use the file on disk
        await pilot.pause()
        assert editor(app, "serve.py").text == fixed
        backups = list((app.ctx.workspace / ".backups").glob(f"{EXERCISE}-unsaved-*/serve.py"))
        assert [b.read_text()[:1] for b in backups] == ["x"]          # the edit here is kept
        editor(app, "serve.py").insert("y", (0, 0))
        path.write_text("# changed again on disk\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("w")                                        # keep mine, on purpose
        await pilot.pause()
    assert path.read_text() == "y" + fixed


async def test_without_editor_set_ctrl_o_says_which_editor_would_open(new_app, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = new_app(course=COURSE)
    async with app.run_test() as pilot:
        await open_exercise(app, pilot)
        assert str(app.ctx.workspace / EXERCISE) in text_of(app, "#exercise-instructions")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "$EDITOR is not set, so your own editor would be vi" in screen_text(app)
        await pilot.press("n")                       # stay in the built-in editor
        await pilot.pause()
        assert screen_name(app) == "ExerciseScreen"
        assert app.screen.focused is editor(app, "features.py")


async def test_after_a_pass_at_80_columns_the_solution_takes_the_codes_place_and_toggles(new_app):
    app = new_app(course=COURSE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_exercise(app, pilot)
        for name in ("features.py", "train.py", "serve.py"):
            editor(app, name).load_text((SOLUTION / name).read_text())
        assert (await save_and_check(app, pilot)).startswith("✓ All 9 checks pass.")
        solution = app.screen.query_one("#exercise-solution")
        code = app.screen.query_one("#exercise-code")
        assert solution.display and not code.display and solution.size.width >= 70
        await pilot.press("ctrl+l")                  # back to the code, full width
        await pilot.pause()
        assert code.display and not solution.display and code.size.width >= 70
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert solution.display and not code.display


async def test_checks_without_a_sandbox_are_announced_in_one_line(new_app, monkeypatch):
    from mlquiz.grading import grader

    monkeypatch.setattr(grader, "sandbox_problem", lambda: "bwrap cannot start here")
    app = new_app(course=COURSE)
    notes = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append((message, kw)))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_exercise(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
    (message, options), = [(m, o) for m, o in notes if "bwrap cannot start here" in m]
    import os

    if os.geteuid() == 0:  # as root such checks are refused, and the screen says so
        assert "checks are off here (bwrap cannot start here): the app runs as root" in message
    else:
        assert "run without a sandbox here (bwrap cannot start here)" in message
    assert options["severity"] == "warning"


async def test_the_last_pass_says_every_other_exercise_is_being_checked_again(new_app, tmp_path,
                                                                              monkeypatch):
    from mlquiz.tui.screens.exercise import ExerciseScreen
    from mlquiz.tui.widgets.check_results import CheckResults
    from tests.grading.conftest import CALC_FIXED, make_course

    course = make_course(tmp_path / "two", [{"id": "calc"}, {"id": "calc-two"}])
    shown = []
    real = CheckResults.rechecking

    def recording(self, done, total):
        real(self, done, total)
        shown.append((done, total, self.plain))
    monkeypatch.setattr(CheckResults, "rechecking", recording)
    app = new_app(course=course)
    async with app.run_test() as pilot:
        await pilot.pause()
        service = app.ctx.exercises
        (service.folder("calc") / "calc.py").write_text(CALC_FIXED)
        assert service.check("calc").result.passed
        app.push_screen(ExerciseScreen(app.ctx, "tiny-debt", service.open("calc-two")))
        await pilot.pause()
        app.screen.editors["calc.py"].load_text(CALC_FIXED)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert results(app).startswith("✓ All 3 checks pass.")
    assert [(done, total) for done, total, _ in shown] == [(0, 1)]
    assert shown[0][2].startswith("✓ That was the last one. Checking every other exercise again")
