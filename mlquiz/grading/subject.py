"""The subject: the only process that runs learner code, started inside the sandbox.

    python -I -S -B /grader/mlquiz_subject.py FD LIMITS_JSON      # what sandbox.py runs

The zygote starts before its check: it sets the limits, forks a child that will
compile the files and the first test's child, then waits on FD (a Unix socket to
the judge) for `go` (the files are in place). It then lets the compiler child
compile every learner file (the app never compiles learner code) and sends
`hello` with the first syntax problem. It never imports learner code itself: for
every hidden test the judge asks it to `fork`, gets the child forked ahead (its
own socket, passed back over FD), and forks the next one; the child imports the
learner's modules and serves calls until the judge hangs up. At `end` every
process of that test is killed before the zygote answers `ended`. So module
globals and processes never leak from one test to the next.

Stdlib only, and loaded from a read-only copy: the `mlquiz` package, pytest,
the hidden tests and the solutions are not in the subject's view.
"""
from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import sys

try:
    from mlquiz.grading import protocol
except ImportError:  # run as a script (-I leaves its folder out): the wire module beside it
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import mlquiz_protocol as protocol  # type: ignore[no-redef]  # its name in /grader
    except ImportError:
        import protocol  # type: ignore[no-redef]  # its name beside subject.py
    del sys.path[0]

CHECK_DIR = "/check"
_OUTPUT_CAP = 1 << 20
# Set by the zygote from the check's limits: past them an answer names what went wrong.
_PRINT_LIMIT = 1 << 20
_STORM_THREADS = 8  # running out of memory with this many threads alive: a thread storm
# Loaded before the learner's folder joins sys.path: a learner file named after one of
# these can never stand in for it, and every forked test child starts with them warm.
_WARM = ("csv", "math", "statistics", "random", "dataclasses", "collections", "datetime",
         "decimal", "fractions", "functools", "itertools", "hashlib", "hmac", "io", "re",
         "string", "typing", "enum", "pathlib", "tempfile", "copy", "logging", "textwrap",
         "uuid", "bisect", "heapq", "operator", "contextlib", "warnings", "inspect", "ast",
         "numbers", "traceback", "subprocess", "pickle", "shutil", "glob", "time", "base64",
         "struct", "abc", "types", "weakref", "array", "zlib", "types")


def _type_name(cls) -> str:
    try:
        name = type.__dict__["__qualname__"].__get__(cls)
    except Exception:  # noqa: BLE001 - a metaclass may refuse
        return "?"
    return name if type(name) is str else "?"


def _safe_text(obj, cap: int = 4000) -> str:
    try:
        text = str(obj)
    except BaseException:  # noqa: BLE001 - a learner __str__ may raise anything
        return "(the error message could not be shown)"
    return text[:cap] if type(text) is str else "(the error message is not text)"


def _where(tb) -> str:
    """`serve.py:12`: the innermost traceback frame in the learner's folder."""
    where = ""
    prefix = CHECK_DIR + "/"
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if type(filename) is str and filename.startswith(prefix):
            where = f"{filename[len(prefix):]}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def error_record(error: BaseException) -> dict:
    cls = type(error)
    try:
        mro = type.__dict__["__mro__"].__get__(cls)
    except Exception:  # noqa: BLE001
        mro = (cls,)
    return {"type": _type_name(cls), "bases": [_type_name(c) for c in mro],
            "message": _safe_text(error), "where": _where(error.__traceback__)}


# --- compiling, in the zygote's first child ---------------------------------------------------

