"""The processes of one check: count them, and make sure none outlives the check.

    become_subreaper()          # in the warm worker, once: orphans come back to us
    count_tasks_below(pid)      # the watchdog's count: threads, not just processes
    kill_tree(pid); kill_descendants(keep=zygote_pid)   # after every check

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


def die_with_parent() -> None:
    """Linux: this process gets SIGKILL when its parent dies (the judge, when the worker
    goes; the subject then follows it, being started with --die-with-parent)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


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
    """Every process below `root` (Linux /proc): the kernel's children lists where it
    keeps them (a few reads), else a scan of every process's parent."""
    if os.path.exists(f"/proc/{root}/task/{root}/children"):
        return tree(root)[1:]
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


def kill_descendants(keep: int | None = None) -> None:
    """In the subreaper worker: nothing a check started outlives it. `keep`: a child whose
    tree lives on between checks (the judge's zygote; the check's judge was killed first)."""
    me = os.getpid()

    def still_there() -> list[int]:
        reap()
        kept = set(tree(keep)) if keep is not None else set()
        return [pid for pid in descendants(me) if pid not in kept]
    _kill_until_gone(still_there, rounds=100)


def kill_group(pgid: int) -> None:
    """SIGKILL the group until it is empty; a group of unreaped zombies keeps answering,
    so this gives up after a few tries (their reaper finishes the job)."""
    for _ in range(20):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.001)


def children_of(pid: int) -> list[int]:
    """Direct children of every thread of `pid` (Linux /proc)."""
    found: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as handle:
                found += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return found


def tree(root: int) -> list[int]:
    """`root` and every process below it."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children_of(pid))
    return found


def count_tasks_below(root: int) -> int:
    """Threads of every process below `root` (not `root` itself): what the watchdog caps,
    since a thread storm never shows in a count of processes."""
    count = 0
    for pid in tree(root)[1:]:
        try:
            count += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            continue
    return count


def kill_tree(root: int) -> None:
    """Kill `root`'s process group and every process below it, until none is left."""
    kill_group(root)
    _kill_until_gone(lambda: tree(root)[1:], rounds=50)


def _kill_until_gone(find, rounds: int) -> None:
    """SIGKILL what `find()` lists until it lists nothing (or `rounds` tries have passed)."""
    for _ in range(rounds):
        found = find()
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.001)


def disk_use(folder: str, max_files: int) -> tuple[int, int, int]:
    """(bytes allocated, files, deepest folder level) under `folder`, never following
    links, never recursing; stops counting files past `max_files`."""
    used = files = deepest = 0
    stack = [(folder, 0)]
    while stack and files <= max_files:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            files += 1
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            used += info.st_blocks * 512
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, depth + 1))
    return used, files, deepest
