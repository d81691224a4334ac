"""The shipping-models exercises, graded for real on two kept fixes each: an incomplete fix
(better than the starter, still failing with a message on the part it leaves out) and an
alternative correct fix (written differently from the reference solution, passing every
hidden test)."""
from __future__ import annotations

import pytest

from mlquiz.grading import Grader

from .fixtures import exercise_of, fix_workspace, fixes

# each incomplete fix leaves out one part of the task; the check names that part
STILL_FAILING = {
    # lineage checked, but the alias moved in the caller's own registry
    ("registry-lineage", "incomplete"): "The registry given is not changed",
    # the split tested against 50/50 whatever the plan was
    ("sample-ratio-mismatch", "incomplete"): "A planned uneven split is respected",
    # a sustained drop of MIN_DROP, with no allowance for a small day's noise
    ("retrain-trigger-noise", "incomplete"): "A drop within the noise band does not fire",
    # percentiles and cost right, timeouts still dropped from the load test
    ("latency-budget-gate", "incomplete"): "Timed out requests count as the slowest",
}
EXERCISES = sorted({exercise_id for exercise_id, _ in STILL_FAILING})
INCOMPLETE = sorted(STILL_FAILING)


def test_each_incomplete_fix_kept_is_named_here():
    for exercise_id in EXERCISES:
        kept = {(exercise_id, fix) for fix in fixes(exercise_id, "incomplete")}
        assert kept == {key for key in STILL_FAILING if key[0] == exercise_id}, sorted(kept)


def test_every_exercise_of_the_module_keeps_fixes():
    from mlquiz.content import load_course
    from mlquiz.paths import builtin_course_dir

    own = {e.id for e in load_course(builtin_course_dir(), use_cache=False).exercises if e.module == "shipping-models"}
    assert own == set(EXERCISES), f"exercises of shipping-models without kept fixes: {sorted(own - set(EXERCISES))}"


@pytest.fixture(scope="module")
def real_grader():
    with Grader() as grader:
        yield grader


def _check(grader, exercise_id: str, fix: str | None, root):
    """The starter's result (fix None), or that of the fix laid over its base."""
    exercise = exercise_of(exercise_id)
    folder = fix_workspace(exercise_id, fix, root) if fix else exercise.starter_dir
    return grader.check(exercise, folder)


@pytest.mark.parametrize(("exercise_id", "fix"), INCOMPLETE, ids=[f"{e}/{f}" for e, f in INCOMPLETE])
def test_the_incomplete_fix_fails_with_messages_but_beats_the_starter(real_grader, exercise_id, fix, tmp_path):
    starter = _check(real_grader, exercise_id, None, tmp_path)
    incomplete = _check(real_grader, exercise_id, fix, tmp_path)
    assert incomplete.reason == "" and incomplete.syntax_error is None, incomplete.summary
    assert not incomplete.passed, f"the incomplete fix {fix} of {exercise_id} passed every hidden test"
    failing = [t for t in incomplete.tests if not t.passed]
    assert all(t.message for t in failing), [(t.name, t.message) for t in failing]
    assert STILL_FAILING[(exercise_id, fix)] in {t.name for t in failing}, [t.name for t in failing]
    passing = sum(t.passed for t in incomplete.tests)
    assert passing > sum(t.passed for t in starter.tests), (
        f"the incomplete fix {fix} of {exercise_id} should pass more checks than the starter: {incomplete.summary}"
    )


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_alternative_fix_passes_every_hidden_test(real_grader, exercise_id, tmp_path):
    result = _check(real_grader, exercise_id, "alternative", tmp_path)
    assert result.passed, [(t.name, t.message) for t in result.tests if not t.passed] or result.summary
    assert len(result.tests) >= 7, f"{exercise_id} ran only {len(result.tests)} hidden tests"