def syntax_problems(root: str = CHECK_DIR) -> list[dict]:
    """Compile every learner .py file; the first problem (as a dict), if any."""
    names = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        names += [os.path.join(current, f) for f in sorted(files) if f.endswith(".py")]
    for path in names:
        shown = os.path.relpath(path, root)
        try:
            with open(path, "rb") as handle:
                source = handle.read()
            compile(source, shown, "exec", dont_inherit=True)
        except SyntaxError as error:
            return [{"file": shown, "line": error.lineno or 1, "col": error.offset or 1,
                     "kind": _type_name(type(error)), "message": _safe_text(error.msg),
                     "text": _safe_text(error.text or ""),
                     "end_offset": getattr(error, "end_offset", None) or 0}]
        except (RecursionError, MemoryError):
            return [{"file": shown, "line": 1, "col": 1, "kind": "SyntaxError",
                     "message": "the code is nested too deeply to compile", "text": "",
                     "end_offset": 0}]
        except (ValueError, OSError) as error:  # null bytes, an unreadable file
            return [{"file": shown, "line": 1, "col": 1, "kind": "SyntaxError",
                     "message": _safe_text(error), "text": "", "end_offset": 0}]
    return []


# --- one test's child -------------------------------------------------------------------------

class Server:
    """Serves one test on `sock`: imports, calls and reads, answering in plain data."""

    def __init__(self, sock) -> None:
        self.sock = sock
        self.objects: dict[int, object] = {}

    def handle_for(self, obj) -> dict:
        key = len(self.objects) + 1
        self.objects[key] = obj
        return {"$r": key, "type": _type_name(type(obj))}

    def handle_from(self, data: dict):
        try:
            return self.objects[data["$r"]]
        except (KeyError, TypeError):
            raise protocol.UnknownHandle("a handle this test does not have") from None

    def out(self, value):
        return protocol.encode(value, self.handle_for)

    def arguments(self, message: dict):
        args, kwargs = message.get("args", []), message.get("kwargs", {})
        if type(args) is not list or type(kwargs) is not dict or any(type(k) is not str for k in kwargs):
            raise protocol.ProtocolError("malformed arguments")
        return args, kwargs

    def resolve(self, dotted: str):
        parts = dotted.split(".")
        obj = importlib.import_module(parts[0])
        for index, part in enumerate(parts[1:], start=1):
            try:
                obj = getattr(obj, part)
            except AttributeError as missing:
                name = ".".join(parts[: index + 1])
                try:
                    obj = importlib.import_module(name)  # a submodule not imported yet
                except ModuleNotFoundError as error:
                    if error.name not in (name, ".".join(parts[:index])):
                        raise
                    raise missing from None
        return obj

    def answer(self, message: dict):
        op = message.get("op")
        if op == "import":
            return self.out(importlib.import_module(str(message["name"])))
        if op == "call_name":
            args, kwargs = self.arguments(message)
            return self.out(self.resolve(str(message["name"]))(*args, **kwargs))
        if op == "call":
            args, kwargs = self.arguments(message)
            return self.out(self.handle_from(message)(*args, **kwargs))
        if op == "getattr":
            return self.out(getattr(self.handle_from(message), str(message["name"])))
        if op == "type_of":
            return _type_name(type(self.handle_from(message)))
        if op == "put":
            return self.handle_for(message["value"])
        if op == "get":
            try:
                return {"plain": protocol.encode(self.handle_from(message))}
            except TypeError as error:
                return {"not_plain": _safe_text(error)}
        if op == "snapshot":
            module = self.resolve(str(message["name"]))
            found = {}
            for name, value in dict(vars(module)).items():
                if type(name) is not str or name.startswith("__"):
                    continue
                try:
                    found[name] = protocol.encode(value)
                except TypeError:
                    found[name] = _type_name(type(value))
            return {"$d": [[name, value] for name, value in found.items()]}
        if op == "run":
            return run_script(message)
        if op == "output":
            return printed_so_far()
        raise protocol.ProtocolError(f"unknown request {op!r}")

    def serve(self) -> None:
        while True:
            try:
                message = protocol.receive(self.sock, handle_from=self.handle_from)
            except protocol.UnknownHandle as error:
                protocol.send(self.sock, {"fail": str(error)})
                continue
            except protocol.ProtocolError:
                return
            try:
                reply = {"ok": self.answer(message)}
            except protocol.ProtocolError as error:
                reply = {"fail": str(error)}
            except BaseException as error:  # noqa: BLE001 - the learner's exception, mapped
                reply = {"error": error_record(error)}
                if _out_of_room_for_threads(error):
                    reply = {"fail": threads_text(_threads()), "code": "threads"}
            if _printed_bytes() > _PRINT_LIMIT:  # whatever the answer, this is the problem
                reply = {"fail": printed_too_much_text(_PRINT_LIMIT), "code": "flood"}
            try:
                protocol.send(self.sock, reply)
            except (TypeError, ValueError) as error:
                protocol.send(self.sock, {"fail": f"the answer could not be sent: {_safe_text(error)}"})


