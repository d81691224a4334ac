"""What one check found: per-test outcomes, a syntax problem, or a reason it failed.

>>> r = CheckResult(passed=False, tests=(TestOutcome("t::test_a", "A", False, "boom"),))
>>> r.failed_tests
['A']
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


def storable(text: str) -> str:
    """`text` with what UTF-8 cannot hold (a lone surrogate) replaced by '?'."""
    return text.encode("utf-8", "replace").decode("utf-8")


@dataclass(frozen=True, slots=True)
class TestOutcome:
    """One hidden test: `name` is in plain words, `message` is the test's own failure message."""

    __test__ = False  # not a pytest test class

    id: str
    name: str
    passed: bool
    message: str = ""
    location: str = ""  # "features.py:12" when the failure points into the learner's code


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A learner file that does not compile, shown like a compiler would."""

    file: str
    line: int
    col: int
    kind: str  # SyntaxError, IndentationError, TabError
    message: str
    source_line: str = ""
    caret: str = ""

    @property
    def headline(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.kind}: {self.message}"

    def render(self) -> str:
        """`features.py:12:8: SyntaxError: invalid syntax`, the line, and a caret under it."""
        lines = [self.headline]
        if self.source_line:
            lines += [f"    {self.source_line}", f"    {self.caret}"]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict of one check. `reason` says in one line why it failed as a whole
    (a timeout, an exit during import, missing tests); it is empty when only tests failed."""

    passed: bool
    tests: tuple[TestOutcome, ...] = ()
    reason: str = ""
    syntax_error: SyntaxProblem | None = None
    output: str = ""  # what the learner's code printed (capped)
    duration_ms: int = 0
    exercise_id: str = ""

    @property
    def failed_tests(self) -> list[str]:
        return [t.name for t in self.tests if not t.passed]

    @property
    def passed_count(self) -> int:
        return sum(t.passed for t in self.tests)

    @property
    def summary(self) -> str:
        """One line: `3 of 4 checks pass` or the reason."""
        if self.syntax_error is not None:
            return self.syntax_error.headline
        if self.reason:
            return self.reason
        return f"{self.passed_count} of {len(self.tests)} checks pass"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["summary"] = self.summary
        data["failed_tests"] = self.failed_tests
        if self.syntax_error is not None:
            data["syntax_error"]["rendered"] = self.syntax_error.render()
        return data

    def event_detail(self) -> dict:
        """The `detail` of an exercise_run event (docs/internals.md); text the learner's code
        produced is stored with unencodable characters (a lone surrogate) replaced."""
        detail: dict = {"passed": self.passed,
                        "failed_tests": [storable(name) for name in self.failed_tests],
                        "reason": storable(self.reason or (self.syntax_error.headline
                                                           if self.syntax_error else "")),
                        "duration_ms": self.duration_ms}
        return detail


@dataclass(slots=True)
class RawRun:
    """What the judge process left behind, before interpretation (runner -> grader)."""

    records: list[dict] = field(default_factory=list)
    exit_code: int | None = None  # set when the child exited normally
    signal: int | None = None  # set when a signal killed it
    timed_out: bool = False
    flooded: bool = False
    too_many_processes: bool = False
    disk_full: bool = False  # the check folder went past its bytes or files
    too_deep: bool = False  # folders nested past limits.folder_depth in the check folder
    output: str = ""
    error: str = ""  # the runner itself could not run the child

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "RawRun":
        return cls(**data)
