"""Fixture exercises written into tmp_path, a fast-limit grader, and a small course.

    ex = make_exercise(tmp_path, starter={"calc.py": BROKEN}, tests={"test_calc.py": TESTS})
"""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from mlquiz.content.models import Exercise
from mlquiz.grading.grader import Grader
from mlquiz.grading.spec import Limits

FAST = Limits(timeout_s=3.0, memory_bytes=512 << 20, processes=32, output_bytes=256 << 10)

CALC_BROKEN = "def double(x):\n    return x + x + 1\n"
CALC_FIXED = "def double(x):\n    return 2 * x\n"
CALC_TESTS = '''\
def test_double_of_two_is_four(subject):
    got = subject.call("calc.double", 2)
    assert got == 4, f"double(2) should be 4, got {got}"


def test_double_of_zero(subject):
    assert subject.call("calc.double", 0) == 0, "double(0) should be 0"


class TestNegativeNumbers:
    def test_minus_one(self, subject):
        assert subject.call("calc.double", -1) == -2, "double(-1) should be -2"
'''
FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def make_exercise(root: Path, exercise_id: str = "calc", *, starter: dict | None = None,
                  tests: dict | None = None, solution: dict | None = None,
                  hints: tuple[str, ...] = ("look at double", "2 * x", "return 2 * x")) -> Exercise:
    folder = root / exercise_id
    write_tree(folder / "starter", starter if starter is not None else {"calc.py": CALC_BROKEN})
    write_tree(folder / "tests", tests if tests is not None else {"test_calc.py": CALC_TESTS})
    write_tree(folder / "solution", solution if solution is not None else {"calc.py": CALC_FIXED})
    files = tuple(sorted(p.name for p in (folder / "starter").iterdir() if p.is_file()))
    return Exercise(id=exercise_id, title=f"Exercise {exercise_id}", difficulty="easy",
                    debt="Glue code", module="tiny-debt", links=("step-1",),
                    instructions="Fix `double`.", hints=hints, files=files, path=folder)


def submission(root: Path, files: dict[str, str], **kw) -> tuple[Exercise, Path]:
    """The calc exercise and a learner folder holding `files` (dedented)."""
    exercise = make_exercise(root, **kw)
    learner = root / "learner"
    write_tree(learner, files)
    return exercise, learner


@pytest.fixture(scope="module")
def grader():
    """A warm grader with short limits, shared by the tests of one module."""
    with Grader(FAST) as shared:
        yield shared


def make_course(root: Path, exercises: list[dict] | None = None) -> Path:
    """The TUI fixture course plus `exercises/` with the calc exercise (or the given ones)."""
    course = root / "course"
    shutil.copytree(FIXTURE_COURSE, course)
    with open(course / "course.yaml", "a", encoding="utf-8") as handle:
        handle.write("exercises: ../exercises\n")
    for spec in exercises or [{"id": "calc"}]:
        exercise = make_exercise(root / "exercises", spec["id"], **spec.get("files", {}))
        meta = {"id": exercise.id, "title": exercise.title, "difficulty": "easy",
                "debt": "Glue code", "module": "tiny-debt", "links": ["step-1"],
                "files": list(exercise.files), "instructions": "Fix `double`.",
                "hints": list(exercise.hints)}
        import yaml

        (exercise.path / "exercise.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    return course


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory, monkeypatch):
    """No test reads or writes the developer's cache, database, workspace or learner."""
    monkeypatch.setenv("MLQUIZ_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for name in ("MLQUIZ_DB", "MLQUIZ_WORKSPACE", "MLQUIZ_LEARNER", "MLQUIZ_COURSE"):
        monkeypatch.delenv(name, raising=False)
