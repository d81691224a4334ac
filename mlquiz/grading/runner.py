"""Run one check's judge and watch everything below it until the deadline.

    judge = PreparedJudge.start(base, subject_sock, limits, sandboxed)   # ahead of the check
    raw = judge.run(check_dir, deadline, token, subject_pid)              # a RawRun

The judge is a process of its own in a sandbox of its own (sandbox.judge_command):
started before its check with pytest imported, it says `ready` on its result pipe
and waits on a pipe for the check's `GoDetails`. The check's clock starts at
`ready`. Its stdout+stderr are a pipe read here with a cap (what the learner's code
printed reaches it through the subject), its result records a second pipe. While
it runs, a watchdog (`Watch`) counts the threads of every process below the judge
and the subject, and the bytes, files and depth of the check folder, and stops
the check past the limits; a closed request pipe (the app is gone) stops it too.
At the end every process below the judge and the subject is killed.
"""
from __future__ import annotations

import array
import fcntl
import json
import os
import select
import selectors
import signal
import socket
import struct
import subprocess
import termios
import time

from mlquiz.grading import processes
from mlquiz.grading.results import RawRun
from mlquiz.grading.sandbox import (CHECK_DIR, JUDGE_DIR, SUBMITTED_DIR, find_sandbox, judge_command,
                                    judge_env, unsandboxed_judge_command)
from mlquiz.grading.spec import READY_LINE, GoDetails, JudgeFds, JudgeSpec, Limits

JUDGE_START_S = 30.0  # a loaded machine may take this long to start pytest; not the learner's time
DEADLINE_MARGIN_S = 1.0  # the judge stops itself first; this is the hard stop after it
WATCH_EVERY_S = 0.02
RESULTS_CAP = 8 << 20
# the subject's bwrap (outside and as init), its zygote, and the next test's child (the judge
# is a child of its own zygote, in the judge's sandbox: nothing below it is counted)
_SANDBOX_OVERHEAD = 4
# RLIMIT_NPROC holds in the subject's namespace (no grading process is root), and the
# sandbox's own tasks there count against it: learner code meets the cap this many short
# of `limits.processes`, and a storm is named when it does, not at the timeout.
_CAP_HEADROOM = 4


def _read_into(fd: int, buffer: bytearray, keep: int) -> int:
    """Read what `fd` has now into `buffer` (at most `keep` bytes kept); bytes seen, or
    -1 at end of file."""
    try:
        chunk = os.read(fd, 1 << 16)
    except BlockingIOError:
        return 0
    except OSError:
        return -1
    if not chunk:
        return -1
    room = keep - len(buffer)
    if room > 0:
        buffer += chunk[:room]
    return len(chunk)


def _drain(fd: int, buffer: bytearray, keep: int) -> int:
    """Everything left in a pipe whose writers are gone."""
    os.set_blocking(fd, False)
    seen = 0
    while (count := _read_into(fd, buffer, keep)) > 0:
        seen += count
    return seen


def _closed(fd: int) -> bool:
    """A readable pipe with nothing to read: its writer is gone."""
    waiting = array.array("i", [0])
    try:
        fcntl.ioctl(fd, termios.FIONREAD, waiting, True)
    except OSError:
        return True
    return waiting[0] == 0




