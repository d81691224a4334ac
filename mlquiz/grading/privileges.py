"""No grading process runs as host root: the worker drops to an unprivileged user first.

    become_grading_user(["/usr", "/root/.pyenv/versions/3.11.7"])   # in the worker, as root

When the app runs as root, its warm worker becomes the `nobody` user before it
starts any sandbox, so neither the subject nor the judge (nor bwrap around them)
is root on the host, and the files they write belong to `nobody`. Some paths the
sandboxes bind may sit below a folder that user cannot enter (an interpreter
under /root, say). The worker then first takes a private mount namespace and, in
it only, lays an empty tmpfs over that folder with the needed paths bound back in
(read-only): the host's own view does not change, and nothing else under the
folder becomes visible. When the app is not root nothing here does anything.
"""
from __future__ import annotations

import os
import stat

_CLONE_NEWNS = 0x00020000
_MS_RDONLY, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18


def grading_user() -> tuple[int, int] | None:
    """(uid, gid) the grading processes run as when this process is root, else None."""
    if os.geteuid() != 0:
        return None
    try:
        import pwd

        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except (ImportError, KeyError):
        return 65534, 65534


def _can_enter(folder: str, uid: int, gid: int) -> bool:
    info = os.stat(folder)
    if info.st_uid == uid:
        return bool(info.st_mode & stat.S_IXUSR)
    if info.st_gid == gid:
        return bool(info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IXOTH)


def closed_folder(path: str, uid: int, gid: int) -> str | None:
    """The outermost folder above `path` that `uid` may not enter, or None."""
    current = "/"
    for part in os.path.abspath(path).split("/")[1:-1]:
        current = os.path.join(current, part)
        if not _can_enter(current, uid, gid):
            return current
    return None


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None) -> None:
    import ctypes

    def raw(text):
        return text.encode() if text is not None else None

    if _libc().mount(raw(source), raw(target), raw(kind), flags, raw(data)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {target}: {os.strerror(errno)}")


def expose(paths, uid: int, gid: int) -> None:
    """In a private mount namespace of this process: make each of `paths` reachable by
    `uid` (an empty tmpfs over the closed folder above it, the path bound back in)."""
    closed: dict[str, list[str]] = {}
    for path in paths:
        if os.path.exists(path):
            folder = closed_folder(path, uid, gid)
            if folder is not None:
                closed.setdefault(folder, []).append(path)
    if not closed:
        return
    if _libc().unshare(_CLONE_NEWNS) != 0:
        raise OSError("the grader cannot take a private mount namespace to leave root")
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE, None)
    for folder in sorted(closed, key=len):
        held = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in closed[folder]}
        try:
            _mount("tmpfs", folder, "tmpfs", 0, "mode=755,size=1m")
            for path, fd in held.items():
                os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
                if stat.S_ISDIR(os.fstat(fd).st_mode):
                    os.makedirs(path, mode=0o755, exist_ok=True)
                else:
                    open(path, "a").close()
                _mount(f"/proc/self/fd/{fd}", path, None, _MS_BIND | _MS_REC, None)
                _mount(None, path, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY, None)
        finally:
            for fd in held.values():
                os.close(fd)


def become_grading_user(paths) -> bool:
    """As root: expose `paths` to the grading user, then become it for good (groups, gid,
    uid); True if dropped, False when not root. OSError when the drop does not hold,
    since going on as root is not an option."""
    user = grading_user()
    if user is None:
        return False
    uid, gid = user
    expose(paths, uid, gid)
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if 0 in os.getresuid() or 0 in os.getresgid():
        raise OSError("the grader could not stop being root")
    return True
