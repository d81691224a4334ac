"""ExerciseService: states from the event log, recorded checks, hints, solutions, re-checks."""
from __future__ import annotations

import pytest

from mlquiz.content import load_course
from mlquiz.errors import MlquizError
from mlquiz.grading.service import ExerciseService
from mlquiz.progress import ProgressStore
from tests.grading.conftest import CALC_FIXED, FAST, make_course


@pytest.fixture
def service(tmp_path, grader):
    course = load_course(make_course(tmp_path, [{"id": "calc"}, {"id": "calc-two"}]))
    store = ProgressStore.open(tmp_path / "progress.db")
    service = ExerciseService(course, store, "ada", tmp_path / "ws", grader=grader)
    yield service
    store.close()


def _solve(service, exercise_id: str) -> None:
    (service.folder(exercise_id) / "calc.py").write_text(CALC_FIXED)


def _kinds(service) -> list[str]:
    return [e.kind for e in service.store.events("ada") if e.kind.startswith(("exercise", "solution"))]


def test_states_move_from_pending_to_in_progress_to_passed(service):
    assert [s.state for s in service.states()] == ["pending", "pending"]
    service.open("calc")
    assert service.state("calc").state == "in progress"
    outcome = service.check("calc")
    assert not outcome.result.passed and outcome.state == "in progress"
    _solve(service, "calc")
    outcome = service.check("calc")
    assert outcome.result.passed and outcome.newly_passed
    assert outcome.next_exercise.id == "calc-two"
    assert [s.state for s in service.states()] == ["passed", "pending"]
    assert _kinds(service) == ["exercise_opened", "exercise_run", "exercise_run", "exercise_passed"]
    passed = service.store.events("ada", kind="exercise_passed")[0]
    assert passed.detail == {"runs": 2, "hints": 0}


def test_a_check_records_the_failed_tests_and_the_reason(service):
    service.check("calc")
    run = service.store.events("ada", kind="exercise_run")[-1]
    assert run.module == "tiny-debt" and run.item == "calc" and run.correct is False
    assert run.detail["failed_tests"] == ["Double of two is four", "Double of zero",
                                          "Negative numbers: minus one"]
    assert run.detail["passed"] is False


def test_passing_twice_records_one_exercise_passed(service):
    _solve(service, "calc")
    service.check("calc")
    assert service.check("calc").newly_passed is False
    assert len(service.store.events("ada", kind="exercise_passed")) == 1


def test_hints_count_up_to_the_last_and_are_recorded(service):
    labels = [service.next_hint("calc").label for _ in range(4)]
    assert labels == ["hint 1 of 3", "hint 2 of 3", "hint 3 of 3", "hint 3 of 3"]
    levels = [e.hint_level for e in service.store.events("ada", kind="exercise_hint")]
    assert levels == [1, 2, 3]
    assert [h.text for h in service.hints("calc")] == ["look at double", "2 * x", "return 2 * x"]


def test_the_solution_opens_after_a_pass(service):
    with pytest.raises(MlquizError) as caught:
        service.solution("calc")
    assert caught.value.exit_code == 1
    _solve(service, "calc")
    service.check("calc")
    (file,) = service.solution("calc")
    assert file.name == "calc.py" and file.text == CALC_FIXED and file.yours == CALC_FIXED
    assert service.store.events("ada", kind="solution_revealed")[-1].detail == {"forced": False}


def test_forcing_the_solution_is_recorded(service):
    service.solution("calc", force=True)
    assert service.store.events("ada", kind="solution_revealed")[-1].detail == {"forced": True}


def test_reset_is_recorded_and_starts_over(service):
    _solve(service, "calc")
    service.check("calc")
    backup = service.reset("calc")
    assert (backup / "calc.py").read_text() == CALC_FIXED
    assert service.state("calc").state == "in progress"
    assert service.store.events("ada", kind="exercise_reset")[-1].detail == {"backup": str(backup)}


