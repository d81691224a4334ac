"""The data-in-production exercises tell a half-done fix from a different but correct one.

For each exercise, tests/grading/fixtures/<id>/incomplete/ holds a fix a learner
might stop at, and alternative/ a correct fix written differently from the
reference solution, both stored as overlays on the starter. They go through the
real path a learner's check takes: the built-in course, ExerciseService
(workspace, progress store) and a real sandboxed grader. The incomplete fix must
fail for the reason it is incomplete; the alternative must pass.
"""
from __future__ import annotations

import pytest

from mlquiz.content import load_course
from mlquiz.grading.grader import Grader
from mlquiz.grading.service import ExerciseService
from mlquiz.paths import builtin_course_dir
from mlquiz.progress import ProgressStore

from .fixtures import fix_files, fix_folder, fixes

MODULE = "data-in-production"

# What each incomplete fix still gets wrong: these hidden tests must fail on it.
STILL_WRONG = {
    # as-of correct, but no freshness limit, and labels without a snapshot are dropped
    ("point-in-time-join", "incomplete"): {
        "A snapshot older than the max age is not used", "A payment with no earlier snapshot keeps its label"},
    # catches removals, types and lost presence, not units or new values
    ("schema-contract", "incomplete"): {
        "A new unit breaks consumers even with the same type", "A new allowed value breaks consumers",
        "Lifting the list of values breaks consumers", "Every breaking change is reported",
        "A breaking change needs a new major version"},
    # replaces the days and counts each event once, but in place and by the local date
    ("idempotent-backfill", "incomplete"): {
        "Events are filed under their utc day", "The table passed in is not changed"},
    # deletes the obvious copies, forgets the queue and other people's references
    ("erasure-everywhere", "incomplete"): {
        "The account appears nowhere in the store", "Events waiting in the queue are deleted too",
        "The next nightly run does not bring the account back",
        "Other accounts keep their records without the reference"},
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


def test_every_exercise_of_the_module_has_both_fixtures(service):
    own = {e.id for e in service.exercises if e.module == MODULE}
    assert own == set(EXERCISES), f"{MODULE} exercises {sorted(own)} vs fixtures {EXERCISES}"
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
    exercise = service.exercise(exercise_id)
    mine = service.read_file(exercise_id, exercise.files[0])
    assert mine != (exercise.solution_dir / exercise.files[0]).read_text(encoding="utf-8"), (
        "the alternative differs from the reference solution")
