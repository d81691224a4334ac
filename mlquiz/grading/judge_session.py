"""One check, from the judge's side: the zygote in the sandbox and the folders it reads.

    session = Session(sock, Path("/check"), Path("/submitted"), deadline, timeout_s=10)
    session.go()                  # the files are in place
    subject = session.fork()      # a fresh learner process for the next hidden test
    ...; subject.close()          # -> session.end(pid): every process of that test is gone

Between two tests the check folder is put back as submitted, inside the judge's
sandbox, through descriptors, and only once the zygote said the last test's
processes are all gone.
"""
from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from mlquiz.grading import protocol, safe_fs
from mlquiz.grading.judge import MARGIN_S, Subject, SubjectGone, SubjectTimeout
from mlquiz.grading.spec import Reason


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
            raise SubjectGone(self.broken, Reason.NOT_RUN) from None
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
        remaining = self.deadline - time.monotonic() - MARGIN_S
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
