"""A second store on a file this process already holds must not drop SQLite's locks.

On POSIX, closing any handle to a file releases every lock the process holds
on it, so the store must never read the raw header of a file it has open.
"""
from __future__ import annotations

import builtins
import io
from pathlib import Path

from mlquiz.progress import ProgressStore
from mlquiz.progress.dbfile import is_sqlite_file


def test_opening_the_same_file_again_never_reads_it_around_sqlite(tmp_path, monkeypatch):
    path = tmp_path / "room.db"
    first = ProgressStore.open(path)
    first.record("ada", "step_viewed", module="m", item="s1")
    real_open = builtins.open
    opened_raw = []

    def watching_open(file, *args, **kwargs):
        if Path(str(file)).resolve() == path.resolve():
            opened_raw.append(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(io, "open", watching_open)
    second = ProgressStore.open(path, read_only=True)
    assert is_sqlite_file(path)
    second.close()
    assert opened_raw == [], "the database was opened outside SQLite while SQLite held it"
    first.record("ada", "step_viewed", module="m", item="s2")
    assert [e.item for e in first.events("ada")] == ["s1", "s2"]
    first.close()


def test_after_every_store_closed_the_header_is_checked_again(tmp_path):
    path = tmp_path / "room.db"
    store = ProgressStore.open(path)
    store.close()
    store.close()  # closing twice is harmless
    path.write_bytes(b"not a database at all" * 10)
    try:
        ProgressStore.open(path)
    except Exception as error:  # StoreError
        assert "not an SQLite database" in str(error)
    else:
        raise AssertionError("a non-SQLite file was accepted")