class Watch:
    """One check's watchdog: the judge's pipes, its exit, the limits and the deadline.

    raw = Watch(judge, out_r, result_r, limits, check_dir, subject_pid).until(deadline, token)

    `judge` is a ForkedJudge: `.pid` (in this PID namespace) and `.status(block=...)`.
    """

    def __init__(self, judge: "ForkedJudge", out_r: int, result_r: int, limits: Limits,
                 check_dir: str, subject_pid: int, *, stop_fd: int | None = None,
                 results_so_far: bytes = b"") -> None:
        self.judge, self.out_r, self.result_r = judge, out_r, result_r
        self.limits, self.check_dir, self.subject_pid = limits, check_dir, subject_pid
        self.raw = RawRun()
        self.output, self.results = bytearray(), bytearray(results_so_far)
        self.output_seen = 0
        self.selector = selectors.DefaultSelector()
        self.selector.register(out_r, selectors.EVENT_READ, "out")
        self.selector.register(result_r, selectors.EVENT_READ, "result")
        try:  # readable the moment the judge exits (Linux 5.3+): no polling delay
            self.exit_fd: int | None = os.pidfd_open(judge.pid)
            self.selector.register(self.exit_fd, selectors.EVENT_READ, "exit")
        except (AttributeError, OSError):
            self.exit_fd = None
        if stop_fd is not None:
            self.selector.register(stop_fd, selectors.EVENT_READ, "stop")

    def until(self, deadline: float, token: str) -> RawRun:
        """Watch until the judge ends, a limit is crossed or `deadline` (+ the margin)."""
        status = None
        try:
            status = self._loop(deadline + DEADLINE_MARGIN_S)
            _drain(self.result_r, self.results, RESULTS_CAP)
            self.output_seen += _drain(self.out_r, self.output, self.limits.output_keep)
        finally:
            self._end_everything()
            if status is None:
                status = self.judge.status(block=True)
        raw = self.raw
        raw.exit_code, raw.signal = status
        raw.output = self.output.decode("utf-8", "replace")
        raw.records = _records(self.results, token)
        return raw

    def _loop(self, hard_stop: float):
        next_watch = time.monotonic() + WATCH_EVERY_S
        while True:
            now = time.monotonic()
            if now >= hard_stop:
                self.raw.timed_out = True
                return None
            wait = min(hard_stop - now, max(next_watch - now, 0.0), 0.05)
            for key, _ in self.selector.select(wait):
                if not self._readable(key):
                    return None
            if self.output_seen > self.limits.output_bytes:
                self.raw.flooded = True
                return None
            if len(self.results) > RESULTS_CAP:
                self.raw.error = "the judge wrote more results than any check can have"
                return None
            status = self.judge.status()
            if status is not None:
                return status
            if time.monotonic() >= next_watch:
                next_watch = time.monotonic() + WATCH_EVERY_S
                if self._over_limits():
                    return None

    def _readable(self, key) -> bool:
        """Handle one readable source; False when the check must stop now."""
        if key.data == "exit":
            self.selector.unregister(key.fd)
            return True
        if key.data == "stop":
            self.selector.unregister(key.fd)
            if _closed(key.fd):
                self.raw.error = "the app that asked for this check has closed"
                return False
            return True
        if key.data == "out":
            count = _read_into(key.fd, self.output, self.limits.output_keep)
            self.output_seen += max(count, 0)
        else:
            count = _read_into(key.fd, self.results, RESULTS_CAP + 1)
        if count < 0:
            self.selector.unregister(key.fd)
        return True

    def _over_limits(self) -> bool:
        raw, limits = self.raw, self.limits
        tasks = (processes.count_tasks_below(self.judge.pid)
                 + processes.count_tasks_below(self.subject_pid) + 1)
        if tasks - _SANDBOX_OVERHEAD >= limits.processes - _CAP_HEADROOM:
            raw.too_many_processes = True
            return True
        used, files, depth = processes.disk_use(self.check_dir, limits.files + 1)
        if used > limits.disk_bytes or files > limits.files:
            raw.disk_full = True
            return True
        if depth > limits.folder_depth:
            raw.too_deep = True
            return True
        return False

    def _end_everything(self) -> None:
        self.selector.close()
        if self.exit_fd is not None:
            os.close(self.exit_fd)
        try:  # the subject's PID namespace ends with it
            os.kill(self.subject_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        processes.kill_tree(self.judge.pid)
        if processes.is_subreaper():
            processes.kill_descendants(keep=self.judge.zygote.process.pid)
        os.close(self.out_r)
        os.close(self.result_r)


def _records(results: bytes | bytearray, token: str) -> list[dict]:
    """The plugin's records of this check (its token), each without the token."""
    found = []
    for line in bytes(results).decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.pop("t", None) == token:
            found.append(record)
    return found


class JudgeZygote:
    """The worker's warm judge process (judge_zygote.py) in its sandbox, bound to one check
    area (its check/, submitted/ and judge/ folders, reused check after check).

    zygote = JudgeZygote.start(area, sandboxed=True)     # pytest imported, once per worker
    judge = zygote.fork(subject_sock, limits, collected_early=True)   # a PreparedJudge
    """

    def __init__(self, process: subprocess.Popen, control: socket.socket,
                 folders: tuple[str, str, str]) -> None:
        self.process, self.control = process, control
        self.folders = folders  # check, submitted, judge dir, as the judge sees them
        self._buffer = b""
        self._exits: dict[int, tuple[int | None, int | None]] = {}

    @classmethod
    def start(cls, area, sandboxed: bool) -> "JudgeZygote":
        ours, theirs = socket.socketpair()
        try:
            command = (judge_command(find_sandbox(), area, theirs.fileno()) if sandboxed
                       else unsandboxed_judge_command(area, theirs.fileno()))
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, env=judge_env(), cwd="/",
                                       pass_fds=(theirs.fileno(),), start_new_session=True)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        folders = ((CHECK_DIR, SUBMITTED_DIR, JUDGE_DIR) if sandboxed else
                   (str(area / "check"), str(area / "submitted"), str(area / "judge")))
        zygote = cls(process, ours, folders)
        try:
            if zygote._message(JUDGE_START_S).get("op") != "ready":
                raise OSError("the judge did not start")
        except BaseException:
            zygote.stop()
            raise
        return zygote

    def running(self) -> bool:
        return self.process.poll() is None

    def _message(self, timeout: float) -> dict:
        """The zygote's next message (a JSON line); OSError if none comes in time."""
        give_up = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = give_up - time.monotonic()
            ready, _, _ = select.select([self.control], [], [], max(left, 0))
            if not ready:
                raise OSError("the judge's zygote did not answer")
            chunk = self.control.recv(1 << 16)
            if not chunk:
                raise OSError("the judge's zygote ended")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        message = json.loads(line)
        if message.get("op") == "exited":
            self._exits[int(message["pid"])] = (message.get("code"), message.get("signal"))
        return message

    def exit_of(self, pid: int, timeout: float) -> tuple[int | None, int | None]:
        """(code, signal) of a child that ended, as the zygote reported it."""
        give_up = time.monotonic() + timeout
        while pid not in self._exits and time.monotonic() < give_up:
            try:
                self._message(max(give_up - time.monotonic(), 0.01))
            except OSError:
                break
        return self._exits.pop(pid, (None, signal.SIGKILL))

    def fork(self, subject_sock, limits: Limits, *, collected_early: bool = False) -> "PreparedJudge":
        out_r, out_w = os.pipe()
        result_r, result_w = os.pipe()
        go_r, go_w = os.pipe()
        ours, theirs = socket.socketpair()
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        spec = JudgeSpec(limits, JudgeFds.RESULT, JudgeFds.SUBJECT, JudgeFds.GO,
                         collected_early, *self.folders)
        try:
            socket.send_fds(self.control, [json.dumps({"op": "fork", "spec": spec.to_json()}).encode()],
                            [out_w, result_w, subject_sock.fileno(), go_r, theirs.fileno()])
            pid, ns_pid = _pid_of_child(ours, JUDGE_START_S)
        except BaseException:
            for fd in (out_r, result_r, go_w):
                os.close(fd)
            raise
        finally:
            for fd in (out_w, result_w, go_r):
                os.close(fd)
            theirs.close()
            ours.close()
        return PreparedJudge(ForkedJudge(self, pid, ns_pid), out_r, result_r, go_w, limits)

    def stop(self) -> None:
        try:
            self.control.close()
        except OSError:
            pass
        processes.kill_tree(self.process.pid)
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass


