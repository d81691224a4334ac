"""The judge: hidden tests run here, in pytest, and reach the learner's code only through `subject`.

    def test_basic_plan(subject):                      # a hidden test (docs/exercise-judge.md)
        serve = subject.module("serve")                # imported in the sandbox, not here
        assert serve.predict({"plan": "basic"}) == 0.2
        with subject.raises("DataValidationError", match="line 5"):
            subject.call("customers.load_customers", "bad.csv")

The judge process never imports learner code. Every value that comes back is
plain data of an exact type (see protocol.py) or an opaque `Remote` handle, so
an object with a lying `__eq__` cannot reach an assertion. Each test gets a fresh
subject process, forked from the zygote in the sandbox. Files the learner's code
wrote are read straight from the check folder, refusing links and paths that
leave it; `source()` reads the files as submitted, before any code ran.

`main()` is the judge process's entry; it runs in a sandbox of its own (runner.py).
"""
from __future__ import annotations

import json
import os
import re
import socket
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlquiz.grading import protocol

READY_LINE = b"ready\n"  # on the result pipe: pytest is up, waiting for the check
READ_CAP = 4 << 20  # the most one read of a learner file returns
_MARGIN_S = 0.25  # a call gives up this long before the check's deadline


class SubjectError(Exception):
    """The learner's code raised. `.type_name` ('KeyError'), `.bases` (names along the MRO,
    the class itself first), `.message` (its str()), `.where` ('serve.py:12' or '')."""

    def __init__(self, type_name: str, bases: list[str], message: str, where: str = "") -> None:
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name, self.bases, self.message, self.where = type_name, list(bases), message, where

    def is_a(self, name: str) -> bool:
        return name == self.type_name or name in self.bases


class SubjectGone(Exception):
    """The subject process of this test ended (os._exit, a crash, killed for memory).
    `.code` names a problem of the whole check ("flood", "threads", "not_run"), else ''."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class SubjectTimeout(Exception):
    """The check's deadline passed while the learner's code was still running."""

    code = "timeout"


class CheckFolderError(Exception):
    """A path the judge refuses to read or write: a link, outside the folder, too big."""


class NotPlainData(TypeError):
    """`subject.get(remote)` on an object that is not plain data."""


@dataclass(frozen=True, slots=True)
class Completed:
    """What `subject.run([...])` saw: exit code (None after its timeout) and the output."""

    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool = False


class Raised:
    """What `subject.raises(...)` caught: `.value` is the SubjectError after the block."""

    value: SubjectError | None = None


class Remote:
    """A learner object left in the subject. Attribute reads and calls go there; it equals
    only itself, so it never passes an `==` against a real value."""

    __slots__ = ("_subject", "_id", "_type")

    def __init__(self, subject: "Subject", handle: int, type_name: str) -> None:
        self._subject, self._id, self._type = subject, handle, type_name

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._subject._ask({"op": "getattr", "$r": self._id, "name": name})

    def __call__(self, *args, **kwargs):
        return self._subject._ask({"op": "call", "$r": self._id, **self._subject._args(args, kwargs)})

    def __repr__(self) -> str:
        return f"<{self._type} in the subject>"

    def __eq__(self, other) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __bool__(self) -> bool:
        raise TypeError(f"a {self._type} from the learner's code has no truth value here; "
                        "compare plain data instead")


def _safe_relative(rel: str) -> list[str]:
    if type(rel) is not str or not rel or rel.startswith("/") or "\x00" in rel:
        raise CheckFolderError(f"{rel!r} is not a relative path inside the check folder")
    parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise CheckFolderError(f"{rel!r} leaves the check folder")
    return parts


def _open_dir(root: Path, parts: list[str]) -> int:
    """A descriptor of root/parts..., following no link on the way."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts:
            try:
                next_fd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as error:
                if os.path.islink(os.path.join(f"/proc/self/fd/{fd}", part)):
                    raise CheckFolderError(f"{part} is a symbolic link; a check follows none") from None
                raise error
            os.close(fd)
            fd = next_fd
        return fd
    except BaseException:
        os.close(fd)
        raise


