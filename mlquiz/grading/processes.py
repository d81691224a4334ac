"""The processes of one check: count them, and make sure none outlives the check.

    become_subreaper()          # in the warm worker, once: orphans come back to us
    count_processes(pgid)       # the watchdog's count
    kill_group(pgid); kill_uid(uid); kill_descendants()   # after every check

Linux /proc is read directly; elsewhere the counts are 0 and only the
process-group kill applies.
"""
from __future__ import annotations

import os
import signal
import time

_PR_SET_CHILD_SUBREAPER = 36
_subreaper = False  # set by become_subreaper() in the warm worker


def is_subreaper() -> bool:
    return _subreaper


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


def _pids() -> list[str]:
    """The process ids listed in /proc, as text; none where there is no /proc."""
    try:
        return [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []


def _stat_fields(pid: str) -> list[bytes]:
    """The fields of /proc/PID/stat after the command name: [state, ppid, pgrp, ...]."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        return handle.read().rsplit(b")", 1)[1].split()


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def descendants(root: int) -> list[int]:
    """Every process below `root` (Linux /proc)."""
    try:
        with open(f"/proc/{root}/task/{root}/children", "rb") as handle:
            if not handle.read().strip():
                return []  # no children at all, so no descendants either
    except OSError:
        pass
    children: dict[int, list[int]] = {}
    for name in _pids():
        try:
            children.setdefault(int(_stat_fields(name)[1]), []).append(int(name))
        except (OSError, IndexError, ValueError):
            continue
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def kill_descendants() -> None:
    """In the subreaper worker: nothing a check started outlives it."""
    me = os.getpid()
    for _ in range(100):
        reap()
        found = descendants(me)
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.001)


def count_own_processes() -> int:
    """How many processes this user runs (Linux /proc; 0 elsewhere)."""
    uid = os.getuid()
    count = 0
    for name in _pids():
        try:
            count += os.stat(f"/proc/{name}").st_uid == uid
        except OSError:
            pass
    return count


def kill_uid(uid: int) -> None:
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


def kill_group(pgid: int) -> None:
    for _ in range(200):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.001)


def count_tree(root: int) -> int | None:
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


def count_processes(pgid: int) -> int:
    """The check's processes: every descendant of this process when it is the subreaper
    (escapees from the group included), else the members of the process group."""
    if _subreaper:
        counted = count_tree(os.getpid())
        if counted is not None:
            return counted
    return count_group(pgid)


def count_group(pgid: int) -> int:
    """How many processes are in the process group `pgid` (Linux /proc; 0 elsewhere)."""
    group = str(pgid).encode()
    count = 0
    for name in _pids():
        try:
            fields = _stat_fields(name)
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[2] == group:
            count += 1
    return count