_CAPTURE_FD = -1
_NETWORK_EVENTS = frozenset({"socket.connect", "socket.bind", "socket.sendto",
                             "socket.sendmsg", "socket.getaddrinfo", "socket.gethostbyname"})


def _no_network(event: str, _args) -> None:
    """An audit hook (it cannot be removed): the first network call fails with a reason.
    The sandbox has no network anyway; this only makes the message clear."""
    if event in _NETWORK_EVENTS:
        raise PermissionError("your code tried to open a network connection; "
                              "checks run without a network")


def capture_output() -> None:
    """This test's stdout and stderr go to a private file the judge asks for (`output`)."""
    global _CAPTURE_FD
    import tempfile

    handle = tempfile.TemporaryFile()
    _CAPTURE_FD = os.dup(handle.fileno())
    for fd in (1, 2):
        os.dup2(_CAPTURE_FD, fd)
    handle.close()


def printed_too_much_text(limit: int) -> str:
    return f"your code printed more than {limit >> 10} KiB (a print inside a loop?)"


def threads_text(count: int) -> str:
    return (f"your code started {count} threads and ran out of room for more "
            "(a thread started in a loop?)")


def _printed_bytes() -> int:
    if _CAPTURE_FD < 0:
        return 0
    try:
        return os.fstat(_CAPTURE_FD).st_size
    except OSError:
        return 0


def _out_of_room_for_threads(error: BaseException) -> bool:
    """Thread stacks are what filled the memory (each reserves megabytes), or the thread cap
    was reached: a thread storm, named as such rather than as memory."""
    if isinstance(error, RuntimeError) and "can't start new thread" not in _safe_text(error):
        return False  # the learner's own RuntimeError, whatever it says
    return isinstance(error, (MemoryError, RuntimeError)) and _threads() >= _STORM_THREADS


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def printed_so_far() -> str:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass
    if _CAPTURE_FD < 0:
        return ""
    size = os.fstat(_CAPTURE_FD).st_size
    start = max(size - (64 << 10), 0)
    return os.pread(_CAPTURE_FD, size - start, start).decode("utf-8", "replace")


def run_script(message: dict) -> dict:
    """`python serve.py` inside the sandbox; output capped, `python` is this interpreter."""
    import subprocess
    import tempfile

    argv = [str(part) for part in message["argv"]]
    if argv and argv[0] in ("python", "python3"):
        argv[0:1] = [sys.executable, "-E", "-s"]
    timeout = float(message.get("timeout", 5))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            code = subprocess.run(argv, cwd=CHECK_DIR, stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=err, timeout=timeout, start_new_session=True).returncode
        except subprocess.TimeoutExpired:
            code = None
        except OSError as error:
            return {"$d": [["returncode", 127], ["stdout", ""], ["stderr", _safe_text(error)],
                           ["timed_out", False]]}
        texts = []
        for handle in (out, err):
            handle.seek(0)
            texts.append(handle.read(_OUTPUT_CAP).decode("utf-8", "replace"))
    return {"$d": [["returncode", code], ["stdout", texts[0]], ["stderr", texts[1]],
                   ["timed_out", code is None]]}


# --- imports: each test imports the learner's modules afresh, compiled once per check ------------

