"""The instructor report over a room of 500 learners x 2,000 events vs plain SQL aggregates.

    .venv/bin/python bench/report.py            # 50, 100 and 500 learners
    .venv/bin/python bench/report.py --quick    # 50 and 100 only

Writes a room database in a temporary folder through the store's schema (one
executemany; what learners do in a workshop: steps, practice answers with
hints, flashcards, tests of ten questions with their start and finish,
exercise checks until they pass), then times what `mlquiz report DB` does
(collect, build the report on the built-in course, render the table) against
plain SQL GROUP BY queries that compute the same per-learner (time spent from
gaps between events), per-question, per-option (finished tests only), per-test
and per-exercise numbers on a sqlite3 connection to the same file. One test in
ten is abandoned part-way.
Prints the times for each room size (they should grow linearly) and ends with
`report: RATIOx (goal <= 3)` for the largest room.
"""
from __future__ import annotations

import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlquiz import paths  # noqa: E402
from mlquiz.content import load_course  # noqa: E402
from mlquiz.progress import ProgressStore  # noqa: E402
from mlquiz.progress.events import to_text  # noqa: E402
from mlquiz.workshop.collect import collect  # noqa: E402
from mlquiz.workshop.render import render  # noqa: E402
from mlquiz.workshop.report import build_report  # noqa: E402

EVENTS_PER_LEARNER = 2_000
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
EXERCISES = [f"exercise-{i}" for i in range(8)]
HIDDEN_TESTS = ["test_reads_config", "test_same_features", "test_no_leak", "test_threshold"]

_INSERT = """INSERT INTO events(uid, learner_id, at, module, item, kind, answer, correct,
    hint_level, time_spent_ms, detail, session_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"""


def learner_events(rng: random.Random, learner_id: int, module, questions, steps):
    """About EVENTS_PER_LEARNER rows of one learner's workshop, in time order."""
    at = START + timedelta(seconds=rng.randint(0, 3600))
    skill = rng.random()
    rows = []

    def add(kind, item=None, answer=None, correct=None, detail=None, hint=None, spent=None,
            mod=module.id):
        nonlocal at
        at += timedelta(seconds=rng.randint(5, 90))
        rows.append((uuid.uuid4().hex, learner_id, to_text(at), mod, item, kind, answer,
                     None if correct is None else int(correct), hint, spent,
                     json.dumps(detail or {}, separators=(",", ":")), None))

    def pick(question):
        right = question.answer
        if rng.random() < 0.35 + 0.55 * skill:
            return right, True
        wrong = [chr(65 + i) for i in range(len(question.options)) if chr(65 + i) != right]
        return rng.choice(wrong[:2] if rng.random() < 0.8 else wrong), False

    exercise_budget = {name: rng.randint(1, 6) for name in EXERCISES}
    while len(rows) < EVENTS_PER_LEARNER:
        roll = rng.random()
        if roll < 0.15:
            add("step_viewed", rng.choice(steps).id, spent=rng.randint(2000, 60000))
        elif roll < 0.55:
            question = rng.choice(questions)
            if rng.random() < 0.15:
                add("hint_revealed", question.id, detail={"mode": "practice"})
            letter, right = pick(question)
            add("question_answered", question.id, letter, right, spent=rng.randint(3000, 40000),
                detail={"mode": "practice", "difficulty": question.difficulty})
        elif roll < 0.65:
            add("card_reviewed", f"card-{rng.randint(0, 30)}", "good",
                detail={"mode": "flashcards", "rating": 3})
        elif roll < 0.85:
            test_id = uuid.uuid4().hex
            chosen = rng.sample(questions, 10)
            add("test_started", detail={"test_id": test_id, "questions": [q.id for q in chosen]})
            score = 0
            stop = rng.randint(1, 9) if rng.random() < 0.1 else 10  # one test in ten abandoned
            for question in chosen[:stop]:
                letter, right = pick(question)
                score += right
                add("question_answered", question.id, letter, right,
                    spent=rng.randint(3000, 40000),
                    detail={"mode": "test", "test_id": test_id, "certainty": None,
                            "difficulty": question.difficulty})
            if stop < 10:
                add("test_abandoned", detail={"test_id": test_id})
            else:
                add("test_finished", detail={"test_id": test_id, "score": score, "total": 10})
        else:
            name = rng.choice(EXERCISES)
            add("exercise_opened", name, mod=None)
            for attempt in range(exercise_budget[name]):
                failed = rng.sample(HIDDEN_TESTS, rng.randint(1, 2))
                add("exercise_run", name, mod=None,
                    detail={"passed": False, "failed_tests": failed, "reason": None})
            add("exercise_run", name, mod=None, detail={"passed": True, "failed_tests": []})
            add("exercise_passed", name, mod=None)
    return rows[:EVENTS_PER_LEARNER]


def build_room(db: Path, learners: int, course) -> int:
    ProgressStore.open(db).close()  # the store's own schema, then bulk rows into it
    module = course.modules[0]
    questions = list(module.questions)
    steps = list(module.lesson.steps)
    rng = random.Random(learners)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO learners(id, name, created_at) VALUES (?,?,?)",
                     [(i + 1, f"learner-{i:03d}", to_text(START)) for i in range(learners)])
    total = 0
    for i in range(learners):
        rows = learner_events(rng, i + 1, module, questions, steps)
        conn.executemany(_INSERT, rows)
        total += len(rows)
    conn.execute("COMMIT")
    conn.close()
    return total


