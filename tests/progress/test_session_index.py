"""Who is present is found through an index on events(session_id, at): a new database has
it, an older file gets it the first time it is opened for writing, and nothing saved changes."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

from mlquiz.progress import SCHEMA_VERSION, ProgressStore
from mlquiz.progress.events import utc_now
from mlquiz.progress.store import _ACTIVE_SESSIONS

INDEX = "idx_events_session_id_at"
V1_FIXTURE = Path(__file__).parents[1] / "fixtures" / "progress_v1.db"
HOUR = timedelta(hours=1)


def read(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def index_columns(path: Path) -> list[str]:
    return [row[2] for row in read(path, f"PRAGMA index_info({INDEX})")]


def session_lookup(path: Path, learner_clause: str = "") -> set[str]:
    """How SQLite finds each open session's latest event in the store's presence query."""
    params = ("",) if not learner_clause else (1, "")
    rows = read(path, "EXPLAIN QUERY PLAN " + _ACTIVE_SESSIONS.format(learner_clause), params)
    return {row[-1] for row in rows if row[-1].startswith("SEARCH e ")}


def a_room(path: Path) -> tuple[int, int]:
    """Two learners' sessions and events: ada's open one, grace's ended one."""
    with ProgressStore.open(path) as store:
        ada = store.start_session("ada", client="serve")
        grace = store.start_session("grace", client="serve")
        for n in range(5):
            store.record("ada", "step_viewed", module="m", item=f"s{n}", session_id=ada)
            store.record("grace", "question_answered", module="m", item=f"q{n}", answer="C",
                         correct=n % 2 == 0, detail={"mode": "practice"}, session_id=grace)
        store.record("ada", "hint_revealed", module="m", item="q1")  # no session
        store.end_session(grace)
    return ada, grace


def as_written_before(path: Path) -> None:
    """The file as an mlquiz without the index left it."""
    conn = sqlite3.connect(path)
    conn.execute(f"DROP INDEX {INDEX}")
    conn.commit()
    conn.close()


def test_a_new_database_has_the_index(tmp_path):
    path = tmp_path / "room.db"
    ProgressStore.open(path).close()
    assert index_columns(path) == ["session_id", "at"]


def test_an_old_database_gets_the_index_on_open_and_keeps_every_event(tmp_path):
    path = tmp_path / "room.db"
    ada, _grace = a_room(path)
    as_written_before(path)
    assert index_columns(path) == []
    assert session_lookup(path) == {"SEARCH e USING INDEX idx_events_learner_id_at (learner_id=?)"}
    saved = {table: read(path, f"SELECT * FROM {table} ORDER BY rowid")
             for table in ("events", "sessions", "learners", "item_stats", "meta")}
    assert len(saved["events"]) == 11

    with ProgressStore.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION  # an index is not a new schema version
        assert [(s.id, s.learner) for s in store.active_sessions(within=HOUR)] == [(ada, "ada")]
        assert len(store.events()) == 11

    assert index_columns(path) == ["session_id", "at"]
    for table, rows in saved.items():
        assert read(path, f"SELECT * FROM {table} ORDER BY rowid") == rows, table
    assert read(path, "PRAGMA integrity_check") == [("ok",)]
    assert not list(tmp_path.glob("*.bak"))  # nothing to back up: no row is rewritten


def test_the_presence_query_finds_each_session_through_the_index(tmp_path):
    path = tmp_path / "room.db"
    a_room(path)
    expected = {f"SEARCH e USING INDEX {INDEX} (session_id=?)"}
    assert session_lookup(path) == expected
    assert session_lookup(path, " AND s.learner_id = ?") == expected


def test_the_last_event_of_a_session_keeps_it_present(tmp_path):
    """Through the index, a session's latest event counts, not the learner's latest."""
    path = tmp_path / "room.db"
    now = utc_now()
    with ProgressStore.open(path) as store:
        old = store.start_session("ada")
        new = store.start_session("ada")
        store.record("ada", "step_viewed", item="s1", session_id=old, at=now + 2 * HOUR)
        store.record("ada", "step_viewed", item="s2", session_id=new, at=now + 4 * HOUR)
        store.record("ada", "step_viewed", item="s3", session_id=old, at=now + 3 * HOUR)
        live = store.active_sessions("ada", within=HOUR, now=now + 4 * HOUR - timedelta(minutes=30))
        assert {s.id: s.last_seen for s in live} == {old: now + 3 * HOUR, new: now + 4 * HOUR}
        assert [s.id for s in store.active_sessions("ada", within=HOUR, now=now + 4.5 * HOUR)] \
            == [new]


def test_opening_a_database_that_has_it_changes_nothing(tmp_path):
    path = tmp_path / "room.db"
    a_room(path)
    cookie = read(path, "PRAGMA schema_version")
    for _ in range(2):
        ProgressStore.open(path).close()
    assert read(path, "PRAGMA schema_version") == cookie


def test_a_read_only_open_of_an_old_database_leaves_it_as_it_is(tmp_path):
    path = tmp_path / "room.db"
    ada, _grace = a_room(path)
    as_written_before(path)
    with ProgressStore.open(path, read_only=True) as store:
        assert [s.id for s in store.active_sessions(within=HOUR)] == [ada]
    assert index_columns(path) == []


def test_an_upgrade_from_the_first_schema_ends_with_the_index(tmp_path):
    path = tmp_path / "progress.db"
    shutil.copyfile(V1_FIXTURE, path)
    before = read(path, "SELECT id, session_id, at FROM events ORDER BY id")
    with ProgressStore.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    assert index_columns(path) == ["session_id", "at"]
    assert read(path, "SELECT id, session_id, at FROM events ORDER BY id") == before
