"""A pre-started process that forks one child per browser tab (POSIX only).

>>> zygote = Zygote.start("mlquiz.commands.serve_tab:preload",
...                       "mlquiz.commands.serve_tab:run_tab", env)   # doctest: +SKIP
>>> pid = zygote.spawn((stdin_r, stdout_w, stderr_w), tab_env, ["--db", "room.db"])  # doctest: +SKIP

Starting Python and importing Textual costs every tab more CPU than drawing
its first screen. The zygote pays it once: it runs `preload()` (imports, warm
caches), freezes the garbage collector's view of those objects so a child's
collections do not write to the shared pages, then waits. For each tab the
server sends it the tab's three standard streams (as file descriptors over a
Unix socket) with the tab's environment and arguments; the zygote forks, and
the child puts the streams on 0, 1 and 2 and calls `run_tab(argv) -> exit
code`. Copy-on-write keeps the imported code shared between all tabs.

Nothing here imports textual: what to preload and run is named by the caller.
The zygote owns no threads, event loop or database connection when it forks.
"""
from __future__ import annotations

import array
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading

_MAX_FDS = 8
_MAX_MESSAGE = 1 << 20


def _call(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def send_fds(sock: socket.socket, payload: bytes, fds: list[int]) -> None:
    sock.sendmsg([len(payload).to_bytes(4, "big") + payload],
                 [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])


def recv_fds(sock: socket.socket) -> tuple[bytes, list[int]]:
    """One message and the descriptors that came with it; (b"", []) at end of stream."""
    fds = array.array("i")
    data, ancillary, _, _ = sock.recvmsg(_MAX_MESSAGE, socket.CMSG_LEN(_MAX_FDS * fds.itemsize))
    for level, kind, blob in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(blob[:len(blob) - len(blob) % fds.itemsize])
    if not data:
        return b"", list(fds)
    size = int.from_bytes(data[:4], "big")
    body = data[4:]
    while len(body) < size:
        more = sock.recv(size - len(body))
        if not more:
            break
        body += more
    return body, list(fds)


class ZygoteError(RuntimeError):
    """The zygote is gone or refused a tab; the caller falls back to a fresh process."""


class Zygote:
    """The server's handle on the forking process. Thread-safe: one request at a time.

    If the zygote dies mid-workshop (killed, out of memory), the tab that found out
    gets a ZygoteError (its caller starts a fresh process) and a new zygote is
    started in the background, at most MAX_RESTARTS times per server."""

    MAX_RESTARTS = 3

    def __init__(self, process: subprocess.Popen, control: socket.socket, relaunch=None) -> None:
        self.process = process
        self._control = control
        self._lock = threading.Lock()
        self._relaunch = relaunch  # () -> (process, control), for a replacement
        self._restarting: threading.Thread | None = None
        self.restarts = 0
        self._closed = False

    @classmethod
    def start(cls, preload: str, run_tab: str, env: dict[str, str],
              python: str | None = None) -> "Zygote":
        """Start the zygote and wait until `preload` has finished (ZygoteError if it failed)."""
        def launch() -> tuple[subprocess.Popen, socket.socket]:
            return _launch(preload, run_tab, env, python)

        process, control = launch()
        return cls(process, control, relaunch=launch)

    def spawn(self, streams: tuple[int, int, int], env: dict[str, str], argv: list[str],
              extra_fds: tuple[int, ...] = ()) -> int:
        """Fork a child on these stdin/stdout/stderr descriptors; returns its pid.

        `extra_fds` arrive in the child as descriptors whose numbers are in the
        environment variable MLQUIZ_EXTRA_FDS (comma separated, in order).
        """
        payload = json.dumps({"env": env, "argv": argv}).encode()
        with self._lock:
            if self._restarting is not None:
                raise ZygoteError("the tab launcher is restarting")
            try:
                send_fds(self._control, payload, [*streams, *extra_fds])
                reply, _ = recv_fds(self._control)
            except OSError as error:
                reply, problem = b"", f"the tab launcher is gone: {error}"
            else:
                problem = "the tab launcher is gone"
            if not reply:
                self._replace_locked()
                raise ZygoteError(problem)
        return int(reply)

    def _replace_locked(self) -> None:
        """Start a replacement in a thread (the lock is held by the caller)."""
        if self._closed or self._relaunch is None or self.restarts >= self.MAX_RESTARTS:
            return
        self.restarts += 1
        self._restarting = threading.Thread(target=self._replace, name="zygote-restart", daemon=True)
        self._restarting.start()

    def _replace(self) -> None:
        try:
            process, control = self._relaunch()
        except (ZygoteError, OSError):
            process = control = None
        with self._lock:
            self._restarting = None
            if process is None:
                return
            old_process, old_control = self.process, self._control
            self.process, self._control = process, control
            closed = self._closed
        _stop(old_process, old_control)
        if closed:
            _stop(process, control)

    def wait_until_ready(self, timeout: float = 30) -> bool:
        """True when no replacement is being started (for tests and shutdown)."""
        thread = self._restarting
        if thread is not None:
            thread.join(timeout)
        return self._restarting is None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            process, control = self.process, self._control
        _stop(process, control)  # the zygote exits at end of stream; its tabs live on


def _stop(process: subprocess.Popen, control: socket.socket) -> None:
    control.close()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _launch(preload: str, run_tab: str, env: dict[str, str],
            python: str | None) -> tuple[subprocess.Popen, socket.socket]:
    """A zygote process that has finished `preload`, and our end of its control socket."""
    import tempfile

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    # Its own stderr goes to a file: a closed pipe would break it at its first warning.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [python or sys.executable, "-c",
             "from mlquiz.workshop.launcher import main; main()",
             str(theirs.fileno()), preload, run_tab],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=errors)
        theirs.close()
        try:
            ready, _ = recv_fds(ours)
        except OSError:
            ready = b""
        if ready != b"ready":
            _stop(process, ours)
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise ZygoteError(lines[-1] if lines else "the tab launcher did not start")
    return process, ours


def main() -> None:
    """The zygote process: `python -c '...main()' FD PRELOAD RUN_TAB`."""
    fd, preload, run_tab = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    control = socket.socket(fileno=fd)
    _call(preload)()
    tab = _call(run_tab)
    import gc

    gc.collect()
    gc.freeze()  # the preloaded objects stay out of every child's collections
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    send_fds(control, b"ready", [])
    while True:
        try:
            payload, fds = recv_fds(control)
        except InterruptedError:
            continue
        if not payload:
            for stray in fds:
                os.close(stray)
            return
        request = json.loads(payload)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(control, fds, request, tab)  # never returns
        for passed in fds:
            os.close(passed)
        send_fds(control, str(pid).encode(), [])


def _child(control: socket.socket, fds: list[int], request: dict, tab) -> None:
    code = 1
    try:
        control.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, passed in enumerate(fds[:3]):
            os.dup2(passed, target)
        extra = [os.dup(passed) for passed in fds[3:]]
        for passed in fds:
            if passed > 2:
                os.close(passed)
        for kept in extra:
            os.set_inheritable(kept, False)
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["MLQUIZ_EXTRA_FDS"] = ",".join(str(kept) for kept in extra)
        sys.argv = ["mlquiz", *request["argv"]]
        code = int(tab(request["argv"]) or 0)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:  # noqa: BLE001 - a child must never fall back into the zygote loop
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
