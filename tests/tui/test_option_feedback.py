"""Per-option feedback wherever a learner answers a question: review and the test's after-view.

The fixture course's second module explains its option B on every question
("Feedback for B n."); its right answer is always "Option A". Options may be
shown shuffled, so keys are found by the text the learner reads.
"""
from __future__ import annotations

from datetime import timedelta

from .conftest import NOW
from .helpers import key_of, screen_name, text_of
from .test_review_screen import answer_earlier


async def test_review_says_why_the_wrong_option_picked_is_wrong(new_app, db_path):
    answer_earlier(db_path, (NOW - timedelta(days=2), "second-q-1", "B"))   # due again now
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_screen("second-module", "review")
        await pilot.pause()
        assert screen_name(app) == "ReviewScreen"
        await pilot.press(key_of(app, "Option B"))
        await pilot.pause()
        assert "Not this time" in text_of(app, "#review-verdict")
        assert text_of(app, "#review-option-feedback") == "**Why not:** Feedback for B 1."
        assert text_of(app, "#review-explanation") == "Final answer text 1."


async def test_review_shows_no_option_feedback_where_the_content_has_none(new_app, db_path):
    answer_earlier(db_path, (NOW - timedelta(days=2), "second-q-1", "B"))
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_screen("second-module", "review")
        await pilot.pause()
        await pilot.press(key_of(app, "Option A"))   # right, and A has no feedback of its own
        await pilot.pause()
        assert "Right" in text_of(app, "#review-verdict")
        assert not app.screen.query("#review-option-feedback")


async def test_the_tests_after_view_says_why_each_missed_choice_is_wrong(new_app):
    app = new_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        app.open_screen("second-module", "test")
        await pilot.pause()
        await pilot.press("enter")
        asked = []
        while app.screen.phase != "result":
            await pilot.pause()
            if app.screen.phase != "question":
                continue
            asked.append(app.screen.session.current.id)
            await pilot.press(key_of(app, "Option B"))
        await pilot.pause()
        misses = text_of(app, "#test-misses")
        assert asked, "the test asked nothing"
        for question_id in asked:
            number = question_id.rsplit("-", 1)[1]
            assert f"*Why not:* Feedback for B {number}." in misses, (question_id, misses)
        # the letters in the after-view are the ones shown on screen, never the feedback's
        assert misses.count("*Why not:*") == len(asked)


async def test_practice_says_why_the_wrong_option_picked_is_wrong(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_screen("second-module", "practice")
        await pilot.pause()
        number = app.screen.session.current.id.rsplit("-", 1)[1]
        await pilot.press(key_of(app, "Option B"))
        await pilot.pause()
        assert text_of(app, "#option-feedback") == f"Feedback for B {number}."
