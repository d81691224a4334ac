"""What the sandboxed child sees: its limits, environment, folder and pytest command line.

    enter_sandbox(spec)             # in the child, before any learner code runs
    code = run_pytest(spec, fd)     # the hidden tests, results on fd

See runner.py for the spec and for how the child is started and watched.
"""
from __future__ import annotations

import math
import os
import sys
from dataclasses import asdict, dataclass

from mlquiz.grading.processes import count_own_processes

HIDDEN_DIR_NAME = "_hidden_tests"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one check may use. `Limits(timeout_s=3)` for fast hostile tests."""

    timeout_s: float = 10.0
    memory_bytes: int = 1 << 30
    processes: int = 64
    file_bytes: int = 16 << 20
    open_files: int = 256
    output_bytes: int = 1 << 20  # more than this printed stops the check
    output_keep: int = 64 << 10  # this much of it is kept to show

    @property
    def cpu_seconds(self) -> int:
        return int(math.ceil(self.timeout_s)) + 1

    def describe(self) -> str:
        return (f"limits: {self.timeout_s:g} s, {self.memory_bytes >> 20} MiB of memory, "
                f"{self.processes} processes, {self.file_bytes >> 20} MiB per file")

    def to_dict(self) -> dict:
        return asdict(self)


def pytest_args(spec: dict) -> list[str]:
    """The grader's pytest command line: its own ini, no learner conftest, no cache, no terminal."""
    return [spec["hidden"], "-c", spec["ini"], "--rootdir", spec["work"],
            "--noconftest", "--assert=plain", "-s",
            "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:stepwise",
            "-p", "no:pastebin", "-p", "no:junitxml", "-p", "no:doctest"]


def child_env(spec: dict) -> dict[str, str]:
    """The whole environment of the child: nothing of the learner's or the app's."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": spec["home"],
        "TMPDIR": spec["tmp"],
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "NO_COLOR": "1",
    }


def set_limits(limits: Limits, uid: int | None) -> None:
    try:
        import resource
    except ImportError:  # not a POSIX system: the wall-clock timeout is all there is
        return

    def cap(kind: int, value: int) -> None:
        try:
            soft, hard = resource.getrlimit(kind)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(kind, (value, value if hard == resource.RLIM_INFINITY else hard))
        except (ValueError, OSError):
            pass

    cpu = limits.cpu_seconds
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (ValueError, OSError):
        pass
    cap(resource.RLIMIT_AS, limits.memory_bytes)
    cap(resource.RLIMIT_FSIZE, limits.file_bytes)
    cap(resource.RLIMIT_NOFILE, limits.open_files)
    cap(resource.RLIMIT_CORE, 0)
    base = 0 if uid is not None else count_own_processes()
    cap(resource.RLIMIT_NPROC, base + limits.processes)


def enter_sandbox(spec: dict) -> None:
    """In the child, before any learner code: limits, a spare uid, a clean env, cwd."""
    import random
    import tempfile

    limits = Limits(**spec["limits"])
    uid = spec.get("uid")
    set_limits(limits, uid)
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    os.environ.clear()
    os.environ.update(child_env(spec))
    os.chdir(spec["work"])
    sys.path.insert(0, spec["work"])
    sys.dont_write_bytecode = True
    tempfile.tempdir = spec["tmp"]
    random.seed()  # a forked child would otherwise repeat the worker's random state


def run_pytest(spec: dict, result_fd: int) -> int:
    """Run the hidden tests with the recording plugin; returns pytest's exit code."""
    import pytest

    from mlquiz.grading.plugin import ResultRecorder

    recorder = ResultRecorder(result_fd, spec["work"], spec["hidden"], spec.get("token", ""))
    return int(pytest.main(pytest_args(spec), plugins=[recorder]))


def digest_tree(folder: str | os.PathLike) -> str:
    """A hash of every file name and content under `folder` (the hidden tests)."""
    import hashlib

    digest = hashlib.sha256()
    for current, dirs, files in sorted(os.walk(folder)):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(current, name)
            digest.update(os.path.relpath(path, folder).encode())
            try:
                with open(path, "rb") as handle:
                    digest.update(handle.read())
            except OSError:
                digest.update(b"<unreadable>")
    return digest.hexdigest()


def remove_tree(base: str | os.PathLike) -> None:
    """Delete a check folder, read-only hidden tests included."""
    import shutil

    def make_writable_and_retry(function, path, _excinfo):
        try:
            os.chmod(os.path.dirname(path), 0o755)
            os.chmod(path, 0o755)
            function(path)
        except OSError:
            pass

    shutil.rmtree(base, onerror=make_writable_and_retry)