def read_file(root: Path, rel: str, cap: int = READ_CAP) -> bytes:
    """The bytes of a regular file under `root`, refusing links, escapes and big files."""
    parts = _safe_relative(rel)
    if not parts:
        raise CheckFolderError("the check folder itself is not a file")
    dir_fd = _open_dir(root, parts[:-1])
    try:
        try:
            fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
        except OSError as error:
            if error.errno == 40:  # ELOOP: the last part is a link
                raise CheckFolderError(f"{rel} is a symbolic link; a check reads only plain files") from None
            raise
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise CheckFolderError(f"{rel} is not a regular file")
            if info.st_size > cap:
                raise CheckFolderError(f"{rel} holds {info.st_size} bytes, more than the "
                                       f"{cap >> 20} MiB a check reads")
            chunks, left = [], cap + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            data = b"".join(chunks)
            if len(data) > cap:
                raise CheckFolderError(f"{rel} is more than the {cap >> 20} MiB a check reads")
            return data
        finally:
            os.close(fd)
    finally:
        os.close(dir_fd)


class Subject:
    """One hidden test's view of the learner's code (the `subject` fixture)."""

    def __init__(self, session: "Session", sock: socket.socket, pid: int) -> None:
        self._session, self._sock, self._pid = session, sock, pid
        self._remotes: dict[int, Remote] = {}
        self._dead = ""

    # --- the channel ---------------------------------------------------------------------

    def _remote(self, data: dict) -> Remote:
        handle = data["$r"]
        if handle not in self._remotes:
            type_name = data.get("type")
            self._remotes[handle] = Remote(self, handle, type_name if type(type_name) is str else "?")
        return self._remotes[handle]

    def _handle_of(self, value) -> dict:
        if type(value) is Remote and value._subject is self:
            return {"$r": value._id}
        raise TypeError(f"{type(value).__qualname__} cannot be sent to the learner's code: "
                        "pass plain data or a Remote from this test")

    def _args(self, args, kwargs) -> dict:
        return {"args": protocol.encode(list(args), self._handle_of),
                "kwargs": protocol.encode(dict(kwargs), self._handle_of)}

    def _exchange(self, message: dict, extra_s: float = 0.0) -> dict:
        if self._dead:
            raise SubjectGone(self._dead)
        remaining = self._session.deadline - time.monotonic() - _MARGIN_S
        if remaining <= 0:
            raise SubjectTimeout(self._session.timeout_text())
        self._sock.settimeout(remaining)
        try:
            protocol.send(self._sock, message)
            reply = protocol.receive(self._sock, handle_from=self._remote)
        except (socket.timeout, TimeoutError):
            self._dead = self._session.timeout_text()
            raise SubjectTimeout(self._dead) from None
        except protocol.ChannelClosed:
            self._dead = ("your code ended the process the test was talking to "
                          "(os._exit(), a crash, or it ran out of memory?)")
            raise SubjectGone(self._dead) from None
        except (protocol.ProtocolError, OSError) as error:
            self._dead = f"the learner's process sent something that is not an answer ({error})"
            raise SubjectGone(self._dead) from None
        return reply

    def _ask(self, message: dict):
        reply = self._exchange(message)
        if "ok" in reply:
            return reply["ok"]  # decoded as it was read: plain data of exact types, or Remotes
        return self._ask_failed(reply)

    def _ask_failed(self, reply: dict):
        error = reply.get("error")
        if isinstance(error, dict):
            bases = [b for b in error.get("bases", []) if type(b) is str] if type(error.get("bases")) is list else []
            raise SubjectError(str(error.get("type") or "Exception"), bases,
                               str(error.get("message") or ""), str(error.get("where") or ""))
        code = reply.get("code")
        raise SubjectGone(str(reply.get("fail") or "the learner's process gave no answer"),
                          code if code in ("flood", "threads") else "")

    # --- the API hidden tests use ---------------------------------------------------------------

    def module(self, name: str) -> Remote:
        """Import the learner's module `name` in the sandbox; a Remote for it."""
        return self._ask({"op": "import", "name": name})

    def call(self, dotted: str, *args, **kwargs):
        """`subject.call("serve.predict", payload)`: import, look up, call, in one go."""
        return self._ask({"op": "call_name", "name": dotted, **self._args(args, kwargs)})

    def type_of(self, remote: Remote) -> str:
        """The class name (`__qualname__`) of a learner object."""
        return self._ask({"op": "type_of", **self._handle_of(remote)})

    def put(self, value) -> Remote:
        """A copy of plain data that lives in the subject (to see whether code mutates it)."""
        return self._ask({"op": "put", "value": protocol.encode(value, self._handle_of)})

    def get(self, remote: Remote):
        """The current value of a subject object as plain data; NotPlainData if it is not."""
        reply = self._exchange({"op": "get", **self._handle_of(remote)})
        if "ok" not in reply:
            return self._ask_failed(reply)
        answer = reply["ok"]
        if type(answer) is dict and "plain" in answer:
            return answer["plain"]
        raise NotPlainData(f"a {remote._type} is not plain data, so it cannot be read here")

    def snapshot(self, module: str) -> dict:
        """The module's globals: plain values as they are, others as their type name."""
        return self._ask({"op": "snapshot", "name": module})

    def run(self, argv: list[str], timeout: float = 5) -> Completed:
        """Run a command (`["python", "serve.py"]`) in the sandbox, in the check folder."""
        reply = self._ask({"op": "run", "argv": [str(a) for a in argv], "timeout": float(timeout)})
        if type(reply) is not dict:
            raise SubjectGone("the run gave no result")
        code = reply.get("returncode")
        return Completed(code if type(code) is int else None, str(reply.get("stdout", "")),
                         str(reply.get("stderr", "")), bool(reply.get("timed_out")))

    def output(self) -> str:
        """What the learner's code printed (stdout and stderr) in this test so far."""
        text = self._ask({"op": "output"})
        return text if type(text) is str else ""

    @contextmanager
    def raises(self, name: str | tuple[str, ...], match: str | None = None):
        """Passes when the block raises a learner exception whose class, or a base of it,
        is called `name` (or one of the names in a tuple) and whose message matches the
        regex `match`. Yields a `Raised` whose `.value` is then the SubjectError."""
        names = (name,) if isinstance(name, str) else tuple(name)
        shown = " or ".join(names)
        raised = Raised()
        try:
            yield raised
        except SubjectError as error:
            raised.value = error
            if not any(error.is_a(n) for n in names):
                pytest.fail(f"expected {shown}, but your code raised {error.type_name}"
                            + (f": {error.message}" if error.message else ""), pytrace=False)
            if match is not None and not re.search(match, error.message):
                pytest.fail(f"{error.type_name} was raised, but its message {error.message!r} "
                            f"does not match {match!r}", pytrace=False)
        else:
            pytest.fail(f"expected your code to raise {shown}, but it raised nothing", pytrace=False)

    # --- the check folder ------------------------------------------------------------------------

    def read_bytes(self, rel: str) -> bytes:
        """A file the learner's code wrote (or was given) in the check folder."""
        return read_file(self._session.check_dir, rel)

    def read_text(self, rel: str) -> str:
        return self.read_bytes(rel).decode("utf-8", "replace")

    def exists(self, rel: str) -> bool:
        """True for a file or folder in the check folder reached without links."""
        parts = _safe_relative(rel) if rel not in (".", "") else []
        try:
            fd = _open_dir(self._session.check_dir, parts[:-1])
        except (OSError, CheckFolderError):
            return False
        try:
            if not parts:
                return True
            info = os.stat(parts[-1], dir_fd=fd, follow_symlinks=False)
            return stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)
        except OSError:
            return False
        finally:
            os.close(fd)

    def listdir(self, rel: str = ".") -> list[str]:
        """Sorted names in a folder of the check folder."""
        parts = _safe_relative(rel) if rel not in (".", "") else []
        fd = _open_dir(self._session.check_dir, parts)
        try:
            return sorted(os.listdir(fd))[:10000]
        finally:
            os.close(fd)

    def write_text(self, rel: str, text: str) -> str:
        """Put an input file in the check folder for the learner's code; returns `rel`."""
        return self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> str:
        parts = _safe_relative(rel)
        root = self._session.check_dir
        for depth in range(1, len(parts)):
            fd = _open_dir(root, parts[: depth - 1])
            try:
                os.mkdir(parts[depth - 1], dir_fd=fd)
            except FileExistsError:
                pass
            finally:
                os.close(fd)
        dir_fd = _open_dir(root, parts[:-1])
        try:
            try:
                os.unlink(parts[-1], dir_fd=dir_fd)
            except FileNotFoundError:
                pass
            fd = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         0o666, dir_fd=dir_fd)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        finally:
            os.close(dir_fd)
        return "/".join(parts)

    def source(self, name: str) -> str:
        """The learner's submitted file, as it was before any code ran (for ast checks)."""
        return read_file(self._session.submitted_dir, name).decode("utf-8", "replace")

    def close(self) -> None:
        """End this test's subject; what its code printed goes to the check's output."""
        try:
            if not self._dead:
                printed = self.output()
                if printed:
                    os.write(1, printed.encode("utf-8", "replace")[-(64 << 10):])
        except (SubjectGone, SubjectTimeout, SubjectError, OSError):
            pass
        try:
            self._sock.close()
        finally:
            self._session.end(self._pid)


