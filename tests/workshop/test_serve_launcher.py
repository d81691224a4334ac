"""The zygote behind `mlquiz serve`: real processes, real pipes."""
from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import pytest

from mlquiz.workshop.launcher import Zygote, ZygoteError

HERE = Path(__file__).parent
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the launcher forks (POSIX)")


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    return env


def spawn(zygote: Zygote, argv: list[str], env: dict[str, str], extra=()):
    """A child on three fresh pipes: (pid, write end of its stdin, read ends of stdout, stderr)."""
    stdin_r, stdin_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = zygote.spawn((stdin_r, out_w, err_w), env, argv, extra)
    for fd in (stdin_r, out_w, err_w):
        os.close(fd)
    return pid, os.fdopen(stdin_w, "w"), os.fdopen(out_r), os.fdopen(err_r)


def gone(pid: int, timeout: float = 20.0) -> bool:
    """The process ended and was reaped (no zombie left behind)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            time.sleep(0.05)
            continue
        time.sleep(0.05)
    return False


def test_each_child_gets_its_own_streams_arguments_environment_and_descriptors():
    zygote = Zygote.start("launcher_targets:preload", "launcher_targets:echo", environment())
    try:
        ours, theirs = socket.socketpair()
        pid, stdin, stdout, _ = spawn(zygote, ["3"], {"TAB_NAME": "first"}, (theirs.fileno(),))
        theirs.close()
        stdin.write("ping\n")
        stdin.flush()
        line = stdout.readline()
        assert line.startswith("got ping own=7 argv=['3'] env=first warmed=['warm'] extra=")
        assert ours.makefile().readline() == "hello through the extra fd\n"
        assert gone(pid)
        pid2, stdin2, stdout2, _ = spawn(zygote, [], {"TAB_NAME": "second"})
        stdin2.write("pong\n")
        stdin2.flush()
        assert "got pong own=7 argv=[] env=second" in stdout2.readline()
        assert gone(pid2)
    finally:
        zygote.close()
    assert zygote.process.poll() is not None  # the zygote ends with its control socket


def test_a_crashing_tab_does_not_take_the_zygote_with_it():
    zygote = Zygote.start("launcher_targets:preload", "launcher_targets:crash", environment())
    try:
        pid, _, stdout, stderr = spawn(zygote, [], {})
        assert "ValueError: a tab fails" in stderr.read()
        assert stdout.read() == ""
        assert gone(pid)
        pid, _, _, stderr = spawn(zygote, [], {})  # the next tab is still served
        assert "a tab fails" in stderr.read()
    finally:
        zygote.close()


def test_a_preload_that_fails_is_one_line_and_no_zygote():
    with pytest.raises(ZygoteError, match="the course cannot be read"):
        Zygote.start("launcher_targets:broken_preload", "launcher_targets:echo", environment())


def test_a_zygote_that_dies_is_replaced_and_later_tabs_are_forked_again():
    zygote = Zygote.start("launcher_targets:preload", "launcher_targets:echo", environment())
    try:
        first = zygote.process
        first.kill()
        first.wait()
        with pytest.raises(ZygoteError):  # this tab starts a fresh process instead
            spawn(zygote, [], {"TAB_NAME": "during"})
        assert zygote.wait_until_ready()
        assert zygote.process is not first and zygote.process.poll() is None
        pid, stdin, stdout, _ = spawn(zygote, [], {"TAB_NAME": "after"})
        stdin.write("hi\n")
        stdin.flush()
        assert "got hi own=7 argv=[] env=after warmed=['warm']" in stdout.readline()
        assert gone(pid)
    finally:
        zygote.close()
    assert zygote.process.poll() is not None


def test_a_zygote_that_keeps_dying_is_given_up_after_a_few_restarts():
    zygote = Zygote.start("launcher_targets:preload", "launcher_targets:echo", environment())
    try:
        for _ in range(Zygote.MAX_RESTARTS + 2):
            zygote.process.kill()
            zygote.process.wait()
            with pytest.raises(ZygoteError):
                spawn(zygote, [], {})
            zygote.wait_until_ready()
        assert zygote.restarts == Zygote.MAX_RESTARTS
        assert zygote.process.poll() is not None  # no launcher left: every tab is a fresh process
    finally:
        zygote.close()
