"""Snapshots of the main screens at 80x24 and 120x40 (pytest-textual-snapshot).

Deterministic: fixed learner, clock and seed (conftest), no cursor blink.
Update after a deliberate change with `pytest tests/tui --snapshot-update`.
"""
from __future__ import annotations

import pytest

from .helpers import key_of, wrong_key

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # e.g. the wide home's side panel
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, new_app, size):
    app = new_app()
    assert snap_compare(app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_module_page(snap_compare, new_app, size):
    app = new_app()

    async def run_before(pilot):
        await pilot.pause()
        app.open_module("tiny-debt")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_buildup_after_a_wrong_prediction(snap_compare, new_app, size):
    app = new_app()

    async def run_before(pilot):
        await pilot.pause()
        app.open_screen("tiny-debt", "buildup")
        await pilot.pause()
        await pilot.press(key_of(app, "Choice one"))   # wrong, wherever ada sees it
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_practice_after_a_hint_and_a_wrong_answer(snap_compare, new_app, size):
    app = new_app()

    async def run_before(pilot):
        await pilot.pause()
        app.open_screen("tiny-debt", "practice")
        await pilot.pause()
        await pilot.press("h", key_of(app, "Option B"))   # wrong, wherever ada sees it
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_test_result(snap_compare, new_app, size):
    app = new_app()

    async def run_before(pilot):
        await pilot.pause()
        app.open_screen("tiny-debt", "test")
        await pilot.pause()
        await pilot.press("enter")
        for number in range(10):  # six right, four wrong, by what the options read
            await pilot.pause()
            await pilot.press(key_of(app, "Option A") if number < 6 else wrong_key(app))
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_home_in_the_light_theme(snap_compare, new_app):
    app = new_app()

    async def run_before(pilot):
        await pilot.pause()
        app.theme = "textual-light"
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
