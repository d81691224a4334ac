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

from .fixtures import fix_files, fix_folder, fixes

# What each incomplete fix still gets wrong: these hidden tests must fail on it.
STILL_WRONG = {
    ("seeded-training-run", "incomplete"): {
        "The global random generator is left alone", "The rows passed in are left as they were"},
    ("schema-expectations", "incomplete"): {
        "The label must not reach serving", "A banned field is flagged", "An unknown environment is refused",
        "Presence within its share is fine", "An infinite income is flagged", "Incomes that are nan are caught"},
    ("promotion-gate", "incomplete"): {
        "Non finite predictions are refused", "A missing slice is refused",
        "A small canary with overwhelming errors is rolled back at once", "A canary with many errors is rolled back"},
    # rolls a small canary back as soon as its rate passes 1.5x the baseline's: chance is enough
    ("promotion-gate", "incomplete-rate-only"): {"A small canary whose errors could be chance waits"},
    ("behavioural-suite", "incomplete"): {"The length biased model fails the directional test"},
}
EXERCISES = sorted({exercise_id for exercise_id, _ in STILL_WRONG})


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
    assert own == set(EXERCISES), f"ml-testing exercises {sorted(own)} vs fixtures {EXERCISES}"
    for exercise_id in own:
        kept = {fix for e, fix in STILL_WRONG if e == exercise_id}
        assert set(fixes(exercise_id, "incomplete")) == kept, f"{exercise_id}: STILL_WRONG names {sorted(kept)}"
        fix_folder(exercise_id, "alternative")


@pytest.mark.parametrize(("exercise_id", "fix"), sorted(STILL_WRONG), ids=[f"{e}/{f}" for e, f in sorted(STILL_WRONG)])
def test_the_incomplete_fix_fails_for_what_it_left_out(service, exercise_id, fix):
    outcome = submit(service, exercise_id, fix)
    result = outcome.result
    assert not result.passed and not result.reason and result.syntax_error is None, result.summary
    failed = {t.name for t in result.tests if not t.passed}
    wanted = STILL_WRONG[(exercise_id, fix)]
    assert wanted <= failed, f"expected to fail {sorted(wanted)}, failed {sorted(failed)}"
    assert all(t.message for t in result.tests if not t.passed), "every failing test explains itself"
    assert any(t.passed for t in result.tests), "the part it did fix is credited"
    assert outcome.state == "in progress"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_alternative_fix_passes(service, exercise_id):
    outcome = submit(service, exercise_id, "alternative")
    assert outcome.result.passed, outcome.result.summary + "".join(
        f"\n{t.name}: {t.message}" for t in outcome.result.tests if not t.passed)
    assert outcome.newly_passed and outcome.state == "passed"
    solution = (service.exercise(exercise_id).solution_dir / service.exercise(exercise_id).files[0])
    mine = service.read_file(exercise_id, service.exercise(exercise_id).files[0])
    assert mine != solution.read_text(encoding="utf-8"), "the alternative differs from the reference solution"
