"""The first screen of a served tab: a name, the workshop code, and a name already in use."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from mlquiz.progress import ProgressStore
from mlquiz.progress.identity import people
from mlquiz.workshop.gate import CodeGate, LocalGate
from mlquiz.workshop.serve import CODE_HASH_ENV, hash_code

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"
CODE = "cedar-otter-plum"


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """Stable frames; tests/conftest.py keeps the developer's data out."""
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "room.db"


@pytest.fixture
def served_app(tmp_path, db, monkeypatch):
    """A browser tab's app, as `mlquiz serve` starts it (code hash in the environment)."""

    def build(*, code: str | None = CODE, welcomed: tuple[str, ...] = ()):
        from mlquiz.tui.app import make_app

        if code:
            monkeypatch.setenv(CODE_HASH_ENV, hash_code(code))
        with ProgressStore.open(db) as store:
            for name in welcomed:
                store.set_setting(name, "welcomed", "yes")
        return make_app(FIXTURE_COURSE, db, None, tmp_path / "room-ws", served=True)

    return build


def screen_name(app) -> str:
    return type(app.screen).__name__


def message(app) -> str:
    return str(app.screen.query_one("#profile-message", Static).content)


async def type_into(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def test_a_served_tab_starts_on_the_profile_screen_even_when_the_room_has_learners(
        served_app, db):
    with ProgressStore.open(db) as store:
        store.record("grace", "step_viewed", module="tiny-debt", item="step-1")
    app = served_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert screen_name(app) == "ProfileScreen"
        assert app.ctx.learner == ""  # not the room's last learner
        assert app.screen.query("#profile-code")  # off loopback a code is asked


async def test_a_wrong_code_is_refused_without_naming_what_was_wrong(served_app, db):
    app = served_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#profile-name", "ada")
        await type_into(pilot, "#profile-code", "cedar-otter-plun")  # one letter off
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ProfileScreen"
        text = message(app)
        assert "does not open this room" in text
        for hint in ("cedar", "plum", "letter", "last", "first", "name"):
            assert hint not in text.lower()
        assert app.screen.query_one("#join", Button).disabled
        assert app.screen.query_one("#profile-code", Input).value == ""
    with ProgressStore.open(db) as store:
        assert store.learners() == []  # nobody joined


async def test_repeated_wrong_codes_lock_for_longer_and_a_right_code_waits_out_the_lock(
        served_app, db):
    app = served_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        now = [1000.0]  # the gate's clock: time passes when the test says so
        screen.gate = LocalGate(CodeGate(hash_code(CODE), clock=lambda: now[0]))
        await type_into(pilot, "#profile-name", "ada")
        for wrong, wait in enumerate([1, 2, 4, 8], start=1):
            await type_into(pilot, "#profile-code", "wrong")
            await pilot.press("enter")
            await pilot.pause()
            assert screen.locked and screen.query_one("#join", Button).disabled
            assert f"try again in {wait} s" in message(app)
            assert screen.query_one("#profile-code", Input).value == ""
            if wrong < 4:
                now[0] += wait  # the lock runs out
                screen._tick()
                assert not screen.locked
        # The right code during the lock is not looked at: it waits, counting down.
        now[0] += 3
        await type_into(pilot, "#profile-code", CODE)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ProfileScreen"
        assert "tried in 5 s" in message(app)
        now[0] += 2
        screen._tick()
        assert "tried in 3 s" in message(app)
        now[0] += 3
        screen._tick()  # the wait is over: the kept code is tried
        await pilot.pause()
        assert screen_name(app) == "WelcomeScreen"


async def test_a_name_typed_in_another_case_joins_as_the_learner_first_typed(served_app, db):
    with ProgressStore.open(db) as store:
        store.set_setting("EVE", "welcomed", "yes")
    app = served_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#profile-name", "eve")
        await type_into(pilot, "#profile-code", CODE)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"  # EVE was welcomed already
        assert app.ctx.learner == "EVE"
    with ProgressStore.open(db) as store:
        assert people(store) == ["EVE"]  # ("@..." names are the room's own timelines)


async def test_the_right_code_continues_home_as_that_learner(served_app, db, tmp_path):
    app = served_app(welcomed=("ada",))
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#profile-name", "ada")
        await pilot.press("enter")  # on to the code field
        await pilot.pause()
        assert app.focused.id == "profile-code"
        await pilot.press(*"Cedar Otter Plum", "enter")  # case and spaces do not matter
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        assert app.ctx.learner == "ada"
        # ada's own folder in this room: the room database's uuid, then her name's key
        assert app.ctx.workspace == tmp_path / "room-ws" / app.ctx.store.database_id / "ada"
    with ProgressStore.open(db) as store:
        assert people(store) == ["ada"]


async def test_on_loopback_no_code_is_asked(served_app):
    app = served_app(code=None)
    async with app.run_test(size=(100, 30)) as pilot:
        assert not app.screen.query("#profile-code")
        await type_into(pilot, "#profile-name", "ada")
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "WelcomeScreen"  # a new learner sees the keys first


async def test_a_name_another_tab_is_using_asks_whether_it_is_the_same_person(served_app, db):
    with ProgressStore.open(db) as store:
        store.start_session("ada", client="tui")  # another tab, still open
        store.set_setting("ada", "welcomed", "yes")
    app = served_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#profile-name", "ada")
        await type_into(pilot, "#profile-code", CODE)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "SameNameScreen"
        assert "already learning as ada" in str(app.screen.query_one("#same-name-text").content)
        await pilot.click("#same-no")
        await pilot.pause()
        assert screen_name(app) == "ProfileScreen"
        assert "ada is taken" in message(app)
        assert app.focused.id == "profile-name"
        await pilot.press("enter")  # the same name again: asked again
        await pilot.pause()
        assert screen_name(app) == "SameNameScreen"
        await pilot.click("#same-yes")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        assert app.ctx.learner == "ada"


async def test_a_name_whose_tab_was_closed_is_not_asked_about(served_app, db):
    with ProgressStore.open(db) as store:
        store.end_session(store.start_session("ada", client="tui"))
        store.set_setting("ada", "welcomed", "yes")
    app = served_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#profile-name", "ada")
        await type_into(pilot, "#profile-code", CODE)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"


async def test_until_a_name_and_code_are_accepted_the_tab_is_only_the_gate(served_app, db):
    """ctrl+p once reached course screens with no learner and crashed the tab (StoreError)."""
    with ProgressStore.open(db) as store:
        store.record("grace", "step_viewed", module="tiny-debt", item="step-1")
    app = served_app(welcomed=("ada",))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ("ctrl+p", "question_mark", "ctrl+t", "q", "escape", "ctrl+c"):
            await pilot.press(key)
            await pilot.pause()
            assert screen_name(app) == "ProfileScreen", key
            assert app.is_running and app.return_code is None, key
        await app.run_action("app.command_palette")  # a click on the Footer's key
        await app.run_action("app.progress")
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack][1:] == ["ProfileScreen"]
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not shown & {"quit", "help", "toggle_theme", "command_palette"}
        await type_into(pilot, "#profile-name", "ada")
        await type_into(pilot, "#profile-code", CODE)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen" and app.ctx.learner == "ada"
        await pilot.press("l")  # a tab is one learner: no switching
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        assert "l" not in app.screen.active_bindings
        await pilot.press("ctrl+p")  # once in, the palette works (without learner switching)
        await pilot.pause()
        assert screen_name(app) == "CommandPalette"


async def test_a_name_of_only_punctuation_is_refused(served_app):
    app = served_app(code=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#profile-name", "---")
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ProfileScreen"
        assert "at least one letter or digit" in message(app)
        assert app.ctx.store.learners() == []


async def test_names_a_slug_merged_get_folders_of_their_own(served_app, tmp_path):
    folders = []
    for name in ("Eve Smith", "eve-smith"):
        app = served_app(code=None)
        async with app.run_test(size=(100, 30)) as pilot:
            await type_into(pilot, "#profile-name", name)
            await pilot.press("enter")
            await pilot.pause()
            assert app.ctx.learner == name
            folders.append(app.ctx.workspace)
    assert folders[0] != folders[1]
    assert [f.name for f in folders] == ["eve%20smith", "eve-smith"]
