"""'EVE' and 'eve' are one learner of a room, shown as first typed (real SQLite files)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from mlquiz.progress import ProgressStore


def test_a_name_typed_in_another_case_is_the_same_learner_shown_as_first_typed(tmp_path):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        store.record("EVE", "step_viewed", module="m", item="step-1")
    # Another tab is another process with its own connection.
    subprocess.run([sys.executable, "-c",
                    "import sys; from mlquiz.progress import ProgressStore\n"
                    "with ProgressStore.open(sys.argv[1]) as s:\n"
                    "    s.record('eve', 'step_viewed', module='m', item='step-2')\n"
                    "    s.record('Eve', 'step_viewed', module='m', item='step-3')",
                    str(db)], check=True)
    with ProgressStore.open(db) as store:
        assert [learner.name for learner in store.learners()] == ["EVE"]
        assert [e.item for e in store.events("eve")] == ["step-1", "step-2", "step-3"]
        assert store.learner("eVe").name == "EVE"
        assert store.ensure_learner("eve").name == "EVE"
        assert {e.learner for e in store.events()} == {"EVE"}


def test_folding_covers_letters_beyond_ascii(tmp_path):
    with ProgressStore.open(tmp_path / "room.db") as store:
        store.record("ÉLODIE", "step_viewed", module="m", item="s")
        store.record("élodie", "step_viewed", module="m", item="t")
        store.record("Straße", "step_viewed", module="m", item="u")
        store.record("STRASSE", "step_viewed", module="m", item="v")
        assert [learner.name for learner in store.learners()] == ["ÉLODIE", "Straße"]


def test_a_database_that_already_holds_both_spellings_keeps_each_ones_history(tmp_path):
    """Rooms recorded before names were folded are read as they are: nothing is merged."""
    db = tmp_path / "old.db"
    with ProgressStore.open(db) as store:
        store.record("EVE", "step_viewed", module="m", item="upper")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO learners(name, created_at) VALUES ('eve', '2026-01-01T00:00:00+00:00')")
    conn.close()
    with ProgressStore.open(db) as store:
        store.record("eve", "step_viewed", module="m", item="lower")
        assert [e.item for e in store.events("EVE")] == ["upper"]
        assert [e.item for e in store.events("eve")] == ["lower"]
        store.record("Eve", "step_viewed", module="m", item="third")  # the oldest of the two
        assert [e.item for e in store.events("EVE")] == ["upper", "third"]
