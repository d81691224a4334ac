"""Real child processes: two writers at once, and a writer killed with SIGKILL mid-burst."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mlquiz.progress import ProgressStore

CHILD = Path(__file__).with_name("child_writer.py")


def spawn(*args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(CHILD), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_at_once_both_land_every_row(tmp_path, db_location):
    db = db_location  # created by whichever child gets there first
    ready = tmp_path / "ready"
    ready.mkdir()
    children = [spawn(db, name, 300, ready, 2) for name in ("ada", "bob")]
    printed = {}
    for name, child in zip(("ada", "bob"), children):
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert "locked" not in err and err == ""
        printed[name] = out.split()
    with ProgressStore.open(db) as store:
        for name in ("ada", "bob"):
            events = store.events(name)
            assert len(events) == 300
            assert {event.uid for event in events} == set(printed[name])
            assert sorted(event.time_spent_ms for event in events) == list(range(300))
            assert sum(row["n"] for row in store.item_stats(name)) == 300
        assert store.integrity_problems() == []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_mid_burst_loses_no_acknowledged_event(tmp_path):
    db = tmp_path / "progress.db"
    child = spawn(db, "ada", 0)
    acknowledged = []
    try:
        while len(acknowledged) < 150:
            line = child.stdout.readline()
            assert line, child.stderr.read()
            acknowledged.append(line.strip())
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    acknowledged += rest.split()  # printed after record() returned, before the kill
    assert Path(f"{db}-wal").exists()  # it died with the log open, no clean close

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    conn.close()
    with ProgressStore.open(db) as store:
        stored = {event.uid for event in store.events("ada")}
        assert set(acknowledged) <= stored
        assert len(stored) - len(acknowledged) <= 1  # at most the one in flight
        # the derived counters moved in the same transactions as the events
        assert sum(row["n"] for row in store.item_stats("ada")) == len(stored)


def test_one_store_shared_by_worker_threads(db_location):
    from concurrent.futures import ThreadPoolExecutor

    with ProgressStore.open(db_location) as store:
        def burst(worker: int) -> list[str]:
            return [store.record(f"learner-{worker % 2}", "card_reviewed", module="m",
                                 item=f"c{n}", correct=True).uid for n in range(40)]

        with ThreadPoolExecutor(max_workers=4) as pool:
            uids = [uid for batch in pool.map(burst, range(4)) for uid in batch]
        assert sorted(e.uid for e in store.events()) == sorted(uids)
        assert len(store.learners()) == 2


def test_two_processes_upgrading_an_old_database_at_once(tmp_path):
    import shutil

    db = tmp_path / "progress.db"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "progress_v1.db", db)
    ready = tmp_path / "ready"
    ready.mkdir()
    children = [spawn(db, name, 20, ready, 2) for name in ("ada", "carol")]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0 and err == "", err
        assert len(out.split()) == 20
    with ProgressStore.open(db) as store:
        events = store.events()
        assert len(events) == 18 + 40
        assert len({event.uid for event in events}) == 58
    assert sorted(p.name for p in tmp_path.iterdir() if "bak" in p.name) == [
        "progress.db.schema-1.bak"]
