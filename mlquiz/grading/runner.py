"""Run the hidden tests in a sandboxed child process and collect what it left behind.

    raw = run_forked(spec)    # in the warm worker: fork, limit, run pytest.main in the child
    raw = run_spawned(spec)   # anywhere: a cold `python` child doing the same

`spec` is a plain dict (it crosses the worker pipe as JSON), built by
`mlquiz.grading.grader`: `work` (the check folder, the child's cwd), `hidden`
(the hidden tests inside it), `ini` (the grader's own pytest.ini), `home`,
`tmp`, `uid` (a throw-away user id when the grader runs as root, else None),
`limits` (a `Limits` as a dict) and `hidden_digest` (to notice changed tests).

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
killing the process group. Root without a usable spare uid falls back to the
process-group kill and the wall-clock timeout alone.
"""
from __future__ import annotations

import json
import math
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

from mlquiz.grading.results import RawRun

HIDDEN_DIR_NAME = "_hidden_tests"
_PR_SET_CHILD_SUBREAPER = 36
_subreaper = False  # set by become_subreaper() in the warm worker


def become_subreaper() -> bool:
    """Linux: orphaned descendants of our children are re-parented to us, not to init,
    so a process that escaped its group with setsid() is still found and killed."""
    global _subreaper
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        _subreaper = libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        _subreaper = False
    return _subreaper


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


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _descendants(root: int) -> list[int]:
    """Every process below `root` (Linux /proc)."""
    try:
        with open(f"/proc/{root}/task/{root}/children", "rb") as handle:
            if not handle.read().strip():
                return []  # no children at all, so no descendants either
    except OSError:
        pass
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(name))
        except (OSError, IndexError, ValueError):
            continue
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _kill_descendants() -> None:
    """In the subreaper worker: nothing a check started outlives it."""
    me = os.getpid()
    for _ in range(100):
        _reap()
        found = _descendants(me)
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.001)


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


def _count_own_processes() -> int:
    uid = os.getuid()
    count = 0
    try:
        names = os.listdir("/proc")
    except OSError:
        return 0
    for name in names:
        if name.isdigit():
            try:
                count += os.stat(f"/proc/{name}").st_uid == uid
            except OSError:
                pass
    return count


def _set_limits(limits: Limits, uid: int | None) -> None:
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
    base = 0 if uid is not None else _count_own_processes()
    cap(resource.RLIMIT_NPROC, base + limits.processes)


def enter_sandbox(spec: dict) -> None:
    """In the child, before any learner code: limits, a spare uid, a clean env, cwd."""
    import random
    import tempfile

    limits = Limits(**spec["limits"])
    uid = spec.get("uid")
    _set_limits(limits, uid)
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


def _kill_uid(uid: int) -> None:
    """Kill every process of the throw-away uid, including ones that left the process group."""
    for _ in range(200):
        pid = os.fork()
        if pid == 0:
            try:
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
                os._exit(0)
            except ProcessLookupError:
                os._exit(1)  # nothing left
            except BaseException:
                os._exit(2)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return


def _kill_group(pgid: int) -> None:
    for _ in range(200):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.001)


def _count_tree(root: int) -> int | None:
    """How many processes descend from `root`, read from /proc/PID/task/TID/children
    (cheap: one read per process); None where the kernel does not offer that file."""
    count, queue = 0, [root]
    while queue:
        pid = queue.pop()
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/children", "rb") as handle:
                    children = handle.read().split()
            except FileNotFoundError:
                if pid == root:
                    return None
                continue
            except OSError:
                continue
            count += len(children)
            queue.extend(int(child) for child in children)
    return count


def _count_processes(pgid: int) -> int:
    """The check's processes: every descendant of this process when it is the subreaper
    (escapees from the group included), else the members of the process group."""
    if _subreaper:
        counted = _count_tree(os.getpid())
        if counted is not None:
            return counted
    return _count_group(pgid)


def _count_group(pgid: int) -> int:
    """How many processes are in the process group `pgid` (Linux /proc; 0 elsewhere)."""
    count = 0
    try:
        names = os.listdir("/proc")
    except OSError:
        return 0
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[2] == str(pgid).encode():
            count += 1
    return count


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
                if _count_processes(pid) > limits.processes:
                    raw.too_many_processes = True
                    break
        _drain(result_r, results, results_cap)
        output_seen += _drain(out_r, output, limits.output_keep)
    finally:
        selector.close()
        if pidfd is not None:
            os.close(pidfd)
        _kill_group(pid)
        if uid is not None and can_fork:
            _kill_uid(uid)
        if status is None:
            status = poll(block=True)
        if _subreaper:
            _kill_descendants()
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
