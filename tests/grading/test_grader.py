"""A check of a learner folder: verdicts, per-test feedback, syntax errors, expected tests."""
from __future__ import annotations

import os

from mlquiz.grading.grader import Grader, check, expected_tests
from tests.grading.conftest import CALC_BROKEN, CALC_FIXED, FAST, make_exercise, submission


def test_the_starter_fails_with_each_test_s_own_message(grader, tmp_path):
    exercise = make_exercise(tmp_path)
    result = grader.check(exercise, exercise.starter_dir)
    assert not result.passed
    assert result.reason == ""
    assert [(t.name, t.passed, t.message) for t in result.tests] == [
        ("Double of two is four", False, "double(2) should be 4, got 5"),
        ("Double of zero", False, "double(0) should be 0"),
        ("Negative numbers: minus one", False, "double(-1) should be -2"),
    ]
    assert result.summary == "0 of 3 checks pass"


def test_the_fixed_code_passes(grader, tmp_path):
    exercise, learner = submission(tmp_path, {"calc.py": CALC_FIXED})
    result = grader.check(exercise, learner)
    assert result.passed, result
    assert result.summary == "3 of 3 checks pass"


def test_a_cold_check_gives_the_same_verdicts(tmp_path):
    exercise = make_exercise(tmp_path)
    with Grader(FAST, warm=False) as cold:
        failing = cold.check(exercise, exercise.starter_dir)
        passing = cold.check(exercise, exercise.starter_dir, overlay=exercise.solution_dir)
    assert [t.message for t in failing.tests][0] == "double(2) should be 4, got 5"
    assert passing.passed


def test_the_one_off_check_function_works_without_a_worker(tmp_path):
    exercise = make_exercise(tmp_path)
    assert check(exercise, exercise.solution_dir, limits=FAST).passed


def test_a_syntax_error_is_shown_like_a_compiler(grader, tmp_path):
    exercise, learner = submission(tmp_path, {"calc.py": "def double(x):\n    return (x +\n\n"})
    result = grader.check(exercise, learner)
    assert not result.passed
    assert result.syntax_error is not None
    assert result.syntax_error.headline == "calc.py:2:12: SyntaxError: '(' was never closed"
    assert result.syntax_error.render().splitlines()[1:] == ["    return (x +", "           ^"]
    assert result.tests == ()


def test_an_indentation_error_names_its_kind(grader, tmp_path):
    exercise, learner = submission(tmp_path, {"calc.py": "def double(x):\nreturn 2 * x\n"})
    problem = grader.check(exercise, learner).syntax_error
    assert problem.kind == "IndentationError"
    assert problem.headline.startswith("calc.py:2:1: IndentationError:")


def test_an_exception_in_the_learner_code_names_the_line(grader, tmp_path):
    exercise, learner = submission(
        tmp_path, {"calc.py": "def double(x):\n    y = None\n    return y * x\n"})
    result = grader.check(exercise, learner)
    first = result.tests[0]
    assert first.message.startswith("TypeError: unsupported operand")
    assert first.location == "calc.py:3"


def test_a_missing_function_is_named_in_each_test(grader, tmp_path):
    exercise, learner = submission(tmp_path, {"calc.py": "def twice(x):\n    return 2 * x\n"})
    result = grader.check(exercise, learner)
    assert not result.passed
    assert result.tests[0].message == "AttributeError: module 'calc' has no attribute 'double'"


def test_hidden_tests_that_import_learner_code_are_reported_as_such(grader, tmp_path):
    tests = {"test_calc.py": "from calc import double\ndef test_two():\n    assert double(2) == 4\n"}
    exercise, learner = submission(tmp_path, {"calc.py": CALC_FIXED}, tests=tests)
    result = grader.check(exercise, learner)
    assert not result.passed
    assert result.reason == ("the hidden tests could not be loaded: ModuleNotFoundError: "
                             "No module named 'calc'")


def test_the_learner_s_conftest_and_pytest_config_are_ignored(grader, tmp_path):
    # Each of these would make every test pass (or be skipped) if pytest read it.
    cheat_conftest = '''
        import pytest

        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_makereport(item, call):
            report = yield
            report.outcome = "passed"
            return report

        def pytest_collection_modifyitems(items):
            items.clear()
    '''
    exercise, learner = submission(tmp_path, {
        "calc.py": CALC_BROKEN,
        "conftest.py": cheat_conftest,
        "pytest.ini": "[pytest]\naddopts = -p no:python --deselect x\n",
        "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-k nothing'\n",
        "setup.cfg": "[tool:pytest]\naddopts = -k nothing\n",
        "tox.ini": "[pytest]\naddopts = -k nothing\n",
    })
    result = grader.check(exercise, learner)
    assert not result.passed
    assert result.summary == "0 of 3 checks pass"


