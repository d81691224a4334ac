"""File work on folders that learner code wrote: no link is ever followed, no walk recurses.

    remove_tree("/tmp/mlquiz-spare-41-9817-x")   # the folder and everything in it
    clear_folder(fd)                             # empty an open folder, keep the folder
    copy_files(source_dir, target_fd)            # regular files only, created afresh
    sweep_stale("mlquiz-spare-")                 # folders of a dead process of ours, in /tmp

Every step goes through a descriptor of the folder it works in (`dir_fd`,
`O_NOFOLLOW`), so a link that learner code planted, or swapped in while the
walk runs, is removed as a link and never entered. Modes are changed only on
a descriptor of a real folder we opened, never through a path. Depth costs
nothing: past `MAX_DEPTH` open folders, a subfolder is moved up to the top
(rename, which follows nothing) and emptied from there, so a tree 10,000 deep
needs at most `MAX_DEPTH` descriptors and no recursion. Every function here is
stdlib only: the judge runs it inside its sandbox too.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import tempfile

MAX_DEPTH = 32
MAX_STEPS = 2_000_000  # far past anything a capped check folder can hold
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafeTree(OSError):
    """A folder the host will not work on (it is a link, or it will not empty)."""


def open_dir(name: str, dir_fd: int | None = None) -> int:
    """A descriptor of the real folder `name` (relative to `dir_fd`), made usable by its
    owner if learner code took its rights away; OSError for a link or anything else."""
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except PermissionError:
        # A folder chmod-ed to 000: give the owner its rights back through a descriptor
        # of the folder itself (an O_PATH descriptor of a link would show as a link).
        path_fd = os.open(name, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
        try:
            if not stat.S_ISDIR(os.fstat(path_fd).st_mode):
                raise
            os.chmod(f"/proc/self/fd/{path_fd}", 0o700)
        finally:
            os.close(path_fd)
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o700 != 0o700:
            os.fchmod(fd, 0o700)  # on the descriptor: never through a link
    except OSError:
        pass
    return fd


def clear_folder(root_fd: int) -> None:
    """Delete everything inside the folder open as `root_fd` (the folder stays)."""
    stack: list[tuple[int, str]] = [(os.dup(root_fd), "")]
    hoisted = 0
    steps = 0
    try:
        while stack:
            fd, _name = stack[-1]
            entered = False
            for entry in os.listdir(fd):
                steps += 1
                if steps > MAX_STEPS:
                    raise UnsafeTree(errno.E2BIG, "the folder holds too much to delete")
                try:
                    info = os.stat(entry, dir_fd=fd, follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if not stat.S_ISDIR(info.st_mode):
                    _unlink(entry, fd)
                    continue
                try:
                    os.rmdir(entry, dir_fd=fd)
                    continue
                except OSError as error:
                    if error.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.EACCES, errno.EPERM):
                        raise
                if len(stack) >= MAX_DEPTH:  # too deep to hold open: empty it from the top
                    hoisted = _hoist(entry, fd, stack[0][0], hoisted)
                    continue
                stack.append((open_dir(entry, fd), entry))
                entered = True
                break
            if entered:
                continue
            if os.listdir(fd):
                continue  # an entry came back (hoisted here): list again
            stack.pop()
            os.close(fd)
            if stack:
                os.rmdir(_name, dir_fd=stack[-1][0])
    finally:
        for fd, _ in stack:
            os.close(fd)


def _hoist(name: str, dir_fd: int, root_fd: int, taken: int) -> int:
    """Move folder `name` up to the top under a free name (a walk that was stopped midway,
    the judge's killed with its check, may have left earlier ones); the count used."""
    while True:
        taken += 1
        try:
            os.rename(name, f".mlquiz-deep-{taken}", src_dir_fd=dir_fd, dst_dir_fd=root_fd)
            return taken
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST) or taken > MAX_STEPS:
                raise


def _unlink(name: str, dir_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        pass
    except PermissionError:  # the folder lost its write right meanwhile
        os.fchmod(dir_fd, 0o700)
        os.unlink(name, dir_fd=dir_fd)


def remove_tree(path: str | os.PathLike) -> None:
    """Delete `path`: a link or file is removed itself, a folder with all it holds. Errors
    are swallowed only for a path that is already gone."""
    path = os.fspath(path)
    parent, name = os.path.split(os.path.abspath(path))
    try:
        parent_fd = os.open(parent, _DIR_FLAGS & ~os.O_NOFOLLOW)
    except FileNotFoundError:
        return
    try:
        try:
            info = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(info.st_mode):
            _unlink(name, parent_fd)
            return
        fd = open_dir(name, parent_fd)
        try:
            clear_folder(fd)
        finally:
            os.close(fd)
        os.rmdir(name, dir_fd=parent_fd)
    finally:
        os.close(parent_fd)


def copy_files(source: str | os.PathLike, target_fd: int, names: list[str] | None = None) -> None:
    """Copy the regular files under `source` (a folder no learner code can write) into the
    folder open as `target_fd`, creating every file and folder afresh (O_EXCL, O_NOFOLLOW):
    an entry already there is an error, never a way out. `names`: only these (relative)."""
    source = os.fspath(source)
    if names is None:
        names = []
        for current, dirs, files in os.walk(source):
            dirs.sort()
            base = os.path.relpath(current, source)
            names += [f if base == "." else f"{base}/{f}" for f in sorted(files)
                      if stat.S_ISREG(os.lstat(os.path.join(current, f)).st_mode)]
    for relative in names:
        parts = relative.split("/")
        fd = os.dup(target_fd)
        try:
            for part in parts[:-1]:
                try:
                    os.mkdir(part, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
                next_fd = os.open(part, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = next_fd
            with open(os.path.join(source, relative), "rb") as handle:
                data = handle.read()
            out = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                          | os.O_CLOEXEC, 0o644, dir_fd=fd)
            with os.fdopen(out, "wb") as handle:
                handle.write(data)
        finally:
            os.close(fd)


# --- folders of a process that is gone ------------------------------------------------

def start_time(pid: int) -> str:
    """The kernel's start time of `pid` (clock ticks since boot), '' if it is gone (a
    zombie is gone: it only waits for its parent to read its exit)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return ""
    if len(fields) < 20 or fields[0] in (b"Z", b"X"):
        return ""
    return fields[19].decode()


def owned_prefix(prefix: str) -> str:
    """`mlquiz-spare-` -> `mlquiz-spare-<pid>-<start time>-`: a folder name that says
    which process made it, so a sweep can tell a dead owner from a live one."""
    return f"{prefix}{os.getpid()}-{start_time(os.getpid()) or '0'}-"


def sweep_stale(prefix: str, root: str | None = None) -> int:
    """Delete folders in `root` (the temp folder) named `owned_prefix(prefix)` whose
    process is gone: real folders only (a link of that name is left alone), owned by
    this user; how many were deleted."""
    root = root or tempfile.gettempdir()
    pattern = re.compile(re.escape(prefix) + r"(\d+)-(\d+)-")
    removed = 0
    try:
        names = os.listdir(root)
    except OSError:
        return 0
    for name in names:
        match = pattern.match(name)
        if match is None:
            continue
        pid, started = int(match.group(1)), match.group(2)
        if start_time(pid) == started:
            continue  # its owner still runs
        try:
            info = os.lstat(os.path.join(root, name))
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            continue
        try:
            remove_tree(os.path.join(root, name))
            removed += 1
        except OSError:
            continue
    return removed
