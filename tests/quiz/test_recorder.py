"""Sessions that hold a recorder write the events the contract names, and schedule the item."""
import argparse
import io

from fsrs import Rating

from mlquiz.quiz.items import myth_letter
from mlquiz.quiz.practice_session import PracticeSession
from mlquiz.quiz.recorder import Recorder
from mlquiz.quiz.test_session import TestSession, pick_test_questions

from .conftest import make_course, make_module, make_question, make_step, mixed_module


def test_practice_with_a_hint_records_the_hint_and_rates_hard(store, clock):
    module = make_module(questions=(make_question("q1"), make_question("q2")))
    rec = Recorder.for_course(store, "ada", make_course(module), session_id=None, clock=clock)
    session = PracticeSession.from_events(module, store.events("ada"), recorder=rec)
    session.hint()
    session.hint()  # a second look is not a second event
    session.answer("B", time_spent_ms=1200)
    session.advance()
    session.answer("A")
    events = store.events("ada")
    assert [(e.kind, e.item, e.hint_level, e.correct) for e in events] == [
        ("hint_revealed", "q1", 1, None), ("question_answered", "q1", 1, True),
        ("question_answered", "q2", 0, False)]
    assert events[1].detail == {"mode": "practice", "difficulty": "easy", "certainty": None}
    assert events[1].time_spent_ms == 1200 and events[1].at == clock()
    assert store.review_states("ada").keys() == {"q1", "q2"}
    # the next practice round starts after q1, which was answered right
    assert PracticeSession.from_events(module, store.events("ada")).current.id == "q2"


def test_a_test_records_start_answers_with_certainty_and_the_finish(store, clock):
    module = mixed_module(easy=3, medium=4, hard=3)
    rec = Recorder.for_course(store, "ada", make_course(module), clock=clock)
    session = TestSession(module, pick_test_questions(module, rng=2), recorder=rec)
    for q in session.questions:
        session.answer(q.id, "B" if q.difficulty != "hard" else "C", certainty=2)
    result = session.finish()
    session.finish()  # recorded once
    events = store.events("ada")
    kinds = [e.kind for e in events]
    assert kinds == ["test_started"] + ["question_answered"] * 10 + ["test_finished"]
    assert events[0].detail["questions"] == [q.id for q in session.questions]
    assert {e.detail["test_id"] for e in events[1:11]} == {session.test_id}
    assert all(e.detail["mode"] == "test" and e.detail["certainty"] == 2 for e in events[1:11])
    finished = events[-1].detail
    assert (finished["score"], finished["total"], finished["verdict"]) == (7, 10, "developing")
    assert finished["by_difficulty"]["hard"] == {"right": 0, "total": 3, "verdict": "weak"}
    assert finished["cbm"] == {"total": 8, "mean": 0.8, "answers": 10}  # 7*2 - 3*2
    assert result.cbm_total == 8


def test_myths_predictions_and_pitfalls_record_their_own_kinds(store, clock):
    module = make_module(steps=(make_step("step-1", prediction=True),), myths=("myth-1",),
                         pitfalls=("pit-1",), cards=("card-1",))
    rec = Recorder.for_course(store, "ada", make_course(module), clock=clock)
    assert rec.answer("myth-1", myth_letter(False), mode="myths").correct
    assert not rec.answer("step-1", "C", mode="buildup").correct
    assert rec.answer("pit-1", "B", mode="pitfalls").rating == Rating.Good
    assert rec.rate_card("card-1", 2).rating == Rating.Hard
    assert [(e.kind, e.answer, e.detail["mode"]) for e in store.events("ada")] == [
        ("myth_answered", "B", "myths"), ("prediction_committed", "C", "buildup"),
        ("pitfall_answered", "B", "pitfalls"), ("card_reviewed", "hard", "flashcards")]


def test_review_without_plain_opens_the_app_on_the_review_screen(monkeypatch):
    from mlquiz.commands import app, review

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    seen = {}
    monkeypatch.setattr(app, "run", lambda args: seen.setdefault("start", args.start) and 0)
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("sys.stdout", Terminal())
    assert review.run(argparse.Namespace(plain=False)) == 0
    assert seen == {"start": "review"}
