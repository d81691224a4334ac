"""Every exercise of the built-in course: its hidden tests fail on the starter (each failing
test with a message) and pass on the solution. CI also runs `mlquiz exercises verify`."""
from __future__ import annotations

import pytest

from mlquiz.commands.exercises import verify_exercise
from mlquiz.content import load_exercise
from mlquiz.grading.grader import Grader
from mlquiz.paths import builtin_exercises_dir

FOLDERS = sorted(p for p in builtin_exercises_dir().iterdir() if (p / "exercise.yaml").is_file())


@pytest.fixture(scope="module")
def real_grader():
    with Grader() as grader:
        yield grader


def test_the_course_has_exercises():
    assert len(FOLDERS) >= 10


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_exercise_fails_on_starter_and_passes_on_solution(real_grader, folder):
    ok, line = verify_exercise(real_grader, load_exercise(folder))
    assert ok, line
