"""The verdict is a pure function of what the judge left: a table per reason, no process."""
from __future__ import annotations

import pytest

from mlquiz.grading.results import RawRun
from mlquiz.grading.spec import Limits, Reason
from mlquiz.grading.verdict import verdict

LIMITS = Limits(timeout_s=3, processes=32, disk_bytes=24 << 20, files=300, folder_depth=64,
                output_bytes=256 << 10, memory_bytes=512 << 20)
EXPECTED = ["test_calc.py::test_two", "test_calc.py::test_zero", "test_calc.py::TestNeg::test_minus_one"]


def _test(nodeid: str, outcome: str = "passed", when: str = "call", **extra) -> dict:
    return {"kind": "test", "nodeid": nodeid, "when": when, "outcome": outcome, "type": "",
            "message": "", "where": "", "code": "", **extra}


def _passing(*failures: dict) -> list[dict]:
    """Setup and call records of every expected test (passed unless given), then finish."""
    failed = {f["nodeid"] for f in failures}
    records = []
    for nodeid in EXPECTED:
        records.append(_test(nodeid, when="setup"))
        if nodeid not in failed:
            records.append(_test(nodeid))
    return records + list(failures) + [{"kind": "finish", "exitstatus": 1 if failures else 0}]


FAIL = _test(EXPECTED[1], "failed", type="AssertionError", message="double(0) should be 0")
FLOOD = _test(EXPECTED[0], "failed", type="SubjectGone", code=Reason.FLOOD,
              message="your code printed more than 256 KiB (a print inside a loop?)")
THREADS = _test(EXPECTED[0], "failed", type="SubjectGone", code=Reason.THREADS,
                message="your code started 40 threads and ran out of room for more "
                        "(a thread started in a loop?)")
MEMORY = _test(EXPECTED[0], "failed", type="MemoryError", code=Reason.MEMORY)
TIMEOUT = _test(EXPECTED[0], "failed", type="SubjectTimeout", code=Reason.TIMEOUT,
                message="the check ran past 3 s: your code was still running")
LOOKALIKE = _test(EXPECTED[0], "failed", type="RuntimeError",
                  message="your code printed more than 1 KiB (a print inside a loop?)")