def test_symlinks_in_the_learner_folder_are_not_followed(grader, tmp_path):
    exercise, learner = submission(tmp_path, {"calc.py": CALC_BROKEN})
    (learner / "calc.py").unlink()
    (learner / "calc.py").symlink_to(exercise.solution_dir / "calc.py")
    result = grader.check(exercise, learner)
    assert not result.passed
    assert result.tests[0].message == "ModuleNotFoundError: No module named 'calc'"


def test_what_the_code_printed_is_kept_to_show(grader, tmp_path):
    exercise, learner = submission(
        tmp_path, {"calc.py": "def double(x):\n    print('debug', x)\n    return x\n"})
    result = grader.check(exercise, learner)
    assert "debug 2" in result.output


def test_parametrized_tests_count_as_their_function(grader, tmp_path):
    tests = {"test_calc.py": '''
        import pytest

        @pytest.mark.parametrize("x", [0, 1, 5])
        def test_doubles(subject, x):
            assert subject.call("calc.double", x) == 2 * x, f"double({x}) should be {2 * x}"
    '''}
    exercise, learner = submission(tmp_path, {"calc.py": "def double(x):\n    return x * x\n"},
                                   tests=tests)
    result = grader.check(exercise, learner)
    assert not result.passed
    assert [t.message for t in result.tests] == ["double(1) should be 2"]
    assert grader.check(exercise, exercise.solution_dir).passed


def test_expected_tests_are_read_from_the_source(tmp_path):
    folder = tmp_path / "tests"
    folder.mkdir()
    (folder / "test_a.py").write_text(
        "def test_one(): pass\n"
        "async def test_two(): pass\n"
        "def helper(): pass\n"
        "class TestGroup:\n    def test_three(self): pass\n    def helper(self): pass\n"
        "class Other:\n    def test_not(self): pass\n")
    (folder / "helpers.py").write_text("def test_ignored(): pass\n")
    assert expected_tests(folder) == ["test_a.py::test_one", "test_a.py::test_two",
                                      "test_a.py::TestGroup::test_three"]


def test_a_folder_without_hidden_tests_never_passes(grader, tmp_path):
    exercise = make_exercise(tmp_path, tests={"README.md": "nothing"})
    result = grader.check(exercise, exercise.solution_dir)
    assert not result.passed
    assert "has no hidden tests" in result.reason


def test_the_hidden_tests_never_touch_the_learner_folder(grader, tmp_path):
    exercise, learner = submission(tmp_path, {"calc.py": CALC_FIXED})
    before = sorted(p.name for p in learner.rglob("*"))
    grader.check(exercise, learner)
    assert sorted(p.name for p in learner.rglob("*")) == before


def test_a_worker_that_cannot_start_fails_the_check_and_the_next_one_recovers(tmp_path, monkeypatch):
    from mlquiz.grading.worker import WarmWorker

    exercise = make_exercise(tmp_path)
    with Grader(FAST) as grader:
        start = WarmWorker._start
        monkeypatch.setattr(WarmWorker, "_start", lambda self: (_ for _ in ()).throw(TypeError("x")))
        result = grader.check(exercise, exercise.solution_dir)
        assert not result.passed and result.reason == "the check could not run: x"
        monkeypatch.setattr(WarmWorker, "_start", start)
        assert grader.check(exercise, exercise.solution_dir).passed