class Session:
    """One check: the zygote in the sandbox and the folders the judge reads."""

    def __init__(self, sock: socket.socket, check_dir: Path, submitted_dir: Path,
                 deadline: float, timeout_s: float) -> None:
        self.sock, self.check_dir, self.submitted_dir = sock, Path(check_dir), Path(submitted_dir)
        self.deadline, self.timeout_s = deadline, timeout_s
        self.hello: dict | None = None
        self.broken = ""
        self.forks = 0
        self._clean: tuple | None = None

    def timeout_text(self) -> str:
        return f"the check ran past {self.timeout_s:g} s: your code was still running"

    def go(self) -> None:
        """Tell the subject its files are in place (it may have been started before them)."""
        try:
            self.sock.settimeout(max(self.deadline - time.monotonic(), 0.01))
            protocol.send(self.sock, {"op": "go"})
        except OSError as error:
            self.broken = f"the sandbox did not start ({error})"

    def wait_hello(self) -> dict:
        if self.hello is None and not self.broken:
            self.sock.settimeout(max(self.deadline - time.monotonic(), 0.01))
            try:
                self.hello = protocol.receive(self.sock)
            except (socket.timeout, TimeoutError):
                self.broken = self.timeout_text()
            except (protocol.ProtocolError, OSError) as error:
                self.broken = f"the sandbox did not start ({error})"
        return self.hello or {}

    def _signature(self) -> tuple:
        """Every entry of the check folder with its inode, size, mtime and ctime (the ctime
        cannot be set back by the learner's code), so an unchanged folder is seen cheaply."""
        found, stack = [], [str(self.check_dir)]
        while stack:
            try:
                entries = list(os.scandir(stack.pop()))
            except OSError:
                continue
            for entry in entries:
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                found.append((entry.path, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
        return tuple(sorted(found))

    def reset_folder(self) -> None:
        """Put the check folder back as submitted: every test starts from the learner's files
        (nothing to do when the last test's code changed nothing there). It runs only once
        the zygote said every process of the last test is gone, inside the judge's own
        sandbox, and through descriptors: a link the learner's code left is removed as a
        link, never followed; a tree too deep or too wide is a named failure."""
        from mlquiz.grading import safe_fs

        if self._clean is not None and self._signature() == self._clean:
            return
        fd = os.open(self.check_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            safe_fs.clear_folder(fd)
            safe_fs.copy_files(self.submitted_dir, fd)
        except OSError as error:
            self.broken = ("the check folder could not be put back for the next test "
                           f"({error.strerror or error}): your code left something there "
                           "that cannot be removed")
            raise SubjectGone(self.broken, "not_run") from None
        finally:
            os.close(fd)
        self._clean = self._signature()

    def fork(self) -> Subject:
        self.wait_hello()
        if self.broken:
            raise SubjectGone(self.broken)
        if self.forks:
            self.reset_folder()
        else:
            self._clean = self._signature()  # as submitted: copied in before the check began
        self.forks += 1
        remaining = self.deadline - time.monotonic() - _MARGIN_S
        if remaining <= 0:
            raise SubjectTimeout(self.timeout_text())
        self.sock.settimeout(remaining)
        try:
            protocol.send(self.sock, {"op": "fork"})
            data, fds, _flags, _addr = socket.recv_fds(self.sock, 4096, 1)
            reply = json.loads(data)
            pid = int(reply["pid"])
        except (socket.timeout, TimeoutError):
            raise SubjectTimeout(self.timeout_text()) from None
        except (OSError, ValueError, KeyError, TypeError):
            self.broken = ("the sandbox stopped: the process that starts each test is gone "
                           "(did your code kill or stop processes?)")
            raise SubjectGone(self.broken) from None
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            self.broken = "the sandbox stopped: it sent no channel for the test"
            raise SubjectGone(self.broken)
        return Subject(self, socket.socket(fileno=fds[0]), pid)

    def end(self, pid: int) -> None:
        """End a test: the zygote kills every process it started and says when none is left
        (the folder reset waits for that)."""
        try:
            self.sock.settimeout(max(self.deadline + 1 - time.monotonic(), 0.5))
            protocol.send(self.sock, {"op": "end", "pid": pid})
            reply = protocol.receive(self.sock)
        except (OSError, protocol.ProtocolError):
            reply = {}
        if reply.get("op") != "ended" or reply.get("clean") is not True:
            self.broken = self.broken or ("the sandbox stopped: a process of the last test "
                                          "could not be ended")


class JudgePlugin:
    """Provides the `subject` fixture and reports a syntax problem before any test runs.

    `session` may be a callable that makes the Session: a judge the worker forked before
    its check builds it once the check's details arrive, just before collection, or
    with `collected_early` (the hidden tests were known in advance) just before the
    tests run."""

    def __init__(self, session, recorder, *, collected_early: bool = False) -> None:
        self._make = None if isinstance(session, Session) else session
        self.session = session if isinstance(session, Session) else None
        self.recorder = recorder
        self._collected_early = collected_early

    def _ensure_session(self) -> None:
        if self.session is None:
            self.session = self._make()

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session):
        if not self._collected_early:
            self._ensure_session()
        return None

    @pytest.fixture
    def subject(self):
        subject = self.session.fork()
        try:
            yield subject
        finally:
            subject.close()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session, exitstatus):
        """A pytest that stopped before its run loop still waits for its check, so that
        what it recorded reaches the grader under the check's token."""
        if self.session is None:
            try:
                self._ensure_session()
            except Exception:  # noqa: BLE001 - the verdict then names how pytest ended
                pass

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        self._ensure_session()
        hello = self.session.wait_hello()
        if self.session.broken:
            self.recorder.emit({"kind": "sandbox_error", "message": self.session.broken,
                                "code": "not_run"})
            return True
        problems = hello.get("syntax") if isinstance(hello, dict) else None
        if isinstance(problems, list) and problems and isinstance(problems[0], dict):
            first = problems[0]
            self.recorder.emit({"kind": "syntax", "error": first.get("kind"),
                                **{k: first.get(k) for k in
                                   ("file", "line", "col", "message", "text", "end_offset")}})
            return True
        return None


def pytest_args(spec: dict) -> list[str]:
    """The judge's pytest command line: its own ini, no cache, no terminal."""
    # The terminal plugin stays (it owns --tb); it writes to /dev/null (see run_judge).
    # --tb=no: the plugin reads the exception itself, so pytest need not format tracebacks.
    return [spec["tests"], "-c", spec["ini"], "--rootdir", spec["judge_dir"],
            "--assert=plain", "-s", "-q", "--tb=no", "-p", "no:cacheprovider",
            "-p", "no:faulthandler", "-p", "no:unraisableexception", "-p", "no:threadexception",
            "-p", "no:logging", "-p", "no:legacypath", "-p", "no:setuponly", "-p", "no:setupplan",
            "-p", "no:nose", "-p", "no:debugging",
            "-p", "no:stepwise", "-p", "no:pastebin", "-p", "no:junitxml", "-p", "no:doctest"]


def _read_go(fd: int) -> dict:
    """The check's own details, written by the worker at the click (then it closes the pipe)."""
    data = b""
    while chunk := os.read(fd, 1 << 16):
        data += chunk
    os.close(fd)
    return json.loads(data)


def run_judge(spec: dict, result_fd: int) -> int:
    """Run the hidden tests against the subject on `spec["subject_fd"]`; pytest's exit code.

    The judge is started before its check: pytest starts up now, and the check's details
    (deadline, token) arrive on `spec["go_fd"]` just before the hidden tests are
    collected, or, with `collected_early` (the worker knew which tests come next), just
    before they run."""
    from mlquiz.grading.plugin import ResultRecorder

    recorder = ResultRecorder(result_fd, spec["tests"], None)
    import sys

    sys.stdout = sys.stderr = open(os.devnull, "w")  # fd 1 stays the learner's output pipe
    sock = socket.socket(fileno=int(spec["subject_fd"]))

    def make_session() -> Session:
        os.write(result_fd, READY_LINE)  # the worker starts the check's clock now
        spec.update(_read_go(int(spec["go_fd"])))
        recorder.set_token(spec.get("token", ""))
        limits = spec["limits"]
        session = Session(sock, Path(spec["check"]), Path(spec["submitted"]),
                          float(spec["deadline"]), float(limits["timeout_s"]))
        session.go()
        return session

    plugin = JudgePlugin(make_session, recorder, collected_early=bool(spec.get("collected_early")))
    try:
        return int(pytest.main(pytest_args(spec), plugins=[recorder, plugin]))
    finally:
        sock.close()


def main() -> None:
    """The judge process: `python -I -S -B -c '<boot>' SPEC_JSON` (runner.judge_command).
    Inside its sandbox the spec names /judge, /check and /submitted; fds come from the
    worker: 1 and 2 the output pipe, and the result, subject and go descriptors."""
    import signal
    import sys

    spec = json.loads(sys.argv[1])
    code = 70
    try:
        # A subject that dies mid-test must be an OSError here, never a SIGPIPE death.
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        os.chdir(spec["judge_dir"])
        code = run_judge(spec, int(spec["result_fd"]))
    except BaseException as error:  # noqa: BLE001 - the judge must reach os._exit
        try:
            os.write(2, f"grader judge failed: {type(error).__name__}: {error}\n".encode())
        except OSError:
            pass
    finally:
        os._exit(code)
