"""StoreError: one clear line naming the database file, what is wrong, what to do.

>>> str(StoreError.from_sqlite("p.db", sqlite3.DatabaseError("file is not a database")))
'p.db is not an SQLite database (or its header is damaged); pass another --db or move it away'
"""
from __future__ import annotations

import sqlite3
from os import PathLike

from mlquiz.errors import MlquizError

BUSY_TIMEOUT_S = 10.0


class StoreError(MlquizError):
    """A progress database that cannot be used as asked; exit code 2."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message, exit_code=exit_code)

    @classmethod
    def from_sqlite(cls, path: str | PathLike, error: sqlite3.Error) -> "StoreError":
        """Translate what SQLite said into what the learner can do about it."""
        text = str(error)
        low = text.lower()
        if "file is not a database" in low:
            return not_sqlite(path)
        if "malformed" in low or "corrupt" in low:
            return damaged(path, text)
        if "locked" in low or "busy" in low:
            return cls(f"{path} is locked by another program for more than "
                       f"{BUSY_TIMEOUT_S:g} s; close other mlquiz windows and try again")
        if "readonly" in low or "read-only" in low:
            return read_only_file(path)
        if "full" in low:
            return cls(f"{path} cannot grow: the disk is full; free some space and try again")
        if "unable to open" in low or "disk i/o" in low:
            return cls(f"{path} cannot be opened ({text}); check the file and its folder, "
                       "or pass another --db")
        return cls(f"{path} cannot be used ({text}); pass another --db or move it away")


class NothingRecorded(StoreError):
    """A database that exists but holds no mlquiz data yet (an empty PostgreSQL database
    opened read-only): what `mlquiz progress` answers with "No progress yet"."""


class StaleWrite(StoreError):
    """A conditional write lost the race: someone else wrote first (exit code 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=1)


def not_sqlite(path: str | PathLike) -> StoreError:
    return StoreError(f"{path} is not an SQLite database (or its header is damaged); "
                      "pass another --db or move it away")


def damaged(path: str | PathLike, why: str) -> StoreError:
    return StoreError(f"{path} is damaged ({why}); keep a copy, then move it away "
                      "(or pass another --db) to start a fresh one")


def read_only_file(path: str | PathLike) -> StoreError:
    return StoreError(f"{path} is read-only; make it writable (chmod u+w) "
                      "or pass another --db")
