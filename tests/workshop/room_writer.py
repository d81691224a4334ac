"""One simulated learner process for tests/workshop/test_room_writers.py (run as a script).

python room_writer.py DB GO_FILE EVENTS NAME: opens its own ProgressStore, waits
for GO_FILE, then records EVENTS events like a learner in a workshop (steps,
practice answers, exercise checks). Prints the failure to stderr and exits 1.
One learner per process, as one served tab is one app process.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from mlquiz.progress import ProgressStore

KINDS = ("step_viewed", "question_answered", "question_answered", "exercise_run")


def learner(db: Path, go: Path, events: int, name: str, failures: list[str]) -> None:
    try:
        store = ProgressStore.open(db)
        sid = store.start_session(name, client="tui")
        while not go.exists():
            time.sleep(0.005)
        for seq in range(events):
            kind = KINDS[seq % len(KINDS)]
            store.record(name, kind, module="ml-technical-debt", item=f"item-{seq % 7}",
                         answer="ABCD"[seq % 4] if kind == "question_answered" else None,
                         correct=(seq % 3 == 0) if kind != "step_viewed" else None,
                         detail={"seq": seq, "mode": "practice"}, session_id=sid)
        store.end_session(sid)
        store.close()
    except Exception as error:  # reported, never swallowed
        failures.append(f"{name}: {type(error).__name__}: {error}")


def main(argv: list[str]) -> int:
    db, go, events, name = Path(argv[0]), Path(argv[1]), int(argv[2]), argv[3]
    failures: list[str] = []
    learner(db, go, events, name, failures)
    for line in failures:
        print(line, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
