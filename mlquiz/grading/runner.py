"""Run one check's judge process and watch everything below it until the deadline.

    raw = run_forked(spec)    # in the warm worker: fork a judge child (pytest already imported)
    raw = run_spawned(spec)   # anywhere: a cold `python` judge doing the same

`spec` is a plain dict built by `grader.py` (it crosses the worker pipe as JSON):
`check` (the folder the subject may write), `submitted` (the learner's files as
handed in), `tests` / `judge_dir` / `ini` (the hidden tests' copy, out of the
subject's view), `limits`, `deadline` (time.monotonic() at the click plus the
timeout: one deadline for the whole check), `token` and `unsandboxed`.

The judge child gets its own session, stdin from /dev/null, stdout+stderr on a
pipe read here with a cap (the subject inherits it: that is what the learner's
code printed), and the result records on a second pipe (fd 3). While it runs,
a watchdog counts the threads of every process below it and the bytes and
files in the check folder, and stops the check past the limits. At the end
every process below the judge is killed: the worker is a child subreaper, and
the subject's PID namespace dies with its first process.
"""
from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time

from mlquiz.grading import processes
from mlquiz.grading.results import RawRun
from mlquiz.grading.sandbox import Limits

DEADLINE_MARGIN_S = 1.0  # the judge stops itself first; this is the hard stop after it
_SANDBOX_OVERHEAD = 4  # bwrap's own processes around the subject, and the next test's child


def _judge_env() -> dict[str, str]:
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "NO_COLOR": "1"}


def _child_after_fork(spec: dict, out_w: int, result_w: int, subject_fd: int | None,
                      go_fd: int | None = None) -> None:
    """Runs in the forked judge child; never returns."""
    code = 70
    try:
        os.setsid()
        processes.die_with_parent()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        if result_w != 3:
            os.dup2(result_w, 3)
        if subject_fd is not None:  # the socket of a subject the worker started in advance
            os.dup2(subject_fd, 4)
            spec = {**spec, "subject_fd": 4}
        if go_fd is not None:  # forked in advance: the check's details come on this pipe
            os.dup2(go_fd, 5)
            spec = {**spec, "go_fd": 5}
        os.closerange(6, 1 << 16)  # nothing else of the worker (its request pipes) stays open
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        # A subject that dies mid-test must be an OSError here, never a SIGPIPE death.
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        os.environ.clear()
        os.environ.update(_judge_env())
        os.chdir(spec["judge_dir"])
        from mlquiz.grading.judge import run_judge

        code = run_judge(spec, 3)
    except BaseException as error:  # noqa: BLE001 - the child must reach os._exit
        try:
            os.write(2, f"grader judge failed: {type(error).__name__}: {error}\n".encode())
        except OSError:
            pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
        os._exit(code)


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
             subject_pid: int | None = None) -> RawRun:
    """Read both pipes until the judge exits, the deadline passes or a limit is crossed.
    `subject_pid`: a subject started by the worker, not below the judge; watched the same."""
    limits = Limits(**spec["limits"])
    raw = RawRun()
    output, results = bytearray(), bytearray()
    output_seen, results_cap = 0, 8 << 20
    selector = selectors.DefaultSelector()
    selector.register(out_r, selectors.EVENT_READ, "out")
    selector.register(result_r, selectors.EVENT_READ, "result")
    exit_fd = _exit_notifier(pid)  # readable the moment the judge exits: no polling delay
    if exit_fd is not None:
        selector.register(exit_fd, selectors.EVENT_READ, "exit")
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
                if tasks - _SANDBOX_OVERHEAD > limits.processes:
                    raw.too_many_processes = True
                    break
                used, files = processes.disk_use(check_dir, limits.files + 1)
                if used > limits.disk_bytes or files > limits.files:
                    raw.disk_full = True
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
    """A judge forked before its check, with pytest started; `go(details)` lets it run.

    judge = PreparedJudge.fork(static_spec, subject_sock)
    raw = judge.run(spec, subject_pid)      # writes the details, then watches it like run_forked
    """

    def __init__(self, pid: int, out_r: int, result_r: int, go_w: int) -> None:
        self.pid, self.out_r, self.result_r, self.go_w = pid, out_r, result_r, go_w

    @classmethod
    def fork(cls, spec: dict, subject_sock) -> "PreparedJudge":
        out_r, out_w = os.pipe()
        result_r, result_w = os.pipe()
        go_r, go_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            for fd in (out_r, result_r, go_w):
                os.close(fd)
            _child_after_fork(spec, out_w, result_w, subject_sock.fileno(), go_r)
        for fd in (out_w, result_w, go_r):
            os.close(fd)
        return cls(pid, out_r, result_r, go_w)

    def run(self, spec: dict, subject_pid: int) -> RawRun:
        details = {key: spec[key] for key in ("deadline", "token", "submitted")}
        try:
            os.write(self.go_w, json.dumps(details).encode())
        except OSError:
            pass  # it died waiting; _collect reports how
        os.close(self.go_w)
        self.go_w = -1

        def poll(block: bool = False):
            done, wait_status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
            return _status_of(wait_status) if done else None

        return _collect(self.pid, poll, self.out_r, self.result_r, spec, subject_pid)

    def discard(self) -> None:
        """An unused judge (limits changed, the worker closes): killed and reaped."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        for fd in (self.out_r, self.result_r, self.go_w):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass


def run_forked(spec: dict, spare=None) -> RawRun:
    """Fork a judge child of this (warm) process and run the check through it; `spare` is
    a `sandbox.Spare` started in advance, whose check folder already holds the files."""
    out_r, out_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(out_r)
        os.close(result_r)
        _child_after_fork(spec, out_w, result_w, spare.sock.fileno() if spare else None)
    os.close(out_w)
    os.close(result_w)
    if spare is not None:
        spare.sock.close()  # the judge has it now

    def poll(block: bool = False):
        done, wait_status = os.waitpid(pid, 0 if block else os.WNOHANG)
        return _status_of(wait_status) if done else None

    try:
        return _collect(pid, poll, out_r, result_r, spec,
                        spare.process.pid if spare is not None else None)
    finally:
        cleanup_after(spare)


def run_prepared(spec: dict, spare) -> RawRun:
    """The check through the spare's own judge, forked (and pytest started) in advance."""
    judge, spare.judge = spare.judge, None
    try:
        return judge.run(spec, spare.process.pid)
    finally:
        cleanup_after(spare)


