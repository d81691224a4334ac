"""Numeric questions in Practice, the Test and Review at 80x24: typed, checked, recorded once."""
from __future__ import annotations

import pytest

from .helpers import key_of, screen_text, text_of
from .numeric_course import numeric_course

SIZE = (80, 24)


async def open_mode(app, pilot, key: str) -> None:
    await pilot.pause()
    app.open_screen("tiny-debt", key)
    await pilot.pause()


async def type_and_enter(pilot, text: str) -> None:
    input_ = pilot.app.screen.query_one("#number-input")
    input_.value = ""
    input_.focus()
    if text:
        await pilot.press(*list(text))
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", [SIZE, (120, 40)])
async def test_practice_takes_a_typed_number_and_refuses_what_is_not_one(new_app, events, tmp_path,
                                                                         size):
    app = new_app(course=numeric_course(tmp_path))
    async with app.run_test(size=size) as pilot:
        await open_mode(app, pilot, "practice")
        assert "What is the PSI of the four bins?" in screen_text(app)
        await type_and_enter(pilot, "abc")
        assert "'abc' is not a number" in text_of(app, "#number-error")
        await type_and_enter(pilot, "")
        assert "No number typed" in text_of(app, "#number-error")
        await type_and_enter(pilot, "0,23")
        assert "is not a number" in text_of(app, "#number-error")
        assert events("question_answered") == []        # none of those is an answer
        await type_and_enter(pilot, "h")                  # h alone: the hint
        assert "Numeric hint text." in text_of(app, "#hint")
        await type_and_enter(pilot, "-0.228")
        verdict = text_of(app, "#practice-verdict")
        assert "you typed -0.228" in verdict and "0.2282 (± 0.005)" in verdict
        assert "Sign flipped feedback." in text_of(app, "#option-feedback")
        assert "Numeric worked step." in text_of(app, "#worked-solution")
        await pilot.press("right")
        await pilot.pause()
        assert "What is the latency threshold?" in screen_text(app)
        await type_and_enter(pilot, "211ms")             # within 1%, units typed
        assert "Right: 209.74 ms" in text_of(app, "#practice-verdict")
    answered = events("question_answered")
    assert [(e.item, e.answer, e.correct, e.hint_level) for e in answered] == [
        ("q-num-psi", "-0.228", False, 1), ("q-num-latency", "211", True, 0)]
    assert answered[1].detail["typed"] == "211ms" and answered[1].detail["value"] == 211.0
    assert all(e.detail["answer_type"] == "number" for e in answered)


async def test_the_test_takes_numbers_with_certainty_and_its_result_shows_value_right_and_why(
        new_app, events, tmp_path):
    app = new_app(course=numeric_course(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await open_mode(app, pilot, "test")
        await pilot.press("m")                        # certainty marking on
        await pilot.press("enter")
        await pilot.pause()
        assert "What is the PSI of the four bins?" in screen_text(app)   # easy first
        await type_and_enter(pilot, "1e")
        assert "'1e' is not a number" in text_of(app, "#number-error")
        await type_and_enter(pilot, "-0.23")
        assert "You typed -0.23. How sure are you?" in text_of(app, "#certainty-prompt")
        await pilot.press("3")                        # sure, and wrong: -6
        await pilot.pause()
        assert "What is the latency threshold?" in screen_text(app)
        await type_and_enter(pilot, "209.7 MS")        # units in any case
        await pilot.press("2")                        # right: +2
        await pilot.pause()
        assert "Lettered question stem?" in screen_text(app)   # a lettered one still works
        await pilot.press(key_of(app, "Option A"), "1")
        await pilot.pause()
        score = text_of(app, "#test-score")
        assert "Certainty-based mark" in score
        misses = text_of(app, "#test-misses")
        assert "you typed **-0.23**" in misses and "0.2282 (± 0.005)" in misses
        assert "Sign flipped feedback." in misses
        assert "latency" not in misses
    answered = events("question_answered")
    assert [(e.item, e.answer, e.correct, e.detail["certainty"]) for e in answered] == [
        ("q-num-psi", "-0.23", False, 3), ("q-num-latency", "209.7", True, 2),
        ("q-choice", "A", True, 1)]
    assert all(e.detail["mode"] == "test" for e in answered)
    finished = events("test_finished")[0].detail
    assert finished["misses"] == ["q-num-psi"] and finished["cbm"]["total"] == -6 + 2 + 1


def answered_days_ago(db_path, course, item: str, typed: str) -> None:
    """A numeric answer recorded two days before the app's NOW, so the item is due now."""
    from datetime import timedelta

    from mlquiz.content import load_course
    from mlquiz.progress import ProgressStore
    from mlquiz.quiz.recorder import Recorder

    from .conftest import LEARNER, NOW

    store = ProgressStore.open(db_path)
    try:
        store.ensure_learner(LEARNER)
        store.set_setting(LEARNER, "welcomed", "yes")
        recorder = Recorder.for_course(store, LEARNER, load_course(course),
                                       clock=lambda: NOW - timedelta(days=2), fuzz=False)
        recorder.answer(item, typed, mode="practice")
    finally:
        store.close()


async def test_review_asks_a_due_numeric_item_as_a_number(new_app, db_path, events, tmp_path):
    course = numeric_course(tmp_path)
    answered_days_ago(db_path, course, "q-num-latency", "150")
    app = new_app(course=course)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_screen("tiny-debt", "review")
        await pilot.pause()
        assert "What is the latency threshold?" in screen_text(app)
        await type_and_enter(pilot, "fast")
        assert "'fast' is not a number" in text_of(app, "#number-error")
        await type_and_enter(pilot, "h")
        assert "Latency hint." in text_of(app, "#review-hint")
        await type_and_enter(pilot, "196 ms")
        assert "you typed 196; the answer is 209.74 ms (± 1%)" in text_of(app, "#review-verdict")
        assert "One deviation feedback." in text_of(app, "#review-option-feedback")
        assert text_of(app, "#review-due").startswith("It comes back again")
    reviewed = [(e.item, e.answer, e.correct, e.hint_level) for e in events("question_answered")
                if e.detail["mode"] == "review"]
    assert reviewed == [("q-num-latency", "196", False, 1)]
