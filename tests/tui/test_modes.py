"""Each study mode end to end: answer right, answer wrong, reveal, and what is saved."""
from __future__ import annotations

import pytest
from textual.widgets import Markdown

from .helpers import key_of, screen_name, screen_text, text_of, wrong_key


async def open_mode(app, pilot, key: str) -> None:
    await pilot.pause()
    app.open_screen("tiny-debt", key)
    await pilot.pause()


async def test_buildup_hides_the_explanation_until_the_prediction_is_committed(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "buildup")
        assert "Prediction prompt of step 1?" in screen_text(app)
        assert not app.screen.query("#step-explanation")
        right = key_of(app, "Choice two")   # choices are in ada's shuffled order
        await pilot.press(key_of(app, "Choice one"))   # wrong: the answer is Choice two
        await pilot.pause()
        assert f"Not quite: the answer is {right.upper()}, Choice two." in text_of(
            app, "#prediction-verdict")
        assert "Explanation text of step 1." in text_of(app, "#step-explanation")
        await pilot.press(right)            # a second answer to the same step does nothing
        await pilot.press("right")
        await pilot.pause()
        await pilot.press(key_of(app, "Choice two"))   # step 2, right
        await pilot.pause()
        assert "Your prediction was right." in text_of(app, "#prediction-verdict")
        await pilot.press("right")          # step 3 has no prediction: shown at once
        await pilot.pause()
        assert "Explanation text of step 3." in text_of(app, "#step-explanation")
        await pilot.press("left")
        await pilot.pause()
        assert "step 2 of 7" in text_of(app, "#title-bar")
    committed = [(e.item, e.answer, e.correct) for e in events("prediction_committed")]
    assert committed == [("step-1", "A", False), ("step-2", "B", True)]
    assert events("prediction_committed")[0].detail["mode"] == "buildup"


async def test_buildup_click_on_a_choice_commits_it(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "buildup")
        first = app.screen.query("ChoiceLine").first()
        authored = "ABC"[["Choice one", "Choice two", "Choice three"].index(
            first.plain.split("  ", 1)[1])]
        await pilot.click("ChoiceLine", offset=(4, 0))  # the first choice on screen
        await pilot.pause()
    assert [e.answer for e in events("prediction_committed")] == [authored]


async def test_myths_commit_then_reality(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "myths")
        assert not app.screen.query("#myth-reality")
        await pilot.press("y")               # myth 1 is false: "Yes" is wrong
        await pilot.pause()
        assert "Not quite. The answer is No." in text_of(app, "#myth-verdict")
        assert "Reality text 1." in text_of(app, "#myth-reality")
        assert "Why it matters text 1." in text_of(app, "#myth-why")
        await pilot.press("right", "y")      # myth 2 is true
        await pilot.pause()
        assert "Right. The answer is Yes." in text_of(app, "#myth-verdict")
    assert [(e.item, e.correct) for e in events("myth_answered")] == [
        ("myth-1", False), ("myth-2", True)]


async def test_practice_hint_wrong_answer_solution_then_next(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "practice")
        assert "no test required" in screen_text(app).lower()
        assert "Question 1 stem?" in screen_text(app)
        await pilot.press("h")
        await pilot.pause()
        assert "Hint text 1." in text_of(app, "#hint")
        right = key_of(app, "Option A").upper()
        await pilot.press(key_of(app, "Option B"))   # wrong: the answer is Option A
        await pilot.pause()
        assert f"the answer is {right}, Option A" in text_of(app, "#practice-verdict")
        assert "Feedback for B 1." in text_of(app, "#option-feedback")
        assert "Worked step text 1." in text_of(app, "#worked-solution")
        assert "Quick check text 1." in text_of(app, "#quick-check")
        assert "Common mistake text 1." in text_of(app, "#common-mistakes")
        await pilot.press("right")
        await pilot.pause()
        assert "Question 2 stem?" in screen_text(app)
        await pilot.press(key_of(app, "Option A"))   # right
        await pilot.pause()
        assert "Right." in text_of(app, "#practice-verdict")
        await pilot.press("right", "s")      # reveal without answering
        await pilot.pause()
        assert "Worked step text 3." in text_of(app, "#worked-solution")
    answered = events("question_answered")
    assert [(e.item, e.answer, e.correct, e.hint_level) for e in answered] == [
        ("q-1", "B", False, 1), ("q-2", "A", True, 0)]
    assert all(e.detail["mode"] == "practice" for e in answered)
    assert [e.item for e in events("hint_revealed")] == ["q-1"]
    assert [e.item for e in events("solution_revealed")] == ["q-3"]


