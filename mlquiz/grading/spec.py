"""What crosses between the grading processes: typed, frozen, parsed once at each boundary.

    spec = CheckSpec(submitted="/tmp/.../submitted-x", tests="/tmp/.../tests-ab12",
                     limits=Limits(timeout_s=3), deadline=time.monotonic() + 3, token="9f..")
    line = json.dumps(spec.to_json())              # the app -> the worker
    CheckSpec.from_json(json.loads(line)) == spec  # SpecError for anything else

The app builds a `CheckSpec` per check and a `Prestart` for a check to come; the
worker builds a `JudgeSpec` for each judge it starts, and the check's `GoDetails`
when the judge is ready. Nothing changes a spec after it is built (they are
frozen): a new value is a new spec. `Reason` holds the codes that name a problem
of the whole check. This module imports nothing from mlquiz: every other part of
grading may import it, the judge and the worker included.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

GRADER_INI = """[pytest]
python_files = test_*.py
python_classes = Test*
python_functions = test_*
addopts =
"""
READY_LINE = b"ready\n"  # the judge, on its result pipe: pytest is up, waiting for the check


class Reason:
    """Codes for a problem of the whole check, set by the subject, the judge or the runner
    (the learner reads the message; the verdict decides on the code)."""

    FLOOD = "flood"  # printed more than the limit
    THREADS = "threads"  # ran out of room for threads
    MEMORY = "memory"  # ran out of memory
    TIMEOUT = "timeout"  # the check's deadline passed
    NOT_RUN = "not_run"  # the sandbox could not run (or go on running) the tests
    CHECK_WIDE = frozenset({FLOOD, THREADS})  # one test's record that speaks for the check


class JudgeFds:
    """Where a judge forked by the zygote finds what the worker passed it."""

    OUT, RESULT, SUBJECT, GO, CREDENTIALS = 1, 3, 4, 5, 6


class SpecError(ValueError):
    """A spec that is not exactly what its process expects (a wrong type, a key too many)."""


def _exact(data: dict, name: str, kinds: tuple[type, ...]):
    if name not in data:
        raise SpecError(f"the spec has no {name!r}")
    value = data[name]
    if type(value) not in kinds:
        raise SpecError(f"{name!r} is {type(value).__name__}, not {'/'.join(k.__name__ for k in kinds)}")
    return value


def _only(data, cls) -> dict:
    if type(data) is not dict:
        raise SpecError(f"a {cls.__name__} is a JSON object, not {type(data).__name__}")
    extra = set(data) - {f.name for f in fields(cls)}
    if extra:
        raise SpecError(f"a {cls.__name__} has no {', '.join(sorted(extra))}")
    return data


@dataclass(frozen=True, slots=True)
class Limits:
    """What one check may use. `Limits(timeout_s=3)` for fast hostile tests."""

    timeout_s: float = 10.0
    memory_bytes: int = 1 << 30
    processes: int = 64  # processes and threads together
    file_bytes: int = 16 << 20
    disk_bytes: int = 64 << 20  # everything written in the check folder
    files: int = 2000  # files in the check folder
    folder_depth: int = 64  # folders nested in the check folder
    tmp_bytes: int = 64 << 20  # the private /tmp
    open_files: int = 256
    output_bytes: int = 1 << 20  # more than this printed stops the check
    output_keep: int = 64 << 10  # this much of it is kept to show

    @property
    def cpu_seconds(self) -> int:
        return int(math.ceil(self.timeout_s)) + 1

    def describe(self) -> str:
        return (f"limits: {self.timeout_s:g} s, {self.memory_bytes >> 20} MiB of memory, "
                f"{self.processes} processes and threads, {self.file_bytes >> 20} MiB per file")

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data) -> "Limits":
        data = _only(data, cls)
        values = {}
        for field in fields(cls):
            kinds = (float, int) if field.name == "timeout_s" else (int,)
            values[field.name] = _exact(data, field.name, kinds)
        if values["timeout_s"] <= 0 or any(v < 0 for v in values.values()):
            raise SpecError("limits are positive numbers")
        return cls(**values)

    def for_subject(self, *, own_pid_namespace: bool = False) -> dict:
        """The zygote's command-line argument (subject.py reads it with json, no mlquiz)."""
        return {**self.to_json(), "cpu_seconds": self.cpu_seconds,
                "own_pid_namespace": own_pid_namespace}


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One check, as the app hands it to the worker."""

    submitted: str  # the learner's files as handed in (the app's copy)
    tests: str  # the hidden tests (the app's staged copy, never changed)
    limits: Limits
    deadline: float  # time.monotonic() at the click plus the timeout
    token: str  # every record of this check carries it
    unsandboxed: bool = False
    next_tests: str | None = None  # the tests of the check most likely next

    def to_json(self) -> dict:
        return {**asdict(self), "limits": self.limits.to_json()}

    @classmethod
    def from_json(cls, data) -> "CheckSpec":
        data = _only(data, cls)
        next_tests = data.get("next_tests")
        if next_tests is not None and type(next_tests) is not str:
            raise SpecError("'next_tests' is a path or null")
        return cls(_exact(data, "submitted", (str,)), _exact(data, "tests", (str,)),
                   Limits.from_json(data.get("limits")), float(_exact(data, "deadline", (float, int))),
                   _exact(data, "token", (str,)), bool(_exact(data, "unsandboxed", (bool,))),
                   next_tests)


@dataclass(frozen=True, slots=True)
class Prestart:
    """Start the next check's sandboxes now (no answer comes back); `tests` when known."""

    limits: Limits
    unsandboxed: bool = False
    tests: str | None = None

    def to_json(self) -> dict:
        return {"prestart": {**asdict(self), "limits": self.limits.to_json()}}

    @classmethod
    def from_json(cls, data) -> "Prestart":
        data = _only(data, cls)
        tests = data.get("tests")
        if tests is not None and type(tests) is not str:
            raise SpecError("'tests' is a path or null")
        return cls(Limits.from_json(data.get("limits")),
                   bool(_exact(data, "unsandboxed", (bool,))), tests)


@dataclass(frozen=True, slots=True)
class JudgeSpec:
    """One judge process, as the worker starts it: descriptors it inherits, and the paths
    of its folders as the judge sees them (`at(...)` gives the sandbox's view)."""

    limits: Limits
    result_fd: int
    subject_fd: int
    go_fd: int
    collected_early: bool = False
    check: str = ""
    submitted: str = ""
    judge_dir: str = ""

    @property
    def tests(self) -> str:
        return f"{self.judge_dir}/tests"

    @property
    def ini(self) -> str:
        return f"{self.judge_dir}/pytest.ini"

    def at(self, check: str, submitted: str, judge_dir: str) -> "JudgeSpec":
        return replace(self, check=check, submitted=submitted, judge_dir=judge_dir)

    def to_json(self) -> dict:
        return {**asdict(self), "limits": self.limits.to_json()}

    @classmethod
    def from_json(cls, data) -> "JudgeSpec":
        data = _only(data, cls)
        return cls(Limits.from_json(data.get("limits")), *(
            _exact(data, name, (int,)) for name in ("result_fd", "subject_fd", "go_fd")),
            bool(_exact(data, "collected_early", (bool,))),
            *(_exact(data, name, (str,)) for name in ("check", "submitted", "judge_dir")))


@dataclass(frozen=True, slots=True)
class GoDetails:
    """What a waiting judge learns when its check starts."""

    deadline: float
    token: str

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data) -> "GoDetails":
        data = _only(data, cls)
        return cls(float(_exact(data, "deadline", (float, int))), _exact(data, "token", (str,)))