def test_without_a_sandbox_a_served_check_fails_closed(tmp_path, monkeypatch):
    from mlquiz.grading import grader as grader_module

    monkeypatch.setattr(grader_module, "sandbox_problem", lambda: "no bubblewrap (bwrap) found")
    exercise = make_exercise(tmp_path)
    served = Grader(FAST, warm=False, require_sandbox=True)
    result = served.check(exercise, exercise.solution_dir)
    assert not result.passed
    assert result.reason == ("exercise checks are off on this server: no bubblewrap (bwrap) found. "
                             "The instructor can accept the risk with "
                             "`mlquiz serve --allow-unsandboxed-checks`")
    local = Grader(FAST, warm=False, require_sandbox=False)
    if os.geteuid() == 0:  # as root an unsandboxed check is refused, never run
        assert local.warning.startswith("warning: exercise checks are off here (no bubblewrap")
        refused = local.check(exercise, exercise.solution_dir)
        assert not refused.passed and refused.reason.startswith(
            "exercise checks are off: the app runs as root, and without a sandbox")
        return
    assert local.warning.startswith("warning: exercise checks run without a sandbox here")
    assert local.check(exercise, exercise.solution_dir).passed


def test_a_served_app_refuses_unsandboxed_checks_unless_the_instructor_accepts(tmp_path, monkeypatch):
    from mlquiz.grading import grader as grader_module

    monkeypatch.setattr(grader_module, "sandbox_problem", lambda: "bwrap cannot create a sandbox here")
    monkeypatch.setenv("MLQUIZ_SERVED", "1")
    monkeypatch.delenv("MLQUIZ_ALLOW_UNSANDBOXED_CHECKS", raising=False)
    exercise = make_exercise(tmp_path)
    refused = Grader(FAST, warm=False).check(exercise, exercise.solution_dir)
    assert refused.reason.startswith("exercise checks are off on this server: bwrap cannot create")
    monkeypatch.setenv("MLQUIZ_ALLOW_UNSANDBOXED_CHECKS", "1")
    accepted = Grader(FAST, warm=False).check(exercise, exercise.solution_dir)
    assert accepted.passed is (os.geteuid() != 0), accepted.reason  # root: refused even so


def test_each_hidden_test_starts_from_the_submitted_files(grader, tmp_path):
    tests = {"test_files.py": '''
        def test_a_writes(subject):
            subject.call("calc.scribble")
            assert subject.exists("note.txt") and subject.read_text("calc.py").startswith("#")

        def test_b_sees_none_of_it(subject):
            assert not subject.exists("note.txt"), "a file from the previous test is still there"
            assert subject.source("calc.py") == subject.read_text("calc.py"), "calc.py was left changed"
    '''}
    source = ("def scribble():\n"
              "    open('note.txt', 'w').write('left over')\n"
              "    text = open('calc.py').read()\n"
              "    open('calc.py', 'w').write('# changed\\n' + text)\n")
    exercise, learner = submission(tmp_path, {"calc.py": source}, tests=tests)
    result = grader.check(exercise, learner)
    assert result.passed, [(t.name, t.message) for t in result.tests]


# --- the warm worker gets the next check ready -------------------------------------------------

def _check_folders() -> set[str]:
    import tempfile
    from pathlib import Path

    return {p.name for p in Path(tempfile.gettempdir()).glob("mlquiz-check-*")}


def test_checks_leave_no_folders_behind(tmp_path):
    """Each check's own folder goes once the worker has answered (it keeps one for the
    next check); the app's submissions go at the next check; everything goes at close."""
    import tempfile
    import time
    from pathlib import Path

    exercise = make_exercise(tmp_path)
    temp = Path(tempfile.gettempdir())
    with Grader(FAST) as grader:
        for _ in range(3):
            assert grader.check(exercise, exercise.solution_dir).passed
        worker = grader._worker._process.pid
        waited = time.monotonic() + 10  # the worker cleans up after answering
        while len(spares := list(temp.glob(f"mlquiz-spare-{worker}-*"))) != 1:
            assert time.monotonic() < waited, spares  # the next check's, nothing of the three
            time.sleep(0.05)
        assert len(list(grader._root.glob("submitted-*"))) == 1  # the last one only
        root = grader._root
    assert not root.exists() and not any(temp.glob(f"mlquiz-spare-{worker}-*"))


def test_a_judge_ready_for_one_exercise_still_checks_another(tmp_path):
    first = make_exercise(tmp_path / "a")
    other_tests = {"test_calc.py": "def test_triple(subject):\n"
                                   "    assert subject.call('calc.double', 3) == 6, 'double(3) should be 6'\n"}
    second = make_exercise(tmp_path / "b", tests=other_tests)
    with Grader(FAST) as grader:
        grader.warm_up(first)  # the screen of the first exercise is open
        assert grader.check(first, first.solution_dir).passed
        switched = grader.check(second, second.starter_dir)  # the worker expected `first` again
        assert [(t.name, t.message) for t in switched.tests] == [("Triple", "double(3) should be 6")]
        assert grader.check(first, first.starter_dir).summary == "0 of 3 checks pass"
        assert grader.check(first, first.solution_dir).passed