async def test_practice_skip_moves_on_and_the_skipped_question_comes_back(new_app, events):
    app = new_app()
    async with app.run_test(notifications=True) as pilot:
        await open_mode(app, pilot, "practice")
        await pilot.press("x", "z", "9")     # keys with no meaning here do nothing
        await pilot.pause()
        assert "Question 1 stem?" in screen_text(app)
        await pilot.press("right")           # skip, unanswered
        await pilot.pause()
        assert "Question 2 stem?" in screen_text(app)
        assert "12 to go" in text_of(app, "#title-bar")
        for _ in range(11):                  # answer the other eleven right
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("right")
            await pilot.pause()
        assert "Question 1 stem?" in screen_text(app)   # the skipped one, last
    assert [e.item for e in events("question_answered")][0] == "q-2"
    assert "q-1" not in {e.item for e in events("question_answered")}


async def test_test_ten_questions_score_verdicts_and_what_to_revisit(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "test")
        assert "Recommended" in text_of(app, "#test-intro")
        await pilot.press("h")               # no hints in a test: nothing happens
        await pilot.press("enter")
        await pilot.pause()
        assert "question 1 of 10" in text_of(app, "#title-bar")
        for number in range(10):             # the first seven right, the last three wrong
            await pilot.press(key_of(app, "Option A") if number < 7 else wrong_key(app))
            await pilot.pause()
        score = text_of(app, "#test-score")
        assert "Score: 7 / 10" in score and "developing" in score
        assert "easy" in score and "medium" in score and "hard" in score
        misses = text_of(app, "#test-misses")
        assert misses.count("Revisit:") == 3 and "Step" in misses
    started, finished = events("test_started"), events("test_finished")
    assert len(started) == 1 and len(finished) == 1
    assert finished[0].detail["score"] == 7 and finished[0].detail["total"] == 10
    answers = events("question_answered")
    assert len(answers) == 10 and {e.detail["mode"] for e in answers} == {"test"}
    assert {e.detail["test_id"] for e in answers} == {started[0].detail["test_id"]}


async def test_test_with_certainty_shows_the_cbm_mark(new_app, events):
    app = new_app()
    async with app.run_test(notifications=True) as pilot:
        await open_mode(app, pilot, "test")
        assert "a wrong one costs 0, 2 or 6" in text_of(app, "#test-intro")   # the rule, in words
        await pilot.press("m", "enter")
        await pilot.pause()
        await pilot.press(key_of(app, "Option A"))   # picked, not committed until a certainty
        await pilot.pause()
        assert "How sure are you?" in text_of(app, "#certainty-prompt")
        assert events("question_answered") == []
        await pilot.press("3")
        await pilot.pause()
        for number in range(1, 10):          # nine more: right with 3, last one wrong with 3
            await pilot.press(key_of(app, "Option A") if number < 9 else wrong_key(app), "3")
            await pilot.pause()
        score = text_of(app, "#test-score")
        assert "Certainty-based mark: 21" in score                       # 9*3 - 6
        assert "Right answers earned 1-3 by how sure you said you were" in score
    assert [e.detail["certainty"] for e in events("question_answered")] == [3] * 10


async def test_test_left_half_way_resumes_on_the_same_question(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "test")
        await pilot.press("enter")
        for right in (True, True, False):
            await pilot.pause()
            await pilot.press(key_of(app, "Option A") if right else wrong_key(app))
        await pilot.pause()
        asked = text_of(app, "#question-stem")
        await pilot.press("q")
    again = new_app()
    async with again.run_test() as pilot:
        await pilot.press("enter")           # Continue
        await pilot.pause()
        assert screen_name(again) == "TestScreen"
        assert "3 of 10 answered" in text_of(again, "#test-offer")
        await pilot.press("enter")           # go on
        await pilot.pause()
        assert "question 4 of 10" in text_of(again, "#title-bar")
        assert text_of(again, "#question-stem") == asked
        for _ in range(7):
            await pilot.press(key_of(again, "Option A"))
            await pilot.pause()
        assert "Score: 9 / 10" in text_of(again, "#test-score")
    assert len(events("test_started")) == 1 and len(events("test_finished")) == 1


async def test_flashcards_flip_and_rate(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "flashcards")
        assert "Card front 1" in screen_text(app)
        await pilot.press("3")               # rating before flipping does nothing
        assert not app.screen.query("#card-back")
        await pilot.press("space")
        await pilot.pause()
        assert "Card back 1" in text_of(app, "#card-back")
        await pilot.press("3")               # Good -> next card
        await pilot.pause()
        assert "card 2 of 3" in text_of(app, "#title-bar")
        await pilot.press("space", "1")      # Again
        await pilot.pause()
    reviewed = events("card_reviewed")
    assert [(e.item, e.answer, e.correct) for e in reviewed] == [
        ("card-1", "good", True), ("card-2", "again", False)]
    assert set(app.ctx.store.review_states("ada")) == {"card-1", "card-2"}


