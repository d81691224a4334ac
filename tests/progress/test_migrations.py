"""Upgrading the first schema (tests/fixtures/progress_v1.db) in place loses no row."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from mlquiz.progress import SCHEMA_VERSION, ProgressStore, StoreError, schema

FIXTURE = Path(__file__).parents[1] / "fixtures" / "progress_v1.db"
V1_TABLES = ("learners", "sessions", "events", "review_state", "settings")


def rows(path: Path, table: str, columns: str = "*") -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


@pytest.fixture
def old_db(tmp_path):
    path = tmp_path / "progress.db"
    shutil.copyfile(FIXTURE, path)
    return path


def test_fixture_is_the_first_schema():
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
        assert "uid" not in columns
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "positions" not in tables
    finally:
        conn.close()


def test_upgrade_keeps_every_row_and_fills_unique_uids(old_db):
    v1_columns = ("id, learner_id, at, module, item, kind, answer, correct, hint_level, "
                  "time_spent_ms, detail, session_id")
    before = {table: rows(old_db, table) for table in V1_TABLES}
    before_events = rows(old_db, "events", v1_columns)
    assert len(before_events) == 18

    with ProgressStore.open(old_db) as store:
        assert store.schema_version == SCHEMA_VERSION == 2
        events = store.events()

    assert rows(old_db, "events", v1_columns) == before_events
    for table in ("learners", "sessions", "review_state", "settings"):
        assert rows(old_db, table) == before[table]
    uids = [event.uid for event in events]
    assert len(set(uids)) == len(uids) == 18
    assert all(len(uid) == 32 and int(uid, 16) >= 0 for uid in uids)
    meta = dict(rows(old_db, "meta"))
    assert len(meta.pop("database_id")) == 32  # the database's own uuid, made on the upgrade
    assert meta == {"schema_version": "2", "app_version": "0.1.0"}


def test_upgrade_derives_positions_best_scores_and_counters(old_db):
    with ProgressStore.open(old_db) as store:
        position = store.position("ada")
        assert (position.module, position.screen, position.item) == (
            "ml-technical-debt", "exercises", "ex-glue-code")
        best = store.best_scores("ada")["ml-technical-debt"]
        assert (best.score, best.total, best.test_id) == (7, 10, "t1")
        assert store.best_scores("bob")["ml-technical-debt"].fraction == 0
        stats = {(s["kind"], s["item"]): s for s in store.item_stats("ada")}
        assert stats[("prediction_committed", "step-2")]["first_correct"] == 0
        assert stats[("question_answered", "q-debt-meaning")]["n_correct"] == 1
        # the upgraded store keeps working
        store.record("ada", "question_answered", module="ml-technical-debt",
                     item="q-glue-code", correct=True)
        stats = {(s["kind"], s["item"]): s for s in store.item_stats("ada")}
        assert stats[("question_answered", "q-glue-code")]["n"] == 2
        assert stats[("question_answered", "q-glue-code")]["last_correct"] == 1


def test_upgrade_leaves_a_backup_of_the_old_file(old_db):
    original = old_db.read_bytes()
    ProgressStore.open(old_db).close()
    backup = old_db.with_name("progress.db.schema-1.bak")
    assert rows(backup, "events", "count(*)") == [(18,)]
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == 1
    assert old_db.read_bytes() != original  # upgraded in place


def test_a_failing_upgrade_changes_nothing(old_db, monkeypatch):
    first, second = schema.MIGRATIONS

    def broken_v2(conn):
        second(conn)
        raise RuntimeError("disk pulled out half way")

    monkeypatch.setattr(schema, "MIGRATIONS", (first, broken_v2))
    before = {table: rows(old_db, table) for table in V1_TABLES}
    with pytest.raises(RuntimeError, match="half way"):
        ProgressStore.open(old_db)
    conn = sqlite3.connect(old_db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "uid" not in {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    conn.close()
    assert {table: rows(old_db, table) for table in V1_TABLES} == before


def test_fresh_and_upgraded_databases_have_the_same_tables(old_db, tmp_path):
    def shape(path):
        conn = sqlite3.connect(path)
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")]
        columns = {t: [r[1:3] for r in conn.execute(f"PRAGMA table_info('{t}')")]
                   for t in tables if not t.startswith(("idx_", "sqlite_"))}
        conn.close()
        return tables, columns

    ProgressStore.open(old_db).close()
    fresh = tmp_path / "fresh.db"
    ProgressStore.open(fresh).close()
    assert shape(old_db) == shape(fresh)


def test_counters_kept_by_record_match_a_rebuild_from_the_log(tmp_path):
    from datetime import datetime, timedelta, timezone

    t0 = datetime(2026, 2, 1, tzinfo=timezone.utc)
    with ProgressStore.open(tmp_path / "p.db") as store:
        # out of order, ties, None correctness, several learners and tests
        for minutes, learner, kind, item, correct, detail in [
            (5, "ada", "question_answered", "q1", True, {}),
            (1, "ada", "question_answered", "q1", False, {}),
            (5, "ada", "question_answered", "q1", False, {}),
            (3, "ada", "myth_answered", "m1", None, {}),
            (2, "bob", "question_answered", "q1", True, {}),
            (4, "ada", "test_finished", "t", None, {"score": 3, "total": 4, "test_id": "a"}),
            (6, "ada", "test_finished", "t", None, {"score": 6, "total": 8, "test_id": "b"}),
            (7, "ada", "test_finished", "t", None, {"score": 9, "total": 8, "test_id": "c"}),
            (8, "bob", "test_finished", "t", None, {"score": "x", "total": 8}),
        ]:
            store.record(learner, kind, module="m", item=item, correct=correct,
                         time_spent_ms=minutes, detail=detail, at=t0 + timedelta(minutes=minutes))
        kept = {name: (sorted(map(sorted, (s.items() for s in store.item_stats(name)))),
                       store.best_scores(name)) for name in ("ada", "bob")}
        assert kept["ada"][1]["m"].test_id == "c"
        assert kept["bob"][1] == {}
        store.rebuild_derived()
        rebuilt = {name: (sorted(map(sorted, (s.items() for s in store.item_stats(name)))),
                          store.best_scores(name)) for name in ("ada", "bob")}
    assert rebuilt == kept
