import pytest

from mlquiz.quiz.practice_session import PracticeSession, answered_right_in_practice

from .conftest import make_module, make_question

from types import SimpleNamespace


def three():
    return make_module(questions=tuple(make_question(q, answer="B") for q in ("q1", "q2", "q3")))


def test_right_answers_leave_the_round_and_wrong_ones_come_back_last():
    session = PracticeSession(three())
    assert session.current.id == "q1"
    fb = session.answer("A")
    assert not fb.correct and fb.right_letter == "B" and fb.chosen_feedback == "A is wrong for q1"
    assert session.advance().id == "q2"
    session.answer("B")
    assert session.advance().id == "q3"
    session.answer("b")
    assert session.advance().id == "q1" and session.remaining == 1
    session.answer("B")
    assert session.advance() is None and session.done


def test_feedback_carries_everything_the_screen_shows_after_an_answer():
    session = PracticeSession(three())
    fb = session.answer("C")
    assert [o.letter for o in fb.options] == ["A", "B", "C", "D"]
    assert [o.right for o in fb.options] == [False, True, False, False]
    assert [o.chosen for o in fb.options] == [False, False, True, False]
    assert fb.right_option == "q1 option 2"
    assert [s.title for s in fb.solution] == ["Think"]
    assert (fb.final_answer, fb.quick_check, fb.common_mistakes, fb.general_feedback) == (
        "Final q1", "Check q1", ("Mistake q1",), "General q1")
    assert session.last_feedback == fb


def test_hint_use_is_tracked_per_question():
    session = PracticeSession(three())
    assert session.hint() == "Hint for q1"
    assert session.hint_used() and session.answer("B").hint_used
    session.advance()
    assert not session.hint_used() and not session.answer("B").hint_used


def test_questions_already_answered_right_in_practice_are_skipped():
    events = [SimpleNamespace(kind="question_answered", item="q1", correct=True, module="mod",
                              detail={"mode": "practice"}),
              SimpleNamespace(kind="question_answered", item="q2", correct=True, module="mod",
                              detail={"mode": "test"}),
              SimpleNamespace(kind="question_answered", item="q3", correct=False, module="mod",
                              detail={"mode": "practice"})]
    assert answered_right_in_practice(events) == {"q1"}
    session = PracticeSession.from_events(three(), events, start_at="q3")
    assert session.current.id == "q3" and session.remaining == 2


def test_an_answer_that_is_not_an_option_is_refused():
    session = PracticeSession(three())
    with pytest.raises(ValueError):
        session.answer("E")