_COMPILED: dict[tuple[str, bytes], object] = {}


def install_code_cache() -> None:
    """Learner modules compile once per check: a test's fresh import reuses the code object
    when the file's bytes are unchanged (it still runs the module from the top)."""
    from importlib.machinery import SOURCE_SUFFIXES, FileFinder, SourceFileLoader

    class CachingLoader(SourceFileLoader):
        def source_to_code(self, data, path, *, _optimize=-1):
            key = (str(path), bytes(data))
            code = _COMPILED.get(key)
            if code is None:
                code = super().source_to_code(data, path)
                if len(_COMPILED) < 512:
                    _COMPILED[key] = code
            return code

    learner_finder = FileFinder.path_hook((CachingLoader, SOURCE_SUFFIXES))

    def hook(path: str):
        if path == CHECK_DIR or str(path).startswith(CHECK_DIR + "/"):
            return learner_finder(path)
        raise ImportError("not the learner's folder")  # the stdlib keeps its own finders

    sys.path_hooks.insert(0, hook)
    sys.path_importer_cache.clear()


def precompile(root: str = CHECK_DIR) -> None:
    """Fill the code cache in the zygote (after a child compiled every file without trouble)."""
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(current, name)
                try:
                    with open(path, "rb") as handle:
                        data = handle.read()
                    _COMPILED[(path, data)] = compile(data, path, "exec", dont_inherit=True)
                except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
                    pass


# --- the zygote -------------------------------------------------------------------------------

