"""Turn what pytest saw into words a learner reads: test names, messages, syntax errors.

>>> plain_test_name("_hidden/test_skew.py::test_served_equals_offline[3]")
'Served equals offline (3)'
>>> plain_test_name("_hidden/test_drift.py::TestPsi::test_is_symmetric")
'Psi: is symmetric'
"""
from __future__ import annotations

import re
import signal as signals

from mlquiz.grading.results import SyntaxProblem

NO_MESSAGE = "a check failed (the test gave no message)"
# ESC sequences (CSI, OSC, two-byte) and every other C0/C1 control but tab and newline.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
                      r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Learner text made safe to print on a terminal: no control sequences, no lone surrogates.

    >>> printable("ok\\x1b[2J\\x1b]0;pwned\\x07 \\udc80 done\\r")
    'ok ? done'
    """
    text = _CONTROL.sub("", text)
    return text.encode("utf-8", "replace").decode("utf-8")
_PARAMS = re.compile(r"\[(.*)\]$")


def _words(identifier: str) -> str:
    # CamelCase -> camel case (an acronym like PSI stays as it is)
    identifier = re.sub(r"([a-z0-9])([A-Z])(?=[a-z])", lambda m: f"{m[1]} {m[2].lower()}", identifier)
    return " ".join(part for part in identifier.split("_") if part)


def plain_test_name(nodeid: str) -> str:
    """`test_x.py::TestA::test_b_c[1]` -> `A: b c (1)`."""
    tail = nodeid.split("::")[1:] or [nodeid]
    params = ""
    match = _PARAMS.search(tail[-1])
    if match:
        params = f" ({match.group(1)})"
        tail[-1] = tail[-1][: match.start()]
    parts = []
    for index, part in enumerate(tail):
        if index < len(tail) - 1 and part.startswith("Test"):
            parts.append(_words(part[4:]) or "Test")
        else:
            parts.append(_words(part[4:] if part.startswith("test") else part))
    text = ": ".join(p for p in parts if p) or nodeid
    return text[:1].upper() + text[1:] + params


def syntax_problem(record: dict) -> SyntaxProblem:
    """The subject's compile report (a dict) as a SyntaxProblem with a caret, like a compiler.

    >>> syntax_problem({"file": "f.py", "line": 1, "col": 5, "kind": "SyntaxError",
    ...                 "message": "'(' was never closed", "text": "x = (1,"}).headline
    "f.py:1:5: SyntaxError: '(' was never closed"
    """
    def number(key: str) -> int:
        value = record.get(key)
        return value if type(value) is int and value > 0 else 1

    line, col = number("line"), number("col")
    text = str(record.get("text") or "").rstrip("\r\n")
    stripped = text.lstrip()
    indent = len(text) - len(stripped)
    caret = ""
    if stripped:
        start = max(col - 1 - indent, 0)
        end_offset = record.get("end_offset") if type(record.get("end_offset")) is int else 0
        width = max(1, min(end_offset - col, len(stripped) - start)) if end_offset > col else 1
        caret = " " * start + "^" * width
    return SyntaxProblem(str(record.get("file") or "?"), line, col,
                         str(record.get("kind") or "SyntaxError"),
                         str(record.get("message") or "invalid syntax"), stripped, caret)


def failure_message(record: dict) -> str:
    """The message a learner reads for one failed test record from the plugin."""
    kind = record.get("type") or ""
    message = (record.get("message") or "").strip()
    if record.get("outcome") == "skipped":
        return "this check was skipped, so it did not pass" + (f": {message}" if message else "")
    if kind in ("AssertionError", "Failed"):  # assert ..., "msg" / pytest.fail("msg")
        return message or NO_MESSAGE
    if kind == "SystemExit":
        return f"your code called sys.exit({message})" if message else "your code called sys.exit()"
    if kind == "MemoryError":
        return "your code ran out of memory"
    if kind in ("SubjectTimeout", "SubjectGone", "CheckFolderError", "NotPlainData"):
        return message or "your code stopped answering"
    if kind == "RecursionError":
        return "your code recursed too deeply (RecursionError: a function that calls itself forever?)"
    if kind in ("BlockingIOError",) and "Resource temporarily unavailable" in message:
        return "your code started too many processes"
    return f"{kind}: {message}" if message else kind or "the test failed"


def death_reason(exit_code: int | None, signal_number: int | None, limits_text: str) -> str:
    """Why the test process ended before pytest finished, in one line."""
    if signal_number is not None:
        name = {
            signals.SIGKILL: "it was killed (too much memory, or too many processes?)",
            getattr(signals, "SIGXCPU", -1): "it used up its CPU time",
            getattr(signals, "SIGXFSZ", -1): "it wrote a file larger than allowed",
            signals.SIGSEGV: "it crashed (segmentation fault)",
        }.get(signal_number)
        if name is None:
            try:
                name = f"it was stopped by signal {signals.Signals(signal_number).name}"
            except ValueError:
                name = f"it was stopped by signal {signal_number}"
        return f"the tests did not finish: {name} ({limits_text})"
    return (f"the tests did not finish: the process exited with code {exit_code} "
            "before all tests ran; does your code call os._exit() or sys.exit()?")
