"""One check: lay out the folders, run the judge against the sandboxed subject, decide.

    grader = Grader(Limits(timeout_s=10))
    result = grader.check(exercise, workspace_dir)      # CheckResult
    grader.close()                                       # stops the warm worker

    check(exercise, workspace_dir)                       # one-off, with a cold judge

The app lays out what the worker needs, in folders only this grader writes:

    mlquiz-check-<pid>-<start>-*/submitted/   the learner's files as handed in
    mlquiz-check-<pid>-<start>-*/tests-<digest>/   a course's hidden tests, never changed

The worker copies them into the check's own folder (spare.py) and runs the subject
and the judge there, each in its own sandbox. When the app is root, these folders
are readable by the grading user's group and by no one else.

A check passes only if every hidden test found by reading the test files
(`expected_tests`) reported through the judge's plugin and passed. What the
code printed is shown, never believed. The app never runs or compiles learner
code: the subject compiles it in the sandbox and the judge reports the problem.
"""
from __future__ import annotations

import ast
import os
import secrets
import shutil
import stat
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from mlquiz.content.models import Exercise
from mlquiz.errors import MlquizError
from mlquiz.grading import privileges, safe_fs
from mlquiz.grading.results import CheckResult
from mlquiz.grading.sandbox import copy_tests, digest_tree, sandbox_problem
from mlquiz.grading.spec import CheckSpec, Limits, Prestart
from mlquiz.grading.verdict import verdict
from mlquiz.grading.worker import WarmWorker

# Never copied from the learner's folder: pytest configuration has no business in a check.
IGNORED_NAMES = frozenset({"conftest.py", "pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini",
                           "__pycache__", ".pytest_cache", ".git", ".backups"})
MAX_FILES = 200
MAX_TOTAL_BYTES = 8 << 20
SERVED_ENV = "MLQUIZ_SERVED"
ALLOW_UNSANDBOXED_ENV = "MLQUIZ_ALLOW_UNSANDBOXED_CHECKS"
CHECK_PREFIX = "mlquiz-check-"


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


_expected_cache: dict[str, tuple[tuple, list[str]]] = {}


