"""The warm worker: one process per app that starts, watches and ends every check.

    with WarmWorker() as worker:
        raw = worker.run(spec)     # RawRun

It never runs learner code, and neither does the judge (the learner's code runs
in the sandboxed subject). For each check it uses a `Spare` started ahead (a
subject waiting for `go` and a judge with pytest started and, when known, the
hidden tests collected) and starts the next one after answering. When the app
runs as root it first becomes an unprivileged user (privileges.py), so nothing
of a check runs as host root. Protocol: one JSON spec per line on its stdin, one
JSON RawRun per line on its stdout. If it dies or stops answering, that check
fails with the reason in `RawRun.error` (it is never run again).
"""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading

import mlquiz
from mlquiz.grading import privileges, sandbox
from mlquiz.grading.processes import become_subreaper
from mlquiz.grading.results import RawRun
from mlquiz.grading.runner import JUDGE_START_S
from mlquiz.grading.spare import CheckArea, Spare
from mlquiz.grading.spec import CheckSpec, Limits, Prestart, SpecError


def serve(requests=None, responses=None) -> None:
    """The worker's loop (`python -m mlquiz.grading.worker`)."""
    found = sandbox._probe()
    if privileges.grading_user() is not None:
        paths = sandbox.host_paths(found) if not isinstance(found, str) else []
        privileges.become_grading_user(paths)
        sandbox._probe.cache_clear()  # can the grading user run it too?
        sandbox.sandbox_problem()
    become_subreaper()

    # Keep the protocol off fds 0/1 so nothing in a child can write into it by accident.
    requests = requests or os.fdopen(os.dup(0), "r", encoding="utf-8")
    responses = responses or os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    responses.write(json.dumps({"ready": True}) + "\n")
    responses.flush()
    areas = Areas()
    spare = None  # the next check's subject and judge, started before it
    for line in requests:
        spec = None
        used = None
        try:
            message = json.loads(line)
            if type(message) is dict and "prestart" in message:  # from warm_up: no answer
                try:
                    prestart = Prestart.from_json(message["prestart"])
                except SpecError:
                    continue
                spare = _fresh_spare(areas, spare, prestart.limits, not prestart.unsandboxed,
                                     prestart.tests)
                continue
            spec = CheckSpec.from_json(message)
            if spare is None or not spare.fits(spec):
                if spare is not None:
                    spare.discard()
                spare = Spare.start(areas.get(not spec.unsandboxed), spec.limits)
            used, spare = spare, None
            used.take(spec)
            raw = used.run(spec, requests.fileno())
        except (ValueError, SpecError) as error:
            raw = RawRun(error=f"the grader's worker was sent a request it does not take: {error}")
        except Exception as error:  # noqa: BLE001 - report it, keep serving
            raw = RawRun(error=f"the grader's worker failed: {type(error).__name__}: {error}")
        responses.write(json.dumps(raw.to_dict()) + "\n")
        responses.flush()
        if used is not None:
            used.discard()
        if spec is not None and not raw.error:
            # the next check is most likely of the same exercise, unless the app said otherwise
            spare = _fresh_spare(areas, spare, spec.limits, not spec.unsandboxed,
                                 spec.next_tests or spec.tests)
    if spare is not None:  # the app closed the worker: the waiting sandboxes go too
        spare.discard()
    areas.close()


class Areas:
    """The worker's check areas, one per kind of check (sandboxed or not), made on first use."""

    def __init__(self) -> None:
        self._by_kind: dict[bool, CheckArea] = {}

    def get(self, sandboxed: bool) -> CheckArea:
        if sandboxed not in self._by_kind:
            self._by_kind[sandboxed] = CheckArea.create(sandboxed)
        return self._by_kind[sandboxed]

    def close(self) -> None:
        for area in self._by_kind.values():
            area.close()
        self._by_kind.clear()


def _fresh_spare(areas: Areas, spare: Spare | None, limits: Limits, sandboxed: bool,
                 tests: str | None = None) -> Spare | None:
    """The spare for the next check (off the learner's clock), its judge ready for
    `tests` when they are known; None if it cannot start."""
    if spare is not None:
        try:
            if spare.suits(limits, sandboxed):
                if tests is not None and not spare.expects(tests):
                    spare.expect(tests)  # the same subject; only its judge is started again
                return spare
        except OSError:
            pass
        spare.discard()
    try:
        return Spare.start(areas.get(sandboxed), limits, tests=tests)
    except (sandbox.SandboxUnavailable, OSError):
        return None


def own_import_root() -> str:
    """The folder that holds the `mlquiz` package, so the worker imports this very copy."""
    return os.path.dirname(os.path.dirname(os.path.abspath(mlquiz.__file__)))


class WarmWorker:
    """The app's handle on its one worker process; started on the first `run`, thread-safe."""

    def __init__(self, python: str | None = None) -> None:
        self._python = python or sys.executable
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
               "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
               "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": own_import_root()}
        process = subprocess.Popen(
            [self._python, "-c", "from mlquiz.grading.worker import serve; serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, cwd=os.path.abspath(os.sep), text=True, encoding="utf-8",
            start_new_session=True)
        ready = process.stdout.readline()
        if not ready.strip():
            process.kill()
            process.wait()
            raise OSError("the grader's worker did not start")
        return process

    def start(self) -> None:
        """Start the worker now rather than on the first check (it takes a few hundred ms)."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()

    def prestart(self, prestart: Prestart) -> None:
        """Ask the worker to start a subject now, for the first check (no answer comes back);
        `tests`: the hidden tests that check will most likely run, collected in advance."""
        with self._lock:
            try:
                if self._process is None or self._process.poll() is not None:
                    self._process = self._start()
                self._process.stdin.write(json.dumps(prestart.to_json()) + "\n")
                self._process.stdin.flush()
            except OSError:
                self._stop_locked()

    def run(self, spec: CheckSpec) -> RawRun:
        """One check through the worker, never run twice: a worker that dies or stops
        answering fails this check with a clear reason (the next check starts a new one)."""
        import time

        with self._lock:
            try:
                if self._process is None or self._process.poll() is not None:
                    self._process = self._start()
                self._process.stdin.write(json.dumps(spec.to_json()) + "\n")
                self._process.stdin.flush()
                # The worker enforces the check's deadline; this only guards a stuck worker.
                patience = spec.deadline - time.monotonic() + 3.0 + JUDGE_START_S
                ready, _, _ = select.select([self._process.stdout], [], [], max(patience, 0.5))
                if not ready:
                    raise OSError("the grader's worker stopped answering")
                line = self._process.stdout.readline()
                if not line:
                    raise OSError("the grader's worker stopped")
                return RawRun.from_dict(json.loads(line))
            except (OSError, ValueError, TypeError) as error:  # dead, stuck or garbled
                self._stop_locked()
                return RawRun(error=str(error) or "the grader's worker failed")

    def _stop_locked(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout=5)  # it stops its waiting subject first
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout,):
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        with self._lock:
            self._stop_locked()

    def __enter__(self) -> "WarmWorker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    serve()