# The same numbers the report shows, as plain SQL over the same file.
SQL_AGGREGATES = [
    # per learner: modules, steps seen, best test, exercises passed, time spent, last active
    """SELECT l.name, count(DISTINCT e.module),
              count(DISTINCT CASE WHEN e.kind = 'step_viewed' THEN e.item END),
              max(CASE WHEN e.kind = 'test_finished'
                  THEN json_extract(e.detail, '$.score') * 1.0 / json_extract(e.detail, '$.total') END),
              count(DISTINCT CASE WHEN e.kind = 'exercise_passed' THEN e.item END),
              sum(coalesce(e.time_spent_ms, 0)) / 1000, max(e.at)
       FROM events AS e JOIN learners AS l ON l.id = e.learner_id GROUP BY e.learner_id""",
    # per learner: time spent, gaps between consecutive events up to 10 minutes
    """SELECT learner_id, sum(CASE WHEN gap <= 600 THEN gap ELSE 0 END) FROM (
           SELECT learner_id, (julianday(at) - julianday(lag(at) OVER (
               PARTITION BY learner_id ORDER BY at))) * 86400 AS gap FROM events)
       GROUP BY learner_id""",
    # per module, question and option: picks and right answers in finished tests
    """SELECT e.module, e.item, upper(e.answer), count(*), sum(e.correct) FROM events AS e
       WHERE e.kind = 'question_answered' AND json_extract(e.detail, '$.mode') = 'test'
         AND json_extract(e.detail, '$.test_id') IN (
             SELECT json_extract(detail, '$.test_id') FROM events WHERE kind = 'test_finished')
       GROUP BY e.module, e.item, upper(e.answer)""",
    # per test: its total and how it ended (for discrimination, alpha, abandoned tests)
    """SELECT json_extract(detail, '$.test_id'), learner_id, module, sum(correct),
              count(*), max(kind = 'test_finished'), max(kind = 'test_abandoned') FROM events
       WHERE kind IN ('question_answered', 'test_finished', 'test_abandoned')
         AND json_extract(detail, '$.test_id') IS NOT NULL
       GROUP BY 1, 2, 3""",
    # per exercise: learners, passes, checks, failed hidden tests
    """SELECT e.item, count(DISTINCT e.learner_id),
              count(DISTINCT CASE WHEN e.kind = 'exercise_passed' THEN e.learner_id END),
              sum(e.kind = 'exercise_run'), f.value, count(f.value)
       FROM events AS e LEFT JOIN json_each(e.detail, '$.failed_tests') AS f
       WHERE e.kind IN ('exercise_opened', 'exercise_run', 'exercise_passed')
       GROUP BY e.item, f.value""",
]


def sql_baseline(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return sum(len(conn.execute(sql).fetchall()) for sql in SQL_AGGREGATES)
    finally:
        conn.close()


def mlquiz_report(db: Path, course) -> int:
    report = build_report(collect([db]), course)
    return len(render(report, "table"))


def interleaved_best(db: Path, course, rounds: int) -> tuple[float, float]:
    """Best time of each over `rounds`, alternating so that both see the same machine load."""
    report_s = sql_s = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        mlquiz_report(db, course)
        report_s = min(report_s, time.perf_counter() - started)
        started = time.perf_counter()
        sql_baseline(db)
        sql_s = min(sql_s, time.perf_counter() - started)
    return report_s, sql_s


def live_refresh(db: Path, course, new_events: int = 10) -> tuple[float, float]:
    """The instructor's live view: its first full read, then a refresh after `new_events`."""
    from mlquiz.workshop.live import LiveRoom

    started = time.perf_counter()
    live = LiveRoom.open(db, course)
    live.refresh()
    first_s = time.perf_counter() - started
    with ProgressStore.open(db) as store:
        for i in range(new_events):
            store.record("learner-000", "question_answered", module=course.modules[0].id,
                         item=course.modules[0].questions[i % 3].id, answer="A", correct=True,
                         detail={"mode": "practice"})
    started = time.perf_counter()
    view = live.refresh()
    refresh_s = time.perf_counter() - started
    live.close()
    assert view.events >= new_events
    return first_s, refresh_s


def main(argv: list[str]) -> int:
    sizes = [50, 100] if "--quick" in argv else [50, 100, 500]
    course = load_course(paths.builtin_course_dir())
    print(f"{'learners':>8} {'events':>10} {'build s':>8} {'report s':>9} {'sql s':>7} "
          f"{'ratio':>6} {'report us/event':>16}")
    ratio = 0.0
    with tempfile.TemporaryDirectory(prefix="mlquiz-bench-report-") as folder:
        for learners in sizes:
            db = Path(folder) / f"room-{learners}.db"
            started = time.perf_counter()
            events = build_room(db, learners, course)
            build_s = time.perf_counter() - started
            report_s, sql_s = interleaved_best(db, course, rounds=2 if learners >= 500 else 3)
            ratio = report_s / sql_s
            print(f"{learners:>8} {events:>10,} {build_s:>8.1f} {report_s:>9.2f} {sql_s:>7.2f} "
                  f"{ratio:>5.1f}x {report_s / events * 1e6:>16.1f}", flush=True)
            if learners == sizes[-1]:
                first_s, refresh_s = live_refresh(db, course)
            db.unlink()
    print(f"live view: first read {first_s:.2f} s, refresh after 10 new events "
          f"{refresh_s * 1000:.1f} ms")
    print(f"live: {refresh_s / first_s:.3f}x (goal <= 0.2)")
    print(f"report: {ratio:.2f}x (goal <= 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
