"""`mlquiz serve [--host H] [--port P] [--db FILE] [--code CODE] [--public-url URL]`.

Serves the app with textual-serve: every browser tab gets its own app
process, started on the profile screen, and all of them write to one
progress database. Bound to anything but this computer (loopback), learners
must type a workshop code; without --code one is generated and printed.

>>> run(argparse.Namespace(host="127.0.0.1", port=8000, db=Path("room.db"), code=None,
...                        public_url=None, course=Path("course"), workspace=Path("ws")))  # doctest: +SKIP
"""
from __future__ import annotations

import os
import sys
from argparse import Namespace

from mlquiz.errors import MlquizError


def _check(args: Namespace):
    """Open the database and load the course once here, so a problem is one line, not a tab."""
    from mlquiz.content import load_course
    from mlquiz.progress import ProgressStore

    if not 0 < args.port < 65536:
        raise MlquizError(f"--port {args.port} is not a port number (1-65535)", exit_code=2)
    _check_port_free(args.host, args.port)
    _check_log(getattr(args, "log", None))
    course = load_course(args.course)
    ProgressStore.open(args.db).close()
    return course


def _check_log(log) -> None:
    """--log FILE must be a file this process can append to (the requests go there)."""
    if log is None:
        return
    try:
        with open(log, "a", encoding="utf-8"):
            pass
    except OSError as error:
        raise MlquizError(f"--log {log}: {error.strerror or error}; pass a file you can "
                          "write", exit_code=2) from None


def _check_port_free(host: str, port: int) -> None:
    """Fail before printing where to connect, not after (the server binds later)."""
    import socket

    try:
        socket.create_server((host.strip("[]"), port),
                             family=socket.AF_INET6 if ":" in host else socket.AF_INET).close()
    except OSError as error:
        raise MlquizError(f"cannot listen on {host}:{port}: {_reason(error)}", exit_code=2) from None


def _reason(error: OSError) -> str:
    """What went wrong and what to pass instead, without create_server's
    "(while attempting to bind on address ...)"."""
    import errno
    import socket

    if isinstance(error, socket.gaierror) or not error.errno or error.errno < 0:
        reason = str(error.strerror or error).split(" (while attempting")[0]
        return f"{reason}; check --host"
    advice = ("pass another --port (or stop what is using it)"
              if error.errno == errno.EADDRINUSE else "check --host and --port")
    return f"{os.strerror(error.errno)}; {advice}"


def _instructor_code(args: Namespace, learner_code: str | None) -> tuple[str, bool]:
    """The instructor tab's code (given, from the environment, or generated) and whether it
    was generated; never the learners' code."""
    from mlquiz.workshop.serve import generate_code

    given = getattr(args, "instructor_code", None)
    if given is None:
        given = os.environ.pop("MLQUIZ_INSTRUCTOR_CODE", None)
    if given is not None and not given.strip():
        raise MlquizError("--instructor-code cannot be empty", exit_code=2)
    code = given.strip() if given else generate_code()
    while given is None and learner_code and code == learner_code:
        code = generate_code()
    if learner_code and code.casefold() == learner_code.casefold():
        raise MlquizError("--instructor-code must differ from the workshop code: learners "
                          "would reach the instructor's tab", exit_code=2)
    return code, given is None


def _banner(args: Namespace, code: str | None, generated: bool, course_title: str,
            instructor: tuple[str, bool] | None = None) -> str:
    from mlquiz.progress.location import absolute
    from mlquiz.workshop.serve import urls

    lines = [f"mlquiz: serving {course_title!r} to a room; progress goes to {absolute(args.db)}"]
    addresses = urls(args.host, args.port, args.public_url)
    lines.append("Open in a browser: " + "  ".join(addresses))
    lines.append("Each browser tab is one learner: they type their name on the first screen.")
    if code:
        origin = "generated" if generated else "given"
        lines.append(f"Workshop code ({origin}): {code}   learners type it beside their name.")
    else:
        lines.append("No workshop code: only this computer can connect (loopback).")
    if instructor is not None:
        first = addresses[0].rstrip("/")
        origin = "generated" if instructor[1] else "given"
        lines.append(f"Instructor: {first}/instructor (code, {origin}: {instructor[0]}): the live "
                     "view and peer-instruction votes; keep this code to yourself.")
    lines.append(f"Live view: mlquiz --instructor --db {absolute(args.db)}")
    log = getattr(args, "log", None)
    lines.append(f"Web requests are logged to {log}." if log else
                 "Web requests are not shown here (--log FILE keeps them in a file).")
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


