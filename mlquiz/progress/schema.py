"""The tables, as an ordered list of migrations; PRAGMA user_version is the schema version.

A fresh database runs every migration from 0, an older one only those it
lacks, so both end with the same tables. The caller runs `migrate` inside one
BEGIN IMMEDIATE transaction: an upgrade lands whole or not at all.

>>> conn = sqlite3.connect(":memory:", isolation_level=None)
>>> migrate(conn, app_version="0.1.0")
(0, 2)
"""
from __future__ import annotations

import sqlite3
import uuid
from typing import Callable

SCHEMA_VERSION = 2


def _db(conn: sqlite3.Connection):
    import sqlite_utils  # only migrations pay for importing it

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def _v1_first_schema(conn: sqlite3.Connection) -> None:
    """The first schema: profiles, sessions, the event log, review state, settings."""
    db = _db(conn)
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["learners"].create({"id": int, "name": str, "created_at": str}, pk="id",
                          not_null={"name", "created_at"})
    db["learners"].create_index(["name"], unique=True)
    db["sessions"].create(
        {"id": int, "learner_id": int, "client": str, "started_at": str, "ended_at": str},
        pk="id", not_null={"learner_id", "started_at"},
        foreign_keys=[("learner_id", "learners", "id")])
    db["events"].create(
        {"id": int, "learner_id": int, "at": str, "module": str, "item": str, "kind": str,
         "answer": str, "correct": int, "hint_level": int, "time_spent_ms": int,
         "detail": str, "session_id": int},
        pk="id", not_null={"learner_id", "at", "kind", "detail"},
        foreign_keys=[("learner_id", "learners", "id"), ("session_id", "sessions", "id")])
    db["events"].create_index(["learner_id", "at"])
    db["review_state"].create(
        {"learner_id": int, "item": str, "state_json": str, "due": str},
        pk=("learner_id", "item"), not_null={"state_json", "due"},
        foreign_keys=[("learner_id", "learners", "id")])
    db["review_state"].create_index(["learner_id", "due"])
    db["settings"].create({"learner_id": int, "key": str, "value": str},
                          pk=("learner_id", "key"),
                          foreign_keys=[("learner_id", "learners", "id")])


def _v2_uids_and_derived_state(conn: sqlite3.Connection) -> None:
    """uid per event (merging databases), resume positions, counters, best scores."""
    db = _db(conn)
    db["events"].add_column("uid", str)
    ids = [row[0] for row in conn.execute("SELECT id FROM events WHERE uid IS NULL")]
    conn.executemany("UPDATE events SET uid = ? WHERE id = ?",
                     ((uuid.uuid4().hex, event_id) for event_id in ids))
    db["events"].create_index(["uid"], unique=True)
    # Few indexes on events: each one is another page written per answer, and
    # summaries read item_stats instead of filtering the log (see INDEXES).
    db["positions"].create(
        {"learner_id": int, "module": str, "screen": str, "item": str, "at": str},
        pk=("learner_id", "module"), not_null={"screen", "at"},
        foreign_keys=[("learner_id", "learners", "id")])
    db["positions"].create_index(["learner_id", "at"])
    # One row per (learner, module, kind, item): what `mlquiz progress` reads
    # instead of scanning the log. "" stands for no module / no item.
    db["item_stats"].create(
        {"learner_id": int, "module": str, "kind": str, "item": str, "n": int,
         "n_correct": int, "first_correct": int, "last_correct": int, "first_at": str,
         "last_at": str, "time_ms": int},
        pk=("learner_id", "module", "kind", "item"),
        not_null={"n", "n_correct", "first_at", "last_at", "time_ms"},
        foreign_keys=[("learner_id", "learners", "id")])
    db["best_scores"].create(
        {"learner_id": int, "module": str, "test_id": str, "score": float, "total": float,
         "at": str, "event_uid": str},
        pk=("learner_id", "module"), not_null={"score", "total", "at"},
        foreign_keys=[("learner_id", "learners", "id")])
    rebuild_derived(conn)
    _positions_from_events(conn)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_first_schema,
    _v2_uids_and_derived_state,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


# Indexes that need no schema version: a database with or without one reads the same,
# so an older mlquiz still opens a file that has them. `ensure_indexes` adds any that
# are missing each time a database is opened for writing (new ones included).
INDEXES: tuple[tuple[str, str], ...] = (
    # who is present: each open session's latest event (store.active_sessions) is the
    # index's last entry for that session; on session_id alone every event of an open
    # session would still be read for its `at`
    ("idx_events_session_id_at", "events(session_id, at)"),
)


def ensure_indexes(conn: sqlite3.Connection) -> list[str]:
    """Create the INDEXES this database lacks; returns their names (nothing else changes).

    >>> ensure_indexes(conn)  # doctest: +SKIP
    ['idx_events_session_id_at']
    """
    have = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    missing = [(name, on) for name, on in INDEXES if name not in have]
    for name, on in missing:  # checked first, so an open that has them all writes nothing
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
    return [name for name, _on in missing]


