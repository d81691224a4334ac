"""The judge's zygote: one warm process per worker, in the judge's sandbox, that forks a judge per check.

    python -I -S -B -c '<boot>' CONTROL_FD          # what sandbox.judge_command runs

It imports pytest and the grader's judge once, says `{"op": "ready"}` on its control
socket, then serves two messages:

    {"op": "fork", "spec": JudgeSpec}  + 5 descriptors (output pipe, result pipe,
        subject socket, go pipe, a credentials socket): a judge child is forked; it
        tells the worker its pid through the credentials socket (the kernel translates
        it into the worker's PID namespace), then runs judge_main.run_judge
    and answers, when a child ends: {"op": "exited", "pid": P, "code": C, "signal": S}

The folders it sees (/judge, /submitted, /check) are the worker's one check area,
reused check after check; the worker puts a check's files there before it asks for
a fork. A child never outlives its check: the worker kills it.
"""
from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import struct
import sys

from mlquiz.grading import judge_main
from mlquiz.grading.spec import JudgeFds, JudgeSpec

# pytest's own parts, and what hidden tests commonly import
_WARM = ("_pytest.python", "_pytest.fixtures", "_pytest.runner", "_pytest.main", "_pytest.capture",
         "_pytest.skipping", "_pytest.python_api", "_pytest.terminal", "_pytest.warnings",
         "ast", "copy", "csv", "datetime", "hashlib", "json", "math", "pickle", "random", "re",
         "statistics", "types", "itertools", "collections", "dataclasses")
OUT_FD, RESULT_FD, SUBJECT_FD = JudgeFds.OUT, JudgeFds.RESULT, JudgeFds.SUBJECT
GO_FD, CREDENTIALS_FD = JudgeFds.GO, JudgeFds.CREDENTIALS


def _send(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message).encode() + b"\n"
    sock.sendall(data)


def _child(control: socket.socket, spec: JudgeSpec, fds: list[int]) -> None:
    """Runs in the forked judge; never returns."""
    code = 70
    try:
        control.close()
        os.setsid()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        out, result, subject, go, credentials = fds
        for source, target in ((out, OUT_FD), (out, 2), (result, RESULT_FD), (subject, SUBJECT_FD),
                               (go, GO_FD), (credentials, CREDENTIALS_FD)):
            os.dup2(source, target)
        os.closerange(CREDENTIALS_FD + 1, 1 << 16)
        tell = socket.socket(fileno=CREDENTIALS_FD)
        tell.sendmsg([str(os.getpid()).encode()], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS,
                               struct.pack("iII", os.getpid(), os.getuid(), os.getgid()))])
        tell.close()
        os.chdir(spec.judge_dir)
        code = judge_main.run_judge(spec)
    except BaseException as error:  # noqa: BLE001 - the child must reach os._exit
        try:
            os.write(2, f"grader judge failed: {type(error).__name__}: {error}\n".encode())
        except OSError:
            pass
    finally:
        os._exit(code)


def serve(control: socket.socket) -> None:
    """The zygote's loop: fork on request, report each child's end."""
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ, None)
    children: dict[int, int] = {}  # pidfd -> pid
    _send(control, {"op": "ready"})
    while True:
        for key, _ in selector.select():
            if key.data is None:
                try:
                    data, fds, _flags, _addr = socket.recv_fds(control, 1 << 16, 5)
                except OSError:
                    return
                if not data:
                    return  # the worker is gone
                message = json.loads(data)
                if message.get("op") != "fork" or len(fds) != 5:
                    for fd in fds:
                        os.close(fd)
                    continue
                spec = JudgeSpec.from_json(message["spec"])
                pid = os.fork()
                if pid == 0:
                    _child(control, spec, fds)
                for fd in fds:
                    os.close(fd)
                pidfd = os.pidfd_open(pid)
                children[pidfd] = pid
                selector.register(pidfd, selectors.EVENT_READ, pid)
            else:
                pidfd, pid = key.fd, key.data
                selector.unregister(pidfd)
                os.close(pidfd)
                children.pop(pidfd, None)
                _done, status = os.waitpid(pid, 0)
                code = os.waitstatus_to_exitcode(status)
                _send(control, {"op": "exited", "pid": pid,
                                "code": code if code >= 0 else None,
                                "signal": -code if code < 0 else None})


def main() -> None:
    """Entry: `python ... CONTROL_FD`; pytest is imported before `ready` is said."""
    import importlib

    for name in _WARM:  # every fork starts with these loaded
        try:
            importlib.import_module(name)
        except ImportError:
            pass

    control = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        serve(control)
    finally:
        os._exit(0)