async def test_pitfalls_wrong_approach_first_then_root_cause_then_fix(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "pitfalls")
        assert "Wrong approach text 1." in text_of(app, "#pitfall-wrong")
        assert not app.screen.query("#pitfall-correct")
        await pilot.press(key_of(app, "Cause three"))   # right (choices in ada's own order)
        await pilot.pause()
        assert "that is the root cause" in text_of(app, "#pitfall-verdict")
        assert "Correct approach text 1." in text_of(app, "#pitfall-correct")
        assert "Root cause text 1." in text_of(app, "#pitfall-root-cause")
        await pilot.press("right")
        await pilot.pause()
        right = key_of(app, "Cause three").upper()
        await pilot.press(key_of(app, "Cause one"))     # pitfall 2, wrong
        await pilot.pause()
        assert f"the root cause is {right}, Cause three" in text_of(app, "#pitfall-verdict")
    assert [(e.item, e.correct) for e in events("pitfall_answered")] == [
        ("pitfall-1", True), ("pitfall-2", False)]


async def test_cheat_sheet_on_one_screen_with_the_diagram_exact(new_app):
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_mode(app, pilot, "cheat_sheet")
        text = screen_text(app)
        for part in ("Core idea text.", "Analogy text.", "Takeaway one.", "Takeaway two.",
                     "When not to use text.", "Instead text."):
            assert part in text
        assert "| data| --> |model|" in text_of(app, "#cheat-diagram")
        diagram = app.screen.query_one("#cheat-diagram")
        assert diagram.content_region.height >= 3         # every line of it, none cut off
        for widget in app.screen.query("#cheat > *"):     # everything fits, no scrolling needed
            assert widget.region.bottom <= 40


async def test_deep_dive_renders_the_whole_lesson_and_jumps_by_contents(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "deep_dive")
        await app.workers.wait_for_complete()   # the rest renders in the background
        await pilot.pause()
        sections = app.screen.query(".lesson-section")
        assert len(sections) >= 7 + 4
        sources = "\n".join(w.source for w in app.screen.query(Markdown))
        assert "```text\n+-----+     +-----+\n| data| --> |model|\n+-----+     +-----+\n```" in sources
        await pilot.press("t")               # contents at 80 columns
        await pilot.pause()
        await pilot.press("down", "down", "enter")   # the third entry: step 1
        await pilot.pause()
        assert "1. Step 1 title" in text_of(app, "#title-bar")
        await pilot.press("right")
        await pilot.pause()
        assert "2. Step 2 title" in text_of(app, "#title-bar")
    assert [e.item for e in events("step_viewed")] == ["step-1", "step-2"]
    again = new_app()
    async with again.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(again) == "DeepDiveScreen"
        assert "2. Step 2 title" in text_of(again, "#title-bar")


async def test_every_mode_records_mode_opened(new_app, events):
    app = new_app()
    async with app.run_test() as pilot:
        for key in ("deep_dive", "buildup", "myths", "practice", "test", "flashcards",
                    "pitfalls", "cheat_sheet"):
            await open_mode(app, pilot, key)
    assert [e.detail["mode"] for e in events("mode_opened")] == [
        "deep_dive", "buildup", "myths", "practice", "test", "flashcards", "pitfalls",
        "cheat_sheet"]


RESUME_CASES = [
    # mode, keys that move to the second item, what the title bar says there
    ("myths", ["y", "right"], "myth 2 of 2"),
    ("pitfalls", ["c", "right"], "pitfall 2 of 2"),
    ("flashcards", ["space", "4"], "card 2 of 3"),
    ("practice", ["a", "right"], "question 2"),
    ("buildup", ["b", "right", "b", "right", "right"], "step 4 of 7"),
]


@pytest.mark.parametrize("key,keys,where", RESUME_CASES, ids=[c[0] for c in RESUME_CASES])
async def test_quit_and_resume_on_the_same_item(new_app, key, keys, where):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, key)
        await pilot.press(*keys)
        await pilot.pause()
        assert where in text_of(app, "#title-bar")
        await pilot.press("q")
    again = new_app()
    async with again.run_test() as pilot:
        await pilot.pause()
        assert screen_name(again) == "HomeScreen"
        await pilot.press("enter")           # Continue is focused
        await pilot.pause()
        assert again.screen.MODE_KEY == key
        assert where in text_of(again, "#title-bar")


async def test_an_answered_myth_shows_its_answer_again_after_a_restart(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "myths")
        await pilot.press("n")               # myth 1: No is right
        await pilot.pause()
    again = new_app()
    async with again.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Right. The answer is No." in text_of(again, "#myth-verdict")
        await pilot.press("y")               # committed already: a second answer is ignored
    assert [e.answer for e in again.ctx.store.events("ada", kind="myth_answered")] == ["B"]


async def test_flashcards_a_click_on_the_card_flips_it(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await open_mode(app, pilot, "flashcards")
        assert not app.screen.query("#card-back")
        await pilot.click("#card-front")
        await pilot.pause()
        assert "Card back 1" in text_of(app, "#card-back")