def set_limits(limits: dict) -> None:
    import resource

    def cap(kind, value) -> None:
        try:
            _soft, hard = resource.getrlimit(kind)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):
            pass

    cap(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    cap(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    cap(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    cap(resource.RLIMIT_CORE, 0)
    if limits.get("own_pid_namespace"):
        # In the sandbox's own user namespace the count is the check's alone. Outside it,
        # RLIMIT_NPROC counts every process of the user (a desktop session, other checks),
        # so it would refuse the check's own forks: the watchdog is the cap there.
        cap(resource.RLIMIT_NPROC, int(limits["processes"]))
    cap(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))


def _in_child(main_sock, work) -> None:
    """Runs after fork in a test child; never returns."""
    code = 0
    try:
        main_sock.close()
        os.setpgid(0, 0)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        work()
    except BaseException:  # noqa: BLE001 - the child must reach os._exit
        code = 70
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _start_compiler(main_sock) -> tuple[int, int, int]:
    """A child that compiles the learner's files once told they are in place (a compiler
    crash on hostile source cannot take the zygote down); (pid, go write end, report read end).
    Forked before the check so that the fork is not on its clock."""
    go_r, go_w = os.pipe()
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go_w)
        os.close(report_r)

        def compile_when_told() -> None:
            if os.read(go_r, 1):  # empty: the zygote ended before its check
                os.write(report_w, json.dumps(syntax_problems()).encode() + b"\n")
        _in_child(main_sock, compile_when_told)
    os.close(go_r)
    os.close(report_w)
    return pid, go_w, report_r


def _syntax_report(compiler: tuple[int, int, int]) -> list[dict]:
    """Let the compiler child run; its first problem (as a list of one dict), or []. The
    report ends with a newline, so the child's exit is not waited for (it is reaped later)."""
    _pid, go_w, report_r = compiler
    os.write(go_w, b"g")
    os.close(go_w)
    data = b""
    while not data.endswith(b"\n") and (chunk := os.read(report_r, 1 << 16)):
        data += chunk
    os.close(report_r)
    if not data.endswith(b"\n"):  # it died compiling
        return [{"file": "?", "line": 1, "col": 1, "kind": "SyntaxError", "text": "",
                 "message": "the compiler stopped on this code", "end_offset": 0}]
    try:
        return json.loads(data)
    except ValueError:
        return []


def _namespace_pids() -> list[int]:
    """Every live process this zygote can see, but for zombies (whoever reaps them)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if fields and fields[0] != b"Z":
            found.append((int(name), int(fields[1])))
    return found


def _below(root: int, table: list[tuple[int, int]]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, parent in table:
        children.setdefault(parent, []).append(pid)
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def end_test_processes(keep: set[int], own_namespace: bool) -> bool:
    """Kill every process the last test started, whatever session or group it made, and
    wait until none is left; True when none is. In the sandbox that is every process of
    the PID namespace but its init, this zygote and `keep` (the next test's child, forked
    ahead). Without a sandbox the zygote is a child subreaper, so orphans of a test are
    still below it. A test's processes cannot outlast it, so the folder reset after it
    races with nothing."""
    import time

    me = os.getpid()
    spared = keep | {me, 1}
    for _ in range(500):
        table = _namespace_pids()
        if own_namespace:
            targets = [pid for pid, _ in table if pid not in spared]
        else:
            targets = [pid for pid in _below(me, table) if pid not in spared]
        if not targets:
            return True
        for pid in targets:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap()
        time.sleep(0.0005)
    return False


def _become_subreaper() -> None:
    """Without a PID namespace: orphans of a test come back to the zygote, not to init."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError, ImportError):
        pass


def zygote(fd: int, limits: dict) -> None:
    """The subject's first process: `limits` is `Limits.for_subject()` plus `check_dir`."""
    import random

    global CHECK_DIR
    CHECK_DIR = str(limits.get("check_dir") or CHECK_DIR)
    own_namespace = bool(limits.get("own_pid_namespace"))
    if not own_namespace:
        _become_subreaper()

    for name in _WARM:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    set_limits(limits)
    global _PRINT_LIMIT
    _PRINT_LIMIT = int(limits["output_bytes"])
    main_sock = socket.socket(fileno=fd)
    os.chdir(CHECK_DIR)
    sys.path.insert(0, CHECK_DIR)
    sys.dont_write_bytecode = True
    install_code_cache()

    def fork_test_child() -> tuple[int, socket.socket]:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            random.seed()

            def serve_test(sock=theirs) -> None:
                capture_output()
                sys.addaudithook(_no_network)
                Server(sock).serve()
            _in_child(main_sock, serve_test)
        theirs.close()
        try:
            os.setpgid(pid, pid)  # also done by the child: `end` must find the group either way
        except OSError:
            pass
        return pid, ours

    # The next test's child is always forked ahead (the first one before the check, the
    # others while a test runs): it reads nothing of the learner's until the judge asks, so
    # it starts exactly as a child forked on request would.
    def fork_ahead() -> tuple[int, socket.socket] | None:
        try:
            return fork_test_child()
        except OSError:  # the running test holds every process it may have: fork on request
            return None

    compiler = _start_compiler(main_sock)
    ready = fork_ahead()
    # A subject may be started before its check: the files are in place once the judge says go.
    try:
        if protocol.receive(main_sock).get("op") != "go":
            return
    except protocol.ProtocolError:
        return
    problems = _syntax_report(compiler)
    protocol.send(main_sock, {"op": "hello", "syntax": problems})
    # The code cache is filled while the first test runs: its child was forked without it.
    compile_later = not problems

    while True:
        try:
            message = protocol.receive(main_sock)
        except protocol.ProtocolError:
            return
        _reap()
        if message.get("op") == "fork":
            pid, ours = ready if ready is not None else fork_test_child()
            socket.send_fds(main_sock, [json.dumps({"op": "forked", "pid": pid}).encode()],
                            [ours.fileno()])
            ours.close()
            if compile_later:
                precompile()
                compile_later = False
            ready = fork_ahead()
        elif message.get("op") == "end":
            keep = {ready[0]} if ready is not None else set()
            gone = end_test_processes(keep, own_namespace)
            protocol.send(main_sock, {"op": "ended", "clean": gone})


if __name__ == "__main__":
    zygote(int(sys.argv[1]), json.loads(sys.argv[2]))
