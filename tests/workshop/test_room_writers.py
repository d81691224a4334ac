"""30 learners writing to one room database at once, through the store.

One child process per learner, as `mlquiz serve` runs one app process per
browser tab, each with its own ProgressStore. They start together and write
as fast as they can (far above human pace): nothing may be lost and nobody
may see "database is locked". With SQLite's own busy wait (sleeps of up to
100 ms) some writer lost every try for 10 s at this load; the store now
retries within milliseconds, so writers take turns.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from mlquiz.progress import ProgressStore

WRITER = Path(__file__).with_name("room_writer.py")
LEARNERS, EVENTS = 30, 150


def test_thirty_learners_at_once_lose_nothing_and_never_see_a_locked_database(tmp_path):
    db = tmp_path / "room.db"
    ProgressStore.open(db).close()  # the server creates it before any tab opens
    go = tmp_path / "go"
    names = [f"learner-{number:02d}" for number in range(LEARNERS)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")}
    children = [subprocess.Popen([sys.executable, str(WRITER), str(db), str(go), str(EVENTS),
                                  name], stderr=subprocess.PIPE, text=True, env=env)
                for name in names]
    time.sleep(1.0)  # let them connect and wait, so they start writing together
    go.touch()
    outcomes = []
    for child in children:
        _, stderr = child.communicate(timeout=300)
        outcomes.append((child.returncode, stderr.strip()))
    assert outcomes == [(0, "")] * LEARNERS
    with ProgressStore.open(db, read_only=True) as store:
        events = store.events()
        per_learner = defaultdict(list)
        for event in events:
            per_learner[event.learner].append(event.detail["seq"])
        assert sorted(per_learner) == names
        for name in names:
            assert sorted(per_learner[name]) == list(range(EVENTS)), name
            assert sum(row["n"] for row in store.item_stats(name)) == EVENTS
        assert len({event.uid for event in events}) == LEARNERS * EVENTS
        assert store.active_sessions(within=timedelta(hours=1)) == []  # every tab ended its session
        assert store.integrity_problems() == []
