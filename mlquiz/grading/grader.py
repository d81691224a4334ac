"""One check: copy the learner's files and the hidden tests into a fresh folder, run, judge.

    grader = Grader(Limits(timeout_s=10))
    result = grader.check(exercise, workspace_dir)      # CheckResult
    grader.close()                                       # stops the warm worker

    check(exercise, workspace_dir)                       # one-off, with a cold child

A check passes only if every hidden test found by reading the test files
(`expected_tests`) reported through the grader's plugin and passed. What the
code printed is shown, never believed.
"""
from __future__ import annotations

import ast
import os
import random
import secrets
import shutil
import stat
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from mlquiz.content.models import Exercise
from mlquiz.errors import MlquizError
from mlquiz.grading.feedback import check_syntax, death_reason, failure_message, plain_test_name
from mlquiz.grading.results import CheckResult, RawRun, TestOutcome
from mlquiz.grading.runner import run_spawned
from mlquiz.grading.sandbox import HIDDEN_DIR_NAME, Limits, digest_tree, remove_tree
from mlquiz.grading.worker import WarmWorker

# Never copied from the learner's folder: they would configure or hijack pytest.
IGNORED_NAMES = frozenset({"conftest.py", "pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini",
                           "__pycache__", ".pytest_cache", HIDDEN_DIR_NAME, ".git", ".backups"})
MAX_FILES = 200
MAX_TOTAL_BYTES = 8 << 20
_GRADER_INI = """[pytest]
python_files = test_*.py
python_classes = Test*
python_functions = test_*
addopts =
"""


def learner_files(folder: Path) -> list[Path]:
    """Regular files of a learner folder that a check copies (no links, no pytest config)."""
    found: list[Path] = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_NAMES and not d.startswith("."))
        for name in sorted(files):
            path = Path(current, name)
            if name in IGNORED_NAMES or name.endswith((".pyc", ".pyo")):
                continue
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode):
                found.append(path)
    return found


_compiled_ok: set[tuple[str, int, int]] = set()  # (path, mtime_ns, size) known to compile
_expected_cache: dict[str, tuple[tuple, list[str]]] = {}


def _signature(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return (str(path), info.st_mtime_ns, info.st_size)


def syntax_problem(path: Path, shown_name: str):
    """check_syntax, remembering files that compiled (a check re-reads unchanged files)."""
    try:
        key = _signature(path)
    except OSError:
        key = None
    if key is not None and key in _compiled_ok:
        return None
    problem = check_syntax(path, shown_name)
    if problem is None and key is not None:
        if len(_compiled_ok) > 4096:
            _compiled_ok.clear()
        _compiled_ok.add(key)
    return problem


def expected_tests(tests_dir: Path) -> list[str]:
    """Node ids pytest will report, read from the source: `test_x.py::test_a`, `test_x.py::TestB::test_c`.

    Every top-level `test_*` function and every `test_*` method of a top-level `Test*` class.
    """
    paths = sorted(tests_dir.rglob("test_*.py"))
    signature = tuple(_signature(p) for p in paths)
    cached = _expected_cache.get(str(tests_dir))
    if cached is not None and cached[0] == signature:
        return list(cached[1])
    ids: list[str] = []
    for path in paths:
        relative = path.relative_to(tests_dir).as_posix()
        tree = ast.parse(path.read_bytes(), str(path))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"):
                ids.append(f"{relative}::{node.name}")
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                for member in node.body:
                    if (isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
                            and member.name.startswith("test_")):
                        ids.append(f"{relative}::{node.name}::{member.name}")
    _expected_cache[str(tests_dir)] = (signature, ids)
    return list(ids)


def _readable_by_anyone(path: Path) -> bool:
    """Whether a user with no rights of its own could read `path` (every parent searchable)."""
    try:
        if not path.stat().st_mode & stat.S_IROTH:
            return False
        return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.resolve().parents)
    except OSError:
        return False


def _spare_uid() -> int | None:
    """A throw-away user id for the child when we are root (see runner.py), else None.

    None also when Python itself is not readable by other users (an interpreter
    installed under /root): the child then stays root and the runner's process
    watchdog stands in for RLIMIT_NPROC.
    """
    import sys

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import mlquiz
    needed = [Path(os.__file__), Path(_pytest_origin()), Path(mlquiz.__file__), Path(sys.executable)]
    if not all(_readable_by_anyone(path) for path in needed):
        return None
    try:
        ranges = [tuple(map(int, line.split())) for line in open("/proc/self/uid_map")]
    except (OSError, ValueError):
        ranges = []
    for inside, _outside, length in ranges:
        low, high = max(inside, 1_000_000), inside + length - 1
        if high - low > 1_000_000:
            return random.randint(low, min(high, 2_000_000_000) - 1)
    return 65534 if any(i <= 65534 < i + n for i, _, n in ranges) else None