CASES = [
    # (name, raw run, passed, reason, test messages in order)
    ("all pass", RawRun(records=_passing()), True, "", ["", "", ""]),
    ("one fails", RawRun(records=_passing(FAIL)), False, "", ["", "double(0) should be 0", ""]),
    ("runner error", RawRun(error="the grader's worker stopped"), False,
     "the check could not run: the grader's worker stopped", ["did not run"] * 3),
    ("sandbox not run", RawRun(records=[{"kind": "sandbox_error", "code": Reason.NOT_RUN,
                                         "message": "the sandbox did not start (no bwrap)"}]),
     False, "the sandbox did not start (no bwrap)", ["did not run"] * 3),
    ("runner timeout", RawRun(records=_passing()[:2], timed_out=True), False,
     "the check ran past 3 s: your code was still running (an endless loop, a long sleep?)",
     ["", "did not run", "did not run"]),
    ("judge timeout code", RawRun(records=_passing(TIMEOUT)), False,
     "the check ran past 3 s: your code was still running (an endless loop, a long sleep?)",
     ["the check ran past 3 s: your code was still running", "", ""]),
    ("process storm", RawRun(too_many_processes=True), False,
     "stopped: your code started more than 32 processes or threads (a fork or a thread in a loop?)",
     ["did not run"] * 3),
    ("disk", RawRun(disk_full=True), False,
     "stopped: your code wrote more than 24 MiB or 300 files in the check folder", ["did not run"] * 3),
    ("depth", RawRun(too_deep=True), False,
     "stopped: your code nested folders more than 64 deep in the check folder "
     "(a folder made inside itself in a loop?)", ["did not run"] * 3),
    ("flooded pipe", RawRun(flooded=True), False,
     "stopped: the code printed more than 256 KiB (a print inside a loop?)", ["did not run"] * 3),
    ("flood code in a test", RawRun(records=_passing(FLOOD)), False,
     "your code printed more than 256 KiB (a print inside a loop?)",
     ["your code printed more than 256 KiB (a print inside a loop?)", "", ""]),
    ("thread storm code", RawRun(records=_passing(THREADS)), False,
     "your code started 40 threads and ran out of room for more (a thread started in a loop?)",
     [THREADS["message"], "", ""]),
    ("memory code", RawRun(records=_passing(MEMORY)), False,
     "your code ran out of memory (the limit is 512 MiB)", ["your code ran out of memory", "", ""]),
    ("a learner message is not a code", RawRun(records=_passing(LOOKALIKE)), False, "",
     ["RuntimeError: your code printed more than 1 KiB (a print inside a loop?)", "", ""]),
    ("collect error", RawRun(records=[{"kind": "collect_error", "nodeid": "test_calc.py",
                                       "type": "ImportError", "message": "no module named x"},
                                      {"kind": "finish", "exitstatus": 2}]), False,
     "the hidden tests could not be loaded: ImportError: no module named x", ["did not run"] * 3),
    ("judge died", RawRun(records=_passing()[:3], exit_code=70), False,
     "the tests did not finish: the process exited with code 70 before all tests ran; "
     "does your code call os._exit() or sys.exit()?", ["", "did not run", "did not run"]),
    ("a test never reported", RawRun(records=_passing()[:-3] + [{"kind": "finish", "exitstatus": 0}]),
     False, "1 of 3 hidden tests never reported (Neg: minus one)", ["", "", "did not run"]),
    ("a skipped test does not pass", RawRun(records=_passing(
        _test(EXPECTED[2], "skipped", when="setup", type="Skipped", message="needs numpy"))),
     False, "", ["", "", "this check was skipped, so it did not pass: needs numpy"]),
    ("records of another check are ignored", RawRun(records=[]), False,
     "the tests did not finish: the process exited with code None before all tests ran; "
     "does your code call os._exit() or sys.exit()?", ["did not run"] * 3),
]


@pytest.mark.parametrize("name, raw, passed, reason, messages", CASES, ids=[c[0] for c in CASES])
def test_the_verdict_of_each_kind_of_run(name, raw, passed, reason, messages):
    result = verdict(raw, EXPECTED, LIMITS)
    assert result.passed is passed
    assert result.reason == reason
    assert [t.message for t in result.tests] == messages


def test_the_check_wide_reason_comes_first_in_one_order():
    """A runner error outranks a timeout, which outranks a storm, the disk and a flood."""
    everything = RawRun(error="boom", timed_out=True, too_many_processes=True, disk_full=True,
                        too_deep=True, flooded=True)
    assert verdict(everything, EXPECTED, LIMITS).reason == "the check could not run: boom"
    assert verdict(RawRun(timed_out=True, too_many_processes=True), EXPECTED,
                   LIMITS).reason.startswith("the check ran past 3 s")


def test_a_syntax_problem_is_the_verdict_and_is_located():
    raw = RawRun(records=[{"kind": "syntax", "error": "SyntaxError", "file": "calc.py", "line": 2,
                           "col": 5, "message": "invalid syntax", "text": "def double(x)\n",
                           "end_offset": 6}])
    result = verdict(raw, EXPECTED, LIMITS)
    assert not result.passed and result.syntax_error is not None
    assert result.syntax_error.file == "calc.py" and result.syntax_error.line == 2
    assert result.tests == ()


def test_text_the_learner_shaped_is_made_printable():
    hostile = _test(EXPECTED[0], "failed", type="ValueError", message="bad \x1b]0;owned\x07 value")
    result = verdict(RawRun(records=_passing(hostile), output="\x1b[2Jcleared"), EXPECTED, LIMITS)
    assert "\x1b" not in result.tests[0].message and "\x07" not in result.tests[0].message
    assert "\x1b" not in result.output
