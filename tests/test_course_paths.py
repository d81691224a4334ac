"""Every path that crosses modules, on the real shipped course (all its modules).

One learner works in more than one module; each part must keep the modules
apart where a learner expects it (mastery, the test, its statistics, the
progress table) and bring them together where a learner expects that (the
review queue, the export).
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.cli import main
from mlquiz.content import load_course
from mlquiz.paths import builtin_course_dir
from mlquiz.progress import ProgressStore
from mlquiz.quiz.items import catalogue
from mlquiz.quiz.mastery import module_mastery
from mlquiz.quiz.recorder import Recorder
from mlquiz.quiz.scheduler import Scheduler
from mlquiz.quiz.test_session import TestSession, pick_test_questions

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
LEARNER = "ada"


@pytest.fixture(scope="module")
def course():
    return load_course(builtin_course_dir(), use_cache=False)


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "progress.db") as store:
        store.ensure_learner(LEARNER)
        yield store


def recorder(store, course, at=NOW) -> Recorder:
    return Recorder.for_course(store, LEARNER, course, clock=lambda: at, fuzz=False)


def wrong_letter(question) -> str:
    return next(letter for letter in "ABCD"[: len(question.options)] if letter != question.answer.upper())


def test_the_shipped_course_has_more_than_one_module(course):
    assert len(course.modules) >= 2, "these tests are about paths between modules"
    assert all(m.questions for m in course.modules), [m.id for m in course.modules if not m.questions]


def test_review_brings_missed_items_of_every_module_into_one_queue(store, course):
    rec = recorder(store, course)
    missed = [m.questions[0] for m in course.modules]
    for question in missed:
        rec.answer(question.id, wrong_letter(question), mode="practice")
    queue = Scheduler(store, LEARNER, catalogue(course), now=lambda: NOW + timedelta(days=1),
                      fuzz=False).queue()
    assert {item.id for item in queue} == {q.id for q in missed}
    assert {item.module for item in queue} == {m.id for m in course.modules}
    assert store.count_due(LEARNER, NOW + timedelta(days=1)) == len(course.modules)


def test_mastery_counts_each_module_on_its_own(store, course):
    first, second = course.modules[0], course.modules[1]
    rec = recorder(store, course)
    for question in second.questions[:3]:
        rec.answer(question.id, question.answer, mode="practice")
    events = store.events(LEARNER)
    in_second = module_mastery(events, second)
    in_first = module_mastery(events, first)
    assert (in_second.right, in_second.answered) == (3, 3)
    assert (in_first.right, in_first.answered) == (0, 0)
    assert in_first.level == "not started" and in_second.level != "not started"


def take_a_test(store, course, module, right: int) -> TestSession:
    """A finished test of `module`, the first `right` questions answered right."""
    questions = pick_test_questions(module, n=10, rng=7)
    session = TestSession(module, questions, recorder=recorder(store, course))
    for i, question in enumerate(questions):
        if question.is_numeric:  # typed: the right value, or one far outside its tolerance
            value = question.number.value
            session.answer(question.id, f"{value if i < right else value * 10 + 1:g}")
            continue
        session.answer(question.id, question.answer if i < right else wrong_letter(question))
    session.finish()
    return session


def test_a_test_draws_only_its_own_modules_questions(course):
    for module in course.modules:
        own = {q.id for q in module.questions}
        picked = pick_test_questions(module, n=10, rng=3)
        assert picked and {q.id for q in picked} <= own, module.id
        assert len(picked) == min(10, len(own))


def test_test_scores_and_statistics_stay_with_their_module(store, course, tmp_path):
    from mlquiz.workshop.collect import collect
    from mlquiz.workshop.report import build_report

    first, second = course.modules[0], course.modules[1]
    session = take_a_test(store, course, second, right=6)
    result = session.result()
    assert (result.module, result.score, result.total) == (second.id, 6, len(session.questions))
    best = store.best_scores(LEARNER)
    assert set(best) == {second.id}
    report = build_report(collect([store.path]), course)
    assert report.module(second.id).tests_analysed == 1
    rows = report.module(second.id).questions
    assert {row.id for row in rows} == {q.id for q in session.questions}
    assert all(row.module == second.id for row in rows)
    assert report.module(first.id) is None or report.module(first.id).tests_analysed == 0


def test_progress_json_has_one_row_per_module_with_its_own_counts(store, course, capsys):
    first, second = course.modules[0], course.modules[1]
    rec = recorder(store, course)
    rec.answer(first.questions[0].id, first.questions[0].answer, mode="practice")
    for question in second.questions[:2]:
        rec.answer(question.id, wrong_letter(question), mode="practice")
    take_a_test(store, course, second, right=4)
    path = store.path
    store.close()
    assert main(["progress", "--json", "--db", str(path), "--course", str(builtin_course_dir())]) == 0
    rows = {row["module"]: row for row in json.loads(capsys.readouterr().out)["modules"]}
    assert list(rows) == [m.id for m in course.modules]
    for module in course.modules:
        assert rows[module.id]["questions_total"] == len(module.questions), module.id
        assert rows[module.id]["steps_total"] == len(module.lesson.steps), module.id
    assert rows[first.id]["questions_answered"] == 1 and rows[first.id]["answers_right"] == 1
    assert rows[first.id]["best_test_score"] is None
    assert rows[second.id]["best_test_score"] == 4
    assert rows[second.id]["questions_answered"] >= 2


def test_the_progress_table_names_every_module(store, course, capsys):
    rec = recorder(store, course)
    question = course.modules[-1].questions[0]
    rec.answer(question.id, question.answer, mode="practice")
    path = store.path
    store.close()
    assert main(["progress", "--db", str(path), "--course", str(builtin_course_dir())]) == 0
    out = capsys.readouterr().out
    for module in course.modules:
        assert module.title in out or module.id in out, module.id


def test_export_carries_the_answers_of_every_module(store, course, capsys):
    rec = recorder(store, course)
    for module in course.modules:
        question = module.questions[0]
        rec.answer(question.id, question.answer, mode="practice")
    path = store.path
    store.close()
    assert main(["export", "--format", "json", "--db", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)
    answered = {e["module"] for e in document["events"] if e["kind"] == "question_answered"}
    assert answered == {m.id for m in course.modules}
    assert main(["export", "--format", "csv", "--db", str(path)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["module"] for r in rows if r["kind"] == "question_answered"} == {m.id for m in course.modules}
