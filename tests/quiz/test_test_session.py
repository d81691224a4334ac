from collections import Counter

import pytest

from mlquiz.quiz.test_session import TestSession, allocate, pick_test_questions

from .conftest import make_module, make_question, make_step, mixed_module


def mix(questions):
    return Counter(q.difficulty for q in questions)


def test_pick_keeps_the_3_4_3_mix_when_enough_questions_exist():
    picked = pick_test_questions(mixed_module(easy=6, medium=6, hard=6), rng=1)
    assert len(picked) == 10
    assert mix(picked) == {"easy": 3, "medium": 4, "hard": 3}
    assert [q.difficulty for q in picked] == ["easy"] * 3 + ["medium"] * 4 + ["hard"] * 3


def test_pick_adapts_the_mix_to_what_exists():
    picked = pick_test_questions(mixed_module(easy=8, medium=2, hard=1), rng=1)
    assert mix(picked) == {"easy": 7, "medium": 2, "hard": 1}
    small = pick_test_questions(mixed_module(easy=2, medium=1, hard=0), rng=1)
    assert len(small) == 3


def test_allocation_of_a_shorter_test_keeps_proportions():
    assert allocate({"easy": 9, "medium": 9, "hard": 9}, 5) == {"easy": 2, "medium": 2, "hard": 1}


def test_pick_prefers_questions_not_seen_before():
    module = mixed_module(easy=6, medium=6, hard=6)
    unseen = {f"mod-easy-{i}" for i in range(4)} | {"mod-medium-0", "mod-medium-1"} | {
        f"mod-hard-{i}" for i in range(4)}
    seen = {q.id for q in module.questions} - unseen
    for seed in range(5):
        picked = pick_test_questions(module, seen_ids=seen, rng=seed)
        assert mix(picked) == {"easy": 3, "medium": 4, "hard": 3}
        repeated = [q for q in picked if q.id in seen]
        # only medium runs out of unseen questions: 2 unseen + 2 seen
        assert mix(repeated) == {"medium": 2}
        assert {"mod-medium-0", "mod-medium-1"} <= {q.id for q in picked}


def test_pick_is_reproducible_with_a_seed_and_varies_between_seeds():
    module = mixed_module(easy=6, medium=6, hard=6)
    ids = lambda seed: [q.id for q in pick_test_questions(module, rng=seed)]
    assert ids(3) == ids(3)
    assert len({tuple(ids(s)) for s in range(6)}) > 1


def test_result_scores_verdicts_cbm_and_misses_with_the_step_to_revisit():
    questions = (
        [make_question(f"e{i}", "easy", answer="A", tags=("concept-x", "step-a")) for i in range(3)]
        + [make_question(f"m{i}", "medium", answer="A", tags=("concept-x",)) for i in range(4)]
        + [make_question(f"h{i}", "hard", answer="A") for i in range(3)]
    )
    module = make_module(questions=tuple(questions), steps=(make_step("step-a"),),
                         concepts=("concept-x",))
    session = TestSession(module, pick_test_questions(module, rng=0))
    certainty = {"e0": 3, "e1": 3, "e2": 3, "m0": 2, "m1": 2, "m2": 2, "m3": 1, "h0": 3, "h1": 1, "h2": 1}
    answers = {"e0": "A", "e1": "A", "e2": "A", "m0": "A", "m1": "A", "m2": "B", "m3": "C",
               "h0": "B", "h1": "A", "h2": "C"}
    for question in list(session.questions):  # in the order shown
        letter = answers[question.id]
        assert session.answer(question.id, letter, certainty=certainty[question.id]) == (letter == "A")
    result = session.result()
    assert (result.score, result.total) == (6, 10)
    assert {d: (s.right, s.total, s.verdict) for d, s in result.by_difficulty.items()} == {
        "easy": (3, 3, "strong"), "medium": (2, 4, "developing"), "hard": (1, 3, "weak")}
    assert result.verdict == "developing"
    # right: 3+3+3 +2+2 +1 = 14; wrong: m2 -2, m3 0, h0 -6, h2 0 = -8
    assert result.cbm_total == 6 and result.cbm_mean == 0.6
    revisit = {m.question_id: (m.revisit, m.revisit_kind) for m in result.misses}
    assert revisit == {"m2": ("concept-x", "concept"), "m3": ("concept-x", "concept"),
                       "h0": ("", None), "h2": ("", None)}
    assert {m.question_id: m.chosen for m in result.misses} == {"m2": "B", "m3": "C", "h0": "B", "h2": "C"}


def test_the_step_wins_over_a_concept_listed_before_it():
    module = make_module(questions=(make_question("q", tags=("concept-x", "step-a")),),
                         steps=(make_step("step-a"),), concepts=("concept-x",))
    session = TestSession(module, list(module.questions))
    session.answer("q", "A")
    miss = session.result().misses[0]
    assert (miss.revisit, miss.revisit_kind, miss.revisit_title) == ("step-a", "step", "Title step-a")


