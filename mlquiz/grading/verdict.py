"""The verdict: a pure function from what the judge left (RawRun) to what the learner reads.

    result = verdict(raw, expected_tests(exercise.tests_dir), limits)     # CheckResult

A check passes only if every hidden test found by reading the test files reported
through the judge's plugin and passed. Problems of the whole check are decided on
their codes (spec.Reason) and the runner's flags, in one order: the runner's own
error, a sandbox that could not run, the timeout, a process storm, the disk, the
depth, the output flood, hidden tests that could not load, a judge that died, tests
that never reported; then a flood or storm named in one test, then memory. No
process is started here.
"""
from __future__ import annotations

from dataclasses import replace

from mlquiz.grading.feedback import (death_reason, failure_message, plain_test_name, printable,
                                     syntax_problem)
from mlquiz.grading.results import CheckResult, RawRun, TestOutcome
from mlquiz.grading.spec import Limits, Reason


def _strip_params(nodeid: str) -> str:
    return nodeid.split("[", 1)[0]


def verdict(raw: RawRun, expected: list[str], limits: Limits) -> CheckResult:
    """The verdict, with every text the learner's code could shape made printable
    (no terminal control sequences, no lone surrogates)."""
    result = _verdict(raw, expected, limits)
    problem = result.syntax_error
    if problem is not None:
        problem = replace(problem, message=printable(problem.message),
                          source_line=printable(problem.source_line), file=printable(problem.file))
    tests = tuple(replace(t, message=printable(t.message), location=printable(t.location))
                  for t in result.tests)
    return replace(result, tests=tests, reason=printable(result.reason), syntax_error=problem,
                   output=printable(result.output))


def _verdict(raw: RawRun, expected: list[str], limits: Limits) -> CheckResult:
    """Turn the plugin's records into a verdict. Pure: no processes, easy to test."""
    records = [r for r in raw.records if isinstance(r, dict)]
    finished = any(r.get("kind") == "finish" for r in records)
    syntax = next((r for r in records if r.get("kind") == "syntax"), None)
    sandbox_error = next((r for r in records if r.get("kind") == "sandbox_error"), None)
    collect_errors = [r for r in records if r.get("kind") in ("collect_error", "internal_error")]
    by_test: dict[str, list[dict]] = {}
    for record in records:
        if record.get("kind") == "test" and isinstance(record.get("nodeid"), str):
            by_test.setdefault(_strip_params(record["nodeid"].split("/", 1)[-1]), []).append(record)

    outcomes: list[TestOutcome] = []
    for nodeid in expected:
        phases = by_test.get(nodeid, [])
        bad = next((p for p in phases if p.get("outcome") != "passed"), None)
        ran_call = any(p.get("when") == "call" for p in phases)
        name = plain_test_name(nodeid)
        if bad is not None:
            outcomes.append(TestOutcome(nodeid, name, False, failure_message(bad), bad.get("where", "")))
        elif ran_call:
            outcomes.append(TestOutcome(nodeid, name, True))
        else:
            outcomes.append(TestOutcome(nodeid, name, False, "did not run"))

    if syntax is not None:
        problem = syntax_problem({**syntax, "kind": syntax.get("error")})
        return CheckResult(False, reason=problem.headline, syntax_error=problem, output=raw.output)
    codes = {r.get("code") for r in _records_of(by_test) if r.get("outcome") != "passed"}
    timed_out = raw.timed_out or Reason.TIMEOUT in codes
    reason = ""
    if raw.error:
        reason = f"the check could not run: {raw.error}"
    elif sandbox_error is not None:
        reason = str(sandbox_error.get("message") or "the sandbox did not start")
    elif timed_out:
        reason = (f"the check ran past {limits.timeout_s:g} s: your code was still running "
                  "(an endless loop, a long sleep?)")
    elif raw.too_many_processes:
        reason = (f"stopped: your code started more than {limits.processes} processes or threads "
                  "(a fork or a thread in a loop?)")
    elif raw.disk_full:
        reason = (f"stopped: your code wrote more than {limits.disk_bytes >> 20} MiB or "
                  f"{limits.files} files in the check folder")
    elif raw.too_deep:
        reason = (f"stopped: your code nested folders more than {limits.folder_depth} deep "
                  "in the check folder (a folder made inside itself in a loop?)")
    elif raw.flooded:
        reason = (f"stopped: the code printed more than {limits.output_bytes >> 10} KiB "
                  "(a print inside a loop?)")
    elif collect_errors:
        first = collect_errors[0]
        reason = f"the hidden tests could not be loaded: {failure_message(first)}"
    elif not finished:
        reason = death_reason(raw.exit_code, raw.signal, limits.describe())
    else:
        missing = [o for o in outcomes if o.message == "did not run"]
        if missing:
            reason = (f"{len(missing)} of {len(expected)} hidden tests never reported "
                      f"({', '.join(o.name for o in missing[:3])})")
    named = next((failure_message(r) for r in _records_of(by_test)
                  if r.get("code") in Reason.CHECK_WIDE and r.get("outcome") != "passed"), "")
    if named and not reason:  # a flood or a storm in one test is what the whole check is about
        reason = named
    if Reason.MEMORY in codes and not reason:
        reason = f"your code ran out of memory (the limit is {limits.memory_bytes >> 20} MiB)"
    passed = not reason and bool(outcomes) and all(o.passed for o in outcomes)
    return CheckResult(passed=passed, tests=tuple(outcomes), reason=reason, output=raw.output)


def _records_of(by_test: dict[str, list[dict]]):
    for phases in by_test.values():
        yield from phases
