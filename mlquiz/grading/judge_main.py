"""One judge: pytest with the hidden tests, the grader's plugins and one subject.

    code = run_judge(spec)     # in a child the judge's zygote forked (judge_zygote.py)

Forked before its check, in the judge's sandbox: pytest starts up, collects the
hidden tests when they were known in advance (`collected_early`), says `ready` on
its result pipe, and waits on `go_fd` for the check's `GoDetails` (deadline,
token). Its descriptors: 1 and 2 the output pipe, and the result, subject and go
descriptors the spec names (spec.JudgeFds).
"""
from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest

from mlquiz.grading.judge_session import Session
from mlquiz.grading.plugin import JudgePlugin, ResultRecorder
from mlquiz.grading.spec import READY_LINE, GoDetails, JudgeSpec


def pytest_args(spec: JudgeSpec) -> list[str]:
    """The judge's pytest command line: its own ini, no cache, no terminal."""
    # The terminal plugin stays (it owns --tb); it writes to /dev/null (see run_judge).
    # --tb=no: the plugin reads the exception itself, so pytest need not format tracebacks.
    return [spec.tests, "-c", spec.ini, "--rootdir", spec.judge_dir,
            "--assert=plain", "-s", "-q", "--tb=no", "-p", "no:cacheprovider",
            "-p", "no:faulthandler", "-p", "no:unraisableexception", "-p", "no:threadexception",
            "-p", "no:logging", "-p", "no:legacypath", "-p", "no:setuponly", "-p", "no:setupplan",
            "-p", "no:nose", "-p", "no:debugging",
            "-p", "no:stepwise", "-p", "no:pastebin", "-p", "no:junitxml", "-p", "no:doctest"]


def read_go(fd: int) -> GoDetails:
    """The check's own details, written by the worker once this judge said ready."""
    data = b""
    while chunk := os.read(fd, 1 << 16):
        data += chunk
    os.close(fd)
    return GoDetails.from_json(json.loads(data))


def run_judge(spec: JudgeSpec) -> int:
    """Run the hidden tests against the subject on `spec.subject_fd`; pytest's exit code."""
    recorder = ResultRecorder(spec.result_fd, spec.tests, None)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # fd 1 stays the learner's output pipe
    sock = socket.socket(fileno=spec.subject_fd)

    def make_session() -> Session:
        os.write(spec.result_fd, READY_LINE)  # the worker starts the check's clock now
        details = read_go(spec.go_fd)
        recorder.set_token(details.token)
        session = Session(sock, Path(spec.check), Path(spec.submitted), details.deadline,
                          spec.limits.timeout_s)
        session.go()
        return session

    plugin = JudgePlugin(make_session, recorder, collected_early=spec.collected_early)
    try:
        return int(pytest.main(pytest_args(spec), plugins=[recorder, plugin]))
    finally:
        sock.close()
