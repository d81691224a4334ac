"""The judge process: pytest with the hidden tests, the grader's plugins and one subject.

    python -I -S -B -c '<boot>' JUDGE_SPEC_JSON       # what sandbox.judge_command runs

Started before its check, in a sandbox of its own: pytest starts up, collects the
hidden tests when they were known in advance (`collected_early`), says `ready` on
its result pipe, and waits on `go_fd` for the check's `GoDetails` (deadline,
token). Its descriptors come from the worker: 1 and 2 the output pipe, and the
result, subject and go descriptors the spec names.
"""
from __future__ import annotations

import json
import os
import signal
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


def main() -> None:
    """The judge process's entry: parse the spec once, run, and always reach os._exit."""
    code = 70
    try:
        spec = JudgeSpec.from_json(json.loads(sys.argv[1]))
        # A subject that dies mid-test must be an OSError here, never a SIGPIPE death.
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        os.chdir(spec.judge_dir)
        code = run_judge(spec)
    except BaseException as error:  # noqa: BLE001 - the judge must reach os._exit
        try:
            os.write(2, f"grader judge failed: {type(error).__name__}: {error}\n".encode())
        except OSError:
            pass
    finally:
        os._exit(code)
