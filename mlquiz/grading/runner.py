"""Run one check's judge and watch everything below it until the deadline.

    judge = PreparedJudge.start(base, subject_sock, limits, sandboxed)   # ahead of the check
    raw = judge.run(spec, subject_pid)      # the check's details go in; a RawRun comes out

The judge is a process of its own in a sandbox of its own (sandbox.judge_command):
started before its check with pytest imported, it waits on a pipe for the check's
details (deadline, token). Its stdout+stderr are a pipe read here with a cap (what
the learner's code printed reaches it through the subject), and its result records
a second pipe. While it runs, a watchdog counts the threads of every process below
the judge and the subject, and the bytes and files in the check folder, and stops
the check past the limits; a closed request pipe (the app is gone) stops it too. At
the end every process below the judge and the subject is killed.
"""
from __future__ import annotations

import json
import os
import select
import selectors
import signal
import subprocess
import time

from mlquiz.grading import processes
from mlquiz.grading.results import RawRun
from mlquiz.grading.sandbox import Limits

JUDGE_START_S = 30.0  # a loaded machine may take this long to start pytest; not the learner's time
DEADLINE_MARGIN_S = 1.0  # the judge stops itself first; this is the hard stop after it
# bwrap's own processes around the subject and the judge, the judge, and the next test's child
_SANDBOX_OVERHEAD = 6
# RLIMIT_NPROC holds in the subject's namespace (no grading process is root), and the
# sandbox's own tasks there count against it: learner code meets the cap this many short
# of `limits.processes`, and a storm is named when it does, not at the timeout.
_CAP_HEADROOM = 4


def _drain(fd: int, buffer: bytearray, keep: int) -> int:
    os.set_blocking(fd, False)
    seen = 0
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            return seen
        if not chunk:
            return seen
        seen += len(chunk)
        room = keep - len(buffer)
        if room > 0:
            buffer += chunk[:room]


