"""Every exercise tells a half-done fix from a different but correct one, graded for real.

For each exercise, tests/grading/fixtures/<id>/ keeps at least one incomplete fix (a fix
a learner might stop at) and one alternative (a correct fix written differently from the
reference solution), stored as overlays (fixtures/__init__.py). Each goes through the
real path of a learner's check: the built-in course, ExerciseService (workspace,
progress store) and the sandboxed grader. An incomplete fix must fail, with a message,
on the checks named for it below, and pass more checks than the starter; an
alternative must pass every hidden test and differ from the reference solution.
"""
from __future__ import annotations

import pytest

from mlquiz.content import load_course
from mlquiz.grading.grader import Grader
from mlquiz.grading.service import ExerciseService
from mlquiz.paths import builtin_course_dir
from mlquiz.progress import ProgressStore

from .fixtures import fix_files, fixes

# Per module: the checks (as the learner sees their names) each incomplete fix must fail.
STILL_FAILING: dict[str, dict[tuple[str, str], set[str]]] = {
    "ml-technical-debt": {
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
        # import-safe, but train() still refits the one global MODEL and returns it
        ("experiment-in-production", "incomplete"): {
            "Two models do not interfere", "Training leaves module state alone"},
        # no globals left, but the model is a mutable default argument, refitted at every call
        ("experiment-in-production", "incomplete-shared-default"): {"Two models do not interfere"},
        # explores, but logs the propensity by the explored flag: an explored round that drew
        # the greedy article gets epsilon/n instead of 1 - epsilon + epsilon/n
        ("feedback-loop", "incomplete"): {"Logged propensities allow offline evaluation"},
        # explores and logs right, but seeds and draws from the global random module
        ("feedback-loop", "incomplete-global-random"): {"Global random state is left alone"},
        # learns a threshold, but stops at the first (highest) score precise enough
        ("fixed-threshold", "incomplete"): {
            "Threshold is not stricter than needed", "Tied scores are flagged together",
            "Retrained model gets its own threshold"},
        # the lowest threshold, judged after every transaction instead of after the last of a tie
        ("fixed-threshold", "incomplete-ties"): {"Tied scores are flagged together"},
        # a flag rate on an edge of the band is called outside it
        ("fixed-threshold", "incomplete-open-band"): {"Monitor reports a flag rate outside the band"},
        # columns found by name, but the weight is still read from weight_g and taken as grams
        ("hard-coded-assumptions", "incomplete"): {
            "Header declares kilograms", "Header declares pounds", "Unit column per row",
            "Unknown unit is rejected", "Missing weight column is rejected"},
        # every unit but a weight_lb header
        ("hard-coded-assumptions", "incomplete-no-pounds"): {"Header declares pounds"},
        # an unknown unit is taken as grams instead of refused
        ("hard-coded-assumptions", "incomplete-silent-unit"): {"Unknown unit is rejected"},
    },
    "ml-monitoring": {
        ("frozen-reference-bins", "incomplete"): {"Values beyond every edge give a finite psi"},  # no epsilon
        ("categorical-drift-js", "incomplete"): {"A vanished category gives a finite answer"},  # no 'missing'
        ("serving-feature-log", "incomplete"): {"Requests without a label are left out"},  # unlabelled as 0
        ("baseline-alerts", "incomplete"): {"Only the recent window sets the baseline"},  # all of history
        ("stale-model-alert", "incomplete"): {"Age comes from the model that serves"},  # the newest trained
        # of a main model and a canary, the newest one decides: a fresh canary hides a stale model
        ("stale-model-alert", "incomplete-newest-serving"): {"A fresh canary does not hide a stale main model"},
    },
    "ml-testing": {
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
    },
    "data-in-production": {
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
    },
    "shipping-models": {
        # lineage checked, but the alias moved in the caller's own registry
        ("registry-lineage", "incomplete"): {"The registry given is not changed"},
        # the split tested against 50/50 whatever the plan was
        ("sample-ratio-mismatch", "incomplete"): {"A planned uneven split is respected"},
        # a sustained drop of MIN_DROP, with no allowance for a small day's noise
        ("retrain-trigger-noise", "incomplete"): {"A drop within the noise band does not fire"},
        # percentiles and cost right, timeouts still dropped from the load test
        ("latency-budget-gate", "incomplete"): {"Timed out requests count as the slowest"},
    },
}
INCOMPLETE = sorted(key for module in STILL_FAILING.values() for key in module)
EXERCISES = sorted({exercise_id for exercise_id, _ in INCOMPLETE})
COURSE = load_course(builtin_course_dir(), use_cache=False)


@pytest.fixture(scope="module")
def real_grader():
    with Grader() as grader:
        yield grader


@pytest.fixture
def service(tmp_path, real_grader):
    store = ProgressStore.open(tmp_path / "progress.db")
    yield ExerciseService(COURSE, store, "ada", tmp_path / "ws", grader=real_grader)
    store.close()


def submit(service, exercise_id: str, fix: str | None):
    """Open the exercise, save the fix's files over the starter (None: the starter), check."""
    service.open(exercise_id)
    if fix is not None:
        for name, text in fix_files(exercise_id, fix).items():
            service.save_file(exercise_id, name, text)
    return service.check(exercise_id)


@pytest.mark.parametrize("module_id", sorted(STILL_FAILING))
def test_every_exercise_keeps_both_kinds_of_fix_and_each_incomplete_one_is_named(module_id):
    named = STILL_FAILING[module_id]
    own = {e.id for e in COURSE.exercises if e.module == module_id}
    assert own == {exercise_id for exercise_id, _ in named}, f"{module_id}: exercises without fixes"
    for exercise_id in own:
        kept = {(exercise_id, fix) for fix in fixes(exercise_id, "incomplete")}
        assert kept == {key for key in named if key[0] == exercise_id}, sorted(kept)
        assert fixes(exercise_id, "alternative"), f"{exercise_id} keeps no alternative fix"


def _gaps(exercise_id: str, fix: str) -> set[str]:
    return next(module[(exercise_id, fix)] for module in STILL_FAILING.values()
                if (exercise_id, fix) in module)


@pytest.mark.parametrize(("exercise_id", "fix"), INCOMPLETE, ids=[f"{e}/{f}" for e, f in INCOMPLETE])
def test_the_incomplete_fix_fails_on_its_gap_and_beats_the_starter(service, exercise_id, fix):
    starter = submit(service, exercise_id, None).result
    outcome = submit(service, exercise_id, fix)
    result = outcome.result
    assert not result.passed and not result.reason and result.syntax_error is None, result.summary
    failing = [t for t in result.tests if not t.passed]
    assert _gaps(exercise_id, fix) <= {t.name for t in failing}, sorted(t.name for t in failing)
    assert all(t.message for t in failing), "every failing test explains itself"
    assert result.passed_count > starter.passed_count, (
        f"the incomplete fix {fix} should pass more checks than the starter: {result.summary}")
    assert outcome.state == "in progress"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_alternative_fix_passes(service, exercise_id):
    for fix in fixes(exercise_id, "alternative"):
        outcome = submit(service, exercise_id, fix)
        assert outcome.result.passed, outcome.result.summary + "".join(
            f"\n{t.name}: {t.message}" for t in outcome.result.tests if not t.passed)
        exercise = service.exercise(exercise_id)
        mine = {name: service.read_file(exercise_id, name) for name in exercise.files}
        solution = {name: (exercise.solution_dir / name).read_text(encoding="utf-8")
                    for name in exercise.files if (exercise.solution_dir / name).is_file()}
        assert mine != solution, f"{fix} of {exercise_id} is the reference solution"
