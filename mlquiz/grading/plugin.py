"""The judge's two pytest plugins: the result records, and the `subject` fixture.

`ResultRecorder` writes one JSON line per test phase on a pipe only the grader reads.

Loaded in the judge process (`pytest.main(args, plugins=[ResultRecorder(fd, tests, token), ...])`),
which never runs learner code, so nothing the learner writes can reach these records:

    {"kind": "test", "nodeid": "...", "when": "call", "outcome": "failed", "type": "AssertionError",
     "message": "the served score differs", "where": "features.py:12", "code": ""}
        # code: a problem of the whole check ("flood", "threads", "memory", "timeout")
    {"kind": "collect_error", "nodeid": "...", "type": "ImportError", "message": "..."}
    {"kind": "syntax", "file": "serve.py", "line": 3, ...}      # compiled in the sandbox
    {"kind": "sandbox_error", "message": "...", "code": "not_run"}
    {"kind": "finish", "exitstatus": 1}

A failure raised by the learner's code arrives as a `judge.SubjectError`; its
record carries the learner's exception name and the learner file and line.
Every record carries the check's random `token` (key "t").
"""
from __future__ import annotations

import json
import os
import re

import pytest

from mlquiz.grading.judge import SubjectError, SubjectGone, SubjectTimeout
from mlquiz.grading.spec import Reason

_MAX_MESSAGE = 2000
_E_LINE = re.compile(r"^E\s+(\w[\w.]*)(?::\s?(.*))?$")


def _text(value) -> str:
    try:
        return str(value)[:_MAX_MESSAGE]
    except Exception:  # noqa: BLE001
        return "(the error message could not be shown)"


class ResultRecorder:
    def __init__(self, fd: int, tests_dir: str, token: str | None = "") -> None:
        """`token=None`: the check's token is not known yet (a judge forked before its
        check); records wait until `set_token` gives it."""
        self._fd = fd
        self._token = token
        self._waiting: list[dict] = []
        self._pid = os.getpid()
        self._tests = str(tests_dir)
        self.emit({"kind": "start", "pid": self._pid})

    def set_token(self, token: str) -> None:
        """A judge forked before its check learns the check's token when it arrives."""
        self._token = token
        waiting, self._waiting = self._waiting, []
        for record in waiting:
            self._write(record)

    def emit(self, record: dict) -> None:
        if os.getpid() != self._pid:
            return
        if record.get("message"):
            record["message"] = record["message"].replace(self._tests + os.sep, "")
        if self._token is None:
            self._waiting.append(record)
        else:
            self._write(record)

    def _write(self, record: dict) -> None:
        data = (json.dumps({**record, "t": self._token}) + "\n").encode("utf-8", "replace")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        record = {"kind": "test", "nodeid": report.nodeid, "when": report.when,
                  "outcome": report.outcome, "type": "", "message": "", "where": "", "code": ""}
        excinfo = call.excinfo
        if excinfo is not None and not report.passed:
            value = excinfo.value
            if isinstance(value, (SubjectGone, SubjectTimeout)):
                record["code"] = value.code
            if isinstance(value, MemoryError) or (isinstance(value, SubjectError)
                                                  and value.type_name == "MemoryError"):
                record["code"] = Reason.MEMORY
            if isinstance(value, SubjectError):
                record.update(type=value.type_name, message=value.message[:_MAX_MESSAGE],
                              where=value.where)
            else:
                record["type"] = type(value).__name__
                record["message"] = _text(getattr(value, "msg", "") or value
                                          if report.skipped else value)
        self.emit(record)
        return report

    def pytest_collectreport(self, report) -> None:
        if not report.failed:
            return
        text = str(report.longrepr)
        kind, message = "", ""
        for line in text.splitlines():
            match = _E_LINE.match(line)
            if match:  # the last `E   NameError: ...` line names the exception
                kind, message = match.group(1), (match.group(2) or "")
        if not kind:
            kind, message = "CollectError", text.strip().splitlines()[-1] if text.strip() else ""
        self.emit({"kind": "collect_error", "nodeid": report.nodeid, "type": kind.split(".")[-1],
                   "message": message[:_MAX_MESSAGE], "where": ""})

    def pytest_internalerror(self, excrepr, excinfo) -> None:
        self.emit({"kind": "internal_error", "type": type(excinfo.value).__name__,
                   "message": _text(excinfo.value), "where": ""})

    def pytest_sessionfinish(self, session, exitstatus) -> None:
        self.emit({"kind": "finish", "exitstatus": int(exitstatus)})


class JudgePlugin:
    """Provides the `subject` fixture and reports a syntax problem before any test runs.

    `make_session()` builds the judge_session.Session once the check's details arrive:
    just before collection, or with `collected_early` (the hidden tests were known in
    advance) just before the tests run.

    JudgePlugin(lambda: Session(...), recorder, collected_early=True)
    """

    def __init__(self, make_session, recorder, *, collected_early: bool = False) -> None:
        self._make = make_session
        self.session = None
        self.recorder = recorder
        self._collected_early = collected_early

    def _ensure_session(self) -> None:
        if self.session is None:
            self.session = self._make()

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session):
        if not self._collected_early:
            self._ensure_session()
        return None

    @pytest.fixture
    def subject(self):
        subject = self.session.fork()
        try:
            yield subject
        finally:
            subject.close()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session, exitstatus):
        """A pytest that stopped before its run loop still waits for its check, so that
        what it recorded reaches the grader under the check's token."""
        if self.session is None:
            try:
                self._ensure_session()
            except Exception:  # noqa: BLE001 - the verdict then names how pytest ended
                pass

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        self._ensure_session()
        hello = self.session.wait_hello()
        if self.session.broken:
            self.recorder.emit({"kind": "sandbox_error", "message": self.session.broken,
                                "code": Reason.NOT_RUN})
            return True
        problems = hello.get("syntax") if isinstance(hello, dict) else None
        if isinstance(problems, list) and problems and isinstance(problems[0], dict):
            first = problems[0]
            self.recorder.emit({"kind": "syntax", "error": first.get("kind"),
                                **{k: first.get(k) for k in
                                   ("file", "line", "col", "message", "text", "end_offset")}})
            return True
        return None
