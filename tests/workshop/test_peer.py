"""Peer instruction: the pairing, the 35/70 rule, the gain, and a whole cycle on a real room."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.progress import ProgressStore
from mlquiz.workshop.peer import (
    PeerError, normalised_gain, pair_learners, poll_result, replay, suggestion,
)
from mlquiz.workshop.peer_room import RoomPolls
from tests.progress.course_factory import make_course


def _check_groups(votes, groups):
    members = [name for group in groups for name in group]
    assert sorted(members) == sorted(votes), "every learner is in exactly one group"
    assert all(2 <= len(g) <= 3 for g in groups) or len(votes) == 1
    return members


@pytest.mark.parametrize("votes", [
    {"ada": "A", "bo": "B"},
    {"ada": "A", "bo": "B", "cy": "A"},
    {"ada": "A", "bo": "B", "cy": "A", "di": "C", "ed": "A"},
])
def test_each_voter_talks_to_someone_who_chose_differently(votes):
    groups = pair_learners(votes)
    _check_groups(votes, groups)
    for group in groups:
        assert len({votes[name] for name in group}) >= 2, f"{group} all chose the same"


def test_pairs_spread_across_options_rather_than_piling_on_one():
    votes = {f"a{i}": "A" for i in range(4)} | {"b1": "B", "b2": "B", "c1": "C", "c2": "C"}
    groups = pair_learners(votes)
    _check_groups(votes, groups)
    assert all(len({votes[n] for n in g}) == 2 for g in groups)
    # each A voter meets a different B or C voter: 4 mixed pairs, no A-A pair
    assert Counter(tuple(sorted(votes[n] for n in g)) for g in groups) == {
        ("A", "B"): 2, ("A", "C"): 2}


def test_everyone_agreeing_still_pairs_and_an_odd_count_makes_a_three():
    votes = {"ada": "C", "bo": "C", "cy": "C"}
    assert pair_learners(votes) == [("ada", "bo", "cy")]


def test_learners_who_did_not_vote_are_paired_with_each_other():
    votes = {"ada": "A", "bo": "B", "cy": None, "di": None}
    groups = pair_learners(votes)
    assert ("cy", "di") in groups and ("ada", "bo") in groups
    nobody = {"ada": None, "bo": None, "cy": None}
    assert pair_learners(nobody) == [("ada", "bo", "cy")]


def test_the_rule_suggests_reteach_discuss_or_explain_at_its_thresholds():
    assert [suggestion(s) for s in (0.0, 0.34, 0.35, 0.70, 0.71)] == [
        "reteach", "reteach", "discuss", "discuss", "explain"]
    assert suggestion(0.5, low=0.6, high=0.9) == "reteach"
    with pytest.raises(PeerError):
        suggestion(0.5, low=0.8, high=0.2)


def test_hakes_gain_by_hand():
    assert normalised_gain(0.40, 0.70) == pytest.approx(0.5)
    assert normalised_gain(0.80, 0.60) == pytest.approx(-1.0)
    assert normalised_gain(1.0, 1.0) is None


NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def room(tmp_path):
    store = ProgressStore.open(tmp_path / "room.db")
    yield store
    store.close()


def _polls(store):
    return RoomPolls(store, make_course(), clock=lambda: NOW)


def test_a_whole_cycle_is_events_and_replays_to_the_same_result(room):
    kim = _polls(room)
    learners = [f"l{i}" for i in range(10)]
    for name in learners:
        room.start_session(name, client="web")
    kim.open("debt", "debt-q1", by="kim")   # right answer: B
    first = ["B"] * 4 + ["A"] * 6            # 40% right
    for name, option in zip(learners, first):
        _polls(room).vote(name, option, confidence=1)
    _polls(room).vote("l0", "A", confidence=1)   # changes their mind...
    _polls(room).vote("l0", "B", confidence=1)   # ...and back: only the last counts
    poll = kim.close(by="kim")
    assert poll.counts(1) == {"A": 6, "B": 4}
    assert poll.suggestion() == "discuss"
    with pytest.raises(PeerError, match="closed"):
        _polls(room).vote("l9", "B")
    poll = kim.pair(by="kim")
    assert sorted(n for g in poll.groups for n in g) == sorted(learners)
    assert kim.refresh().current.partners("l0")
    kim.revote(by="kim")
    # second vote: l0-l3 stay right, l4-l6 switch to right, l7 wrong, l8-l9 wrong; l1 goes wrong
    second = {"l0": "B", "l1": "A", "l2": "B", "l3": "B", "l4": "B", "l5": "B", "l6": "B",
              "l7": "A", "l8": "A", "l9": "A"}
    for name, option in second.items():
        _polls(room).vote(name, option, confidence=3 if option == "B" else 1)
    kim.close(by="kim")
    kim.reveal(by="kim")

    result = poll_result(kim.refresh().current)
    assert (result.first_right, result.second_right) == (0.4, 0.6)
    assert result.gain == pytest.approx((0.6 - 0.4) / 0.6)
    assert result.switches == {"right->right": 3, "wrong->right": 3, "right->wrong": 1,
                               "wrong->wrong": 3}
    assert result.confidence_moves == {"up": 6, "same": 4, "down": 0}
    # every vote stays in the log, the first of l0 too; a fresh reader replays the same
    assert len(room.events(kind="poll_vote")) == 10 + 2 + 10
    again = poll_result(replay(room.events()).current)
    assert again == result


def test_a_second_instructor_is_told_a_vote_is_already_open(room):
    kim, lee = _polls(room), _polls(room)
    kim.refresh(), lee.refresh()
    kim.open("debt", "debt-q1", by="kim")
    with pytest.raises(PeerError, match="already open"):
        lee.open("debt", "debt-q2", by="lee")   # lee had not seen kim's vote yet
    assert [e.kind for e in room.events("@room")] == ["poll_opened"]


def test_a_vote_racing_the_close_is_refused_not_counted(room, monkeypatch):
    kim, ada = _polls(room), _polls(room)
    kim.open("debt", "debt-q1", by="kim")
    ada.refresh()                               # ada's screen shows the open vote
    record = room.record

    def close_first(*args, **kwargs):           # the instructor closes it at that instant
        monkeypatch.setattr(room, "record", record)
        kim.close(by="kim")
        return record(*args, **kwargs)

    monkeypatch.setattr(ada, "refresh", lambda: ada.room)  # ada's read is already done
    monkeypatch.setattr(room, "record", close_first)
    with pytest.raises(PeerError, match="not counted"):
        ada.vote("ada", "B")
    assert room.events(kind="poll_vote") == []


def test_unknown_items_and_bad_votes_get_a_reason(room):
    kim = _polls(room)
    with pytest.raises(PeerError, match="no question or step prediction"):
        kim.open("debt", "nope", by="kim")
    with pytest.raises(PeerError, match="no vote is open"):
        kim.vote("ada", "A")
    kim.open("debt", "debt-step-1", by="kim")   # a step's prediction
    with pytest.raises(PeerError, match="choose one of A, B"):
        kim.vote("ada", "E")
    with pytest.raises(PeerError, match="confidence"):
        kim.vote("ada", "A", confidence=5)
    with pytest.raises(PeerError, match="close the first vote"):
        kim.pair(by="kim")


def _discussing(votes: dict, groups: list[tuple[str, ...]]):
    """A poll in discussion, built by hand: first-round `votes` {name: letter}, the `groups`."""
    from mlquiz.workshop.peer import Poll, Vote

    poll = Poll(id="poll-1", module="debt", item="q", answer="C", options=4, opened_at=NOW,
                phase="discussing", groups=groups)
    poll.votes[1] = {name: Vote(name, letter, None, NOW) for name, letter in votes.items()}
    return poll


def test_in_a_group_of_three_each_member_is_told_whom_to_talk_to_and_why(room):
    from mlquiz.workshop.peer import discussion_note

    kim = _polls(room)
    kim.open("debt", "debt-q1", by="kim")
    for name, option in (("ada", "A"), ("bo", "A"), ("cy", "B")):
        _polls(room).vote(name, option)
    kim.close(by="kim")
    poll = kim.pair(by="kim")
    assert poll.groups == [("ada", "bo", "cy")], "two A voters and one B: one group of three"
    ada, bo, cy = (discussion_note(poll, name) for name in ("ada", "bo", "cy"))
    # ada and bo agree: each is sent to cy, and told that the other chose as they did
    assert ada.startswith("Talk to cy, who chose differently from you") and "bo chose as you" in ada
    assert bo.startswith("Talk to cy, who chose differently from you") and "ada chose as you" in bo
    assert cy.startswith("Talk to ada and bo: both chose differently from you")
    for note in (ada, bo, cy):
        assert "A" not in note.replace("ada", "") and "B" not in note, "no one's letter is named"


def test_every_kind_of_group_gets_a_reason_that_is_true():
    from mlquiz.workshop.peer import discussion_note

    pair = _discussing({"ada": "A", "bo": "B"}, [("ada", "bo")])
    assert discussion_note(pair, "ada").startswith("Talk to bo: you chose differently.")
    three = _discussing({"ada": "A", "bo": "B", "cy": "C"}, [("ada", "bo", "cy")])
    assert discussion_note(three, "bo").startswith(
        "Talk to ada and cy: each of you chose a different answer.")
    agreed = _discussing({"ada": "A", "bo": "A", "cy": "A"}, [("ada", "bo", "cy")])
    note = discussion_note(agreed, "cy")
    assert note.startswith("Talk to ada and bo: you all chose the same answer.")
    assert "differently" not in note
    silent = _discussing({"ada": "A"}, [("ada", "bo", "cy")])
    assert discussion_note(silent, "ada").startswith("Talk to bo and cy: neither of them voted")
    assert discussion_note(silent, "bo").startswith(
        "Talk to ada and cy: you did not vote; ask ada why they chose their answer")
    mixed = _discussing({"ada": "A", "bo": "B"}, [("ada", "bo", "cy")])
    assert "cy did not vote" in discussion_note(mixed, "ada")
    assert discussion_note(mixed, "zed") == "Talk with your neighbours about the question."


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_a_timed_vote_closes_itself_at_zero_as_the_instructor_would(room):
    clock = Clock(NOW)
    kim = RoomPolls(room, make_course(), clock=clock)
    ada = RoomPolls(room, make_course(), clock=clock)      # a learner's app on the room
    poll = kim.open("debt", "debt-q1", by="kim", timer=90)
    assert poll.vote_ends_at == NOW + timedelta(seconds=90) and poll.settings["timer"] == 90
    clock.at = NOW + timedelta(seconds=30)
    ada.vote("ada", "B")
    clock.at = NOW + timedelta(seconds=89)
    assert ada.close_if_due() is None and kim.refresh().current.phase == "voting"
    clock.at = NOW + timedelta(seconds=90)
    closed = ada.close_if_due()                            # whoever looks first closes it
    assert closed is not None and closed.phase == "closed" and closed.closed_by == "timer"
    assert kim.close_if_due() is None, "closed once, not twice"
    timeline = [(e.kind, e.detail.get("by")) for e in room.events("@room")]
    assert timeline == [("poll_opened", "kim"), ("poll_closed", "timer")]
    with pytest.raises(PeerError, match="closed"):
        ada.vote("bo", "A")
    poll = kim.revote(by="kim")                              # the revote gets the same time
    assert poll.vote_ends_at == clock.at + timedelta(seconds=90)


def test_a_vote_cast_after_zero_is_refused_even_before_anyone_closed_it(room):
    clock = Clock(NOW)
    kim = RoomPolls(room, make_course(), clock=clock)
    kim.open("debt", "debt-q1", by="kim", timer=60)
    clock.at = NOW + timedelta(seconds=61)
    with pytest.raises(PeerError, match="time is up"):
        RoomPolls(room, make_course(), clock=clock).vote("ada", "B")
    assert room.events(kind="poll_vote") == []
    assert kim.refresh().current.phase == "closed", "the late vote closed it on the way"


def test_an_untimed_vote_stays_open_and_timers_are_read_from_words():
    from mlquiz.workshop.peer import countdown, timer_seconds

    assert [timer_seconds(t) for t in ("90", "90s", "2m", "1m30s", "1:30", "off", "0")] == [
        90, 90, 120, 90, 90, None, None]
    for bad in ("soon", "-5", "2h", "1:75"):
        with pytest.raises(PeerError, match="timer"):
            timer_seconds(bad)
    assert countdown(NOW + timedelta(seconds=75.4), NOW) == "1:16"
    assert countdown(NOW - timedelta(seconds=3), NOW) == "0:00"


def test_a_numeric_question_is_not_offered_for_a_vote():
    """A vote is a choice among options: a question answered with a number has none."""
    from mlquiz.content import load_course
    from mlquiz.paths import builtin_course_dir
    from mlquiz.tui.screens.peer_console import candidates
    from mlquiz.workshop.peer import PeerError, poll_item

    course = load_course(builtin_course_dir(), use_cache=False)
    monitoring = course.module("ml-monitoring")
    with pytest.raises(PeerError, match="answered with a number"):
        poll_item(monitoring, "q-psi-four-bins")
    offered = {item for _module, item, _label in candidates(course, None)}
    assert not offered & {q.id for m in course.modules for q in m.questions if q.is_numeric}
