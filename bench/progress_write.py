"""Recording one answer with ProgressStore.record() vs a bare sqlite3 insert-and-commit.

    .venv/bin/python bench/progress_write.py [ROUNDS] [PER_ROUND]

Both write the same row into a file in the same folder, with the same settings
the store uses (WAL, synchronous=FULL: each commit reaches the disk before it
returns), so the ratio is what the store adds: a uid, JSON, four indexes and the
derived counters, in one transaction. Rounds alternate between the two and the
medians are compared, because these machines are noisy.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from mlquiz.progress import ProgressStore

DETAIL = {"mode": "practice", "difficulty": "medium", "certainty": 2}


def bare_connection(path: Path, *, journal: str = "wal", synchronous: str = "FULL"):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("""CREATE TABLE events (id INTEGER PRIMARY KEY, uid TEXT, learner_id INTEGER,
        at TEXT, module TEXT, item TEXT, kind TEXT, answer TEXT, correct INTEGER,
        hint_level INTEGER, time_spent_ms INTEGER, detail TEXT, session_id INTEGER)""")
    return conn


def bare_insert(conn: sqlite3.Connection, number: int) -> None:
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO events(uid, learner_id, at, module, item, kind, answer, correct, hint_level,"
        " time_spent_ms, detail, session_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (uuid.uuid4().hex, 1, datetime.now(timezone.utc).isoformat(), "ml-technical-debt",
         f"q-{number % 26}", "question_answered", "C", 1, 0, 5400, json.dumps(DETAIL), 1))
    conn.execute("COMMIT")


def per_op_us(action, count: int) -> float:
    start = time.perf_counter()
    for number in range(count):
        action(number)
    return (time.perf_counter() - start) / count * 1e6


def main(rounds: int = 15, per_round: int = 100) -> float:
    folder = Path(tempfile.mkdtemp(prefix="mlquiz-bench-write-"))
    store = ProgressStore.open(folder / "mlquiz.db")
    sid = store.start_session("ada", client="bench")
    bare = bare_connection(folder / "bare.db")
    default = bare_connection(folder / "default.db", journal="delete")

    def record(number: int) -> None:
        store.record("ada", "question_answered", module="ml-technical-debt",
                     item=f"q-{number % 26}", answer="C", correct=True, hint_level=0,
                     time_spent_ms=5400, detail=DETAIL, session_id=sid)

    mlquiz_us, bare_us, default_us = [], [], []
    for _ in range(rounds):
        mlquiz_us.append(per_op_us(record, per_round))
        bare_us.append(per_op_us(lambda n: bare_insert(bare, n), per_round))
        default_us.append(per_op_us(lambda n: bare_insert(default, n), per_round // 4))
    store.close()
    bare.close()
    default.close()
    shutil.rmtree(folder, ignore_errors=True)
    mlquiz, baseline = statistics.median(mlquiz_us), statistics.median(bare_us)
    print(f"files in {folder.parent} (removed afterwards)")
    print(f"ProgressStore.record():            {mlquiz:8.1f} us per committed event "
          f"(median of {rounds} x {per_round})")
    print(f"bare sqlite3, WAL + FULL:          {baseline:8.1f} us")
    print(f"bare sqlite3, default journal:     {statistics.median(default_us):8.1f} us "
          "(for scale only)")
    ratio = mlquiz / baseline
    print(f"progress_write: {ratio:.2f}x (goal <= 1.5)")
    return ratio


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
