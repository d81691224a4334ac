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


# --- build-up ---------------------------------------------------------------------------


def nav(app, step_id: str) -> str:
    return text_of(app, f"#nav-label-{step_id}")


async def test_a_prediction_passed_without_a_word_is_not_ticked_and_the_learner_is_told(
        new_app, events):
    app = new_app()
    async with app.run_test(notifications=True) as pilot:
        await open_mode(app, pilot, "buildup")
        await pilot.press("right")               # step 1's prediction left open
        await pilot.pause()
        assert "step 2 of 7" in text_of(app, "#title-bar")
        assert not nav(app, "step-1").startswith("✓"), nav(app, "step-1")
        assert nav(app, "step-1").startswith("?")
        said = " ".join(str(n.message) for n in app._notifications)
        assert "prediction" in said and "come back" in said
        await pilot.press("left")                # back: still open, still hidden
        await pilot.pause()
        assert not app.screen.query("#step-explanation")
        await pilot.press(key_of(app, "Choice two"))
        await pilot.pause()
        assert nav(app, "step-1").startswith("✓")
    app = new_app()                              # a restart shows the same marks
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "buildup")
        assert nav(app, "step-1").startswith("✓")
        assert nav(app, "step-2").startswith("?"), "seen, its prediction left: waiting"
        assert nav(app, "step-3").startswith("·"), "never seen"
    assert [(e.item, e.answer, e.correct) for e in events("prediction_committed")] == [
        ("step-1", "B", True)]


async def test_showing_the_answer_without_predicting_is_a_recorded_choice(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "buildup")
        await pilot.press("s")
        await pilot.pause()
        assert "The answer is" in text_of(app, "#prediction-verdict")
        assert "Choice two" in text_of(app, "#prediction-verdict")
        assert "Explanation text of step 1." in text_of(app, "#step-explanation")
        assert nav(app, "step-1").startswith("○")
        await pilot.press("a")                   # no commit after seeing the answer
        await pilot.pause()
    assert events("prediction_committed") == []
    shown = events("solution_revealed")
    assert [(e.item, e.detail["mode"]) for e in shown] == [("step-1", "buildup")]
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "buildup")
        assert nav(app, "step-1").startswith("○")
        assert "Explanation text of step 1." in text_of(app, "#step-explanation")


# --- shuffled options ----------------------------------------------------------------------


def _letters_on_screen(app) -> list[str]:
    from mlquiz.tui.widgets.choices import ChoiceLine

    from .helpers import plain

    return [plain(line).split("  ", 1)[1] for line in app.screen.query(ChoiceLine)]


async def test_practice_shows_the_learners_order_and_records_the_authored_letter(new_app, events):
    from mlquiz.quiz.shuffle import shown_order

    order = shown_order("ada", "q-1", 4)
    assert order != "ABCD", "the fixture learner's order for q-1 must be shuffled"
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "practice")
        assert _letters_on_screen(app) == [f"Option {a}" for a in order]
        right_key = key_of(app, "Option A")
        wrong = next(k for k in "abcd" if k != right_key)
        await pilot.press(wrong)
        await pilot.pause()
        verdict = text_of(app, "#practice-verdict")
        assert f"the answer is {right_key.upper()}, Option A" in verdict
    answered = events("question_answered")
    assert answered[0].answer == order["abcd".index(wrong)]
    assert answered[0].detail["shown_order"] == order


async def test_buildup_predictions_are_shuffled_too(new_app, events):
    from mlquiz.quiz.shuffle import shown_order

    order = shown_order("ada", "step-1", 3)
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "buildup")
        authored = ["Choice one", "Choice two", "Choice three"]
        assert _letters_on_screen(app) == [authored["ABC".index(a)] for a in order]
        await pilot.press(key_of(app, "Choice two"))
        await pilot.pause()
    assert [e.answer for e in events("prediction_committed")] == ["B"]


async def test_the_last_step_names_the_predictions_still_waiting(new_app):
    app = new_app()
    async with app.run_test(notifications=True) as pilot:
        await open_mode(app, pilot, "buildup")
        for _ in range(7):
            await pilot.press("right")
            await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any("last step" in m and "step 1, 2" in m for m in said), said
