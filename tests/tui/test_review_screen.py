"""Review mode: the due queue across kinds, answers through the recorder, nothing-due, resume.

The database is prepared by answering through `Recorder` with a fake clock
(days before the app's fixed NOW), exactly as earlier study sessions would.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import FIXTURE_COURSE, LEARNER, NOW
from .helpers import key_of, screen_name, screen_text, text_of


def answer_earlier(db_path, *answers) -> None:
    """Record `(when, item, letter_or_rating)` answers as past sessions would have."""
    from mlquiz.content import load_course
    from mlquiz.progress import ProgressStore
    from mlquiz.quiz.recorder import Recorder

    course = load_course(FIXTURE_COURSE)
    store = ProgressStore.open(db_path)
    try:
        store.ensure_learner(LEARNER)
        store.set_setting(LEARNER, "welcomed", "yes")
        for when, item, answer in answers:
            recorder = Recorder.for_course(store, LEARNER, course, clock=lambda when=when: when,
                                           fuzz=False)
            if isinstance(answer, int):
                recorder.rate_card(item, answer, mode="flashcards")
            else:
                recorder.answer(item, answer, mode="practice")
    finally:
        store.close()


def three_due_now(db_path) -> None:
    """q-2 (due since two days), myth-1 (one day), card-1 (hours) are due; q-3 is due
    tomorrow, card-2 later this week."""
    day = timedelta(days=1)
    answer_earlier(
        db_path,
        (NOW - 2 * day, "q-2", "B"),
        (NOW - day, "myth-1", "A"),
        (NOW - timedelta(hours=3), "card-1", 3),
        (NOW - day, "q-3", "A"),
        (NOW - day + timedelta(minutes=10), "q-3", "A"),
        (NOW - 2 * day, "card-2", 4),
    )


async def open_review(app, pilot) -> None:
    await pilot.pause()
    app.open_screen("tiny-debt", "review")
    await pilot.pause()


def review_events(events, kind):
    return [(e.item, e.answer, e.correct) for e in events(kind)
            if (e.detail or {}).get("mode") == "review"]


async def test_due_items_most_overdue_first_answered_right_wrong_and_rated(new_app, db_path, events):
    three_due_now(db_path)
    app = new_app()
    async with app.run_test() as pilot:
        await open_review(app, pilot)
        assert screen_name(app) == "ReviewScreen"
        assert text_of(app, "#review-counts") == "3 due now · 1 tomorrow · 5 this week"
        assert "3 to go" in text_of(app, "#title-bar")
        assert "Question 2 stem?" in screen_text(app)

        right = key_of(app, "Option A")            # options in ada's shuffled order
        await pilot.press(key_of(app, "Option B"))  # wrong: the answer is Option A
        await pilot.pause()
        assert f"the answer is {right.upper()}, Option A" in text_of(app, "#review-verdict")
        assert text_of(app, "#review-due").startswith("It comes back again in a minute or two")
        assert text_of(app, "#review-counts").startswith("2 due now")
        assert "2 to go" in text_of(app, "#title-bar")            # the two agree
        await pilot.press(right)                    # a second answer to the same item does nothing

        await pilot.press("right")
        await pilot.pause()
        assert "Myth question 1?" in screen_text(app)
        assert "2 to go" in text_of(app, "#title-bar")
        assert text_of(app, "#review-counts").startswith("2 due now")   # the two agree
        await pilot.press("n")                      # n = "No": right, the myth is false
        await pilot.pause()
        assert text_of(app, "#review-verdict") == "✔ Right."
        assert "Reality text 1." in text_of(app, "#review-explanation")
        assert text_of(app, "#review-due").startswith("It comes back ")

        await pilot.press("right")
        await pilot.pause()
        assert "Card front 1" in screen_text(app)
        await pilot.press("3")                      # rating before the flip does nothing
        await pilot.pause()
        assert not app.screen.query("#review-verdict")
        await pilot.press("space")
        await pilot.pause()
        assert "Card back 1" in text_of(app, "#review-back")
        await pilot.press("3")
        await pilot.pause()
        assert text_of(app, "#review-verdict") == "Rated Good."
        assert text_of(app, "#review-due").startswith("It comes back ")

        await pilot.press("right")
        await pilot.pause()
        assert "Done: 3 answered, 2 right." in text_of(app, "#review-empty")
        assert "Nothing is due for review right now." in text_of(app, "#review-empty")
        assert text_of(app, "#review-counts").startswith("0 due now")

    assert review_events(events, "question_answered") == [("q-2", "B", False)]
    assert review_events(events, "myth_answered") == [("myth-1", "B", True)]
    cards = [e for e in events("card_reviewed") if e.detail.get("mode") == "review"]
    assert [(e.item, e.answer, e.detail["rating"]) for e in cards] == [("card-1", "good", 3)]


async def test_a_click_on_a_choice_answers_it(new_app, db_path, events):
    three_due_now(db_path)
    app = new_app()
    async with app.run_test() as pilot:
        await open_review(app, pilot)
        first = app.screen.query("#review-choices ChoiceLine").first()
        picked = "ABCD"["ABCD".index(first.plain.split("  ", 1)[1][-1])]  # "Option C" -> C
        await pilot.click("#review-choices ChoiceLine", offset=(4, 0))   # the first on screen
        await pilot.pause()
        assert text_of(app, "#review-verdict") == ("✔ Right." if picked == "A" else
                                                   text_of(app, "#review-verdict"))
    assert review_events(events, "question_answered") == [("q-2", picked, picked == "A")]


async def test_nothing_due_says_when_and_offers_a_practice_round(new_app, db_path, events):
    answer_earlier(db_path, (NOW - timedelta(days=2), "card-2", 4))   # due in about a week
    app = new_app()
    async with app.run_test() as pilot:
        await open_review(app, pilot)
        text = text_of(app, "#review-empty")
        assert "Nothing is due for review right now." in text
        assert "The next item falls due on " in text and "(in 6 days)" in text
        await pilot.press("a")                      # no item: a choice key does nothing
        await pilot.press("enter")
        await pilot.pause()
        assert "Practice round · 5 to go" in text_of(app, "#title-bar")
        await pilot.press(key_of(app, "Option A"))
        await pilot.pause()
        assert text_of(app, "#review-verdict") == "✔ Right."
    practice = [(e.item, e.detail["mode"]) for e in events("question_answered")]
    assert practice == [("q-1", "practice")]


async def test_a_learner_who_never_answered_is_told_nothing_is_scheduled(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await open_review(app, pilot)
        assert "No item is scheduled yet" in text_of(app, "#review-empty")
        await pilot.click("#review-back-button")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"


async def test_quit_and_resume_on_the_same_item(new_app, db_path):
    three_due_now(db_path)
    app = new_app()
    async with app.run_test() as pilot:
        await open_review(app, pilot)
        await pilot.press(key_of(app, "Option A"), "right")   # q-2 done; myth-1 on screen
        await pilot.pause()
        assert "Myth question 1?" in screen_text(app)
        await pilot.press("q")
    again = new_app()
    async with again.run_test() as pilot:
        await pilot.pause()
        await pilot.press("c")                      # Continue where you left off
        await pilot.pause()
        assert screen_name(again) == "ReviewScreen"
        assert "Myth question 1?" in screen_text(again)
        assert "2 to go" in text_of(again, "#title-bar")


async def test_fits_80x24_and_uses_width_at_120x40(new_app, db_path):
    three_due_now(db_path)
    for size, wide in (((80, 24), False), ((120, 40), True)):
        app = new_app()
        async with app.run_test(size=size) as pilot:
            await open_review(app, pilot)
            choices = app.screen.query_one("#review-choices")
            assert choices.region.bottom <= size[1] - 1       # above the footer
            assert choices.region.width > 0
            assert app.screen.has_class("-wide") is wide
            prompt = app.screen.query_one("#review-prompt")
            assert (prompt.region.x >= 12) is wide


async def test_a_hint_is_recorded_and_a_right_answer_after_it_rates_hard(new_app, db_path, events):
    three_due_now(db_path)
    app = new_app()
    async with app.run_test() as pilot:
        await open_review(app, pilot)
        await pilot.press("h")                      # q-2 has a hint
        await pilot.pause()
        assert "Hint text 2." in text_of(app, "#review-hint")
        await pilot.press(key_of(app, "Option A"))
        await pilot.pause()
        assert text_of(app, "#review-verdict") == "✔ Right."
    assert [(e.item, e.detail["mode"]) for e in events("hint_revealed")] == [("q-2", "review")]
    answered = [e for e in events("question_answered") if e.detail["mode"] == "review"]
    assert [(e.item, e.hint_level) for e in answered] == [("q-2", 1)]


async def test_opened_without_a_module_it_reviews_the_whole_course(new_app, db_path):
    from mlquiz.tui.screens.review import ReviewScreen

    three_due_now(db_path)
    answer_earlier(db_path, (NOW - timedelta(days=3), "second-myth-1", "A"))
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.push_screen(ReviewScreen(app.ctx))
        await pilot.pause()
        assert "Myth question 1?" in screen_text(app)        # the other module's, most overdue
        assert "4 to go · Second module" in text_of(app, "#title-bar")


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"),
                                  pytest.param((120, 40), id="120x40")])
def test_snapshot_after_a_wrong_answer(snap_compare, new_app, db_path, size):
    three_due_now(db_path)
    app = new_app()

    async def run_before(pilot):
        await open_review(app, pilot)
        await pilot.press(key_of(app, "Option B"))
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
