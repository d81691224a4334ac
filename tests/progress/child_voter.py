"""A voter racing the close: votes on the open poll until the room's timeline moves.

    python child_voter.py DB LEARNER OPENED_UID READY_DIR PEERS

Each vote is record(if_latest=("@room", OPENED_UID)); its uid is printed once the
vote was acknowledged. The first StaleWrite (the instructor closed the poll) ends it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mlquiz.progress import ProgressStore, StaleWrite
from tests.progress.child_writer import wait_for_peers


def main(argv: list[str]) -> int:
    db, learner, opened = argv[0], argv[1], argv[2]
    with ProgressStore.open(db) as store:
        wait_for_peers(Path(argv[3]), learner, int(argv[4]))
        for number in range(100_000):
            try:
                event = store.record(learner, "poll_vote", module="m", item="q1",
                                     answer="ABCD"[number % 4], detail={"poll": opened, "round": 1},
                                     if_latest=("@room", opened))
            except StaleWrite:
                print("closed", flush=True)
                return 0
            print(event.uid, flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
