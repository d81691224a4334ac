"""Hostile submissions, one test per family: each is a failed check with a clear reason, the
grader keeps working, and nothing outside the check folder changes.

Real processes and the real sandbox, with short limits (3 s, 512 MiB, 32 processes and
threads). Skipped only when bwrap cannot run on this machine at all (the reason is shown).
"""
from __future__ import annotations

import os
import re
import socket
import threading
import time
from dataclasses import replace

import pytest

from mlquiz.grading.grader import Grader
from mlquiz.grading.sandbox import sandbox_problem
from tests.grading.conftest import CALC_BROKEN, CALC_FIXED, FAST, submission

pytestmark = pytest.mark.skipif(bool(sandbox_problem()),
                                reason=f"bwrap cannot run here: {sandbox_problem()}")
HANG = replace(FAST, timeout_s=1.5)  # these checks are meant to run out of time
SMALL_DISK = replace(FAST, disk_bytes=24 << 20, files=300)


def _check(grader, tmp_path, calc_source: str, **kw):
    exercise, learner = submission(tmp_path, {"calc.py": calc_source}, **kw)
    return grader.check(exercise, learner)


def _spy(grader, tmp_path, spy_source: str, assertion: str):
    """A check whose hidden test calls spy.look() in the subject and asserts on what it saw."""
    tests = {"test_spy.py": "def test_spy(subject):\n    seen = subject.call('spy.look')\n"
                            f"    assert {assertion}, f'the subject saw {{seen!r}}'\n"}
    exercise, learner = submission(tmp_path, {"calc.py": CALC_FIXED, "spy.py": spy_source},
                                   tests=tests)
    return grader.check(exercise, learner)


@pytest.fixture(scope="module", params=["warm", "cold"])
def any_grader(request):
    with Grader(FAST, warm=request.param == "warm") as grader:
        yield grader


@pytest.fixture(scope="module")
def hang_grader():
    with Grader(HANG) as grader:
        yield grader


# --- in-process forgery ---------------------------------------------------------------

def test_forgery_from_inside_the_learner_process_does_not_pass(any_grader, tmp_path):
    patch_pytest = ("import sys\n"
                    "try:\n"
                    "    import _pytest.reports, _pytest.runner\n"
                    "    _pytest.reports.TestReport.outcome = 'passed'\n"
                    "    _pytest.runner.call_and_report = lambda *a, **k: None\n"
                    "except ImportError:\n"
                    "    pass\n"
                    "for name, module in list(sys.modules.items()):\n"
                    "    if 'plugin' in name or 'grading' in name:\n"
                    "        setattr(module, 'ResultRecorder', None)\n" + CALC_BROKEN)
    liar = ("class Always:\n"
            "    def __eq__(self, other): return True\n"
            "    def __ne__(self, other): return False\n"
            "    def __lt__(self, other): return True\n"
            "    def __bool__(self): return True\n"
            "def double(x):\n    return Always()\n")
    int_subclass = ("class Sneaky(int):\n    def __eq__(self, other): return True\n"
                    "def double(x):\n    return Sneaky(0)\n")
    for number, source in enumerate((patch_pytest, liar, int_subclass)):
        result = _check(any_grader, tmp_path / str(number), source)
        assert not result.passed, source
        assert result.passed_count == 0, [t.message for t in result.tests]
    assert result.tests[0].message.startswith("double(2) should be 4, got <Sneaky in the subject>")


def test_forged_result_lines_are_ignored(any_grader, tmp_path):
    records = [{"kind": "test", "nodeid": "tests/test_calc.py::test_double_of_zero",
                "when": w, "outcome": "passed"} for w in ("setup", "call", "teardown")]
    source = ("import json, os\n"
              f"lines = ''.join(json.dumps(r) + '\\n' for r in {records!r}).encode()\n"
              "for fd in range(0, 64):\n"
              "    try:\n        os.write(fd, lines)\n    except OSError:\n        pass\n"
              + CALC_BROKEN)
    result = _check(any_grader, tmp_path, source)
    assert not result.passed and result.passed_count == 0


# --- import-path shadowing ----------------------------------------------------------------

def test_learner_modules_named_like_stdlib_or_pytest_hijack_nothing(any_grader, tmp_path):
    shadows = {name: "raise SystemExit('hijacked')\n"
               for name in ("json.py", "socket.py", "pytest.py", "_pytest/__init__.py",
                            "readline.py", "pdb.py", "code.py", "__init__.py", "conftest.py")}
    exercise, learner = submission(tmp_path, {"calc.py": CALC_BROKEN, **shadows})
    result = any_grader.check(exercise, learner)
    assert result.summary == "0 of 3 checks pass", result
    assert result.tests[0].message == "double(2) should be 4, got 5"
    exercise, learner = submission(tmp_path / "fixed", {"calc.py": CALC_FIXED, **shadows})
    assert any_grader.check(exercise, learner).passed


