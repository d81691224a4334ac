"""The review schedule over a real SQLite store, driven by a fake clock."""
from datetime import timedelta, timezone

import pytest
from fsrs import Rating, State

from mlquiz.quiz.items import catalogue
from mlquiz.quiz.recorder import Recorder
from mlquiz.quiz.scheduler import Scheduler, set_desired_retention
from mlquiz.errors import MlquizError

from .conftest import make_course, make_module, make_question

UTC = timezone.utc


def course_of(n_questions=8, cards=("card-1", "card-2")):
    module = make_module("m1", questions=tuple(make_question(f"q{i}", answer="B")
                                               for i in range(n_questions)),
                         myths=("myth-1",), cards=cards)
    return make_course(module, make_module("m2", questions=(make_question("other", answer="C"),)))


def make_recorder(store, clock, course):
    return Recorder.for_course(store, "ada", course, clock=clock, fuzz=False)


def expected_counts(scheduler, items, now):
    """Due counts computed from the cards themselves, day boundaries at UTC midnight."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    dues = [scheduler.card(i).due for i in items if scheduler.card(i) is not None]
    today = sum(d <= midnight for d in dues)
    return (sum(d <= now for d in dues), today,
            sum(d <= midnight + timedelta(days=1) for d in dues) - today,
            sum(d <= midnight + timedelta(days=6) for d in dues))


def test_a_simulated_learner_over_sixty_days(store, clock):
    course = course_of()
    rec = make_recorder(store, clock, course)
    sched = Scheduler(store, "ada", catalogue(course), now=clock, fuzz=False, tz=UTC)
    weak = "q0"  # answered wrong every third time it comes up; everything else right
    ids = [i for i in catalogue(course)]
    for item_id in ids:  # day 0: meet everything once
        item = rec.items[item_id]
        if item.self_rated:
            rec.rate_card(item_id, Rating.Good)
        else:
            rec.answer(item_id, item.answer, mode="practice")
    intervals: dict[str, list[timedelta]] = {i: [] for i in ids}
    weak_seen = 0
    for day in range(1, 61):
        clock.set(clock.now.replace(hour=9, minute=0) + timedelta(days=1))
        now = clock()
        counts = sched.due_counts(now)
        assert (counts.now, counts.today, counts.tomorrow, counts.this_week) == \
            expected_counts(sched, ids, now)
        queue = sched.queue(now)
        assert len(queue) == counts.now
        overdue = [now - sched.card(i.id).due for i in queue]
        assert overdue == sorted(overdue, reverse=True), "most overdue first"
        for item in queue:
            if item.self_rated:
                done = rec.rate_card(item.id, "good", mode="review")
                intervals[item.id].append(done.due - now)
                continue
            wrong = item.id == weak and weak_seen % 3 == 2
            if item.id == weak:
                weak_seen += 1
            done = rec.answer(item.id, "A" if wrong else item.answer, mode="review")
            if wrong:
                assert done.due - now <= timedelta(days=1), "a miss comes back within a day"
                assert done.rating == Rating.Again
            else:
                intervals[item.id].append(done.due - now)
    for item_id in ids:
        if item_id == weak:
            continue
        steps = intervals[item_id]
        assert len(steps) >= 3, item_id
        assert steps == sorted(steps), f"{item_id} intervals grow: {steps}"
        assert steps[-1] >= timedelta(days=14)
    assert weak_seen >= 4
    # after the run nothing is lost: one state per item met
    assert set(store.review_states("ada")) == set(ids)


def test_hint_rates_hard_and_a_shorter_interval_than_good(store, clock):
    course = course_of(2)
    rec = make_recorder(store, clock, course)
    for step in range(3):
        good = rec.answer("q0", "B", mode="review")
        hard = rec.answer("q1", "B", mode="review", hint_level=1)
        clock.advance(days=3)
    assert (good.rating, hard.rating) == (Rating.Good, Rating.Hard)
    assert hard.due < good.due


def test_due_counts_separate_now_today_tomorrow_and_this_week(store, clock):
    course = course_of(4)
    sched = Scheduler(store, "ada", catalogue(course), now=clock, tz=UTC)
    now = clock()  # 09:00 UTC
    import json
    for item, due in [("q0", now - timedelta(hours=1)), ("q1", now + timedelta(hours=5)),
                      ("q2", now + timedelta(days=1)), ("q3", now + timedelta(days=4)),
                      ("myth-1", now + timedelta(days=9))]:
        store.save_review_state("ada", item, json.dumps({}), due)
    counts = sched.due_counts()
    assert (counts.now, counts.today, counts.tomorrow, counts.this_week) == (1, 2, 1, 4)
    assert [i.id for i in sched.queue()] == ["q0"]


def test_a_clock_moved_backwards_keeps_the_review_state(store, clock):
    course = course_of(1)
    rec = make_recorder(store, clock, course)
    for _ in range(4):
        rec.answer("q0", "B", mode="review")
        clock.advance(days=5)
    before = rec.scheduler.card("q0")
    assert before.state == State.Review
    clock.advance(days=-40)  # the laptop's clock jumped back before the last review
    after = rec.answer("q0", "B", mode="review")
    card = Scheduler(store, "ada", now=clock).card("q0")  # read back from the database
    assert card.state == State.Review and card.stability >= before.stability
    assert card.last_review == before.last_review and card.due == after.due > before.last_review
    clock.advance(days=-400)
    missed = rec.answer("q0", "A", mode="review")
    card = Scheduler(store, "ada", now=clock).card("q0")
    assert card is not None and card.state == State.Relearning
    assert missed.due - before.last_review <= timedelta(days=1)


def test_desired_retention_is_a_learner_setting(store, clock):
    assert Scheduler(store, "ada").desired_retention == 0.9
    set_desired_retention(store, "ada", 0.95)
    assert Scheduler(store, "ada").desired_retention == 0.95
    with pytest.raises(MlquizError):
        set_desired_retention(store, "ada", 1.5)
    store.set_setting("ada", "desired_retention", "nonsense")
    assert Scheduler(store, "ada").desired_retention == 0.9


def test_higher_retention_brings_items_back_sooner(store, clock):
    course = course_of(1)
    dues = {}
    for learner, retention in (("ada", 0.8), ("bob", 0.97)):
        store.ensure_learner(learner)
        sched = Scheduler(store, learner, now=clock, desired_retention=retention, fuzz=False)
        for day in range(3):
            card = sched.record("q0", Rating.Good, at=clock() + timedelta(days=day * 3))
        dues[learner] = card.due
    assert dues["bob"] < dues["ada"]


def test_flashcard_ratings_accept_numbers_and_names_and_refuse_others(store, clock):
    rec = make_recorder(store, clock, course_of(1))
    assert rec.rate_card("card-1", 4).rating == Rating.Easy
    assert rec.rate_card("card-2", "again").rating == Rating.Again
    for bad in (0, 5, "great"):
        with pytest.raises(ValueError):
            rec.rate_card("card-1", bad)
    with pytest.raises(ValueError):
        rec.answer("card-1", "A", mode="review")
