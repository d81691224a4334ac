"""Hostile submissions: each is a failed check with a clear reason, and the grader keeps working.

Limits are short here (3 s, 512 MiB, 32 processes) so the file stays fast.
"""
from __future__ import annotations

import os

import pytest

from mlquiz.grading.grader import Grader
from dataclasses import replace

from tests.grading.conftest import CALC_FIXED, FAST, submission

HANG = replace(FAST, timeout_s=1.5)  # these checks are meant to run out of time


def _check(grader, tmp_path, calc_source: str, **kw):
    exercise, learner = submission(tmp_path, {"calc.py": calc_source}, **kw)
    return grader.check(exercise, learner)


@pytest.fixture(scope="module", params=["warm", "cold"])
def any_grader(request):
    with Grader(FAST, warm=request.param == "warm") as grader:
        yield grader


@pytest.fixture(scope="module")
def hang_grader():
    with Grader(HANG) as grader:
        yield grader


def test_sys_exit_while_imported(any_grader, tmp_path):
    result = _check(any_grader, tmp_path, "import sys\nsys.exit(0)\n" + CALC_FIXED)
    assert not result.passed
    assert result.reason == "your code called sys.exit() while it was being imported (calc.py:2)"


def test_sys_exit_inside_a_test(any_grader, tmp_path):
    result = _check(any_grader, tmp_path, "import sys\ndef double(x):\n    sys.exit(0)\n")
    assert not result.passed
    assert result.tests[0].message == "your code called sys.exit(0)"


def test_os_exit_zero_while_imported(any_grader, tmp_path):
    result = _check(any_grader, tmp_path, "import os\nos._exit(0)\n")
    assert not result.passed
    assert "exited with code 0 before all tests ran" in result.reason


def test_os_exit_zero_after_printing_a_fake_pass(any_grader, tmp_path):
    source = ("import os, sys\n"
              "def double(x):\n"
              "    print('=== 3 passed in 0.01s ===')\n"
              "    sys.stdout.flush()\n"
              "    os._exit(0)\n")
    result = _check(any_grader, tmp_path, source)
    assert not result.passed
    assert "did not finish" in result.reason
    assert "3 passed" in result.output  # shown, never believed


def test_an_endless_loop_is_stopped_by_the_clock(hang_grader, tmp_path):
    with Grader(HANG, warm=False) as cold:
        for grader in (hang_grader, cold):
            result = _check(grader, tmp_path / str(id(grader)),
                            "def double(x):\n    while True:\n        pass\n")
            assert not result.passed
            assert result.reason.startswith("stopped after 1.5 s: the code was still running")


def test_a_long_sleep_is_stopped_by_the_clock(hang_grader, tmp_path):
    result = _check(hang_grader, tmp_path, "import time\ntime.sleep(60)\n")
    assert result.reason.startswith("stopped after 1.5 s")


def test_eating_memory_fails_and_names_memory(any_grader, tmp_path):
    source = "def double(x):\n    hog = bytearray(2 << 30)\n    return 2 * x\n"
    result = _check(any_grader, tmp_path, source)
    assert not result.passed
    assert "memory" in result.reason


def test_a_fork_bomb_is_stopped(grader, tmp_path):
    source = ("import os\n"
              "def double(x):\n"
              "    while True:\n"
              "        try:\n"
              "            os.fork()\n"
              "        except OSError:\n"
              "            pass\n")
    result = _check(grader, tmp_path, source)
    assert not result.passed
    assert result.reason.startswith(("stopped: the code started more than 32 processes",
                                     "stopped after 3 s"))
    # and nothing of it survives the check: the next check runs normally
    assert _check(grader, tmp_path / "again", CALC_FIXED).passed


def test_a_fork_bomb_cannot_fake_results(grader, tmp_path):
    # Forked copies of the test process run the remaining tests too; only the
    # original process may report.
    source = ("import os\n"
              "def double(x):\n"
              "    if os.fork() == 0:\n"
              "        return 2 * x\n"
              "    os.wait()\n"
              "    return -1\n")
    result = _check(grader, tmp_path, source)
    assert not result.passed
    assert result.passed_count == 0


def test_flooding_stdout_is_stopped(any_grader, tmp_path):
    source = "def double(x):\n    while True:\n        print('spam' * 1000)\n"
    result = _check(any_grader, tmp_path, source)
    assert not result.passed
    assert result.reason.startswith("stopped: the code printed more than 256 KiB")
    assert len(result.output) <= FAST.output_keep


def test_a_huge_file_is_refused(grader, tmp_path):
    source = ("def double(x):\n"
              "    with open('big.bin', 'wb') as f:\n"
              "        f.write(b'x' * (64 << 20))\n"
              "    return 2 * x\n")
    result = _check(grader, tmp_path, source)
    assert not result.passed


