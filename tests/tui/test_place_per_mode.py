"""Escape and re-enter: every mode reopens on the item the learner left, not on the first."""
from __future__ import annotations

import pytest

from .helpers import text_of


async def on_module_page(app, pilot) -> None:
    await pilot.pause()
    app.open_module("tiny-debt")
    await pilot.pause()


# mode, its key on the module page, keys that move two items on, what the title then says
CASES = [
    ("deep_dive", "1", ["right", "right"], "· 1. Step 1 title"),
    ("flashcards", "6", ["right", "right"], "card 3 of 3"),
    ("practice", "4", ["right", "right"], "question 3"),
    ("buildup", "2", ["b", "right", "b", "right"], "step 3 of 7"),
    ("myths", "3", ["y", "right"], "myth 2 of 2"),
    ("pitfalls", "8", ["c", "right"], "pitfall 2 of 2"),
]


@pytest.mark.parametrize("mode,key,moves,where", CASES, ids=[c[0] for c in CASES])
async def test_escape_and_reopen_from_the_module_page_keeps_the_place(new_app, mode, key, moves,
                                                                      where):
    app = new_app()
    async with app.run_test() as pilot:
        await on_module_page(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        for move in moves:
            await pilot.press(move)
            await pilot.pause()
        assert where in text_of(app, "#title-bar")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert app.screen.MODE_KEY == mode
        assert where in text_of(app, "#title-bar")


async def test_each_mode_keeps_its_own_place_while_another_is_used(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await on_module_page(app, pilot)
        await pilot.press("6", "right", "right", "escape")   # flashcards: card 3
        await pilot.pause()
        await pilot.press("4", "right", "escape")            # practice: question 2
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        assert "card 3 of 3" in text_of(app, "#title-bar")
        await pilot.press("escape", "4")
        await pilot.pause()
        assert "question 2 ·" in text_of(app, "#title-bar")
