"""Who is present in the room: `presence.connected()` on a big room log vs a small one.

    .venv/bin/python bench/room_presence.py [EVENTS] [CALLS]

The peer-instruction console asks `RoomPolls.present()` each time it redraws
(`peer_console.REFRESH_S`), and that is `presence.connected()`: one read of the
room's heartbeat record and one lookup of the sessions it names. The room is 30
learners with six sessions each, as a day of served tabs leaves them: the
current one open (and beating), two ended, three left open by windows that
were killed. EVENTS (default
60,000) are spread over those sessions, the newest in the current ones. The
same room with 1% of the events is the baseline: a query that does not walk
the log costs the same on both.

Prints the median call of each, the query plan of the per-session lookup, and
`room_presence: RATIOx (goal <= 1.5)`; the median on the big log is also shown
against the console's redraw interval.
"""
from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlquiz.progress import ProgressStore  # noqa: E402
from mlquiz.progress.events import to_text, utc_now  # noqa: E402
from mlquiz.workshop import presence  # noqa: E402

LEARNERS, SESSIONS = 30, 6  # per learner: [ended, ended, killed, killed, killed, current]


def build_room(path: Path, events: int) -> None:
    """The room's learners, sessions and `events` events, written in one transaction."""
    now = utc_now()
    with ProgressStore.open(path) as store:
        for n in range(LEARNERS):
            store.ensure_learner(f"learner-{n}")
    conn = sqlite3.connect(path)
    ids = dict(conn.execute("SELECT name, id FROM learners"))
    sessions: dict[int, list[int]] = {}
    for n in range(LEARNERS):
        learner_id = ids[f"learner-{n}"]
        for s in range(SESSIONS):
            started = now - timedelta(hours=SESSIONS - s)
            ended = to_text(started + timedelta(minutes=50)) if s < 2 else None
            cursor = conn.execute(
                "INSERT INTO sessions(learner_id, client, started_at, ended_at) VALUES (?,?,?,?)",
                (learner_id, "serve", to_text(started), ended))
            sessions.setdefault(learner_id, []).append(cursor.lastrowid)
    rows = []
    per_session = max(1, events // (LEARNERS * SESSIONS))
    for learner_id, sids in sessions.items():
        for s, sid in enumerate(sids):
            # each session's events over its hour; the current one's last is 30 s ago
            last = now - timedelta(seconds=30) if s == SESSIONS - 1 else \
                now - timedelta(hours=SESSIONS - s) + timedelta(minutes=55)
            step = timedelta(minutes=55) / per_session
            for k in range(per_session):
                rows.append((uuid.uuid4().hex, learner_id, to_text(last - step * k),
                             "ml-technical-debt", f"step-{k % 7}", "step_viewed", None, None,
                             None, None, "{}", sid))
    rows.sort(key=lambda row: row[2])  # stored in time order, as a room records them
    conn.executemany(
        "INSERT INTO events (uid, learner_id, at, module, item, kind, answer, correct, "
        "hint_level, time_spent_ms, detail, session_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()
    with ProgressStore.open(path) as store:  # each current session's app beats
        names = {learner_id: name for name, learner_id in ids.items()}
        for learner_id, sids in sessions.items():
            presence.beat(store, sids[-1], names[learner_id], now=now)


def median_ms(store: ProgressStore, calls: int) -> tuple[float, int]:
    times, present = [], 0
    for _ in range(calls):
        start = time.perf_counter()
        present = len(presence.connected(store))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), present


def plan(path: Path) -> str:
    """How SQLite finds the sessions the heartbeats name (by primary key, not the log)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE ended_at IS NULL "
                            "AND id IN (?, ?)", (1, 2))
        return "; ".join(row[-1] for row in rows)
    finally:
        conn.close()


def main(events: int = 60_000, calls: int = 30) -> float:
    from mlquiz.tui.screens.peer_console import REFRESH_S

    folder = Path(tempfile.mkdtemp(prefix="mlquiz-bench-presence-"))
    try:
        results = {}
        for label, count in (("small", max(LEARNERS * SESSIONS, events // 100)), ("big", events)):
            path = folder / f"{label}.db"
            build_room(path, count)
            with ProgressStore.open(path) as store:
                results[label] = median_ms(store, calls)
            print(f"{label:>5} room, {count:>7} events: connected() {results[label][0]:8.2f} ms "
                  f"(median of {calls}; {results[label][1]} learners connected)")
        print(f"session lookup: {plan(folder / 'big.db')}")
        big = results["big"][0]
        print(f"big room: {big / (REFRESH_S * 1000) * 100:.2f}% of the console's "
              f"{REFRESH_S * 1000:.0f} ms redraw interval per call")
        ratio = big / results["small"][0]
        print(f"room_presence: {ratio:.2f}x (goal <= 1.5)")
        return ratio
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