def cleanup_after(spare) -> None:
    """After a check: the spare's subject stops; groups of judges killed at their deadline go."""
    from mlquiz.grading import cgroups
    from mlquiz.grading.sandbox import stop_subject

    if spare is not None:
        stop_subject(spare.process)
    cgroups.sweep()


def run_spawned(spec: dict) -> RawRun:
    """Run the judge in a new interpreter (the cold path, when no warm worker is available)."""
    out_r, out_w = os.pipe()
    result_r, result_w = os.pipe()
    spec_r, spec_w = os.pipe()  # the spec (and its token) never shows in the command line
    command = [sys.executable, "-c", "from mlquiz.grading.runner import main; main()",
               str(spec_r), str(result_w)]
    env = {**_judge_env(), "PYTHONPATH": own_import_root()}
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w, env=env,
            cwd=spec["judge_dir"], pass_fds=(spec_r, result_w), start_new_session=True)
    except OSError as error:
        for fd in (out_r, out_w, result_r, result_w, spec_r, spec_w):
            os.close(fd)
        return RawRun(error=f"could not start Python for the judge: {error}")
    os.close(out_w)
    os.close(result_w)
    os.close(spec_r)
    with os.fdopen(spec_w, "w", encoding="utf-8") as handle:
        try:
            handle.write(json.dumps(spec))
        except BrokenPipeError:
            pass

    def poll(block: bool = False):
        code = process.wait() if block else process.poll()
        if code is None:
            return None
        return (None, -code) if code < 0 else (code, None)

    return _collect(process.pid, poll, out_r, result_r, spec)


def own_import_root() -> str:
    """The folder that holds the `mlquiz` package, so a cold judge imports this very copy."""
    import mlquiz

    return os.path.dirname(os.path.dirname(os.path.abspath(mlquiz.__file__)))


def main() -> None:
    """Entry of the cold judge: `python -c '...main()' SPEC_FD RESULT_FD`."""
    with os.fdopen(int(sys.argv[1]), encoding="utf-8") as handle:
        spec = json.loads(handle.read())
    code = 70
    try:
        from mlquiz.grading.judge import run_judge

        code = run_judge(spec, int(sys.argv[2]))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
