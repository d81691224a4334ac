"""Who the instructor's console counts as present: learners whose app is connected (a
heartbeat, a session not ended), read on every look, so someone who opens the app (or
closes it) shows at the next redraw; and whoever voted."""
from __future__ import annotations

from mlquiz.progress import ProgressStore
from mlquiz.progress.events import utc_now
from mlquiz.workshop import presence
from mlquiz.workshop.peer_room import RoomPolls
from tests.progress.course_factory import make_course


def join(store, name: str) -> int:
    """What a learner's app does: start a session, then beat."""
    sid = store.start_session(name, client="web")
    presence.beat(store, sid, name)
    return sid


def test_a_learner_who_joins_or_leaves_shows_at_the_next_look(tmp_path):
    frozen = utc_now()  # no time passes between the looks
    with ProgressStore.open(tmp_path / "room.db") as store:
        kim = RoomPolls(store, make_course(), clock=lambda: frozen)
        ada = join(store, "ada")
        assert kim.present() == ["ada"]
        grace = join(store, "Grace")
        assert kim.present() == ["ada", "Grace"]
        store.end_session(ada)
        assert kim.present() == ["Grace"]
        store.end_session(grace)
        assert kim.present() == []


def test_the_room_and_ended_sessions_are_not_present(tmp_path):
    from mlquiz.workshop.peer import ROOM_LEARNER

    frozen = utc_now()
    with ProgressStore.open(tmp_path / "room.db") as store:
        join(store, ROOM_LEARNER)
        store.end_session(join(store, "ada"))
        assert RoomPolls(store, make_course(), clock=lambda: frozen).present() == []


def test_a_learner_who_voted_then_left_is_not_counted_for_the_revote(tmp_path):
    frozen = utc_now()
    with ProgressStore.open(tmp_path / "room.db") as store:
        kim = RoomPolls(store, make_course(), clock=lambda: frozen)
        ada, bo = join(store, "ada"), join(store, "bo")
        kim.open("debt", "debt-q1", by="kim")
        kim.vote("ada", "A")
        kim.vote("bo", "B")
        kim.vote("cy", "B")              # cy votes from a shell: a vote counts as presence
        assert kim.present() == ["ada", "bo", "cy"]
        kim.close(by="kim")
        kim.revote(by="kim")
        store.end_session(bo)            # bo closed his tab during the discussion
        assert kim.present() == ["ada"], "first-round voters are not present for the revote"
        kim.vote("cy", "A")
        assert kim.present() == ["ada", "cy"]
