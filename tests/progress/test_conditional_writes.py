"""record(if_latest=...) and events_after(): what a room's shared timeline is built on."""
from __future__ import annotations

import pytest

from mlquiz.progress import ProgressStore, StaleWrite


def test_a_write_conditioned_on_a_timeline_that_moved_is_refused(db_location):
    db = db_location
    with ProgressStore.open(db) as store:
        opened = store.record("@room", "poll_opened", if_latest=("@room", None))
        # A second instructor who read the timeline before `opened` loses the race:
        with pytest.raises(StaleWrite):
            store.record("@room", "poll_opened", if_latest=("@room", None))
        store.record("@room", "poll_closed", if_latest=("@room", opened.uid))
        assert [e.kind for e in store.events("@room")] == ["poll_opened", "poll_closed"]


def test_events_after_reads_only_what_is_new_and_filters_kinds(db_location):
    with ProgressStore.open(db_location) as store:
        first = store.record("ada", "step_viewed", item="s1")
        store.record("ada", "poll_vote", item="q1", answer="B")
        store.record("bo", "poll_vote", item="q1", answer="C")
        assert [e.answer for e in store.events_after(first.id, kinds=("poll_vote",))] == ["B", "C"]
        assert [e.learner for e in store.events_after(0, learner="bo")] == ["bo"]
        assert store.events_after(0, learner="nobody") == []
        last = store.events_after(0)[-1]
        assert store.events_after(last.id) == []
