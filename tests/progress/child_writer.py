"""A separate process that records events and prints each uid once record() has returned.

    python child_writer.py DB LEARNER COUNT [READY_DIR PEERS]

COUNT 0 means forever. With READY_DIR it announces itself there and waits
until PEERS writers are ready, so the writers really overlap.
"""
from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

from mlquiz.progress import ProgressStore


def wait_for_peers(ready_dir: Path, name: str, peers: int) -> None:
    (ready_dir / name).touch()
    deadline = time.monotonic() + 30
    while len(list(ready_dir.iterdir())) < peers and time.monotonic() < deadline:
        time.sleep(0.005)


def main(argv: list[str]) -> int:
    db, learner, count = argv[0], argv[1], int(argv[2])  # a file path or a postgresql:// URL
    if len(argv) > 3:
        wait_for_peers(Path(argv[3]), learner, int(argv[4]))
    with ProgressStore.open(db) as store:
        sid = store.start_session(learner, client="child")
        numbers = itertools.count() if count == 0 else range(count)
        for number in numbers:
            event = store.record(learner, "question_answered", module="m", item=f"q{number % 50}",
                                 answer="ABCD"[number % 4], correct=number % 4 == 1,
                                 time_spent_ms=number, detail={"n": number}, session_id=sid)
            print(event.uid, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
