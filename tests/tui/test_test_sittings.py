"""A test sitting grades exactly what was shown, survives escape, and ends only on purpose."""
from __future__ import annotations

import asyncio

from textual import events as textual_events

from .helpers import key_of, screen_name, screen_text, text_of, wrong_key


async def on_module_page(app, pilot) -> None:
    await pilot.pause()
    app.open_module("tiny-debt")
    await pilot.pause()


def burst(app, *keys: str) -> None:
    """Keys typed faster than the screen redraws (one terminal read holding them all)."""
    chars = {"enter": "\r", "escape": "\x1b"}
    for key in keys:
        app.post_message(textual_events.Key(key, chars.get(key, key)))


async def settle(pilot, times: int = 4) -> None:
    for _ in range(times):
        await pilot.pause()


async def answer_shown(app, pilot, count: int, right: bool = True) -> list[str]:
    """Answer `count` questions by what is on screen; the stems shown, in order."""
    stems = []
    for _ in range(count):
        await pilot.pause()
        stems.append(text_of(app, "#question-stem"))
        await pilot.press(key_of(app, "Option A") if right else wrong_key(app))
    await pilot.pause()
    return stems


async def test_keys_typed_before_the_test_screen_is_drawn_start_nothing_unseen(new_app, events,
                                                                                db_path):
    """Enter, enter on the module page (open the recommended test, start it) typed in one go.

    Before the fix the second enter could start a test while the screen was still
    drawing its intro: test_started was recorded for questions never shown, and
    the intro then dropped that session. Now a key that arrives before the screen
    shows something is ignored, so every recorded test is one the learner saw.
    """
    for gap in range(0, 10):
        app = new_app()
        async with app.run_test() as pilot:
            await on_module_page(app, pilot)
            app.post_message(textual_events.Key("enter", "\r"))
            for _ in range(gap):
                await asyncio.sleep(0)
            app.post_message(textual_events.Key("enter", "\r"))
            await settle(pilot)
            assert screen_name(app) == "TestScreen"
            shown = screen_text(app)
            started = events("test_started")
            if started:  # the second enter started it: its first question is what is on screen
                first = app.screen.module.question(started[-1].detail["questions"][0])
                assert "question 1 of 10" in text_of(app, "#title-bar"), (gap, shown)
                assert text_of(app, "#question-stem") == first.stem, gap
            else:  # it arrived too early and was ignored: the intro waits for enter
                assert "Press enter to start" in shown, (gap, shown)
            assert len(started) <= 1, gap    # never a second, silent one
            await pilot.press("q")
        for path in db_path.parent.glob(db_path.name + "*"):  # a new learner for the next timing
            path.unlink()


async def test_shown_recorded_and_scored_questions_are_one_list(new_app, events):
    """Answer 4, leave, reopen with 5 and enter: the test goes on; every id agrees."""
    app = new_app()
    async with app.run_test() as pilot:
        await on_module_page(app, pilot)
        await pilot.press("5", "enter")
        shown = await answer_shown(app, pilot, 4)
        burst(app, "escape")                   # asks; l leaves it for later
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        burst(app, "5", "enter")               # the keys, typed fast
        await settle(pilot)
        assert "question 5 of 10" in text_of(app, "#title-bar")
        shown += await answer_shown(app, pilot, 6)
        score = text_of(app, "#test-score")
        assert "Score: 10 / 10" in score and "easy    3 / 3" in score
    (started,) = events("test_started")
    (finished,) = events("test_finished")
    ids = started.detail["questions"]
    module = app.ctx.course.module("tiny-debt")
    assert [module.question(i).stem for i in ids] == shown
    answers = [e for e in events("question_answered") if e.detail["test_id"] == finished.detail["test_id"]]
    assert [e.item for e in answers] == ids
    assert finished.detail["score"] == 10 and finished.detail["misses"] == []


async def test_escape_mid_test_asks_and_leave_keeps_it_for_resume(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await on_module_page(app, pilot)
        await pilot.press("5", "enter")
        await answer_shown(app, pilot, 4)
        waiting = text_of(app, "#question-stem")
        await pilot.press("escape")
        await pilot.pause()
        assert "Leave this test? You have answered 4 of 10" in screen_text(app)
        await pilot.press("escape")            # stay
        await pilot.pause()
        assert text_of(app, "#question-stem") == waiting
        await pilot.press("escape", "l")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"
        await pilot.press("5")
        await pilot.pause()
        assert "You left a test half way: 4 of 10 answered" in text_of(app, "#test-offer")
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app, "#question-stem") == waiting
    assert events("test_abandoned") == [] and events("test_finished") == []


async def test_ending_a_test_on_purpose_records_it_as_abandoned(new_app, events):
    app = new_app()
    async with app.run_test(notifications=True) as pilot:
        await on_module_page(app, pilot)
        await pilot.press("5", "enter")
        await answer_shown(app, pilot, 3)
        await pilot.press("escape", "e")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"
        await pilot.press("5")
        await pilot.pause()
        assert "Press enter to start" in text_of(app, "#test-intro")   # nothing to resume
    (started,) = events("test_started")
    (abandoned,) = events("test_abandoned")
    assert abandoned.detail == {"test_id": started.detail["test_id"], "answered": 3, "total": 10,
                                "questions": started.detail["questions"], "reason": "ended"}
    assert events("test_finished") == []


async def test_the_resume_offer_ends_the_test_only_after_a_yes(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await on_module_page(app, pilot)
        await pilot.press("5", "enter")
        await answer_shown(app, pilot, 2)
        await pilot.press("escape", "l", "5")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert "End this test? 2 of 10 are answered" in screen_text(app)
        await pilot.press("n")                 # keep it
        await pilot.pause()
        assert "You left a test half way" in text_of(app, "#test-offer")
        assert events("test_abandoned") == []
        await pilot.press("e", "y")
        await pilot.pause()
        assert "Press enter to start" in text_of(app, "#test-intro")
    assert len(events("test_abandoned")) == 1


async def test_options_are_shuffled_per_learner_and_the_authored_letter_is_recorded(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await on_module_page(app, pilot)
        await pilot.press("5", "enter")
        orders = []
        for _ in range(10):
            await pilot.pause()
            orders.append(app.screen.session.orders[app.screen.session.current.id])
            await pilot.press(key_of(app, "Option A"))
        await pilot.pause()
    assert any(order[0] != "A" for order in orders)        # the right option is not always first
    answers = events("question_answered")
    assert {e.answer for e in answers} == {"A"} and all(e.correct for e in answers)
    assert [e.detail["shown_order"] for e in answers] == orders
    from mlquiz.quiz.shuffle import shown_order

    assert orders == [shown_order("ada", e.item, 4) for e in answers]   # stable for ada
    assert any(shown_order("bob", e.item, 4) != o for e, o in zip(answers, orders))