def _pid_of_child(sock: socket.socket, timeout: float) -> tuple[int, int]:
    """(pid here, pid in the zygote's namespace) of the judge child that just wrote on
    `sock` with its credentials: the kernel translates its pid into ours."""
    ready, _, _ = select.select([sock], [], [], timeout)
    if not ready:
        raise OSError("the judge did not start")
    said, ancillary, _flags, _addr = sock.recvmsg(32, socket.CMSG_SPACE(12))
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            return struct.unpack("iII", data[:12])[0], int(said)
    raise OSError("the judge did not say who it is")


class ForkedJudge:
    """One judge child of the zygote, seen from the worker: kill it, learn how it ended."""

    def __init__(self, zygote: JudgeZygote, pid: int, ns_pid: int) -> None:
        self.zygote, self.pid, self.ns_pid = zygote, pid, ns_pid
        self._status: tuple[int | None, int | None] | None = None

    def status(self, *, block: bool = False) -> tuple[int | None, int | None] | None:
        """(exit code, None) or (None, signal) once it ended; None while it runs."""
        if self._status is not None:
            return self._status
        if not block and _alive(self.pid):
            return None
        if block:
            self.kill()
        self._status = self.zygote.exit_of(self.ns_pid, 2.0)
        return self._status

    def kill(self) -> None:
        processes.kill_tree(self.pid)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie does not: it only waits for its parent)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False


class PreparedJudge:
    """A judge forked before its check, with pytest started; `run(...)` lets it go.

    judge = zygote.fork(subject_sock, limits, collected_early=True)
    raw = judge.run(check_dir, deadline, token, subject_pid)
    """

    def __init__(self, judge: ForkedJudge, out_r: int, result_r: int, go_w: int,
                 limits: Limits) -> None:
        self.judge, self.out_r, self.result_r, self.go_w = judge, out_r, result_r, go_w
        self.limits = limits

    def run(self, check_dir: str, deadline: float, token: str, subject_pid: int,
            stop_fd: int | None = None) -> RawRun:
        """The check, from the judge's `ready`: at least `timeout_s` of the learner's time
        whatever the judge's start-up took. `stop_fd` readable: stop at once."""
        after_ready = self._wait_until_ready()
        deadline = max(deadline, time.monotonic() + self.limits.timeout_s)
        try:
            os.write(self.go_w, json.dumps(GoDetails(deadline, token).to_json()).encode())
        except OSError:
            pass  # it died waiting; the watch reports how
        os.close(self.go_w)
        self.go_w = -1
        watch = Watch(self.judge, self.out_r, self.result_r, self.limits, check_dir, subject_pid,
                      stop_fd=stop_fd, results_so_far=after_ready)
        return watch.until(deadline, token)

    def _wait_until_ready(self) -> bytes:
        """Wait (at most JUDGE_START_S) for the judge to say pytest is up; what it wrote
        after that line (records that belong to the check)."""
        seen = b""
        give_up = time.monotonic() + JUDGE_START_S
        while READY_LINE not in seen and time.monotonic() < give_up:
            ready, _, _ = select.select([self.result_r], [], [], 0.05)
            if ready:
                chunk = os.read(self.result_r, 1 << 16)
                if not chunk:
                    break
                seen += chunk
            elif self.judge.status() is not None:
                break
        return seen.split(READY_LINE, 1)[-1] if READY_LINE in seen else seen

    def discard(self) -> None:
        """An unused judge (limits or tests changed, the worker closes): killed."""
        self.judge.kill()
        self.judge.status(block=True)
        for fd in (self.out_r, self.result_r, self.go_w):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
