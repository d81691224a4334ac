"""Look at a database file before SQLite touches it, and connect without creating surprises.

SQLite happily turns any path into a database and writes -wal/-shm files beside
it, so every check that protects the learner's file happens here first, with
plain file reads:

>>> inspect(Path("/nonexistent/progress.db"))
'missing'
"""
from __future__ import annotations

import os
import sqlite3
import stat
import struct
import threading
from collections import Counter
from pathlib import Path

from mlquiz.progress.errors import BUSY_TIMEOUT_S, StoreError, not_sqlite, read_only_file

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100

# Files this process has open through SQLite, by (device, inode). Closing *any*
# handle to a file drops every POSIX lock the process holds on it, SQLite's
# included, so a plain read of such a file's header would let another process
# write over a transaction in flight. For these files the header is not read:
# SQLite itself already accepted them.
_open_here: Counter[tuple[int, int]] = Counter()
_open_here_lock = threading.Lock()


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def held_open(path: Path) -> None:
    """Note that this process opened `path` through SQLite (pair with `released`)."""
    with _open_here_lock:
        _open_here[_identity(path.stat())] += 1


def released(path: Path) -> None:
    try:
        key = _identity(path.stat())
    except OSError:
        return
    with _open_here_lock:
        _open_here[key] -= 1
        if _open_here[key] <= 0:
            del _open_here[key]


def _is_held_open(info: os.stat_result) -> bool:
    with _open_here_lock:
        return _identity(info) in _open_here


def is_sqlite_file(path: Path) -> bool:
    """Does the file start with SQLite's magic? Never reads a file this process holds open.

    >>> is_sqlite_file(Path("/proc/version"))
    False
    """
    try:
        info = path.stat()
        if _is_held_open(info):
            return True
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def inspect(path: Path) -> str:
    """'missing', 'empty' or 'sqlite'; raises StoreError for anything else.

    Reads at most the 100-byte header: never writes.
    """
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as error:
        raise StoreError(f"{path} cannot be read ({error.strerror}); pass another --db") from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path} is a folder, not a database file; pass a file path to --db")
    if info.st_size == 0:
        return "empty"
    if _is_held_open(info):
        return "sqlite"
    try:
        with path.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError as error:
        raise StoreError(f"{path} cannot be read ({error.strerror}); "
                         "check its permissions or pass another --db") from None
    if not header.startswith(SQLITE_MAGIC):
        raise not_sqlite(path)
    if len(header) < HEADER_SIZE:
        raise StoreError(f"{path} is truncated (only {len(header)} bytes); keep a copy, "
                         "then move it away (or pass another --db) to start a fresh one")
    _check_length(path, header, info.st_size)
    return "sqlite"


def _check_length(path: Path, header: bytes, size: int) -> None:
    """A file shorter than its header says has lost pages at the end.

    Skipped while a write-ahead log or rollback journal is present: a writer (or a
    crash) may be half way through, and SQLite finishes or undoes that itself.
    """
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return
    if path.with_name(path.name + "-journal").exists():
        return  # a rollback-journal write is in progress or must be undone
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    if pages and change_counter == valid_for and size < pages * page_size:
        raise StoreError(f"{path} is truncated ({size} of {pages * page_size} bytes); "
                         "keep a copy, then move it away (or pass another --db) "
                         "to start a fresh one")


def has_write_bits(path: Path) -> bool:
    """Writable by permissions, honoured even for root (who could write anyway)."""
    try:
        info = path.stat()
    except OSError:
        return False
    bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return bool(info.st_mode & bits) and os.access(path, os.W_OK)


def is_writable(path: Path) -> bool:
    """Can the store write this database (the file, if any, and its folder)?

    >>> is_writable(Path("/proc/version"))
    False
    """
    folder = path.parent
    if path.exists() and not has_write_bits(path):
        return False
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the first existing folder decides
    return has_write_bits(folder)


def check_writable(path: Path) -> None:
    """Raise StoreError naming the read-only file or folder."""
    if path.exists() and not has_write_bits(path):
        raise read_only_file(path)
    if path.parent.exists() and not has_write_bits(path.parent):
        raise StoreError(f"the folder of {path} is read-only, and SQLite must create "
                         f"{path.name}-wal beside it; make {path.parent} writable "
                         "or pass another --db")


def check_creatable(path: Path) -> None:
    """Raise StoreError unless `path` (missing) could be created with its folders.

    >>> check_creatable(Path("/proc/version/progress.db"))
    Traceback (most recent call last):
    ...
    mlquiz.progress.errors.StoreError: cannot create /proc/version/progress.db: /proc/version is a file, not a folder; pass another --db
    """
    folder = path.parent
    while True:
        try:
            info = folder.stat()
            break
        except FileNotFoundError:
            if folder == folder.parent:
                break
            folder = folder.parent
        except OSError as error:  # e.g. a file in the middle of the path
            if isinstance(error, NotADirectoryError):
                folder = folder.parent
                continue
            raise StoreError(f"cannot create {path} ({error.strerror}); pass another --db") from None
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(f"cannot create {path}: {folder} is a file, not a folder; "
                         "pass another --db")
    if not has_write_bits(folder):
        raise StoreError(f"cannot create {path}: the folder {folder} is read-only; "
                         "pass another --db")


def make_parents(path: Path) -> None:
    check_creatable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise StoreError(f"cannot create the folder for {path} ({reason}); "
                         "pass another --db") from None
    if not path.parent.is_dir():
        raise StoreError(f"cannot create the folder for {path} ({path.parent} is a file); "
                         "pass another --db")


def connect(path: Path, *, mode: str, immutable: bool = False) -> sqlite3.Connection:
    """Open with an explicit URI mode ('rw', 'rwc' or 'ro') so SQLite never creates by accident.

    Autocommit at the driver level: the store writes BEGIN IMMEDIATE / COMMIT itself.
    """
    uri = path.resolve().as_uri() + f"?mode={mode}" + ("&immutable=1" if immutable else "")
    try:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as error:
        raise StoreError.from_sqlite(path, error) from None


def fresh_path_beside(path: Path) -> Path:
    """A free name next to a bad database, for the app to offer a fresh start.

    >>> fresh_path_beside(Path("/nonexistent/progress.db"))
    PosixPath('/nonexistent/progress-fresh.db')
    """
    for number in range(1, 1000):
        suffix = "-fresh" if number == 1 else f"-fresh-{number}"
        candidate = path.with_name(f"{path.stem}{suffix}{path.suffix}")
        if not candidate.exists() and not candidate.with_name(candidate.name + "-wal").exists():
            return candidate
    raise StoreError(f"no free name for a fresh database beside {path}; pass another --db")
