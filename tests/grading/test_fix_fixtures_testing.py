"""The ml-testing exercises tell a half-done fix from a different but correct one.

For each exercise, tests/grading/fixtures/<id>/incomplete/ holds a fix a learner
might stop at, and alternative/ a correct fix written differently from the
reference solution. Both go through the real path a learner's check takes: the
built-in course, ExerciseService (workspace, progress store) and a real
sandboxed grader. The incomplete fix must fail for the reason it is incomplete;
the alternative must pass.
"""
from __future__ import annotations

import pytest

from mlquiz.content import load_course
from mlquiz.grading.grader import Grader
from mlquiz.grading.service import ExerciseService
from mlquiz.paths import builtin_course_dir
from mlquiz.progress import ProgressStore

from .fixtures import fix_files, fix_folder

# What each incomplete fix still gets wrong: these hidden tests must fail on it.
STILL_WRONG = {
    "seeded-training-run": {"The global random generator is left alone", "The rows passed in are left as they were"},
    "schema-expectations": {"The label must not reach serving", "A banned field is flagged",
                            "An unknown environment is refused", "Presence within its share is fine"},
    "promotion-gate": {"Non finite predictions are refused", "A missing slice is refused",
                       "A canary with too few requests waits", "A canary with many errors is rolled back"},
    "behavioural-suite": {"The length biased model fails the directional test"},
}


@pytest.fixture(scope="module")
def real_grader():
    with Grader() as grader:
        yield grader


@pytest.fixture
def service(tmp_path, real_grader):
    course = load_course(builtin_course_dir(), use_cache=False)
    store = ProgressStore.open(tmp_path / "progress.db")
    yield ExerciseService(course, store, "ada", tmp_path / "ws", grader=real_grader)
    store.close()


def submit(service, exercise_id: str, variant: str):
    """Open the exercise, save the files of the fix's workspace over the starter, and check it."""
    service.open(exercise_id)
    for name, text in fix_files(exercise_id, variant).items():
        service.save_file(exercise_id, name, text)
    return service.check(exercise_id)


def test_every_ml_testing_exercise_has_both_fixtures(service):
    own = {e.id for e in service.exercises if e.module == "ml-testing"}
    assert own == set(STILL_WRONG), f"ml-testing exercises {sorted(own)} vs fixtures {sorted(STILL_WRONG)}"
    for exercise_id in own:
        for variant in ("incomplete", "alternative"):
            fix_folder(exercise_id, variant)


@pytest.mark.parametrize("exercise_id", sorted(STILL_WRONG))
def test_the_incomplete_fix_fails_for_what_it_left_out(service, exercise_id):
    outcome = submit(service, exercise_id, "incomplete")
    result = outcome.result
    assert not result.passed and not result.reason and result.syntax_error is None, result.summary
    failed = {t.name for t in result.tests if not t.passed}
    assert STILL_WRONG[exercise_id] <= failed, f"expected to fail {STILL_WRONG[exercise_id]}, failed {failed}"
    assert all(t.message for t in result.tests if not t.passed), "every failing test explains itself"
    assert any(t.passed for t in result.tests), "the part it did fix is credited"
    assert outcome.state == "in progress"


@pytest.mark.parametrize("exercise_id", sorted(STILL_WRONG))
def test_the_alternative_fix_passes(service, exercise_id):
    outcome = submit(service, exercise_id, "alternative")
    assert outcome.result.passed, outcome.result.summary + "".join(
        f"\n{t.name}: {t.message}" for t in outcome.result.tests if not t.passed)
    assert outcome.newly_passed and outcome.state == "passed"
    solution = (service.exercise(exercise_id).solution_dir / service.exercise(exercise_id).files[0])
    mine = service.read_file(exercise_id, service.exercise(exercise_id).files[0])
    assert mine != solution.read_text(encoding="utf-8"), "the alternative differs from the reference solution"