def test_no_cbm_without_certainty_and_unanswered_questions_are_misses():
    module = mixed_module(easy=2, medium=0, hard=0)
    session = TestSession(module, list(module.questions))
    session.answer(module.questions[0].id, "B")
    result = session.result()
    assert result.cbm_total is None and result.cbm_mean is None
    assert (result.score, result.total) == (1, 2)
    assert [m.chosen for m in result.misses] == [None]


def test_each_question_is_answered_once_with_a_real_option():
    module = mixed_module(easy=1, medium=0, hard=0)
    session = TestSession(module, list(module.questions))
    qid = module.questions[0].id
    with pytest.raises(ValueError):
        session.answer(qid, "F")
    with pytest.raises(ValueError):
        session.answer(qid, "A", certainty=5)
    session.answer(qid, "b")
    with pytest.raises(ValueError):
        session.answer(qid, "A")
    assert session.done and session.result().score == 1


def test_only_the_question_being_shown_can_be_answered():
    module = mixed_module(easy=3, medium=0, hard=0)
    session = TestSession(module, list(module.questions))
    first, second, _ = session.questions
    with pytest.raises(ValueError, match="not the question being shown"):
        session.answer(second.id, "B")          # not on screen yet
    session.answer(first.id, "B")
    assert session.current is second


def test_a_test_rebuilt_from_its_events_has_exactly_the_recorded_questions(store, clock):
    from mlquiz.quiz.recorder import Recorder
    from mlquiz.quiz.test_session import open_test_id

    from .conftest import make_course

    module = mixed_module(easy=4, medium=4, hard=4)
    rec = Recorder.for_course(store, "ada", make_course(module), clock=clock)
    session = TestSession(module, pick_test_questions(module, rng=3), recorder=rec, learner="ada")
    for q in session.questions[:4]:
        session.answer_shown(q.id, "A")
    events = store.events("ada")
    assert open_test_id(events) == session.test_id
    again = TestSession.from_events(module, events, session.test_id, recorder=rec, learner="ada")
    assert [q.id for q in again.questions] == [q.id for q in session.questions]
    assert again.orders == session.orders and again.answered == 4 and not again.closed
    assert again.current.id == session.questions[4].id
    again.abandon()
    again.abandon()                             # once
    events = store.events("ada")
    (abandoned,) = [e for e in events if e.kind == "test_abandoned"]
    assert abandoned.detail == {"test_id": session.test_id, "answered": 4, "total": 10,
                                "questions": [q.id for q in session.questions], "reason": "ended"}
    assert open_test_id(events) is None
    closed = TestSession.from_events(module, events, session.test_id, recorder=rec)
    assert closed.abandoned and closed.recorder is None
    with pytest.raises(ValueError):
        closed.finish()                         # an abandoned test has no score


def test_shown_letters_map_to_authored_ones_and_both_are_recorded(store, clock):
    from mlquiz.quiz.recorder import Recorder
    from mlquiz.quiz.shuffle import shown_letter

    from .conftest import make_course

    module = mixed_module(easy=3, medium=0, hard=0)
    rec = Recorder.for_course(store, "ada", make_course(module), clock=clock)
    session = TestSession(module, list(module.questions), recorder=rec, learner="ada")
    for q in session.questions:
        order = session.orders[q.id]
        assert session.shown_options(q.id) == [q.options["ABCD".index(a)] for a in order]
        assert session.answer_shown(q.id, shown_letter(order, q.answer)) is True
    answers = [e for e in store.events("ada") if e.kind == "question_answered"]
    assert [e.answer for e in answers] == [q.answer for q in session.questions]   # authored
    assert [e.detail["shown_order"] for e in answers] == [session.orders[q.id] for q in session.questions]
    started = next(e for e in store.events("ada") if e.kind == "test_started")
    assert started.detail["shown_orders"] == session.orders


def test_the_test_prefers_questions_not_met_in_practice_while_the_pool_allows():
    module = mixed_module(easy=6, medium=6, hard=6)
    practised = {f"mod-easy-{i}" for i in range(3)} | {f"mod-medium-{i}" for i in range(2)}
    for seed in range(5):
        picked = {q.id for q in pick_test_questions(module, practised_ids=practised, rng=seed)}
        assert not picked & practised           # 3 easy and 4 medium are left unpractised
    more = {f"mod-medium-{i}" for i in range(6)} - {"mod-medium-5"}
    picked = pick_test_questions(module, practised_ids=more, rng=0)
    medium = [q.id for q in picked if q.difficulty == "medium"]
    assert medium[0] == "mod-medium-5" and len(medium) == 4   # the pool runs short: practised fill in
