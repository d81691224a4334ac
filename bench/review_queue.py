"""Today's review queue for a learner with 10,000 scheduled items vs the bare SQL under it.

    .venv/bin/python bench/review_queue.py

Builds a progress database in a temporary folder, saves 10,000 review states
through the store (due times spread from 30 days ago to a year ahead), then
times `Scheduler.queue(now)` against the indexed SQL query alone run on a plain
sqlite3 connection to the same file. The two take turns round by round.
Last line: `review_queue: RATIOx (goal <= 1.5)`.
"""
from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlquiz.progress import ProgressStore  # noqa: E402
from mlquiz.progress.events import to_text  # noqa: E402
from mlquiz.quiz.items import ReviewItem  # noqa: E402
from mlquiz.quiz.scheduler import Scheduler  # noqa: E402

N_ITEMS = 10_000
ROUNDS = 30
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
# The query under the store call the queue rests on (`due_item_ids`).
IDS_SQL = ("SELECT item FROM review_state WHERE learner_id = ? AND due <= ? "
           "ORDER BY due, item")


def build(db: Path) -> dict[str, ReviewItem]:
    rng = random.Random(1)
    kinds = ("question", "myth", "prediction", "card", "pitfall")
    items = {}
    store = ProgressStore.open(db)
    store.ensure_learner("ada")
    state = ('{"card_id": 1, "state": 2, "step": null, "stability": 12.5, "difficulty": 5.1, '
             '"due": "%s", "last_review": "2026-05-01T09:00:00+00:00"}')
    for i in range(N_ITEMS):
        item_id = f"item-{i:05d}"
        kind = kinds[i % len(kinds)]
        items[item_id] = ReviewItem(id=item_id, kind=kind, module=f"module-{i % 12}",
                                    prompt=f"Prompt {i}", choices=("a", "b", "c"),
                                    answer=None if kind == "card" else "B")
        due = NOW + timedelta(minutes=rng.randint(-30 * 1440, 365 * 1440))
        store.save_review_state("ada", item_id, state % due.isoformat(), due)
    store.close()
    return items


def timed(fn, rounds: int = ROUNDS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "progress.db"
        started = time.perf_counter()
        items = build(db)
        print(f"built {N_ITEMS} review states in {time.perf_counter() - started:.1f} s")

        store = ProgressStore.open(db)
        scheduler = Scheduler(store, "ada", items, now=lambda: NOW)
        conn = sqlite3.connect(db)
        learner_id = conn.execute("SELECT id FROM learners WHERE name = 'ada'").fetchone()[0]
        now_text = to_text(NOW)

        def bare() -> list:
            return conn.execute(IDS_SQL, (learner_id, now_text)).fetchall()

        def store_call() -> list:
            return store.due_item_ids("ada", NOW)

        for _ in range(3):  # warm both paths
            bare()
            scheduler.queue(NOW)
        sql_times, queue_times = [], []
        for _ in range(ROUNDS):  # taking turns, so both see the same machine
            sql_times.append(timed(bare, 1)[0])
            queue_times.append(timed(lambda: scheduler.queue(NOW), 1)[0])
        sql_s, queue_s = statistics.median(sql_times), statistics.median(queue_times)
        rows, queue = bare(), scheduler.queue(NOW)
        store_s, _ = timed(store_call)
        counts_s, counts = timed(lambda: scheduler.due_counts(NOW))
        assert [i.id for i in queue] == [r[0] for r in rows], "queue and SQL disagree"
        conn.close()
        store.close()

    print(f"due now: {len(queue)} of {N_ITEMS}; {counts}")
    path = "ProgressStore.due_item_ids"
    print(f"queue rests on {path}")
    print(f"bare SQL query:       {sql_s * 1000:8.3f} ms (median of {ROUNDS}; "
          f"min {min(sql_times) * 1000:.3f})")
    print(f"the store call alone: {store_s * 1000:8.3f} ms")
    print(f"Scheduler.queue(now): {queue_s * 1000:8.3f} ms (min {min(queue_times) * 1000:.3f})")
    print(f"Scheduler.due_counts: {counts_s * 1000:8.3f} ms (4 indexed counts)")
    print(f"review_queue: {queue_s / sql_s:.2f}x (goal <= 1.5)")


if __name__ == "__main__":
    main()