def _pytest_origin() -> str:
    import importlib.util

    spec = importlib.util.find_spec("pytest")
    return spec.origin if spec and spec.origin else os.__file__


class Grader:
    """Runs checks; keeps one warm worker (started lazily) when the platform can fork."""

    def __init__(self, limits: Limits | None = None, *, warm: bool = True) -> None:
        self.limits = limits or Limits()
        self._worker = WarmWorker() if warm and WarmWorker.available() else None
        self._handed_over: list[Path] = []  # check folders the worker was asked to delete

    def _sweep(self) -> None:
        """Delete check folders a worker did not get to (it died or was stopped mid-way)."""
        for base in self._handed_over:
            if base.exists():
                remove_tree(base)
        self._handed_over.clear()

    def warm_up(self) -> None:
        """Start the worker now (optional; the first check starts it otherwise)."""
        if self._worker is not None:
            try:
                self._worker.start()
            except OSError:
                self._worker = None

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
        self._sweep()

    def __enter__(self) -> "Grader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def check(self, exercise: Exercise, folder: Path, *, overlay: Path | None = None) -> CheckResult:
        """Check the files in `folder` (a workspace, or the starter) against the hidden tests.

        `overlay` is copied on top of `folder` (used by verify: starter + solution).
        """
        started = time.perf_counter()
        result = self._check(exercise, Path(folder), overlay)
        return replace(result, duration_ms=int((time.perf_counter() - started) * 1000),
                     exercise_id=exercise.id)

    def _check(self, exercise: Exercise, folder: Path, overlay: Path | None) -> CheckResult:
        sources = [folder] + ([overlay] if overlay is not None else [])
        copies: dict[str, Path] = {}
        total = 0
        for source in sources:
            for path in learner_files(source):
                copies[path.relative_to(source).as_posix()] = path
        if len(copies) > MAX_FILES:
            return CheckResult(False, reason=f"the exercise folder holds more than {MAX_FILES} files")
        for name, path in sorted(copies.items()):
            if name.endswith(".py"):
                problem = syntax_problem(path, name)
                if problem is not None:
                    return CheckResult(False, reason=problem.headline, syntax_error=problem)
            total += path.stat().st_size
        if total > MAX_TOTAL_BYTES:
            return CheckResult(False, reason="the exercise folder holds more than 8 MiB of files")
        try:
            expected = expected_tests(exercise.tests_dir)
        except (OSError, SyntaxError) as error:
            return CheckResult(False, reason=f"the hidden tests of {exercise.id} cannot be read: {error}")
        if not expected:
            return CheckResult(False, reason=f"{exercise.id} has no hidden tests (test_*.py in tests/)")

        base = Path(tempfile.mkdtemp(prefix="mlquiz-check-"))
        removed_by_worker = False
        try:
            try:
                spec = self._prepare(base, copies, exercise.tests_dir)
            except OSError as error:
                raise MlquizError(f"cannot copy {error.filename or 'a file'} for the check: "
                                  f"{error.strerror or error}", exit_code=2) from None
            raw, removed_by_worker = self._run(spec, base)
        finally:
            if not removed_by_worker:
                remove_tree(base)
        return judge(raw, [f"{HIDDEN_DIR_NAME}/{e}" for e in expected], self.limits)

    def _prepare(self, base: Path, copies: dict[str, Path], tests_dir: Path) -> dict:
        uid = _spare_uid()
        work, home, tmp = base / "work", base / "home", base / "tmp"
        for folder in (work, home, tmp):
            folder.mkdir()
        for name, path in copies.items():
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        hidden = work / HIDDEN_DIR_NAME
        shutil.copytree(tests_dir, hidden, ignore=shutil.ignore_patterns("__pycache__", "conftest.py"))
        ini = base / "pytest.ini"
        ini.write_text(_GRADER_INI)
        # The child may write in work/, home/, tmp/; the hidden tests stay read-only.
        if uid is not None:
            os.chmod(base, 0o755)  # pytest lists the folder of its ini file
            for folder in (work, home, tmp):
                for path in [folder, *folder.rglob("*")]:
                    if HIDDEN_DIR_NAME not in path.parts:
                        os.lchown(path, uid, uid)
        for path in [hidden, *hidden.rglob("*")]:
            os.chmod(path, 0o555 if path.is_dir() else 0o444)
        return {"work": str(work), "hidden": str(hidden), "ini": str(ini), "home": str(home),
                "tmp": str(tmp), "uid": uid, "limits": self.limits.to_dict(),
                "hidden_digest": digest_tree(hidden), "token": secrets.token_hex(16)}

    def _run(self, spec: dict, base: Path) -> tuple[RawRun, bool]:
        """The raw run, and whether the worker deletes the check folder (after answering)."""
        if self._worker is not None:
            self._sweep()
            raw = self._worker.run({**spec, "cleanup": str(base)})
            if not raw.error:
                self._handed_over.append(base)
                return raw, True
        return run_spawned(spec), False


