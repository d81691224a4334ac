"""Mastery follows the rule written in mlquiz/quiz/mastery.py and the README."""
from mlquiz.quiz.mastery import concept_masteries, concept_mastery, module_mastery
from mlquiz.quiz.recorder import Recorder
from mlquiz.quiz.test_session import TestSession

from .conftest import make_course, make_module, make_question, make_step


def setup(store, clock):
    module = make_module(
        "m1",
        questions=(make_question("q0", "easy", answer="B", tags=("step-a",)),
                   make_question("q1", "medium", answer="B", tags=("step-a",)),
                   make_question("q2", "hard", answer="B", tags=("concept-x",)),
                   make_question("q3", "easy", answer="B", tags=("concept-x",))),
        steps=(make_step("step-a"),), concepts=("concept-x",), myths=("myth-1",),
        cards=("card-1",), card_tags=("concept-x",),
    )
    rec = Recorder.for_course(store, "ada", make_course(module), clock=clock, fuzz=False)
    return module, rec


def levels(store, module):
    events = store.events("ada")
    return (module_mastery(events, module).level,
            concept_mastery(events, module, "step-a").level,
            concept_mastery(events, module, "concept-x").level)


def take_test(module, rec, wrong=()):
    session = TestSession(module, list(module.questions), recorder=rec)
    for q in module.questions:
        session.answer(q.id, "A" if q.id in wrong else "B")
    return session.finish()


def test_levels_climb_with_right_answers_tests_and_reviews(store, clock):
    module, rec = setup(store, clock)
    assert levels(store, module) == ("not started", "not started", "not started")

    rec.answer("q0", "B", mode="practice")
    assert levels(store, module) == ("attempted", "attempted", "not started")

    rec.answer("q1", "B", mode="practice")
    assert levels(store, module)[1] == "proficient"  # every item right, none reviewed yet

    for qid in ("q2", "q3"):
        rec.answer(qid, "B", mode="practice")
    rec.answer("myth-1", "B", mode="myths")
    assert levels(store, module)[0] == "familiar"    # 5 of 6 items right (>= 70%); card unmet
    rec.rate_card("card-1", "again")
    m = module_mastery(store.events("ada"), module)
    assert (m.level, m.right, m.answered, m.total) == ("familiar", 5, 6, 6)   # 5/6 >= 70%
    clock.advance(minutes=20)
    rec.rate_card("card-1", "hard")
    assert levels(store, module) == ("proficient", "proficient", "proficient")

    clock.advance(days=1)
    result = take_test(module, rec, wrong=("q2",))     # 3/4 = 75%, and q2 now wrong
    assert result.score == 3
    assert levels(store, module) == ("familiar", "proficient", "attempted")  # concept-x: 2 of 3
    rec.answer("q2", "B", mode="practice")
    assert levels(store, module)[0] == "proficient"   # last test 75% < 90%

    clock.advance(days=1)
    take_test(module, rec)                              # 4/4
    assert module_mastery(store.events("ada"), module).level == "mastered"

    clock.advance(days=3)
    for qid in ("q0", "q1"):
        rec.answer(qid, "B", mode="review")
    assert levels(store, module)[1:] == ("mastered", "proficient")

    clock.advance(days=5)
    rec.answer("q1", "C", mode="review")               # a miss drops both at once
    events = store.events("ada")
    assert module_mastery(events, module).level == "familiar"
    assert concept_mastery(events, module, "step-a").level == "attempted"
    assert list(concept_masteries(events, module)) == ["step-a", "concept-x"]


def test_a_test_alone_does_not_master_a_module_with_unmet_items(store, clock):
    module, rec = setup(store, clock)
    take_test(module, rec)
    m = module_mastery(store.events("ada"), module)
    assert (m.level, m.last_test) == ("attempted", 1.0)  # 4 of 6 items (< 70%): myth, card unmet
