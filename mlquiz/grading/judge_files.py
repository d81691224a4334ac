"""The judge's file work in the check folder: no link followed, no path that leaves it.

    read_file(Path("/check"), "out/report.json")      # bytes; CheckFolderError otherwise
    fd = open_dir(Path("/check"), ["out"])              # a descriptor, no link on the way

Stdlib only. Used by `Subject` (judge.py) for what hidden tests read and write.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

READ_CAP = 4 << 20  # the most one read of a learner file returns


class CheckFolderError(Exception):
    """A path the judge refuses to read or write: a link, outside the folder, too big."""


def safe_relative(rel: str) -> list[str]:
    if type(rel) is not str or not rel or rel.startswith("/") or "\x00" in rel:
        raise CheckFolderError(f"{rel!r} is not a relative path inside the check folder")
    parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise CheckFolderError(f"{rel!r} leaves the check folder")
    return parts


def open_dir(root: Path, parts: list[str]) -> int:
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
    parts = safe_relative(rel)
    if not parts:
        raise CheckFolderError("the check folder itself is not a file")
    dir_fd = open_dir(root, parts[:-1])
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
