"""Each database carries its own uuid: made on the first writable open, kept by a copy or a move."""
from __future__ import annotations

import shutil
import sqlite3

from mlquiz.progress import ProgressStore


def _stored_ids(db) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT value FROM meta WHERE key = 'database_id'")]
    finally:
        conn.close()


def test_a_new_database_gets_an_id_that_stays_across_opens_copies_and_moves(tmp_path):
    db = tmp_path / "p.db"
    with ProgressStore.open(db) as store:
        first = store.database_id
        store.record("ada", "step_viewed", module="m", item="s")
    assert first and len(first) == 32 and _stored_ids(db) == [first]
    with ProgressStore.open(db) as store:
        assert store.database_id == first
    copy = tmp_path / "elsewhere" / "copy.db"
    copy.parent.mkdir()
    shutil.copy(db, copy)
    moved = tmp_path / "moved.db"
    db.rename(moved)
    with ProgressStore.open(copy) as store:
        assert store.database_id == first
    with ProgressStore.open(moved, read_only=True) as store:
        assert store.database_id == first
    assert ProgressStore.open(tmp_path / "other.db").database_id != first


def test_an_older_database_gets_its_id_on_its_first_writable_open_only(tmp_path):
    db = tmp_path / "old.db"
    with ProgressStore.open(db) as store:
        store.record("ada", "step_viewed", module="m", item="s")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM meta WHERE key = 'database_id'")
    conn.close()
    with ProgressStore.open(db, read_only=True) as store:
        assert store.database_id is None
    assert _stored_ids(db) == []
    with ProgressStore.open(db) as store:
        made = store.database_id
    assert made and _stored_ids(db) == [made]
