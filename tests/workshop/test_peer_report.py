"""`mlquiz report` gets a "Peer instruction" section from the room's vote events, in every format."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mlquiz.cli import main
from mlquiz.content import load_course
from mlquiz.progress import ProgressStore
from mlquiz.workshop.peer_room import RoomPolls

COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"


@pytest.fixture
def room_db(tmp_path):
    """Four learners on q-1 (right: A): 1 of 4 right first, 3 of 4 after the discussion."""
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        kim = RoomPolls(store, load_course(COURSE))
        kim.open("tiny-debt", "q-1", by="kim")
        for name, option in (("ada", "A"), ("bo", "B"), ("cy", "C"), ("di", "B")):
            kim.vote(name, option, confidence=1)
        kim.close(by="kim")
        kim.pair(by="kim")
        kim.revote(by="kim")
        for name, option in (("ada", "A"), ("bo", "A"), ("cy", "A"), ("di", "B")):
            kim.vote(name, option, confidence=2)
        kim.close(by="kim")
        kim.reveal(by="kim")
    return db


def report(db, fmt, capsys):
    assert main(["--course", str(COURSE), "report", str(db), "--format", fmt]) == 0
    return capsys.readouterr().out


def test_every_format_carries_first_vote_revote_and_gain(room_db, capsys):
    table = report(room_db, "table", capsys)
    assert "Peer instruction" in table
    line = next(line for line in table.splitlines() if line.lstrip().startswith("q-1"))
    assert "25% (4)" in line and "75% (4)" in line and "0.67" in line
    assert "@room" not in table, "the room's own timeline is not a learner"

    data = json.loads(report(room_db, "json", capsys))
    (poll,) = data["peer"]
    assert (poll["first_right"], poll["second_right"]) == (0.25, 0.75)
    assert poll["gain"] == pytest.approx(2 / 3)
    assert poll["switches"] == {"right->right": 1, "wrong->right": 2, "right->wrong": 0,
                                "wrong->wrong": 1}
    assert poll["confidence_moves"] == {"up": 4, "same": 0, "down": 0}
    assert "@room" not in [row["name"] for row in data["learners"]]

    rows = list(csv.reader(io.StringIO(report(room_db, "csv", capsys))))
    peer = [row for row in rows if row and row[0] == "peer_instruction"]
    assert peer and peer[0][3] == "q-1" and float(peer[0][8]) == pytest.approx(2 / 3)

    page = report(room_db, "html", capsys)
    assert "<h2>Peer instruction</h2>" in page and "<svg" in page.split("Peer instruction")[1]


def test_a_room_without_votes_has_no_peer_section(tmp_path, capsys):
    db = tmp_path / "quiet.db"
    with ProgressStore.open(db) as store:
        store.record("ada", "step_viewed", module="tiny-debt", item="step-1")
    assert "Peer instruction" not in report(db, "table", capsys)
    assert "Peer instruction" not in report(db, "html", capsys)