def test_hidden_tests_that_fail_to_load_are_reported_on_every_check(grader, tmp_path):
    # the second check runs in a judge that loaded these tests before the check began
    tests = {"test_calc.py": "import no_such_module\ndef test_two(subject):\n    pass\n"}
    exercise, learner = submission(tmp_path, {"calc.py": CALC_FIXED}, tests=tests)
    grader.warm_up(exercise)
    reasons = [grader.check(exercise, learner).reason for _ in range(3)]
    assert reasons == ["the hidden tests could not be loaded: ModuleNotFoundError: "
                       "No module named 'no_such_module'"] * 3


def test_each_hidden_test_gets_the_learner_modules_fresh(grader, tmp_path):
    tests = {"test_state.py": '''
        def test_a_counts_once(subject):
            assert subject.call("calc.bump") == 1

        def test_b_counts_once_too(subject):
            assert subject.call("calc.bump") == 1, "a module global carried over from the last test"

        def test_c_and_again(subject):
            assert subject.call("calc.bump") == 1
    '''}
    source = "COUNT = 0\ndef bump():\n    global COUNT\n    COUNT += 1\n    return COUNT\n"
    exercise, learner = submission(tmp_path, {"calc.py": source}, tests=tests)
    grader.warm_up(exercise)
    for _ in range(2):
        result = grader.check(exercise, learner)
        assert result.passed, [(t.name, t.message) for t in result.tests]


def test_a_spare_whose_judge_cannot_start_leaves_no_subject_behind(tmp_path, monkeypatch):
    import tempfile
    from pathlib import Path

    import pytest

    from mlquiz.grading import runner, sandbox, spare

    started = []
    real_start = spare.start_subject

    def recording_start(*args, **kwargs):
        subject = real_start(*args, **kwargs)
        started.append(subject)
        return subject

    def no_judge(*args, **kwargs):
        raise OSError("fork: resource temporarily unavailable")

    monkeypatch.setattr(spare, "start_subject", recording_start)
    monkeypatch.setattr(runner.JudgeZygote, "fork", no_judge)
    ours = f"mlquiz-spare-{os.getpid()}-*"  # spares of this process (workers name their own)
    before = set(Path(tempfile.gettempdir()).glob(ours))
    unsandboxed = bool(sandbox.sandbox_problem())
    area = spare.CheckArea.create(not unsandboxed)
    try:
        with pytest.raises(OSError):
            spare.Spare.start(area, FAST)
    finally:
        area.close()
    assert len(started) == 1 and not started[0].running(), "the waiting subject still runs"
    assert set(Path(tempfile.gettempdir()).glob(ours)) <= before


def test_the_unsandboxed_path_grades_as_the_sandboxed_one(tmp_path, monkeypatch):
    """What a learner who is not root and has no bwrap runs: the subject and the judge's
    zygote as plain children. CI runs as root, where such checks are refused, so the
    refusal is lifted here to keep the path itself tested."""
    import subprocess

    from mlquiz.grading import grader as grader_module
    from mlquiz.grading.privileges import grading_user

    monkeypatch.setattr(grader_module, "sandbox_problem", lambda: "no bwrap here")
    # The user's other processes (a desktop session; here, sleepers) must not count
    # against the check's own process cap: outside a sandbox the kernel counts them all.
    user = grading_user()
    as_user = {"user": user[0], "group": user[1], "extra_groups": []} if user else {}
    others = [subprocess.Popen(["sleep", "30"], **as_user) for _ in range(FAST.processes + 8)]
    try:
        with Grader(FAST, require_sandbox=False) as unsandboxed:
            unsandboxed._as_root = False
            fixed = unsandboxed.check(*submission(tmp_path / "fixed", {"calc.py": CALC_FIXED}))
            broken = unsandboxed.check(*submission(tmp_path / "broken", {"calc.py": CALC_BROKEN}))
    finally:
        for other in others:
            other.kill()
            other.wait()
    assert fixed.passed, fixed.summary
    assert [t.message for t in broken.tests][:2] == ["double(2) should be 4, got 5",
                                                     "double(0) should be 0"]
