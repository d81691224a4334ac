"""First start, home, quitting at any point and resuming on the same screen and item."""
from __future__ import annotations

from textual.widgets import Button, Input

from .conftest import LEARNER
from .helpers import screen_name, screen_text, text_of


async def test_first_start_asks_the_name_and_shows_the_keys(new_app, events):
    app = new_app(learner=None, welcomed=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen_name(app) == "WelcomeScreen"
        keys = text_of(app, "#welcome-keys")
        assert "ctrl+p" in keys and "quit" in keys and "flip a flashcard" in keys
        assert isinstance(app.focused, Input)
        await pilot.press("enter")  # an empty name is refused, nothing breaks
        await pilot.pause()
        assert screen_name(app) == "WelcomeScreen"
        await pilot.press(*"ada", "enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        assert "ada" in text_of(app, "#title-bar")
    assert app.ctx.store.learner(LEARNER) is not None


async def test_the_second_start_goes_home_with_continue_focused(new_app):
    app = new_app(learner=None, welcomed=False)
    async with app.run_test() as pilot:
        await pilot.press(*"ada", "enter")
        await pilot.pause()
    again = new_app(learner=None, welcomed=False)  # no --learner: the last learner is used
    async with again.run_test() as pilot:
        await pilot.pause()
        assert screen_name(again) == "HomeScreen"
        assert isinstance(again.focused, Button) and again.focused.id == "continue"


async def test_home_lists_modules_with_progress_and_due_count(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Tiny debt" in text and "Second module" in text
        assert "Nothing due for review today." in text
        assert "Start here: Tiny debt" in str(app.screen.query_one("#continue", Button).label)


async def test_quit_in_buildup_resumes_on_the_same_step(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")          # Start here -> build-up, step 1
        await pilot.pause()
        assert screen_name(app) == "BuildupScreen"
        await pilot.press("b", "right", "b", "right")  # two predictions, on to step 3
        await pilot.pause()
        assert "step 3 of 7" in text_of(app, "#title-bar")
        await pilot.press("q")
    assert [e.item for e in events("step_viewed")] == ["step-1", "step-2", "step-3"]

    again = new_app()
    async with again.run_test() as pilot:
        await pilot.pause()
        assert screen_name(again) == "HomeScreen"
        label = str(again.screen.query_one("#continue", Button).label)
        assert "Build-up" in label and "Step 3 title" in label
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(again) == "BuildupScreen"
        assert "step 3 of 7" in text_of(again, "#title-bar")
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(again) == "ModuleScreen"   # back goes to the module page


async def test_ctrl_c_loses_nothing(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "b")
        await pilot.pause()
        await pilot.press("ctrl+c")
    committed = events("prediction_committed")
    assert [(e.item, e.answer, e.correct) for e in committed] == [("step-1", "B", True)]


async def test_start_option_opens_a_named_screen(new_app):
    app = new_app(start="myths")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert screen_name(app) == "MythsScreen"


async def test_typing_a_name_with_q_does_not_quit(new_app):
    app = new_app(learner=None, welcomed=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"quinn?", "backspace", "enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        assert app.ctx.learner == "quinn"


async def test_the_session_starts_with_the_app_and_every_event_belongs_to_it(new_app, db_path):
    from datetime import timedelta

    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert [s.learner for s in app.ctx.store.active_sessions(within=timedelta(days=1))] == \
            [LEARNER]  # open from the start (the live room view sees the learner) ...
        await pilot.press("enter")  # Start here -> build-up, step 1
        await pilot.pause()
        session = app.ctx.session_id
        await pilot.press("q")
    from mlquiz.progress import ProgressStore

    store = ProgressStore.open(db_path)
    assert session is not None
    assert {e.session_id for e in store.events(LEARNER)} == {session}
    assert store.active_sessions(within=timedelta(days=1)) == []  # ... and ended on quit
    store.close()