def test_after_the_last_pass_everything_is_checked_again(service):
    _solve(service, "calc")
    service.check("calc")
    (service.folder("calc") / "calc.py").write_text("def double(x):\n    return 0\n")  # broken later
    _solve(service, "calc-two")
    progress = []
    outcome = service.check("calc-two", on_recheck=lambda done, total: progress.append((done, total)))
    assert progress == [(0, 1), (1, 1)]  # before the one re-check, and after it
    assert outcome.rechecked == (("calc", False),)
    assert outcome.back_to_pending == ["calc"]
    assert outcome.next_exercise.id == "calc"
    assert service.state("calc").state == "pending"
    recheck = service.store.events("ada", kind="exercise_run", item="calc")[-1]
    assert recheck.detail["recheck"] is True and recheck.correct is False


def test_a_missing_workspace_file_is_an_error_not_a_run(service):
    (service.folder("calc") / "calc.py").unlink()
    with pytest.raises(MlquizError) as caught:
        service.check("calc")
    assert "calc.py is missing" in str(caught.value)
    assert service.store.events("ada", kind="exercise_run") == []


def test_an_unknown_id_suggests_the_closest(service):
    with pytest.raises(MlquizError) as caught:
        service.check("calc-tow")
    assert caught.value.exit_code == 2
    assert "did you mean calc-two?" in str(caught.value)


def test_the_editor_api_reads_and_saves_listed_files_only(service):
    assert "x + x + 1" in service.read_file("calc", "calc.py")
    service.save_file("calc", "calc.py", CALC_FIXED)
    assert service.check("calc").result.passed
    with pytest.raises(MlquizError):
        service.save_file("calc", "../escape.py", "")


def test_close_stops_the_worker(tmp_path):
    course = load_course(make_course(tmp_path))
    with ProgressStore.open(tmp_path / "p.db") as store:
        service = ExerciseService(course, store, "ada", tmp_path / "ws", limits=FAST)
        service.warm_up()
        process = service._grader._worker._process
        assert process.poll() is None
        service.close()
        assert process.wait(timeout=5) is not None


def test_a_grader_passed_in_stays_open_after_the_service_closes(tmp_path, grader):
    course = load_course(make_course(tmp_path))
    with ProgressStore.open(tmp_path / "p.db") as store:
        with ExerciseService(course, store, "ada", tmp_path / "ws", grader=grader) as service:
            service.check("calc")
        process = grader._worker._process
        assert process is not None and process.poll() is None


def test_events_are_dated_by_the_clock_it_is_given(tmp_path, grader):
    from datetime import datetime, timezone

    course = load_course(make_course(tmp_path, [{"id": "calc"}]))
    store = ProgressStore.open(tmp_path / "progress.db")
    fixed = datetime(2031, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    service = ExerciseService(course, store, "ada", tmp_path / "ws", grader=grader,
                              clock=lambda: fixed)
    service.open("calc")
    service.next_hint("calc")
    _solve(service, "calc")
    service.check("calc")
    events = [e for e in store.events("ada") if e.kind.startswith("exercise")]
    assert [e.kind for e in events] == ["exercise_opened", "exercise_hint", "exercise_run",
                                        "exercise_passed"]
    assert {e.at for e in events} == {fixed}
    store.close()


def test_a_hostile_check_is_one_recorded_run_with_a_storable_reason(service):
    # A reason built from learner text (a syntax error quoting it) with a lone surrogate
    # in it, and a check that floods and crashes: each is one exercise_run, nothing lost.
    (service.folder("calc") / "calc.py").write_text("x = '\udc80' + \n", encoding="utf-8",
                                                    errors="surrogatepass")
    outcome = service.check("calc")
    assert not outcome.result.passed
    (service.folder("calc") / "calc.py").write_text(
        "import os\ndef double(x):\n    os.write(1, b'\\x1b]0;pwned\\x07' * 10)\n    os._exit(1)\n")
    service.check("calc")
    runs = service.store.events("ada", kind="exercise_run")
    assert len(runs) == 2
    for run in runs:
        assert not run.correct
        run.detail["reason"].encode("utf-8")
    assert "\x1b" not in service.check("calc").result.output
