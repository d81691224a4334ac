"""Run the hidden tests in a sandboxed child process and collect what it left behind.

    raw = run_forked(spec)    # in the warm worker: fork, limit, run pytest.main in the child
    raw = run_spawned(spec)   # anywhere: a cold `python` child doing the same

`spec` is a plain dict (it crosses the worker pipe as JSON), built by
`mlquiz.grading.grader`: `work` (the check folder, the child's cwd), `hidden`
(the hidden tests inside it), `ini` (the grader's own pytest.ini), `home`,
`tmp`, `uid` (a throw-away user id when the grader runs as root, else None),
`limits` (a `Limits` as a dict), `hidden_digest` (to notice changed tests)
and `token` (stamped on every result record; lines without it are dropped).

The child gets its own session (so the whole process group can be killed),
RLIMIT_CPU/AS/FSIZE/NPROC/NOFILE/CORE, a scrubbed environment, stdin from
/dev/null and stdout+stderr on a pipe the parent reads with a cap. Per-test
results travel on a second, inherited pipe (see `plugin.py`); stdout is
never trusted.

Processes: RLIMIT_NPROC counts every process of the real user id, and root
ignores it. So as root the child first switches to a random unused uid (only
its own processes count, the limit is exact, and afterwards `kill(-1)` as
that uid removes every straggler, even ones that left the process group).
As an ordinary user the limit is "the user's processes now + limits.processes",
so parallel checks (pytest-xdist) keep working, and stragglers are removed by
killing the process group. Root without a usable spare uid (an interpreter
under /root that another user cannot read) keeps root in the child; then the
collect loop counts the check's processes every 25 ms and stops it past the
limit. The warm worker
is a child subreaper, so after every check each process the check started,
even one that left its group with setsid(), is found and killed. (The cold
fallback cannot do that last part: there a setsid() escapee may outlive it.)

sandbox.py holds what the child sees (limits, environment, pytest arguments);
processes.py counts and kills.
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
from mlquiz.grading.sandbox import Limits, child_env, digest_tree, enter_sandbox, run_pytest


def _child_after_fork(spec: dict, out_w: int, result_w: int) -> None:
    """Runs in the forked child; never returns."""
    code = 70
    try:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        if result_w != 3:
            os.dup2(result_w, 3)
        os.closerange(4, 1 << 16)  # nothing of the worker (its request pipes) stays open
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        enter_sandbox(spec)
        code = run_pytest(spec, 3)
    except BaseException as error:  # noqa: BLE001 - the child must reach os._exit
        try:
            os.write(2, f"grader child failed: {type(error).__name__}: {error}\n".encode())
        except OSError:
            pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        os._exit(code)


def _drain(fd: int, buffer: bytearray, keep: int) -> int:
    """Read what is ready without blocking; keep at most `keep` bytes; return bytes seen."""
    os.set_blocking(fd, False)
    seen = 0
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except (BlockingIOError, InterruptedError):
            return seen
        except OSError:
            return seen
        if not chunk:
            return seen
        seen += len(chunk)
        room = keep - len(buffer)
        if room > 0:
            buffer += chunk[:room]


def _collect(pid: int, poll, out_r: int, result_r: int, limits: Limits, uid: int | None,
             can_fork: bool, token: str = "") -> RawRun:
    """Read both pipes until the child exits, the clock runs out or the output floods."""
    raw = RawRun()
    output = bytearray()
    results = bytearray()
    output_seen = 0
    results_cap = 8 << 20
    selector = selectors.DefaultSelector()
    selector.register(out_r, selectors.EVENT_READ, "out")
    selector.register(result_r, selectors.EVENT_READ, "result")
    pidfd = None
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(pid)
            selector.register(pidfd, selectors.EVENT_READ, "exit")
        except OSError:
            pidfd = None
    deadline = time.monotonic() + limits.timeout_s
    # Without a spare uid (root can't be held by RLIMIT_NPROC) count the group ourselves.
    watchdog = uid is None and hasattr(os, "geteuid") and os.geteuid() == 0
    next_count = time.monotonic() + 0.05
    status = None
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raw.timed_out = True
                break
            wait = remaining if pidfd is not None else min(remaining, 0.01)
            if watchdog:
                wait = min(wait, max(next_count - time.monotonic(), 0.0))
            for key, _ in selector.select(wait):
                if key.data == "exit":
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
                raw.error = "the test process wrote more results than any check can have"
                break
            status = poll()
            if status is not None:
                break
            if watchdog and time.monotonic() >= next_count:
                next_count = time.monotonic() + 0.025
                if processes.count_processes(pid) > limits.processes:
                    raw.too_many_processes = True
                    break
        _drain(result_r, results, results_cap)
        output_seen += _drain(out_r, output, limits.output_keep)
    finally:
        selector.close()
        if pidfd is not None:
            os.close(pidfd)
        processes.kill_group(pid)
        if uid is not None and can_fork:
            processes.kill_uid(uid)
        if status is None:
            status = poll(block=True)
        if processes.is_subreaper():
            processes.kill_descendants()
        os.close(out_r)
        os.close(result_r)
    exit_code, signal_number = status
    raw.exit_code, raw.signal = exit_code, signal_number
    raw.output = output.decode("utf-8", "replace")
    for line in results.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.pop("t", None) == token:
            raw.records.append(record)
    return raw


def _status_of(wait_status: int) -> tuple[int | None, int | None]:
    if os.WIFSIGNALED(wait_status):
        return None, os.WTERMSIG(wait_status)
    return os.waitstatus_to_exitcode(wait_status), None


def run_forked(spec: dict) -> RawRun:
    """Fork a fresh child of this (warm) process and run the check in it."""
    limits = Limits(**spec["limits"])
    out_r, out_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(out_r)
        os.close(result_r)
        _child_after_fork(spec, out_w, result_w)
    os.close(out_w)
    os.close(result_w)

    def poll(block: bool = False):
        done, wait_status = os.waitpid(pid, 0 if block else os.WNOHANG)
        return _status_of(wait_status) if done else None

    raw = _collect(pid, poll, out_r, result_r, limits, spec.get("uid"), can_fork=True,
                   token=spec.get("token", ""))
    raw.tests_changed = digest_tree(spec["hidden"]) != spec["hidden_digest"]
    return raw


def run_spawned(spec: dict) -> RawRun:
    """Run the check in a new interpreter (the cold path, when no warm worker is available)."""
    limits = Limits(**spec["limits"])
    out_r, out_w = os.pipe()
    result_r, result_w = os.pipe()
    spec_r, spec_w = os.pipe()  # the spec (and its token) never shows in the command line
    command = [sys.executable, "-c", "from mlquiz.grading.runner import main; main()",
               str(spec_r), str(result_w)]
    env = child_env(spec)
    env["PYTHONPATH"] = _own_import_root()
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w, env=env,
            cwd=spec["home"], pass_fds=(spec_r, result_w), start_new_session=True)
    except OSError as error:
        for fd in (out_r, out_w, result_r, result_w, spec_r, spec_w):
            os.close(fd)
        return RawRun(error=f"could not start Python for the tests: {error}")
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

    raw = _collect(process.pid, poll, out_r, result_r, limits, spec.get("uid"),
                   can_fork=hasattr(os, "fork"), token=spec.get("token", ""))
    raw.tests_changed = digest_tree(spec["hidden"]) != spec["hidden_digest"]
    return raw


def _own_import_root() -> str:
    """The folder that holds the `mlquiz` package, so a cold child imports this very copy."""
    import mlquiz

    return os.path.dirname(os.path.dirname(os.path.abspath(mlquiz.__file__)))


def main() -> None:
    """Entry of the cold child: `python -c '...main()' SPEC_FD RESULT_FD`."""
    with os.fdopen(int(sys.argv[1]), encoding="utf-8") as handle:
        spec = json.loads(handle.read())
    result_fd = int(sys.argv[2])
    code = 70
    try:
        enter_sandbox(spec)
        code = run_pytest(spec, result_fd)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
