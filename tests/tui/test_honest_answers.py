"""Honest answers on screen: a hint stays revealed, a passed prediction is not a done step,
and options are shuffled per learner in Practice, Review and Build-up too."""
from __future__ import annotations

from datetime import timedelta

from .conftest import NOW
from .helpers import key_of, screen_text, text_of
from .test_review_screen import answer_earlier, open_review


async def open_mode(app, pilot, key: str) -> None:
    await pilot.pause()
    app.open_screen("tiny-debt", key)
    await pilot.pause()


# --- hints ---------------------------------------------------------------------------


async def test_a_practice_hint_stays_revealed_after_escape_and_the_answer_records_it(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "practice")
        await pilot.press("h")
        await pilot.pause()
        assert "Hint text 1." in text_of(app, "#hint")
        await pilot.press("escape")
        await open_mode(app, pilot, "practice")
        assert "Question 1 stem?" in screen_text(app)
        assert "Hint text 1." in text_of(app, "#hint"), "the hint is still on screen"
        await pilot.press("h")              # nothing more to reveal: no second event
        await pilot.press(key_of(app, "Option A"))
        await pilot.pause()
    assert [e.item for e in events("hint_revealed")] == ["q-1"]
    assert [(e.item, e.correct, e.hint_level) for e in events("question_answered")] == [
        ("q-1", True, 1)]


async def test_a_practice_hint_stays_revealed_after_a_restart(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "practice")
        await pilot.press("h")
        await pilot.pause()
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "practice")
        assert "Hint text 1." in text_of(app, "#hint")
        await pilot.press(key_of(app, "Option A"), "right")
        await pilot.pause()
        assert not app.screen.query("#hint"), "the next question starts without a hint"
    assert [e.hint_level for e in events("question_answered")] == [1]


async def test_a_review_hint_stays_revealed_after_escape_and_rates_the_answer_hard(
        new_app, db_path, events):
    answer_earlier(db_path, (NOW - timedelta(days=2), "q-2", "B"))
    app = new_app()
    async with app.run_test() as pilot:
        await open_review(app, pilot)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("escape")
        await open_review(app, pilot)
        assert "Hint text 2." in text_of(app, "#review-hint")
        await pilot.press(key_of(app, "Option A"))
        await pilot.pause()
    answered = [e for e in events("question_answered") if e.detail["mode"] == "review"]
    assert [(e.item, e.correct, e.hint_level) for e in answered] == [("q-2", True, 1)]
