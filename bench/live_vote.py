"""Peer instruction under load: does a room of 30 voters see and count votes as fast as one?

    .venv/bin/python bench/live_vote.py            # 1 and 30 voters, 3 rounds each
    .venv/bin/python bench/live_vote.py --rounds 1

Each simulated learner is a separate process with its own store on the room
database, polling the room exactly as a learner's app does (`RoomPolls.refresh`
every `mlquiz.tui.room_watch.INTERVAL_S`). The instructor is this process,
polling at the console's interval (`peer_console.REFRESH_S`). The room database
is filled with 60,000 ordinary events first, as a workshop's would be.

Measured per round:
- open -> shown: from the instructor's open committing to each learner process
  seeing the question;
- vote -> counted: from each vote's commit (all voters vote within one second)
  to the instructor's poll showing it.

Prints p50 and p95 of both for 1 and 30 voters, and ends with
`live_vote: RATIOx (goal <= 1.5)`: the p95 of 30 voters against the p95 of one,
the worse of the two measures. The p95 itself should stay under one second.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlquiz import paths  # noqa: E402
from mlquiz.content import load_course  # noqa: E402
from mlquiz.progress import ProgressStore  # noqa: E402
from mlquiz.progress.events import to_text, utc_now  # noqa: E402
from mlquiz.workshop.peer_room import RoomPolls  # noqa: E402

MODULE, ITEM = "ml-technical-debt", "q-debt-meaning"
BACKGROUND_EVENTS = 60_000

LEARNER = r'''
import json, random, sys, time
sys.path.insert(0, sys.argv[4])
from mlquiz.content import load_course
from mlquiz.progress import ProgressStore
from mlquiz.tui.room_watch import INTERVAL_S
from mlquiz.workshop.peer_room import RoomPolls
from mlquiz.workshop.peer import PeerError

db, course_dir, name = sys.argv[1], sys.argv[2], sys.argv[3]
course = load_course(course_dir)
store = ProgressStore.open(db)
store.start_session(name, client="bench")
polls = RoomPolls(store, course)
polls.refresh()
print("ready", flush=True)
seen = set()
deadline = time.time() + 120
while time.time() < deadline:
    poll = polls.refresh().current
    if poll is not None and poll.phase == "voting" and poll.id not in seen:
        seen.add(poll.id)
        shown = time.time()
        time.sleep(random.uniform(0, 1.0))          # the room votes within a second
        try:
            polls.vote(name, random.choice("ABCD"), confidence=random.choice((1, 2, 3)))
            committed = time.time()
        except PeerError:
            committed = None
        print(json.dumps({"poll": poll.id, "shown": shown, "committed": committed}), flush=True)
    time.sleep(INTERVAL_S)
'''


def fill_background(db: Path) -> None:
    """60k ordinary events from 30 learners, written in one go through the store's schema."""
    with ProgressStore.open(db) as store:
        for n in range(30):
            store.ensure_learner(f"learner-{n}")
    import sqlite3

    conn = sqlite3.connect(db)
    ids = dict(conn.execute("SELECT name, id FROM learners"))
    now = to_text(utc_now())
    rows = [(uuid.uuid4().hex, ids[f"learner-{i % 30}"], now, MODULE, f"step-{i % 7}",
             "step_viewed", None, None, None, None, "{}", None) for i in range(BACKGROUND_EVENTS)]
    conn.executemany(
        "INSERT INTO events (uid, learner_id, at, module, item, kind, answer, correct, "
        "hint_level, time_spent_ms, detail, session_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_room(voters: int, rounds: int, course_dir: Path) -> tuple[list[float], list[float]]:
    from mlquiz.tui.screens.peer_console import REFRESH_S

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "room.db"
        fill_background(db)
        root = str(Path(__file__).resolve().parents[1])
        procs = [subprocess.Popen([sys.executable, "-c", LEARNER, str(db), str(course_dir),
                                   f"voter-{n}", root], stdout=subprocess.PIPE, text=True)
                 for n in range(voters)]
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready"
        course = load_course(course_dir)
        store = ProgressStore.open(db)
        kim = RoomPolls(store, course)
        shown_lat: list[float] = []
        counted_lat: list[float] = []
        for _ in range(rounds):
            poll = kim.open(MODULE, ITEM, by="bench")
            opened = time.time()
            seen_at: dict[str, float] = {}
            stop = time.time() + 5
            while time.time() < stop and len(seen_at) < voters:
                now_poll = kim.refresh().current
                for key in now_poll.votes[1]:
                    seen_at.setdefault(key, time.time())
                time.sleep(REFRESH_S)
            reports = [json.loads(proc.stdout.readline()) for proc in procs]
            kim.close(by="bench")
            kim.reveal(by="bench")
            for n, report in enumerate(reports):
                assert report["poll"] == poll.id
                shown_lat.append(report["shown"] - opened)
                if report["committed"] is not None and f"voter-{n}" in seen_at:
                    counted_lat.append(seen_at[f"voter-{n}"] - report["committed"])
        for proc in procs:
            proc.kill()
            proc.wait()
        store.close()
        return shown_lat, counted_lat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    course_dir = paths.default_course_dir()
    results = {}
    for voters in (1, 30):
        shown, counted = run_room(voters, args.rounds if voters > 1 else args.rounds * 5,
                                  course_dir)
        results[voters] = (shown, counted)
        print(f"{voters:>2} voter(s): open -> shown p50 {percentile(shown, .5) * 1000:6.0f} ms, "
              f"p95 {percentile(shown, .95) * 1000:6.0f} ms; vote -> counted p50 "
              f"{percentile(counted, .5) * 1000:6.0f} ms, p95 "
              f"{percentile(counted, .95) * 1000:6.0f} ms ({len(counted)} votes)")
    ratios = []
    for index in (0, 1):
        one, many = percentile(results[1][index], .95), percentile(results[30][index], .95)
        ratios.append(many / one if one > 0 else float("inf"))
    worst = max(ratios)
    print(f"live_vote: {worst:.2f}x (goal <= 1.5)")


if __name__ == "__main__":
    main()