def _strip_params(nodeid: str) -> str:
    return nodeid.split("[", 1)[0]


def judge(raw: RawRun, expected: list[str], limits: Limits) -> CheckResult:
    """Turn the plugin's records into a verdict. Pure: no processes, easy to test."""
    records = [r for r in raw.records if isinstance(r, dict)]
    finished = any(r.get("kind") == "finish" for r in records)
    collect_errors = [r for r in records if r.get("kind") in ("collect_error", "internal_error")]
    by_test: dict[str, list[dict]] = {}
    for record in records:
        if record.get("kind") == "test" and isinstance(record.get("nodeid"), str):
            by_test.setdefault(_strip_params(record["nodeid"]), []).append(record)

    outcomes: list[TestOutcome] = []
    for nodeid in expected:
        phases = by_test.get(nodeid, [])
        bad = next((p for p in phases if p.get("outcome") != "passed"), None)
        ran_call = any(p.get("when") == "call" for p in phases)
        name = plain_test_name(nodeid)
        shown_id = nodeid.split("/", 1)[1] if nodeid.startswith(HIDDEN_DIR_NAME + "/") else nodeid
        if bad is not None:
            outcomes.append(TestOutcome(shown_id, name, False, failure_message(bad), bad.get("where", "")))
        elif ran_call:
            outcomes.append(TestOutcome(shown_id, name, True))
        else:
            outcomes.append(TestOutcome(shown_id, name, False, "did not run"))

    reason = ""
    if raw.error:
        reason = f"the check could not run: {raw.error}"
    elif raw.timed_out:
        reason = (f"stopped after {limits.timeout_s:g} s: the code was still running "
                  "(an endless loop, a long sleep, or too many processes?)")
    elif raw.too_many_processes:
        reason = (f"stopped: the code started more than {limits.processes} processes "
                  "(a fork in a loop?)")
    elif raw.flooded:
        reason = (f"stopped: the code printed more than {limits.output_bytes >> 10} KiB "
                  "(a print inside a loop?)")
    elif raw.tests_changed:
        reason = "the hidden tests were changed while they ran; a check must leave them alone"
    elif collect_errors:
        first = collect_errors[0]
        where = f" ({first['where']})" if first.get("where") else ""
        if first.get("type") == "SystemExit":
            reason = f"your code called sys.exit() while it was being imported{where}"
        else:
            reason = f"the tests could not import your code: {failure_message(first)}{where}"
    elif not finished:
        reason = death_reason(raw.exit_code, raw.signal, limits.describe())
    else:
        missing = [o for o in outcomes if o.message == "did not run"]
        if missing:
            reason = (f"{len(missing)} of {len(expected)} hidden tests never reported "
                      f"({', '.join(o.name for o in missing[:3])})")
    if any(o.message == "your code ran out of memory" for o in outcomes) and not reason:
        reason = f"your code ran out of memory (the limit is {limits.memory_bytes >> 20} MiB)"
    passed = not reason and bool(outcomes) and all(o.passed for o in outcomes)
    return CheckResult(passed=passed, tests=tuple(outcomes), reason=reason, output=raw.output)


def check(exercise: Exercise, workspace_dir: Path, *, limits: Limits | None = None) -> CheckResult:
    """One check without keeping a worker: a cold child, as in docs/internals.md."""
    with Grader(limits, warm=False) as grader:
        return grader.check(exercise, workspace_dir)
