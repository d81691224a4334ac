"""`mlquiz progress` for a learner with 100,000 events vs the same learner with 10.

    .venv/bin/python bench/progress_read.py [EVENTS] [ROUNDS] [--course DIR]

Each timed run does what the command does once the course is loaded: open the
database (read-only checks, schema version), pick the summary rows, render the
table, close. Loading the course and starting Python cost the same for both,
so they are left out (keeping them in would only shrink the ratio). The big
log is written in one bulk transaction and its derived state rebuilt with
ProgressStore.rebuild_derived(), which the tests prove equal to what record()
keeps up to date.
"""
from __future__ import annotations

import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from mlquiz import paths
from mlquiz.commands.progress import progress_text
from mlquiz.content import load_course
from mlquiz.progress import ProgressStore
from mlquiz.progress.events import to_text


def course_events(course, count: int, rng: random.Random):
    """`count` plausible events over the course's real items, oldest first."""
    choices = []
    for module in course.modules:
        lesson = module.lesson
        choices += [(module.id, s.id, "step_viewed") for s in lesson.steps]
        choices += [(module.id, s.id, "prediction_committed") for s in lesson.steps if s.prediction]
        choices += [(module.id, m.id, "myth_answered") for m in lesson.myths]
        choices += [(module.id, q.id, "question_answered") for q in module.questions] * 6
        choices += [(module.id, c.id, "card_reviewed") for c in module.flashcards]
    choices += [(e.module, e.id, "exercise_run") for e in course.exercises]
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for number in range(count):
        module, item, kind = rng.choice(choices)
        detail = {"mode": "practice"}
        if number % 500 == 499:
            module, item, kind = course.modules[0].id, "test", "test_finished"
            detail = {"test_id": f"t{number}", "score": rng.randint(0, 10), "total": 10}
        yield (uuid.uuid4().hex, to_text(start + timedelta(seconds=20 * number)), module, item,
               kind, rng.choice("ABCD"), rng.random() < 0.7, 0, rng.randint(800, 20000),
               json.dumps(detail))


def make_db(path: Path, course, count: int, rng: random.Random) -> Path:
    with ProgressStore.open(path) as store:
        learner_id = store.ensure_learner("ada").id
        store.ensure_learner("bob")
        sid = store.start_session("ada", client="bench")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO events(uid, learner_id, at, module, item, kind, answer, correct, hint_level,"
        " time_spent_ms, detail, session_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        ((uid, learner_id, at, m, i, k, a, c, h, t, d, sid)
         for uid, at, m, i, k, a, c, h, t, d in course_events(course, count, rng)))
    conn.execute("COMMIT")
    conn.close()
    with ProgressStore.open(path) as store:
        store.rebuild_derived()
        now = datetime.now(timezone.utc)
        for n, question in enumerate(course.modules[0].questions):
            store.save_review_state("ada", question.id, "{}", now + timedelta(hours=n - 10))
        store.set_position("ada", module=course.modules[0].id, screen="practice")
    return path


def one_progress(path: Path, course) -> float:
    start = time.perf_counter()
    store = ProgressStore.open(path)
    text = progress_text(store, "ada", course)
    store.close()
    elapsed = time.perf_counter() - start
    assert "Progress of ada" in text
    return elapsed


def main(events: int = 100_000, rounds: int = 150, course_dir: Path | None = None) -> float:
    course = load_course(course_dir or paths.builtin_course_dir())
    folder = Path(tempfile.mkdtemp(prefix="mlquiz-bench-read-"))
    rng = random.Random(7)
    try:
        made = time.perf_counter()
        small = make_db(folder / "small.db", course, 10, rng)
        big = make_db(folder / "big.db", course, events, rng)
        print(f"built {events} + 10 events in {time.perf_counter() - made:.1f} s "
              f"(big.db {big.stat().st_size / 1e6:.1f} MB)")
        for _ in range(3):  # warm the page cache and Python
            one_progress(small, course), one_progress(big, course)
        small_s, big_s = [], []
        for _ in range(rounds):
            small_s.append(one_progress(small, course))
            big_s.append(one_progress(big, course))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    small_ms, big_ms = statistics.median(small_s) * 1e3, statistics.median(big_s) * 1e3
    print(f"mlquiz progress, 10 events:       {small_ms:7.2f} ms (median of {rounds}; "
          f"min {min(small_s) * 1e3:.2f})")
    print(f"mlquiz progress, {events} events: {big_ms:7.2f} ms (min {min(big_s) * 1e3:.2f})")
    ratio = big_ms / small_ms
    print(f"progress_read: {ratio:.2f}x (goal <= 1.5)")
    return ratio


if __name__ == "__main__":
    words = sys.argv[1:]
    course_arg = None
    if "--course" in words:  # another course folder (default: the built-in one)
        at = words.index("--course")
        course_arg = Path(words[at + 1])
        del words[at:at + 2]
    main(*(int(arg) for arg in words[:2]), course_dir=course_arg)
