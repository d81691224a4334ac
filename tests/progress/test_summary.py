"""`summarize` and what `mlquiz progress` prints, on a real database and a built course."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.cli import main
from mlquiz.commands.progress import progress_document, progress_text
from mlquiz.progress import ProgressStore, summarize

from .course_factory import make_course

NOW = datetime(2026, 4, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def store(db_location):
    with ProgressStore.open(db_location) as opened:
        yield opened


def study(store, learner="ada"):
    """A realistic session in module 'debt' and a little of 'tests'."""
    r = store.record
    for n in (1, 2, 3, 2):
        r(learner, "step_viewed", module="debt", item=f"debt-step-{n}")
    r(learner, "prediction_committed", module="debt", item="debt-step-1", answer="A", correct=True)
    r(learner, "prediction_committed", module="debt", item="debt-step-2", answer="B", correct=False)
    r(learner, "prediction_committed", module="debt", item="debt-step-2", answer="A", correct=True)
    r(learner, "myth_answered", module="debt", item="debt-myth-1", answer="no", correct=True)
    r(learner, "myth_answered", module="debt", item="debt-myth-2", answer="yes", correct=True)
    r(learner, "myth_answered", module="debt", item="debt-myth-2", answer="no", correct=False)
    for item, correct in (("debt-q1", True), ("debt-q1", True), ("debt-q2", False),
                          ("debt-q3", True), ("gone-q9", True)):
        r(learner, "question_answered", module="debt", item=item, answer="B", correct=correct,
          time_spent_ms=1000)
    r(learner, "test_finished", module="debt", item="test",
      detail={"test_id": "t1", "score": 6, "total": 10})
    r(learner, "test_finished", module="debt", item="test",
      detail={"test_id": "t2", "score": 8, "total": 10})
    r(learner, "test_finished", module="debt", item="test",
      detail={"test_id": "t3", "score": 5, "total": 10})
    r(learner, "exercise_run", module="debt", item="ex-glue", correct=False)
    r(learner, "exercise_passed", module="debt", item="ex-glue", correct=True)
    r(learner, "exercise_run", module="debt", item="ex-jungle", correct=False)
    r(learner, "exercise_run", module="tests", item="ex-flaky", correct=True)
    store.save_review_state(learner, "debt-q2", "{}", NOW - timedelta(hours=2))
    store.save_review_state(learner, "debt-myth-2", "{}", NOW - timedelta(days=1))
    store.save_review_state(learner, "debt-q1", "{}", NOW + timedelta(days=3))
    store.save_review_state(learner, "tests-card-1", "{}", NOW)
    store.save_review_state(learner, "not-in-course", "{}", NOW - timedelta(days=5))


def test_summary_counts_what_the_learner_did_per_module(store):
    study(store)
    study(store, learner="bob")  # another learner changes nothing for ada
    store.record("bob", "step_viewed", module="debt", item="debt-step-7")
    debt, tests = summarize(store, "ada", make_course(), now=NOW)
    assert (debt.module, debt.title) == ("debt", "Module debt")
    assert (debt.steps_seen, debt.steps_total) == (3, 7)
    assert (debt.predictions_made, debt.predictions_right, debt.predictions_total) == (2, 1, 4)
    assert (debt.myths_busted, debt.myths_total) == (1, 3)
    assert (debt.questions_answered, debt.questions_total) == (3, 5)
    assert (debt.answers, debt.answers_right) == (4, 3)
    assert debt.accuracy == pytest.approx(0.75)
    assert (debt.best_test_score, debt.best_test_total) == (8, 10)
    assert (debt.exercises_passed, debt.exercises_total) == (1, 2)
    assert debt.due_now == 2
    assert debt.time_spent_ms == 5000
    assert (tests.steps_seen, tests.answers, tests.accuracy, tests.best_test_score) == (
        0, 0, None, None)
    assert (tests.exercises_passed, tests.exercises_total, tests.due_now) == (1, 1, 1)


def test_summary_of_a_learner_with_nothing_yet(store):
    rows = summarize(store, "nobody", make_course(), now=NOW)
    assert [(r.module, r.steps_seen, r.answers, r.due_now) for r in rows] == [
        ("debt", 0, 0, 0), ("tests", 0, 0, 0)]


def test_progress_text_and_json(store):
    study(store)
    store.set_position("ada", module="debt", screen="practice", item="debt-q3")
    text = progress_text(store, "ada", make_course())
    assert text.splitlines()[0] == f"Progress of ada ({store.path})"
    debt = text[text.index("\nModule debt\n"):text.index("\nModule tests\n")]
    assert debt.split("\n")[2:] == [
        "  Steps seen:     3 of 7",
        "  Predictions:    2 of 4 made, 1 right the first time",  # no "1/2 of 4"
        "  Myths busted:   1 of 3",
        "  Questions:      3 of 5 answered",
        "  Accuracy:       75% of 4 answers right",
        "  Best test:      8 of 10",
        "  Exercises:      1 of 2 passed",
        "  Due for review: 3 now",  # summarized at the real now: NOW + 3 days is past
        "    ex-glue: passed",
        "    ex-jungle: tried 1 time, not passed yet",
        ""]
    assert "a wrong first answer is made good by a right one later" in text
    assert text.splitlines()[-1] == "Resume at: Module debt, Practice, question 3 of 5"
    document = json.loads(json.dumps(progress_document(store, "ada", make_course())))
    assert document["learner"] == "ada"
    assert document["position"]["item"] == "debt-q3"
    assert [m["module"] for m in document["modules"]] == ["debt", "tests"]
    assert document["modules"][0]["accuracy"] == 0.75


def test_progress_without_any_learner_says_so_and_exits_0(tmp_path, capsys):
    db = tmp_path / "progress.db"
    assert main(["--db", str(db), "progress"]) == 0
    assert "No progress yet" in capsys.readouterr().out
    assert not db.exists()  # looking does not create anything
    ProgressStore.open(db).close()
    assert main(["--db", str(db), "progress", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "no learner has recorded anything" in err
    assert json.loads(out)["modules"] == []  # a script piping --json still gets JSON


def test_progress_json_is_json_before_anything_is_recorded(tmp_path, capsys):
    db = tmp_path / "progress.db"
    assert main(["--db", str(db), "--learner", "zed", "progress", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {"learner": "zed", "database": str(db), "course": None,
                               "position": None, "modules": []}
    assert "No progress yet" in err
    assert not db.exists()


def test_most_recently_active_learner_is_the_default(store):
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    store.record("ada", "step_viewed", module="debt", item="debt-step-1", at=t0 + timedelta(2))
    store.record("bob", "step_viewed", module="debt", item="debt-step-1", at=t0 + timedelta(5))
    store.record("cy", "step_viewed", module="debt", item="debt-step-1", at=t0 + timedelta(1))
    assert store.most_recent_learner() == "bob"
    store.record("@room", "poll_opened", module="debt", item="q1", at=t0 + timedelta(9))
    assert store.most_recent_learner() == "bob", "the room's own timeline is not a learner"


def test_progress_for_a_learner_who_has_not_started(db_location, capsys):
    db = db_location
    with ProgressStore.open(db) as store:
        store.record("ada", "mode_opened")
    assert main(["--db", str(db), "--learner", "zed", "progress"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"No progress yet for zed in {db} (learners here: ada).")


def test_mlquiz_progress_end_to_end_on_the_built_in_course(db_location, capsys):
    from mlquiz import paths
    from mlquiz.content import load_course

    course = load_course(paths.builtin_course_dir())
    module = course.modules[0]
    db = db_location
    with ProgressStore.open(db) as store:
        for step in module.lesson.steps[:2]:
            store.record("ada", "step_viewed", module=module.id, item=step.id)
        store.record("ada", "question_answered", module=module.id,
                     item=module.questions[0].id, answer="A", correct=True)
    assert main(["--db", str(db), "progress", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    first = document["modules"][0]
    assert (document["learner"], first["module"]) == ("ada", module.id)
    assert (first["steps_seen"], first["questions_answered"], first["accuracy"]) == (2, 1, 1.0)
    assert main(["--db", str(db), "progress"]) == 0
    assert capsys.readouterr().out.startswith(f"Progress of ada ({db})")


def test_with_several_learners_the_one_shown_is_named_on_stderr(db_location, capsys):
    db = db_location
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with ProgressStore.open(db) as store:
        store.record("ada", "mode_opened", at=t0)
        store.record("bob", "mode_opened", at=t0 + timedelta(1))
    assert main(["--db", str(db), "progress", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["learner"] == "bob"
    assert err.strip() == (f"mlquiz: 2 learners in {db} (ada, bob); showing bob, the most "
                           "recently active; pass --learner NAME for another")


def test_a_learner_name_with_stray_spaces_is_the_same_learner(db_location, capsys, monkeypatch):
    db = db_location
    with ProgressStore.open(db) as store:
        store.record("ada", "mode_opened")
    assert main(["--db", str(db), "--learner", " ada ", "progress", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["learner"] == "ada"
    monkeypatch.setenv("MLQUIZ_LEARNER", "ada ")  # pasted with a trailing space
    assert main(["--db", str(db), "progress", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["learner"] == "ada"