def test_deleting_the_hidden_tests_fails(any_grader, tmp_path):
    # Imported by the first test file, it removes the second before pytest collects it.
    tests = {
        "test_a.py": "from calc import double\n"
                     "def test_two():\n    assert double(2) == 4, 'double(2) should be 4'\n",
        "test_b.py": "from calc import double\n"
                     "def test_zero():\n    assert double(0) == 1, 'this one cannot pass'\n",
    }
    source = ("import pathlib, shutil\n"
              "for path in pathlib.Path('.').rglob('test_b.py'):\n"
              "    try:\n        path.unlink()\n    except OSError:\n        pass\n"
              + CALC_FIXED)
    result = _check(any_grader, tmp_path, source, tests=tests)
    assert not result.passed


def test_rewriting_the_hidden_tests_fails(any_grader, tmp_path):
    tests = {
        "test_a.py": "from calc import double\n"
                     "def test_two():\n    assert double(2) == 4, 'double(2) should be 4'\n",
        "test_b.py": "from calc import double\n"
                     "def test_zero():\n    assert double(0) == 1, 'this one cannot pass'\n",
    }
    source = ("import os, pathlib\n"
              "for path in pathlib.Path('.').rglob('test_b.py'):\n"
              "    try:\n"
              "        os.chmod(path, 0o644); os.chmod(path.parent, 0o755)\n"
              "        path.write_text('def test_zero():\\n    pass\\n')\n"
              "    except OSError:\n        pass\n"
              + CALC_FIXED)
    result = _check(any_grader, tmp_path, source, tests=tests)
    assert not result.passed


def test_skipping_a_test_from_learner_code_does_not_pass(grader, tmp_path):
    source = "import pytest\ndef double(x):\n    pytest.skip('not today')\n"
    result = _check(grader, tmp_path, source)
    assert not result.passed
    assert result.tests[0].message == "this check was skipped, so it did not pass: not today"


def test_the_child_sees_no_path_to_the_progress_database(grader, tmp_path, monkeypatch):
    monkeypatch.setenv("MLQUIZ_DB", str(tmp_path / "secret.db"))
    tests = {"test_env.py": '''
        import os
        import calc

        def test_environment_is_scrubbed():
            leaked = sorted(k for k, v in os.environ.items()
                            if k.startswith("MLQUIZ") or "secret.db" in v)
            assert not leaked, f"leaked: {leaked}"
            assert os.environ["PYTHONHASHSEED"] == "0", "hash seed should be fixed"
            assert os.environ["HOME"] != os.path.expanduser("~root"), "HOME should be private"
    '''}
    result = _check(grader, tmp_path, CALC_FIXED, tests=tests)
    assert result.passed, result


def test_the_grader_keeps_working_after_hostile_checks(hang_grader, tmp_path):
    _check(hang_grader, tmp_path / "one", "import os\nos._exit(3)\n")
    _check(hang_grader, tmp_path / "two", "def double(x):\n    while True:\n        pass\n")
    assert _check(hang_grader, tmp_path / "three", CALC_FIXED).passed


def test_a_killed_worker_is_replaced_and_leaves_no_folder_behind(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "checks"))
    (tmp_path / "checks").mkdir()
    with Grader(FAST) as grader:
        assert _check(grader, tmp_path / "one", CALC_FIXED).passed
        worker = grader._worker._process
        worker.kill()  # possibly before it deleted the check folder
        worker.wait()
        assert _check(grader, tmp_path / "two", CALC_FIXED).passed
    assert list((tmp_path / "checks").iterdir()) == []


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs Linux /proc")
def test_a_process_that_escapes_its_group_does_not_outlive_the_check(grader, tmp_path):
    source = ("import os, time\n"
              "child = os.fork()\n"
              "if child == 0:\n"
              "    os.setsid()\n"
              "    if os.fork() == 0:\n"
              "        time.sleep(60)\n"
              "    os._exit(0)\n"
              "os.waitpid(child, 0)\n"
              "print('escaped-pid', child, flush=True)\n" + CALC_FIXED)
    result = _check(grader, tmp_path, source)
    assert result.passed, result
    session = int(result.output.split("escaped-pid")[1].split()[0])
    leftovers = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session:  # same session as the escaped daemon
            leftovers.append(name)
    assert leftovers == [], "a process the check started is still running"


def test_forged_result_lines_are_ignored(any_grader, tmp_path):
    # Writes "every test passed" straight into each open pipe, then leaves before pytest reports.
    expected = ["test_calc.py::test_double_of_two_is_four", "test_calc.py::test_double_of_zero",
                "test_calc.py::TestNegativeNumbers::test_minus_one"]
    records = [{"kind": "start", "pid": 1}]
    records += [{"kind": "test", "nodeid": f"_hidden_tests/{e}", "when": when, "outcome": "passed"}
                for e in expected for when in ("setup", "call", "teardown")]
    records.append({"kind": "finish", "exitstatus": 0})
    source = ("import json, os\n"
              f"lines = ''.join(json.dumps(r) + '\\n' for r in {records!r}).encode()\n"
              "for fd in range(3, 64):\n"
              "    try:\n        os.write(fd, lines)\n    except OSError:\n        pass\n"
              "os._exit(0)\n")
    result = _check(any_grader, tmp_path, source)
    assert not result.passed
    assert result.passed_count == 0
