"""The debt exercises judge fixes, not starters: through the real grader, an incomplete fix of
each one fails and another correct fix, written differently from the reference, passes.

    tests/grading/fixtures/<exercise id>/incomplete*/    the files a fix with one gap left changes
    tests/grading/fixtures/<exercise id>/alternative*/   a correct fix that is not the solution

(fixtures/__init__.py lays each fix over the starter, or over the solution, into a workspace.)

Each incomplete fix fails exactly the checks named in GAPS, so a test that goes blind to its
gap, or starts blaming the wrong thing, shows up here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from mlquiz.grading import Grader

from .fixtures import exercise_of, fix_folder, fix_workspace, fixes

EXERCISES = ("training-serving-skew", "dead-code-and-config", "pipeline-jungle",
             "fairness-slices", "undeclared-consumer", "drift-check", "data-validation",
             "model-persistence")

# The checks (as the learner sees their names) each incomplete fix must fail, and no others.
GAPS = {
    ("training-serving-skew", "incomplete"): {
        "Serving keeps no feature code of its own", "The feature code exists once"},
    ("training-serving-skew", "incomplete-two-in-features"): {"The feature code exists once"},
    ("training-serving-skew", "incomplete-wrong-default"): {"Missing support calls count as zero"},
    ("dead-code-and-config", "incomplete"): {"Dead branches are deleted not switched off"},
    ("dead-code-and-config", "incomplete-defaults"): {"A missing setting is an error not a guess"},
    ("dead-code-and-config", "incomplete-overrides"): {
        "Overrides are not changed", "The result shares no dict with its inputs"},
    ("dead-code-and-config", "incomplete-shared"): {"The result shares no dict with its inputs"},
    ("pipeline-jungle", "incomplete"): {
        "Every step leaves its input and the module alone", "A run leaves the module as it found it",
        "The glue to statlib is one adapter"},
    ("pipeline-jungle", "incomplete-in-place"): {"Every step leaves its input and the module alone"},
    ("pipeline-jungle", "incomplete-inline-glue"): {"The glue to statlib is one adapter"},
    ("fairness-slices", "incomplete"): {
        "Everyone over predicted still alerts", "Overall limit is a setting"},
    ("undeclared-consumer", "incomplete"): {
        "Consumers are declared in the model", "An undeclared consumer is refused",
        "Billing names itself when it asks"},
    ("undeclared-consumer", "incomplete-no-check"): {"An undeclared consumer is refused"},
    ("drift-check", "incomplete"): {"A discrete feature that moved is not called stable"},
    ("data-validation", "incomplete"): {
        "Blank charge is never turned into zero", "A charge that is not finite is refused"},
    ("model-persistence", "incomplete"): {
        "An edited bias is detected", "An edited feature list is detected", "Edited provenance is detected"},
    ("drift-check", "incomplete-reference-range"): {
        "Stability index is symmetric and finite with an empty bin"},
}


def fixture_dirs(kind: str) -> list[tuple[str, Path]]:
    return [(exercise_id, fix_folder(exercise_id, fix)) for exercise_id in EXERCISES
            for fix in fixes(exercise_id, kind)]


INCOMPLETE = fixture_dirs("incomplete")
ALTERNATIVE = fixture_dirs("alternative")


@pytest.fixture(scope="module")
def grader():
    with Grader() as real_grader:
        yield real_grader


def grade(grader, exercise_id: str, fixture: Path, tmp_path: Path):
    """The grader's result for the workspace the fix stands for (its base and its changes)."""
    return grader.check(exercise_of(exercise_id), fix_workspace(exercise_id, fixture.name, tmp_path))


def test_every_exercise_has_both_kinds_of_fix():
    for exercise_id in EXERCISES:
        assert any(e == exercise_id for e, _ in INCOMPLETE), f"{exercise_id} has no incomplete fix"
        assert any(e == exercise_id for e, _ in ALTERNATIVE), f"{exercise_id} has no alternative fix"
    named = {(e, folder.name) for e, folder in INCOMPLETE}
    assert named == set(GAPS), f"GAPS and the incomplete fixtures differ: {named ^ set(GAPS)}"


@pytest.mark.parametrize(("exercise_id", "fixture"), INCOMPLETE,
                         ids=[f"{e}/{f.name}" for e, f in INCOMPLETE])
def test_incomplete_fix_fails_on_its_gap(grader, exercise_id, fixture, tmp_path):
    result = grade(grader, exercise_id, fixture, tmp_path)
    assert not result.passed, f"{exercise_id}: the incomplete fix {fixture.name} passes every check"
    assert result.syntax_error is None and not result.reason, result.reason
    failed = {test.name for test in result.tests if not test.passed}
    assert failed == GAPS[(exercise_id, fixture.name)], (
        f"{fixture.name} should fail exactly {sorted(GAPS[(exercise_id, fixture.name)])}; "
        f"it failed {sorted(failed)}"
    )
    for test in result.tests:
        if not test.passed:
            assert test.message and "Traceback" not in test.message, (
                f"{test.name} fails without a plain message: {test.message!r}"
            )


@pytest.mark.parametrize(("exercise_id", "fixture"), ALTERNATIVE,
                         ids=[f"{e}/{f.name}" for e, f in ALTERNATIVE])
def test_alternative_correct_fix_passes(grader, exercise_id, fixture, tmp_path):
    result = grade(grader, exercise_id, fixture, tmp_path)
    failed = [f"{test.name}: {test.message}" for test in result.tests if not test.passed]
    assert result.passed, f"{exercise_id}: the correct fix {fixture.name} fails {failed or result.reason}"