DATABASE_ID = "database_id"  # meta key: this database's own uuid, kept by a copy or a move


def database_id(conn) -> str | None:
    """The uuid stored inside this database, or None (an older file opened read-only)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (DATABASE_ID,)).fetchone()
    return row[0] if row else None


def ensure_database_id(conn) -> str:
    """The database's uuid, created on its first writable open (two openers agree on one).

    >>> ensure_database_id(conn) == ensure_database_id(conn)  # doctest: +SKIP
    True
    """
    found = database_id(conn)
    if found is None:  # read first, so an open of a file that has one writes nothing
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                     (DATABASE_ID, uuid.uuid4().hex))
        found = database_id(conn)
    return found


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, *, app_version: str,
            target: int = SCHEMA_VERSION) -> tuple[int, int]:
    """Run the missing migrations up to `target`; returns (old, new) version."""
    old = user_version(conn)
    for number in range(old + 1, target + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(f"PRAGMA user_version = {number}")
    if target > old:
        conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                         [("schema_version", str(target)), ("app_version", app_version)])
    return old, target


# --- derived state, rebuilt from the log -------------------------------------

_REBUILD_ITEM_STATS = """
INSERT INTO item_stats(learner_id, module, kind, item, n, n_correct, first_correct,
                       last_correct, first_at, last_at, time_ms)
SELECT learner_id, m, kind, i, count(*), sum(coalesce(correct, 0) = 1),
       max(CASE WHEN first_rank = 1 THEN correct END),
       max(CASE WHEN last_rank = 1 THEN correct END),
       min(at), max(at), sum(coalesce(time_spent_ms, 0))
FROM (SELECT learner_id, coalesce(module, '') AS m, kind, coalesce(item, '') AS i,
             correct, at, time_spent_ms,
             row_number() OVER (PARTITION BY learner_id, coalesce(module, ''), kind,
                                coalesce(item, '') ORDER BY at, id) AS first_rank,
             row_number() OVER (PARTITION BY learner_id, coalesce(module, ''), kind,
                                coalesce(item, '') ORDER BY at DESC, id DESC) AS last_rank
      FROM events)
GROUP BY learner_id, m, kind, i
"""

_REBUILD_BEST_SCORES = """
INSERT INTO best_scores(learner_id, module, test_id, score, total, at, event_uid)
SELECT learner_id, module, test_id, score, total, at, uid FROM (
  SELECT learner_id, coalesce(module, '') AS module,
         json_extract(detail, '$.test_id') AS test_id,
         json_extract(detail, '$.score') AS score, json_extract(detail, '$.total') AS total,
         at, uid,
         row_number() OVER (PARTITION BY learner_id, coalesce(module, '')
             ORDER BY json_extract(detail, '$.score') * 1.0 / json_extract(detail, '$.total') DESC,
                      at, id) AS rank
  FROM events
  WHERE kind = 'test_finished' AND json_valid(detail)
    AND json_type(detail, '$.score') IN ('integer', 'real')
    AND json_type(detail, '$.total') IN ('integer', 'real')
    AND json_extract(detail, '$.total') > 0)
WHERE rank = 1
"""


def rebuild_derived(conn: sqlite3.Connection) -> None:
    """Recompute item_stats and best_scores from the event log (inside the caller's transaction)."""
    conn.execute("DELETE FROM item_stats")
    conn.execute("DELETE FROM best_scores")
    conn.execute(_REBUILD_ITEM_STATS)
    conn.execute(_REBUILD_BEST_SCORES)


# The screen a learner was on when an old event was written (for resuming after an upgrade).
_SCREEN_OF_KIND = {
    "step_viewed": "lesson", "prediction_committed": "lesson", "myth_answered": "myths",
    "question_answered": "practice", "hint_revealed": "practice",
    "solution_revealed": "practice", "test_started": "test", "test_finished": "test",
    "card_reviewed": "flashcards", "pitfall_answered": "pitfalls",
    "exercise_opened": "exercises", "exercise_run": "exercises",
    "exercise_passed": "exercises", "exercise_reset": "exercises",
    "exercise_hint": "exercises",
}


def _positions_from_events(conn: sqlite3.Connection) -> None:
    rows = conn.execute("""
        SELECT learner_id, module, kind, item, at FROM (
          SELECT learner_id, module, kind, item, at,
                 row_number() OVER (PARTITION BY learner_id, module ORDER BY at DESC, id DESC) AS r
          FROM events WHERE module IS NOT NULL)
        WHERE r = 1""").fetchall()
    conn.executemany(
        "INSERT OR IGNORE INTO positions(learner_id, module, screen, item, at) VALUES (?,?,?,?,?)",
        [(learner_id, module, _SCREEN_OF_KIND.get(kind, "overview"), item, at)
         for learner_id, module, kind, item, at in rows])
