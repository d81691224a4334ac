"""Recording one answer with ProgressStore.record() vs a bare sqlite3 insert-and-commit.

    .venv/bin/python bench/progress_write.py [ROUNDS] [PER_ROUND]

Both write the same row into a file in the same folder, with the same settings
the store uses (WAL, synchronous=FULL: each commit reaches the disk before it
returns), so the ratio is what the store adds: a uid, JSON, its indexes and the
derived counters, in one transaction. The two take turns call by call and the
medians of the single calls are compared, because these machines are noisy.
Also printed: a whole answer through the Recorder (event and review state in one
transaction, so one disk sync) against the same bare insert.
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


def interleaved_us(actions: dict, count: int) -> dict[str, list[float]]:
    """Each action `count` times, one call of each in turn, every call timed on its own.

    Taking turns call by call (not block by block) gives both sides the same disk:
    a burst of fsync latency from a neighbour lands on both, not on one block. Who
    goes first rotates, since a sync right after another one waits differently.
    """
    times: dict[str, list[float]] = {name: [] for name in actions}
    clock = time.perf_counter
    names = list(actions)
    for number in range(count):
        turn = names[number % len(names):] + names[:number % len(names)]  # who goes first rotates
        for name in turn:
            action = actions[name]
            start = clock()
            action(number)
            times[name].append((clock() - start) * 1e6)
    return times


def main(rounds: int = 15, per_round: int = 100) -> float:
    from mlquiz.quiz.items import ReviewItem
    from mlquiz.quiz.recorder import Recorder
    from mlquiz.quiz.scheduler import Scheduler

    folder = Path(tempfile.mkdtemp(prefix="mlquiz-bench-write-"))
    store = ProgressStore.open(folder / "mlquiz.db")
    sid = store.start_session("ada", client="bench")
    bare = bare_connection(folder / "bare.db")
    default = bare_connection(folder / "default.db", journal="delete")
    answers = ProgressStore.open(folder / "answers.db")
    items = {f"q-{n}": ReviewItem(id=f"q-{n}", kind="question", module="ml-technical-debt",
                                  prompt="?", choices=("a", "b", "c", "d"), answer="C",
                                  difficulty="medium") for n in range(26)}
    recorder = Recorder(answers, "ada", items, Scheduler(answers, "ada", items, fuzz=False),
                        session_id=answers.start_session("ada", client="bench"))

    def record(number: int) -> None:
        store.record("ada", "question_answered", module="ml-technical-debt",
                     item=f"q-{number % 26}", answer="C", correct=True, hint_level=0,
                     time_spent_ms=5400, detail=DETAIL, session_id=sid)

    def answer(number: int) -> None:
        recorder.answer(f"q-{number % 26}", "C", mode="practice", time_spent_ms=5400)

    runs = interleaved_us({"record": record, "bare": lambda n: bare_insert(bare, n),
                           "answer": answer}, rounds * per_round)
    scale = interleaved_us({"default": lambda n: bare_insert(default, n)}, per_round)
    for closing in (store, answers, bare, default):
        closing.close()
    shutil.rmtree(folder, ignore_errors=True)
    median = statistics.median
    mlquiz, baseline, answered = median(runs["record"]), median(runs["bare"]), median(runs["answer"])
    low = min(runs["record"]) / min(runs["bare"])
    print(f"files in {folder.parent} (removed afterwards); {rounds * per_round} calls each, "
          "taking turns call by call")
    print(f"ProgressStore.record():            {mlquiz:8.1f} us per committed event (median; "
          f"min {min(runs['record']):.1f})")
    print(f"bare sqlite3, WAL + FULL:          {baseline:8.1f} us (median; min {min(runs['bare']):.1f})")
    print(f"Recorder.answer() (event + review state, one transaction): {answered:8.1f} us "
          f"({answered / baseline:.2f}x the bare insert)")
    print(f"bare sqlite3, default journal:     {median(scale['default']):8.1f} us (for scale only)")
    print(f"ratio of the fastest calls: {low:.2f}x")
    ratio = mlquiz / baseline
    print(f"progress_write: {ratio:.2f}x (goal <= 1.2)")
    return ratio


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