def _gate(args: Namespace, code_hash: str, name: str):
    """A code gate: in this process for a SQLite room (one host); in the room database for a
    PostgreSQL room, so every host behind the proxy keeps the same lockout (workshop.room_gate)."""
    from mlquiz.progress.location import DatabaseURL
    from mlquiz.workshop.gate import CodeGate

    if not isinstance(args.db, DatabaseURL):
        return CodeGate(code_hash)
    from mlquiz.workshop.room_gate import RoomCodeGate

    if not hasattr(args, "gate_store"):  # one store for both gates, opened on first use
        import threading

        from mlquiz.progress import ProgressStore

        lock, opened = threading.Lock(), []

        def gate_store():
            with lock:
                if not opened:
                    opened.append(ProgressStore.open(args.db))
                return opened[0]

        args.gate_store = gate_store
    return RoomCodeGate(code_hash, args.gate_store, name=name)


def _tab_argv(args: Namespace) -> list[str]:
    from mlquiz.progress.location import absolute

    return ["--db", str(absolute(args.db)), "--course", str(args.course.resolve()),
            "--workspace", str(args.workspace.resolve())]


def _start_zygote(args: Namespace):
    """The forking tab launcher, or None (MLQUIZ_SERVE_FORK=0, no fork(), or it failed)."""
    if os.environ.get("MLQUIZ_SERVE_FORK") == "0" or not hasattr(os, "fork"):
        return None
    from mlquiz.commands.room_server import tab_environment
    from mlquiz.commands.serve_tab import PRELOAD_COURSE_ENV
    from mlquiz.workshop.launcher import Zygote, ZygoteError

    env = tab_environment()
    env[PRELOAD_COURSE_ENV] = str(args.course.resolve())
    try:
        return Zygote.start("mlquiz.commands.serve_tab:preload",
                            "mlquiz.commands.serve_tab:run_tab", env)
    except (ZygoteError, OSError) as error:
        print(f"mlquiz: each tab starts its own interpreter ({error})", file=sys.stderr)
        return None


def _sandbox_policy(args: Namespace) -> None:
    """Tabs refuse exercise checks without the sandbox unless --allow-unsandboxed-checks;
    either way one line says so when the sandbox cannot start."""
    from mlquiz.grading.grader import ALLOW_UNSANDBOXED_ENV
    from mlquiz.grading.sandbox import sandbox_problem

    allowed = bool(getattr(args, "allow_unsandboxed_checks", False))
    if allowed:
        os.environ[ALLOW_UNSANDBOXED_ENV] = "1"
    else:
        os.environ.pop(ALLOW_UNSANDBOXED_ENV, None)
    problem = sandbox_problem()
    if problem and allowed:
        print(f"mlquiz: warning: exercise checks run WITHOUT a sandbox ({problem}); "
              "learners' code runs with your rights on this machine", file=sys.stderr)
    elif problem:
        print(f"mlquiz: exercise checks are off: {problem}; the rest of the app works "
              "(--allow-unsandboxed-checks accepts the risk)", file=sys.stderr)


def run(args: Namespace) -> int:
    from mlquiz.workshop.serve import (
        app_command, child_environment, generate_code, is_loopback,
    )

    course = _check(args)
    if args.code is None:  # from the environment, the code stays out of the process list
        args.code = os.environ.pop("MLQUIZ_WORKSHOP_CODE", None)
    code = (args.code or "").strip() or None
    generated = False
    if args.code is not None and not code:
        raise MlquizError("--code cannot be empty", exit_code=2)
    if code is None and not is_loopback(args.host):
        code, generated = generate_code(), True
    command = app_command(args.db, args.course, args.workspace)
    os.environ.pop("MLQUIZ_LEARNER", None)  # every tab picks its own name
    os.environ.pop("MLQUIZ_WORKSHOP_CODE_HASH", None)
    # The code stays in this process: tabs ask its gate, which keeps the lockout per browser.
    os.environ.update(child_environment(None))
    _sandbox_policy(args)
    from mlquiz.commands.room_server import RoomServer
    from mlquiz.workshop.serve import hash_code

    # Set what tabs need in their environment above this line: the zygote imports with it
    # (a forked tab then gets the full environment of its websocket, as a fresh one would).
    instructor = _instructor_code(args, code)
    zygote = _start_zygote(args)
    server = RoomServer(command, _tab_argv(args), host=args.host, port=args.port,
                        banner=_banner(args, code, generated, course.title, instructor),
                        gate=_gate(args, hash_code(code), "@gate") if code else None,
                        zygote=zygote, public_url=args.public_url,
                        instructor_gate=_gate(args, hash_code(instructor[0]), "@instructor-gate"),
                        request_log=getattr(args, "log", None))
    try:
        server.serve()
    except OSError as error:
        raise MlquizError(f"cannot listen on {args.host}:{args.port}: "
                          f"{_reason(error)}", exit_code=2) from None
    print("mlquiz: stopped serving", file=sys.stderr)
    return 0