def _signature(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return (str(path), info.st_mtime_ns, info.st_size)


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


def unsandboxed_refusal(problem: str) -> str:
    return (f"exercise checks are off on this server: {problem}. The instructor can accept "
            "the risk with `mlquiz serve --allow-unsandboxed-checks`")


class Grader:
    """Runs checks through one warm worker (started lazily); `warm=False`: a worker per check.

    Without a working sandbox, a check under `mlquiz serve` (MLQUIZ_SERVED=1) fails
    closed unless MLQUIZ_ALLOW_UNSANDBOXED_CHECKS=1; anywhere else it runs without
    the sandbox and `warning` says so in one line. As root, a check is never run
    without the sandbox.
    """

    def __init__(self, limits: Limits | None = None, *, warm: bool = True,
                 require_sandbox: bool | None = None) -> None:
        self.limits = limits or Limits()
        self._warm = warm
        self._worker = WarmWorker() if warm else None
        if require_sandbox is None:
            require_sandbox = (os.environ.get(SERVED_ENV) == "1"
                               and os.environ.get(ALLOW_UNSANDBOXED_ENV) != "1")
        self.require_sandbox = require_sandbox
        self._as_root = privileges.grading_user() is not None  # never unsandboxed then
        self._root: Path | None = None  # this grader's folder: staged tests, submissions
        self._done: list[Path] = []  # submissions of answered checks, deleted at the next

    @property
    def sandbox_problem(self) -> str:
        """'' when checks run in the sandbox, else why they cannot (one line)."""
        return sandbox_problem()

    @property
    def warning(self) -> str:
        """One line for a local learner whose checks run without the sandbox, else ''."""
        problem = self.sandbox_problem
        if problem and self._as_root:
            return (f"warning: exercise checks are off here ({problem}): the app runs as root, "
                    "and learner code never runs unsandboxed as root")
        if not problem or self.require_sandbox:
            return ""
        return (f"warning: exercise checks run without a sandbox here ({problem}); "
                "your code runs with your own rights")

    def _folder(self) -> Path:
        """This grader's own folder, readable by the grading user (when root) and no one else."""
        if self._root is None or not self._root.is_dir():
            safe_fs.sweep_stale(CHECK_PREFIX)  # left by an app that was killed
            self._root = Path(tempfile.mkdtemp(prefix=safe_fs.owned_prefix(CHECK_PREFIX)))
            _share_with_worker(self._root)
        return self._root

    def _stage(self, tests_dir: Path) -> Path:
        """The hidden tests, copied once per content into a folder that never changes
        afterwards (the worker may read it while the next check is being prepared)."""
        digest = digest_tree(tests_dir)
        staged = self._folder() / f"tests-{digest[:24]}"
        if not staged.is_dir():
            partial = self._folder() / f".partial-{secrets.token_hex(6)}"
            copy_tests(tests_dir, partial)
            _share_with_worker(partial)
            if staged.exists():
                safe_fs.remove_tree(partial)
            else:
                os.replace(partial, staged)
        return staged

    def _sweep(self) -> None:
        for folder in self._done:
            safe_fs.remove_tree(folder)
        self._done.clear()

    def warm_up(self, exercise: Exercise | None = None) -> None:
        """Start the worker now (optional; the first check starts it otherwise), with a
        sandbox waiting for the next check and, given the `exercise` about to be checked,
        a judge that has already loaded its hidden tests."""
        if self._worker is not None:
            try:
                self._worker.start()
            except OSError:
                return
            problem = self.sandbox_problem
            if not (problem and (self.require_sandbox or self._as_root)):
                tests = None
                if exercise is not None:
                    try:
                        tests = str(self._stage(exercise.tests_dir))
                    except OSError:
                        tests = None
                self._worker.prestart(Prestart(self.limits, bool(problem), tests))

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
        self._sweep()
        if self._root is not None:
            safe_fs.remove_tree(self._root)
            self._root = None

    def __enter__(self) -> "Grader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def check(self, exercise: Exercise, folder: Path, *, overlay: Path | None = None,
              next_exercise: Exercise | None = None) -> CheckResult:
        """Check the files in `folder` (a workspace, or the starter) against the hidden tests.

        `overlay` is copied on top of `folder` (used by verify: starter + solution).
        `next_exercise`: the one checked next, when known (a run through several), so the
        worker readies its hidden tests instead of this one's.
        The check's one deadline starts now: `limits.timeout_s` from this call.
        """
        started = time.perf_counter()
        deadline = time.monotonic() + self.limits.timeout_s
        result = self._check(exercise, Path(folder), overlay, deadline, next_exercise)
        return replace(result, duration_ms=int((time.perf_counter() - started) * 1000),
                       exercise_id=exercise.id)

    def _check(self, exercise: Exercise, folder: Path, overlay: Path | None,
               deadline: float, next_exercise: Exercise | None) -> CheckResult:
        problem = self.sandbox_problem
        if problem and self.require_sandbox:
            return CheckResult(False, reason=unsandboxed_refusal(problem))
        if problem and self._as_root:
            return CheckResult(False, reason=(
                "exercise checks are off: the app runs as root, and without a sandbox "
                f"learner code would too ({problem})"))
        sources = [folder] + ([overlay] if overlay is not None else [])
        copies: dict[str, Path] = {}
        for source in sources:
            for path in learner_files(source):
                copies[path.relative_to(source).as_posix()] = path
        if len(copies) > MAX_FILES:
            return CheckResult(False, reason=f"the exercise folder holds more than {MAX_FILES} files")
        try:
            total = sum(path.stat().st_size for path in copies.values())
        except OSError as error:
            raise MlquizError(f"cannot read {error.filename or 'a file'} for the check: "
                              f"{error.strerror or error}", exit_code=2) from None
        if total > MAX_TOTAL_BYTES:
            return CheckResult(False, reason="the exercise folder holds more than 8 MiB of files")
        try:
            expected = expected_tests(exercise.tests_dir)
        except (OSError, SyntaxError) as error:
            return CheckResult(False, reason=f"the hidden tests of {exercise.id} cannot be read: {error}")
        if not expected:
            return CheckResult(False, reason=f"{exercise.id} has no hidden tests (test_*.py in tests/)")
        self._sweep()
        try:
            submitted = Path(tempfile.mkdtemp(prefix="submitted-", dir=self._folder()))
            for name, path in copies.items():
                target = submitted / name
                target.parent.mkdir(parents=True, exist_ok=True)
                _copy_regular_file(path, target)
            _share_with_worker(submitted)
            next_tests = (str(self._stage(next_exercise.tests_dir)) if next_exercise is not None
                          else None)  # the worker readies these tests, not this check's
            spec = CheckSpec(str(submitted), str(self._stage(exercise.tests_dir)), self.limits,
                             deadline, secrets.token_hex(16), bool(problem), next_tests)
        except OSError as error:
            raise MlquizError(f"cannot copy {error.filename or 'a file'} for the check: "
                              f"{error.strerror or error}", exit_code=2) from None
        self._done.append(submitted)  # deleted at the next check, once the worker is done
        if self._worker is not None:
            raw = self._worker.run(spec)
        else:
            with WarmWorker() as one_off:
                raw = one_off.run(spec)
        return verdict(raw, expected, self.limits)


def _copy_regular_file(source: Path, target: Path) -> None:
    """Copy a learner file, refusing a link swapped in since it was listed."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as reader, open(target, "xb") as writer:
        shutil.copyfileobj(reader, writer)


def _share_with_worker(path: Path) -> None:
    """As root: let the grading user's group read `path` (and all below it), nobody else;
    the grading user cannot write it. Not root: nothing to do."""
    user = privileges.grading_user()
    if user is None:
        return
    for current, dirs, files in os.walk(path):
        os.chown(current, 0, user[1])
        os.chmod(current, 0o750)
        for name in files:
            file_path = os.path.join(current, name)
            os.chown(file_path, 0, user[1], follow_symlinks=False)
            os.chmod(file_path, 0o640)


def check(exercise: Exercise, workspace_dir: Path, *, limits: Limits | None = None) -> CheckResult:
    """One check without keeping a worker: a cold judge, as in docs/internals.md."""
    with Grader(limits, warm=False) as grader:
        return grader.check(exercise, workspace_dir)
