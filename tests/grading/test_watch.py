"""Watch mode, driven by a fake "wait for a save" that edits the files itself."""
from __future__ import annotations

import pytest

from mlquiz.content import load_course
from mlquiz.grading.service import ExerciseService
from mlquiz.grading.watch import watch_exercises
from mlquiz.progress import ProgressStore
from tests.grading.conftest import CALC_FIXED, make_course


@pytest.fixture
def service(tmp_path, grader):
    course = load_course(make_course(tmp_path, [{"id": "calc"}, {"id": "calc-two"}]))
    with ProgressStore.open(tmp_path / "progress.db") as store:
        yield ExerciseService(course, store, "ada", tmp_path / "ws", grader=grader)


def test_watch_rechecks_on_save_and_moves_to_the_next(service):
    reports = []
    saves = iter([CALC_FIXED, "def double(x):\n    return x\n", CALC_FIXED])

    def save_next(folder):
        (folder / "calc.py").write_text(next(saves))
        return True

    done = watch_exercises(service, report=lambda ex, outcome, error: reports.append(
        (ex.id, outcome.result.passed)), wait_for_change=save_next)
    assert done is True
    assert reports == [("calc", False), ("calc", True), ("calc-two", False),
                       ("calc-two", False), ("calc-two", True)]
    assert [s.state for s in service.states()] == ["passed", "passed"]


def test_watch_stops_when_the_wait_is_stopped(service):
    done = watch_exercises(service, "calc-two", report=lambda *a: None,
                           wait_for_change=lambda folder: False)
    assert done is False


def test_watch_reports_a_missing_file_and_keeps_watching(service):
    service.open("calc")
    (service.folder("calc") / "calc.py").unlink()
    errors = []
    calls = iter([True, False])

    def restore(folder):
        (folder / "calc.py").write_text(CALC_FIXED)
        return next(calls)

    watch_exercises(service, "calc", report=lambda ex, outcome, error: errors.append(error),
                    wait_for_change=restore)
    assert "calc.py is missing" in errors[0]
    assert errors[1] == ""