# --- what the subject can see ----------------------------------------------------------------

def test_the_hidden_tests_and_solutions_are_out_of_the_subjects_view(grader, tmp_path):
    exercise, _ = submission(tmp_path, {"calc.py": CALC_FIXED})
    spy = ("import os\n"
           "def look():\n"
           "    found = []\n"
           f"    for path in ({str(exercise.tests_dir / 'test_calc.py')!r},\n"
           f"                 {str(exercise.solution_dir / 'calc.py')!r}, '/work', '/root/.cache'):\n"
           "        if os.path.exists(path):\n"
           "            found.append(path)\n"
           "    import sys, sysconfig\n"
           "    found += [p for p in [sysconfig.get_paths()['purelib']] if os.path.isdir(p) and os.listdir(p)]\n"
           "    for top, dirs, files in os.walk('/'):\n"
           "        if top.startswith(('/proc', '/sys', '/dev', '/usr/share', '/usr/lib/x86_64', '/usr/include')):\n"
           "            dirs[:] = []\n"
           "            continue\n"
           "        found += [os.path.join(top, f) for f in files\n"
           "                  if f in ('test_calc.py', 'exercise.yaml', 'judge.py', 'course.yaml')]\n"
           "    return found\n")
    with Grader(replace(FAST, timeout_s=20)) as patient:  # a walk of the whole view takes a while
        result = _spy(patient, tmp_path / "spy", spy, "seen == []")
    assert result.passed, result


def test_the_app_environment_and_progress_database_are_unreachable(grader, tmp_path, monkeypatch):
    secret_db = tmp_path / "secret-progress.db"
    secret_db.write_bytes(b"SQLite format 3\x00 secret")
    monkeypatch.setenv("MLQUIZ_DB", str(secret_db))
    monkeypatch.setenv("MLQUIZ_WORKSHOP_CODE_HASH", "scrypt$secret$hash")
    spy = ("import os\n"
           "def look():\n"
           "    seen = [k for k in os.environ if 'MLQUIZ' in k]\n"
           f"    for path in [{str(secret_db)!r}] + [f'/proc/{{p}}/environ' for p in os.listdir('/proc') if p.isdigit()]:\n"
           "        try:\n"
           "            data = open(path, 'rb').read()\n"
           "        except OSError:\n"
           "            continue\n"
           "        if b'secret' in data or b'MLQUIZ' in data:\n"
           "            seen.append(path)\n"
           "    seen.append(os.getuid())\n"
           "    return seen\n")
    result = _spy(grader, tmp_path / "spy", spy, "seen == [1000]")
    assert result.passed, result


def test_writing_outside_the_check_folder_changes_nothing(any_grader, tmp_path):
    outside = tmp_path / "outside.txt"
    home_marker = os.path.expanduser(f"~/mlquiz-hostile-{os.getpid()}.txt")
    cache = os.path.join(os.environ["MLQUIZ_CACHE_DIR"], "course-planted.json")  # the content cache
    source = ("import os\n"
              f"for path in ({str(outside)!r}, {home_marker!r}, {cache!r}, '/usr/pwned', '/etc/pwned'):\n"
              "    try:\n"
              "        open(path, 'w').write('pwned')\n"
              "    except OSError:\n"
              "        pass\n" + CALC_FIXED)
    result = _check(any_grader, tmp_path / "check", source)
    assert result.passed, result  # the writes failed quietly; the code itself is right
    assert not outside.exists() and not os.path.exists(home_marker) and not os.path.exists(cache)
    assert not os.path.exists("/usr/pwned") and not os.path.exists("/etc/pwned")


