"""What a new learner walking the app noticed: keys with one meaning, home's ↓, clean cuts."""
from __future__ import annotations

import pytest

from .helpers import screen_name, text_of


def all_screen_classes():
    from mlquiz.tui.app import MlquizApp
    from mlquiz.tui.modes import MODES, load_screen
    from mlquiz.tui.screens.exercise import ExerciseScreen
    from mlquiz.tui.screens.home import HomeScreen
    from mlquiz.tui.screens.module import ModuleScreen
    from mlquiz.tui.screens.progress import ProgressScreen

    return [MlquizApp, HomeScreen, ModuleScreen, ProgressScreen, ExerciseScreen,
            *(load_screen(m.key) for m in MODES)]


def bindings_of(cls):
    for binding in cls.BINDINGS:
        for key in binding.key.split(","):
            yield key.strip(), binding


def test_one_meaning_per_key_across_screens():
    actions: dict[str, set[str]] = {}
    for cls in all_screen_classes():
        for key, binding in bindings_of(cls):
            actions.setdefault(key, set()).add(binding.action.split("(")[0])
    assert actions["n"] <= {"choose", "yes_no"}          # n is "no", never "next"
    assert actions["p"] == {"app.progress"}              # p is Progress, never "previous"
    assert actions["right"] == {"next"} and actions["left"] == {"previous"}
    assert "1" not in {k for cls in all_screen_classes() for k, b in bindings_of(cls)
                       if b.action.startswith("choose")}  # digits rate or say how sure, never pick
    labels = {b.description for cls in all_screen_classes() for _k, b in bindings_of(cls)}
    assert not labels & {"Sure 1-3", "Pick / rate", "Prev", "Answer"}


async def test_the_footer_offers_no_choice_keys_on_a_step_without_a_prediction(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_screen("tiny-debt", "buildup", "step-3")   # step 3 has no prediction
        await pilot.pause()
        assert "step 3 of 7" in text_of(app, "#title-bar")
        enabled = {key for key, b in app.screen.active_bindings.items() if b.enabled}
        assert "a" not in enabled and "right" in enabled


async def test_home_down_from_continue_reaches_the_module_list_and_enter_opens_it(new_app):
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "continue"
        await pilot.press("down")
        await pilot.pause()
        modules = app.screen.query_one("#modules")
        assert app.focused is modules and modules.index == 0
        assert modules.highlighted_child.has_class("-highlight")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen" and app.screen.module_id == "second-module"


@pytest.mark.parametrize("width", [60, 80])
async def test_text_that_does_not_fit_ends_in_an_ellipsis_between_words(new_app, width):
    from mlquiz.tui.widgets.fit import FitText

    app = new_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        app.open_screen("tiny-debt", "buildup")
        await pilot.pause()
        title = app.screen.query_one("#title-bar")
        long = "Tiny debt › Build-up · a very long place name that cannot possibly fit in the bar"
        title.update(long)
        await pilot.pause()
        shown = str(title.render())
        assert shown.endswith("…") and len(shown) <= title.content_size.width
        assert long.startswith(shown[:-1]) and long[len(shown) - 1] == " "
        row = FitText("Technical debt in ML systems, the whole story")
        await app.screen.mount(row)
        row.styles.width = 20
        await pilot.pause()
        cut = str(row.render())
        assert cut == "Technical debt in…"