def _collect(pid: int, poll, out_r: int, result_r: int, spec: dict,
             subject_pid: int | None = None, stop_fd: int | None = None,
             results_so_far: bytes = b"") -> RawRun:
    """Read both pipes until the judge exits, the deadline passes or a limit is crossed.
    `subject_pid`: the subject, beside the judge; watched the same. `stop_fd` readable:
    the app that asked for the check is gone, so nothing of it keeps running."""
    limits = Limits(**spec["limits"])
    raw = RawRun()
    output, results = bytearray(), bytearray(results_so_far)
    output_seen, results_cap = 0, 8 << 20
    selector = selectors.DefaultSelector()
    selector.register(out_r, selectors.EVENT_READ, "out")
    selector.register(result_r, selectors.EVENT_READ, "result")
    exit_fd = _exit_notifier(pid)  # readable the moment the judge exits: no polling delay
    if exit_fd is not None:
        selector.register(exit_fd, selectors.EVENT_READ, "exit")
    if stop_fd is not None:
        selector.register(stop_fd, selectors.EVENT_READ, "stop")
    deadline = float(spec["deadline"]) + DEADLINE_MARGIN_S
    next_watch = time.monotonic() + 0.02
    status = None
    check_dir = spec["check"]
    try:
        while True:
            now = time.monotonic()
            if now >= deadline:
                raw.timed_out = True
                break
            wait = min(deadline - now, max(next_watch - now, 0.0), 0.05)
            for key, _ in selector.select(wait):
                if key.data == "exit":
                    selector.unregister(key.fd)
                    continue
                if key.data == "stop":
                    selector.unregister(key.fd)
                    if _closed(key.fd):
                        raw.error = "the app that asked for this check has closed"
                        deadline = now  # end the loop below
                    continue
                try:
                    chunk = os.read(key.fd, 1 << 16)
                except OSError:
                    chunk = b""
                if not chunk:
                    selector.unregister(key.fd)
                elif key.data == "out":
                    output_seen += len(chunk)
                    room = limits.output_keep - len(output)
                    if room > 0:
                        output += chunk[:room]
                else:
                    results += chunk
            if output_seen > limits.output_bytes:
                raw.flooded = True
                break
            if len(results) > results_cap:
                raw.error = "the judge wrote more results than any check can have"
                break
            status = poll()
            if status is not None:
                break
            if time.monotonic() >= next_watch:
                next_watch = time.monotonic() + 0.02
                tasks = processes.count_tasks_below(pid)
                if subject_pid is not None:
                    tasks += processes.count_tasks_below(subject_pid) + 1
                if tasks - _SANDBOX_OVERHEAD >= limits.processes - _CAP_HEADROOM:
                    raw.too_many_processes = True
                    break
                used, files, depth = processes.disk_use(check_dir, limits.files + 1)
                if used > limits.disk_bytes or files > limits.files:
                    raw.disk_full = True
                    break
                if depth > limits.folder_depth:
                    raw.too_deep = True
                    break
        _drain(result_r, results, results_cap)
        output_seen += _drain(out_r, output, limits.output_keep)
    finally:
        selector.close()
        if exit_fd is not None:
            os.close(exit_fd)
        if subject_pid is not None:  # its PID namespace ends with it
            try:
                os.kill(subject_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        processes.kill_tree(pid)
        if status is None:
            status = poll(block=True)
        if processes.is_subreaper():
            processes.kill_descendants()
        os.close(out_r)
        os.close(result_r)
    raw.exit_code, raw.signal = status
    raw.output = output.decode("utf-8", "replace")
    token = spec.get("token", "")
    for line in results.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.pop("t", None) == token:
            raw.records.append(record)
    return raw


def _closed(fd: int) -> bool:
    """A readable pipe with nothing to read: its writer is gone."""
    import array
    import fcntl
    import termios

    waiting = array.array("i", [0])
    try:
        fcntl.ioctl(fd, termios.FIONREAD, waiting, True)
    except OSError:
        return True
    return waiting[0] == 0


def _exit_notifier(pid: int) -> int | None:
    """A pidfd for `pid` (Linux 5.3+), or None where there is none: then exits are polled."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _status_of(wait_status: int) -> tuple[int | None, int | None]:
    if os.WIFSIGNALED(wait_status):
        return None, os.WTERMSIG(wait_status)
    return os.waitstatus_to_exitcode(wait_status), None


class PreparedJudge:
    """A judge started before its check, with pytest started; `run(spec, ...)` lets it go.

    judge = PreparedJudge.start(base, subject_sock, limits, sandboxed, collected_early=True)
    raw = judge.run(spec, subject_pid)      # writes the details, then watches it
    """

    def __init__(self, process: subprocess.Popen, out_r: int, result_r: int, go_w: int) -> None:
        self.process, self.out_r, self.result_r, self.go_w = process, out_r, result_r, go_w

    @classmethod
    def start(cls, base, subject_sock, limits: dict, sandboxed: bool, *,
              collected_early: bool = False) -> "PreparedJudge":
        from mlquiz.grading.sandbox import (find_sandbox, judge_command, judge_env,
                                            unsandboxed_judge_command)

        out_r, out_w = os.pipe()
        result_r, result_w = os.pipe()
        go_r, go_w = os.pipe()
        subject_fd = subject_sock.fileno()
        spec = {"limits": limits, "collected_early": collected_early, "result_fd": result_w,
                "subject_fd": subject_fd, "go_fd": go_r}
        try:
            command = (judge_command(find_sandbox(), base, spec) if sandboxed
                       else unsandboxed_judge_command(base, spec))
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w, env=judge_env(),
                cwd="/", pass_fds=(result_w, subject_fd, go_r),
                start_new_session=True)
        except BaseException:
            for fd in (out_r, result_r, go_w):
                os.close(fd)
            raise
        finally:
            for fd in (out_w, result_w, go_r):
                os.close(fd)
        return cls(process, out_r, result_r, go_w)

    def run(self, spec: dict, subject_pid: int, stop_fd: int | None = None) -> RawRun:
        """`stop_fd`: readable when the check must stop at once (the app closed the worker)."""
        ready = self._wait_until_ready(spec)
        # The check's clock is for the learner's code: time the judge took to start is ours.
        timeout_s = float(spec["limits"]["timeout_s"])
        spec = {**spec, "deadline": max(float(spec["deadline"]), time.monotonic() + timeout_s)}
        details = {key: spec[key] for key in ("deadline", "token")}
        try:
            os.write(self.go_w, json.dumps(details).encode())
        except OSError:
            pass  # it died waiting; _collect reports how
        os.close(self.go_w)
        self.go_w = -1

        def poll(block: bool = False):
            code = self.process.wait() if block else self.process.poll()
            if code is None:
                return None
            return (None, -code) if code < 0 else (code, None)

        return _collect(self.process.pid, poll, self.out_r, self.result_r, spec, subject_pid,
                        stop_fd, ready)

    def _wait_until_ready(self, spec: dict) -> bytes:
        """Wait (at most JUDGE_START_S) for the judge to say pytest is up; what it wrote
        after that line (records that belong to the check)."""
        from mlquiz.grading.judge import READY_LINE

        seen = b""
        give_up = time.monotonic() + JUDGE_START_S
        while READY_LINE not in seen and time.monotonic() < give_up:
            ready, _, _ = select.select([self.result_r], [], [], 0.05)
            if ready:
                chunk = os.read(self.result_r, 1 << 16)
                if not chunk:
                    break
                seen += chunk
            elif self.process.poll() is not None:
                break
        return seen.split(READY_LINE, 1)[-1] if READY_LINE in seen else seen

    def discard(self) -> None:
        """An unused judge (limits or tests changed, the worker closes): killed and reaped."""
        processes.kill_tree(self.process.pid)
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for fd in (self.out_r, self.result_r, self.go_w):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
