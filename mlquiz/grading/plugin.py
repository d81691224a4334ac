"""The grader's own pytest plugin: one JSON line per test phase on a pipe only the grader reads.

Loaded inside the sandboxed child (`pytest.main(args, plugins=[ResultRecorder(fd, root)])`).
Stdout is never trusted; the verdict comes only from these records:

    {"kind": "start", "pid": 42}
    {"kind": "collect_error", "nodeid": "...", "type": "NameError", "message": "...", "where": "features.py:3"}
    {"kind": "test", "nodeid": "...", "when": "call", "outcome": "failed", "type": "AssertionError",
     "message": "the served score differs", "where": "features.py:12"}
    {"kind": "internal_error", "type": "SystemExit", "message": "0", "where": "calc.py:2"}
    {"kind": "finish", "exitstatus": 1}

Records from a process forked by the learner's code (a fork bomb, a stray
multiprocessing child) are dropped: only the pid that started the session writes.
Every record carries the check's random `token` (key "t"); the grader ignores
lines without it, so printing JSON at the pipe does not forge a result. Code
that digs the token out of this process's memory could still forge one: the
sandbox guards against accidents and naive cheating, not a learner attacking
the grader from inside its own process.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

_MAX_MESSAGE = 2000
_E_LINE = re.compile(r"^E\s+(\w[\w.]*)(?::\s?(.*))?$")
_TRACE_LINE = re.compile(r"^([^\s:][^:]*\.py):(\d+)")


class ResultRecorder:
    def __init__(self, fd: int, root: str | Path, hidden_dir: str | Path, token: str = "") -> None:
        self._fd = fd
        self._token = token
        self._pid = os.getpid()
        self._root = Path(root).resolve()
        self._root_texts = sorted({str(root), str(self._root)}, key=len, reverse=True)
        self._hidden = Path(hidden_dir).resolve()
        self._emit({"kind": "start", "pid": self._pid})

    def _emit(self, record: dict) -> None:
        if os.getpid() != self._pid:
            return
        if record.get("message"):  # the check folder is temporary: show paths as the learner's
            for root in self._root_texts:
                record["message"] = record["message"].replace(f"{root}{os.sep}", "").replace(root, ".")
        data = (json.dumps({**record, "t": self._token}) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    def _learner_location(self, entries) -> str:
        """`features.py:12` for the innermost traceback frame in the learner's files."""
        where = ""
        for entry in entries:
            try:
                path = Path(str(entry.path)).resolve()
            except (OSError, ValueError):
                continue
            if path.is_relative_to(self._root) and not path.is_relative_to(self._hidden):
                where = f"{path.relative_to(self._root)}:{entry.lineno + 1}"
        return where

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        record = {"kind": "test", "nodeid": report.nodeid, "when": report.when,
                  "outcome": report.outcome, "type": "", "message": "", "where": ""}
        excinfo = call.excinfo
        if excinfo is not None and not report.passed:
            value = excinfo.value
            record["type"] = type(value).__name__
            if report.skipped:
                record["message"] = str(getattr(value, "msg", "") or value)[:_MAX_MESSAGE]
            else:
                try:
                    text = str(value)
                except Exception:  # a learner exception whose __str__ fails
                    text = "(the error message could not be shown)"
                record["message"] = text[:_MAX_MESSAGE]
                try:
                    record["where"] = self._learner_location(excinfo.traceback)
                except Exception:
                    pass
        self._emit(record)
        return report

    def pytest_collectreport(self, report) -> None:
        if not report.failed:
            return
        text = str(report.longrepr)
        kind, message, where = "", "", ""
        for line in text.splitlines():
            match = _E_LINE.match(line)
            if match:  # the last `E   NameError: ...` line names the exception
                kind, message = match.group(1), (match.group(2) or "")
            trace = _TRACE_LINE.match(line)
            if trace and not trace.group(1).startswith(("/", "..")) and "hidden" not in trace.group(1):
                where = f"{trace.group(1)}:{trace.group(2)}"
        if not kind:
            kind, message = "CollectError", text.strip().splitlines()[-1] if text.strip() else ""
        self._emit({"kind": "collect_error", "nodeid": report.nodeid, "type": kind.split(".")[-1],
                    "message": message[:_MAX_MESSAGE], "where": where})

    def pytest_internalerror(self, excrepr, excinfo) -> None:
        """pytest's last resort, e.g. for SystemExit raised while a test module is imported."""
        value = excinfo.value
        try:
            where = self._learner_location(excinfo.traceback)
        except Exception:
            where = ""
        self._emit({"kind": "internal_error", "type": type(value).__name__,
                    "message": str(value)[:_MAX_MESSAGE], "where": where})

    def pytest_sessionfinish(self, session, exitstatus) -> None:
        self._emit({"kind": "finish", "exitstatus": int(exitstatus)})