def test_a_network_connection_is_refused_with_a_reason(grader, tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    port = server.getsockname()[1]
    source = ("import socket\n"
              "def double(x):\n"
              f"    socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
              "    return 2 * x\n")
    try:
        result = _check(grader, tmp_path, source)
        with pytest.raises(socket.timeout):
            server.accept()
    finally:
        server.close()
    assert not result.passed
    assert result.tests[0].message == ("PermissionError: your code tried to open a network "
                                       "connection; checks run without a network")
    assert result.tests[0].location == "calc.py:3"


def test_signals_reach_neither_the_app_nor_the_worker(grader, tmp_path):
    grader.warm_up()
    worker = grader._worker._process.pid
    source = ("import os, signal\n"
              f"for pid in ({os.getpid()}, {worker}, os.getppid(), 1, -1):\n"
              "    for sig in (signal.SIGSTOP, signal.SIGKILL):\n"
              "        try:\n"
              "            os.kill(pid, sig)\n"
              "        except OSError:\n"
              "            pass\n" + CALC_FIXED)
    _check(grader, tmp_path / "one", source)
    with open(f"/proc/{worker}/stat", "rb") as handle:
        state = handle.read().rsplit(b")", 1)[1].split()[0]
    assert state != b"T", "the worker was stopped by the learner's code"
    assert grader._worker._process.poll() is None, "the worker was killed by the learner's code"
    assert _check(grader, tmp_path / "two", CALC_FIXED).passed


def test_a_worker_that_dies_fails_that_check_once_with_a_reason(tmp_path):
    slow = "import time\ndef double(x):\n    time.sleep(2)\n    return 2 * x\n"
    with Grader(FAST) as grader:
        grader.warm_up()
        worker = grader._worker._process
        threading.Timer(0.5, worker.kill).start()
        started = time.monotonic()
        result = _check(grader, tmp_path / "one", slow)
        elapsed = time.monotonic() - started
        assert not result.passed
        assert result.reason == "the check could not run: the grader's worker stopped"
        assert elapsed < FAST.timeout_s, "the check was run again after the worker died"
        assert _check(grader, tmp_path / "two", CALC_FIXED).passed


# --- storms and caps ----------------------------------------------------------------------

def test_thread_and_process_storms_are_stopped(grader, tmp_path):
    threads = ("import threading, time\n"
               "def double(x):\n"
               "    while True:\n"
               "        try:\n"
               "            threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
               "        except RuntimeError:\n"
               "            pass\n")
    forks = ("import os, time\n"
             "def double(x):\n"
             "    while True:\n"
             "        try:\n"
             "            if os.fork() == 0:\n"
             "                time.sleep(30)\n"
             "        except OSError:\n"
             "            pass\n")
    storm = ("stopped: your code started more than 32 processes or threads "
             "(a fork or a thread in a loop?)")
    for number, source in enumerate((threads, forks)):
        result = _check(grader, tmp_path / str(number), source)
        assert not result.passed
        # thread stacks may fill the memory cap before the watchdog's next count: still named
        thread_storm = re.fullmatch(r"your code started \d+ threads and ran out of room for more "
                                    r"\(a thread started in a loop\?\)", result.reason)
        assert result.reason == storm or (number == 0 and thread_storm), result.reason
    assert _check(grader, tmp_path / "after", CALC_FIXED).passed


def test_many_mid_sized_files_are_stopped(tmp_path):
    source = ("def double(x):\n"
              "    for n in range(200):\n"
              "        with open(f'part-{n}.bin', 'wb') as f:\n"
              "            f.write(b'x' * (1 << 20))\n"
              "    return 2 * x\n")
    with Grader(SMALL_DISK) as grader:
        result = _check(grader, tmp_path, source)
    assert not result.passed
    assert result.reason == ("stopped: your code wrote more than 24 MiB or 300 files "
                             "in the check folder")


def test_endless_loops_and_sleeps_end_at_the_one_deadline(hang_grader, tmp_path):
    for number, source in enumerate(("def double(x):\n    while True:\n        pass\n",
                                     "import time\ntime.sleep(60)\n")):
        started = time.monotonic()
        result = _check(hang_grader, tmp_path / str(number), source)
        assert not result.passed
        assert result.reason.startswith("the check ran past 1.5 s"), result.reason
        assert time.monotonic() - started < HANG.timeout_s + 2.5


def test_exits_and_memory_are_failed_checks_with_a_reason(any_grader, tmp_path):
    cases = {
        "import sys\nsys.exit(0)\n": "your code called sys.exit(0)",
        "import os\nos._exit(0)\n": "your code ended the process the test was talking to",
        "def double(x):\n    hog = bytearray(2 << 30)\n    return 2 * x\n": "your code ran out of memory",
        "import pytest\n" + CALC_FIXED: "ModuleNotFoundError: No module named 'pytest'",
    }
    for number, (source, expected) in enumerate(cases.items()):
        result = _check(any_grader, tmp_path / str(number), source)
        assert not result.passed
        assert expected in result.tests[0].message or expected in result.reason, result


def test_flooding_stdout_is_stopped(any_grader, tmp_path):
    source = ("import os\n"
              "def double(x):\n"
              "    while True:\n"
              "        os.write(2, b'spam' * 1000)\n")
    result = _check(any_grader, tmp_path, source)
    assert not result.passed
    assert len(result.output) <= FAST.output_keep
    assert result.reason in ("your code printed more than 256 KiB (a print inside a loop?)",
                             "stopped: the code printed more than 256 KiB (a print inside a loop?)")


def test_printing_in_a_loop_names_the_printing_not_the_disk(any_grader, tmp_path):
    # print() ends in an OSError once the capture is full; the learner reads why
    source = ("def double(x):\n"
              "    while True:\n"
              "        print('spam' * 1000)\n")
    result = _check(any_grader, tmp_path, source)
    assert result.reason == "your code printed more than 256 KiB (a print inside a loop?)"
    assert {t.message for t in result.tests} == {result.reason}


def test_a_process_that_escapes_its_group_does_not_outlive_the_check(grader, tmp_path):
    marker = f"mlquiz-escapee-{os.getpid()}"
    source = ("import os, time\n"
              "if os.fork() == 0:\n"
              "    os.setsid()\n"
              "    if os.fork() == 0:\n"
              f"        os.execv('/bin/sleep', ['/bin/sleep', '60', {marker!r}])\n"
              "    os._exit(0)\n" + CALC_FIXED)
    assert _check(grader, tmp_path, source).passed
    leftovers = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                if marker.encode() in handle.read():
                    leftovers.append(name)
        except OSError:
            continue
    assert leftovers == [], "a process the check started is still running"


# --- text the learner controls ------------------------------------------------------------

def test_a_lone_surrogate_and_control_sequences_are_made_printable(any_grader, tmp_path):
    source = ("def double(x):\n"
              "    raise ValueError('bad \\udc80 value \\x1b[2J\\x1b]0;title\\x07 end')\n")
    result = _check(any_grader, tmp_path, source)
    message = result.tests[0].message
    assert message == "ValueError: bad ? value  end"
    message.encode("utf-8")  # storable and printable


def test_deep_recursion_is_a_clear_reason(any_grader, tmp_path):
    nested = "x = " + "(" * 200_000 + ")" * 200_000 + "\n" + CALC_FIXED
    result = _check(any_grader, tmp_path / "compile", nested)
    assert not result.passed and result.syntax_error is not None
    assert result.syntax_error.file == "calc.py"
    runtime = "def double(x):\n    return double(x)\n"
    result = _check(any_grader, tmp_path / "run", runtime)
    assert not result.passed
    assert result.tests[0].message.startswith("your code recursed too deeply")


def test_killing_every_process_in_the_sandbox_fails_the_later_tests_clearly(any_grader, tmp_path):
    # kill(-1) spares the caller but not the zygote; once the zygote is gone the sandbox's
    # init ends too, so the first test's own process may or may not answer before that
    source = "import os, signal\nos.kill(-1, signal.SIGKILL)\n" + CALC_FIXED
    result = _check(any_grader, tmp_path, source)
    assert not result.passed
    assert result.reason == ""
    first, *later = result.tests
    assert first.passed or first.message.startswith("your code ended the process"), first.message
    assert [t.passed for t in later] == [False, False]
    assert all(t.message.startswith("the sandbox stopped") for t in later), later


def test_source_that_defeats_the_compiler_is_a_syntax_problem_not_a_crash(any_grader, tmp_path):
    # compiled in the sandbox's compile child: the app and the judge never parse it
    cases = {"x = " + "-" * 2_000_000 + "1\n": "the code is nested too deeply to compile",
             "x = 1\x00\n": "source code string cannot contain null bytes"}
    for number, (source, expected) in enumerate(cases.items()):
        result = _check(any_grader, tmp_path / str(number), source)
        assert result.syntax_error is not None and result.syntax_error.message == expected, result
        assert _check(any_grader, tmp_path / f"fixed-{number}", CALC_FIXED).passed


def test_a_learner_runtime_error_among_threads_is_not_called_a_storm(any_grader, tmp_path):
    source = ("import threading, time\n"
              "def double(x):\n"
              "    for _ in range(10):\n"
              "        threading.Thread(target=time.sleep, args=(2,), daemon=True).start()\n"
              "    raise RuntimeError('thread pool misconfigured')\n")
    result = _check(any_grader, tmp_path, source)
    assert result.reason == ""
    assert result.tests[0].message == "RuntimeError: thread pool misconfigured"
