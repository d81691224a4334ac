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
    """The server's handle on the forking process. Thread-safe: one request at a time."""

    def __init__(self, process: subprocess.Popen, control: socket.socket) -> None:
        self.process = process
        self._control = control
        self._lock = threading.Lock()

    @classmethod
    def start(cls, preload: str, run_tab: str, env: dict[str, str],
              python: str | None = None) -> "Zygote":
        """Start the zygote and wait until `preload` has finished (ZygoteError if it failed)."""
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
            zygote = cls(process, ours)
            try:
                ready, _ = recv_fds(ours)
            except OSError:
                ready = b""
            if ready != b"ready":
                zygote.close()
                errors.seek(0)
                lines = errors.read().decode("utf-8", "replace").strip().splitlines()
                raise ZygoteError(lines[-1] if lines else "the tab launcher did not start")
        return zygote

    def spawn(self, streams: tuple[int, int, int], env: dict[str, str], argv: list[str],
              extra_fds: tuple[int, ...] = ()) -> int:
        """Fork a child on these stdin/stdout/stderr descriptors; returns its pid.

        `extra_fds` arrive in the child as descriptors whose numbers are in the
        environment variable MLQUIZ_EXTRA_FDS (comma separated, in order).
        """
        payload = json.dumps({"env": env, "argv": argv}).encode()
        with self._lock:
            try:
                send_fds(self._control, payload, [*streams, *extra_fds])
                reply, _ = recv_fds(self._control)
            except OSError as error:
                raise ZygoteError(f"the tab launcher is gone: {error}") from None
        if not reply:
            raise ZygoteError("the tab launcher is gone")
        return int(reply)

    def close(self) -> None:
        self._control.close()  # the zygote exits at end of stream; its tabs live on
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


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
