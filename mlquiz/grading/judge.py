"""The judge's side of a check, as exercise authors use it: `subject` and what it returns.

    def test_basic_plan(subject):                      # a hidden test (docs/exercise-judge.md)
        serve = subject.module("serve")                # imported in the sandbox, not here
        assert serve.predict({"plan": "basic"}) == 0.2
        with subject.raises("DataValidationError", match="line 5"):
            subject.call("customers.load_customers", "bad.csv")

The judge process never imports learner code. Every value that comes back is
plain data of an exact type (see protocol.py) or an opaque `Remote` handle, so
an object with a lying `__eq__` cannot reach an assertion. Each test gets a fresh
subject process, forked from the zygote in the sandbox (judge_session.py). Files
the learner's code wrote are read straight from the check folder, refusing links
and paths that leave it (judge_files.py); `source()` reads the files as
submitted, before any code ran. The judge process itself starts in judge_main.py,
in a sandbox of its own.
"""
from __future__ import annotations

import os
import re
import socket
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from mlquiz.grading import protocol
from mlquiz.grading.judge_files import CheckFolderError, open_dir, read_file, safe_relative
from mlquiz.grading.spec import Reason

__all__ = ["CheckFolderError", "Completed", "NotPlainData", "Raised", "Remote", "Subject",
           "SubjectError", "SubjectGone", "SubjectTimeout"]
MARGIN_S = 0.25  # a call gives up this long before the check's deadline


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

    code = Reason.TIMEOUT


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


class Subject:
    """One hidden test's view of the learner's code (the `subject` fixture)."""

    def __init__(self, session, sock: socket.socket, pid: int) -> None:
        """`session`: a judge_session.Session (its deadline, folders and `end`)."""
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
        remaining = self._session.deadline - time.monotonic() - MARGIN_S
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
                          code if code in Reason.CHECK_WIDE else "")

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
        parts = safe_relative(rel) if rel not in (".", "") else []
        try:
            fd = open_dir(self._session.check_dir, parts[:-1])
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
        parts = safe_relative(rel) if rel not in (".", "") else []
        fd = open_dir(self._session.check_dir, parts)
        try:
            return sorted(os.listdir(fd))[:10000]
        finally:
            os.close(fd)

    def write_text(self, rel: str, text: str) -> str:
        """Put an input file in the check folder for the learner's code; returns `rel`."""
        return self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> str:
        parts = safe_relative(rel)
        root = self._session.check_dir
        for depth in range(1, len(parts)):
            fd = open_dir(root, parts[: depth - 1])
            try:
                os.mkdir(parts[depth - 1], dir_fd=fd)
            except FileExistsError:
                pass
            finally:
                os.close(fd)
        dir_fd = open_dir(root, parts[:-1])
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
