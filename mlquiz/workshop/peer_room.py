"""The room's peer-instruction timeline over a store: read what is new, act only if allowed.

>>> polls = RoomPolls(store, course)                              # doctest: +SKIP
>>> polls.open("ml-technical-debt", "q-debt-meaning", by="kim")   # doctest: +SKIP
>>> polls.vote("ada", "C", confidence=2)                          # doctest: +SKIP
>>> polls.close(by="kim"); polls.refresh().current.counts(1)      # doctest: +SKIP
{'A': 0, 'B': 0, 'C': 1, 'D': 0}

Every action is one event. The room's actions are recorded on the room's own
timeline (`ROOM_LEARNER`) on condition that nobody acted since this process
last read it (`record(if_latest=...)`), so two instructors cannot both open a
vote, and a vote cast after the close is refused, not counted. Each process
(a learner's app, a served tab, the instructor's view) keeps its own
RoomPolls and calls `refresh()` on a timer: it reads only events stored since
its last read.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable

from mlquiz.progress import StaleWrite
from mlquiz.progress.events import to_text, utc_now
from mlquiz.workshop.presence import connected
from mlquiz.workshop.peer import (
    CLOSED, HISTOGRAM, HIGH, LOW, OPENED, PAIRED, PEER_KINDS, REVEALED, REVOTE, ROOM_LEARNER,
    TIMER, VOTE, PeerError, PeerRoom, Poll, PollItem, pair_learners, poll_item, replay, suggestion,
)

if TYPE_CHECKING:
    from mlquiz.content.models import Course
    from mlquiz.progress import Event, ProgressStore

DISCUSSION_MINUTES = 2.0


class RoomPolls:
    """One process's view of the room's polls, kept up to date by `refresh()`."""

    def __init__(self, store: "ProgressStore", course: "Course", *,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._store, self._course, self._clock = store, course, clock
        self._events: list["Event"] = []
        self._last_id = 0
        self._room = PeerRoom()

    # --- reading ----------------------------------------------------------------------

    def refresh(self) -> PeerRoom:
        """The room now; reads only the peer events stored since the last refresh."""
        top = self._store.last_event_id()  # read first: every event up to it is committed
        if top == self._last_id:
            return self._room
        new = self._store.events_after(self._last_id, kinds=PEER_KINDS)
        self._last_id = max(top, new[-1].id if new else 0)
        if new:
            self._events.extend(new)
            self._room = replay(self._events)
        return self._room

    @property
    def room(self) -> PeerRoom:
        return self._room

    @property
    def clock(self) -> Callable[[], datetime]:
        return self._clock

    def item(self, poll: Poll) -> PollItem:
        """The question or prediction a poll is about, from the course."""
        module = self._course.module(poll.module)
        if module is None:
            raise PeerError(f"the room's vote is about module {poll.module!r}, "
                            "which this course does not have")
        return poll_item(module, poll.item)

    def present(self) -> list[str]:
        """Learners whose app is connected to the room (`workshop.presence`), and voters."""
        # Read on every call (the console's every redraw): one small record and one
        # lookup of its sessions, so someone who opens or closes the app counts at once.
        names = set(connected(self._store, now=self._clock()))
        poll = self._room.current
        if poll is not None:  # a vote in this round is a sign of presence (`mlquiz live vote`)
            names.update(v.learner for v in poll.votes[poll.round].values())
        names.discard(ROOM_LEARNER)
        return sorted(names, key=str.casefold)

    # --- the instructor's actions -------------------------------------------------------

    def open(self, module_id: str, item_id: str, *, by: str, low: float = LOW,
             high: float = HIGH, timer: int | None = None) -> Poll:
        """Open a vote on a question or a step's prediction; PeerError if one is open.

        `timer` (seconds) closes the vote by itself at zero (`close_if_due`); the revote
        gets the same time."""
        room = self.refresh()
        if room.open_poll is not None:
            raise PeerError(f"a vote is already open ({room.open_poll.item}, "
                            f"{room.open_poll.phase}); reveal it before opening another")
        suggestion(0.5, low, high)  # checks the thresholds before anything is written
        module = self._course.module(module_id)
        if module is None:
            raise PeerError(f"no module {module_id!r} in this course")
        item = poll_item(module, item_id)
        poll_id = f"poll-{len(room.polls) + 1}"
        settings = {"low": low, "high": high, **({"timer": int(timer)} if timer else {})}
        self._act(OPENED, module=item.module, item=item.item, answer=item.answer,
                  detail={"poll": poll_id, "by": by, "kind": item.kind,
                          "options": len(item.choices), "settings": settings,
                          **self._ends_at(timer)})
        return self._room.current

    def close_if_due(self) -> Poll | None:
        """Close the open round if its timer has run out; the closed poll, else None.

        The close is the room's `poll_closed` event with `by` "timer", as an instructor's
        close would be. Every process that follows the room calls this as it looks (the
        learners' apps, the console, `mlquiz live`): the first to look after zero writes
        it, and the others find the round closed (their conditional write is refused).
        """
        poll = self.refresh().current
        if poll is None or not poll.time_is_up(self._clock()):
            return None
        try:
            self._act(CLOSED, poll=poll, detail={"round": poll.round, "by": TIMER})
        except PeerError:  # another process closed it (or acted on it) first
            return None
        return self._room.current

    def close(self, *, by: str) -> Poll:
        """Close the current round's vote: no vote after this counts."""
        poll = self._require("voting", "no vote is open to close")
        self._act(CLOSED, poll=poll, detail={"round": poll.round, "by": by})
        return self._room.current

    def show_histogram(self, shown: bool = True, *, by: str) -> Poll:
        """Show (or hide) the room's answers on the projector view and learners' screens."""
        poll = self._require(("closed", "discussing", "revealed"),
                             "close the vote before showing how the room answered")
        self._act(HISTOGRAM, poll=poll, detail={"shown": shown, "by": by})
        return self._room.current

    def pair(self, *, by: str, minutes: float = DISCUSSION_MINUTES) -> Poll:
        """Pair each learner with someone who chose differently and start the discussion."""
        poll = self._require("closed", "close the first vote before pairing")
        if poll.round != 1:
            raise PeerError("the revote is over; reveal the answer")
        votes: dict[str, str | None] = {v.learner: v.option for v in poll.votes[1].values()}
        voted = {name.casefold() for name in votes}
        for name in self.present():
            if name.casefold() not in voted:
                votes[name] = None
        groups = pair_learners(votes, seed=len(self._room.polls))
        ends = self._clock() + timedelta(minutes=minutes)
        self._act(PAIRED, poll=poll, detail={"groups": [list(g) for g in groups],
                                             "ends_at": to_text(ends), "by": by})
        return self._room.current

    def revote(self, *, by: str) -> Poll:
        """Open the second vote for everyone at once."""
        poll = self._require(("closed", "discussing"), "close the first vote before the revote")
        if poll.round != 1:
            raise PeerError("this question has had its revote; reveal the answer")
        self._act(REVOTE, poll=poll, detail={"by": by, **self._ends_at(poll.settings.get("timer"))})
        return self._room.current

    def reveal(self, *, by: str) -> Poll:
        """Show the right answer and the worked solution on every learner's screen."""
        poll = self._require(("closed", "discussing"), "close the vote before the reveal")
        self._act(REVEALED, poll=poll, detail={"by": by})
        return self._room.current

    # --- a learner's vote -------------------------------------------------------------

    def vote(self, learner: str, option: str, *, confidence: int | None = None) -> Poll:
        """Cast (or change) `learner`'s vote in the open round; PeerError with the reason
        when no round is open (a vote after the close is refused, not counted)."""
        if learner.startswith("@"):
            raise PeerError("the room itself cannot vote")
        room = self.refresh()
        poll = room.current
        if poll is None or poll.phase == "revealed":
            raise PeerError("no vote is open right now; your answer was not counted")
        if poll.time_is_up(self._clock()):
            poll = self.close_if_due() or self._room.current
        if poll.phase != "voting":
            why = "time is up: " if poll.closed_by == TIMER else ""
            raise PeerError(f"{why}the vote has closed; your answer was not counted")
        option = option.strip().upper()
        letters = [chr(ord("A") + i) for i in range(poll.options)]
        if option not in letters:
            raise PeerError(f"choose one of {', '.join(letters)}")
        if confidence is not None and confidence not in (1, 2, 3):
            raise PeerError("confidence is 1 (guessing), 2 (fairly sure) or 3 (sure)")
        try:
            self._store.record(learner, VOTE, module=poll.module, item=poll.item, answer=option,
                               correct=option == poll.answer,
                               detail={"poll": poll.id, "round": poll.round,
                                       "confidence": confidence},
                               if_latest=(ROOM_LEARNER, room.last_control_uid))
        except StaleWrite:
            self.refresh()
            raise PeerError("the vote changed while you answered (it closed or moved on); "
                            "your answer was not counted") from None
        return self.refresh().current

    # --- helpers ----------------------------------------------------------------------

    def _ends_at(self, timer: int | None) -> dict:
        """The detail a timed round carries: when its timer runs out."""
        return {"ends_at": to_text(self._clock() + timedelta(seconds=timer))} if timer else {}

    def _require(self, phases: str | tuple[str, ...], why: str) -> Poll:
        poll = self.refresh().current
        allowed = (phases,) if isinstance(phases, str) else phases
        if poll is None or poll.phase not in allowed:
            raise PeerError(why)
        return poll

    def _act(self, kind: str, *, poll: Poll | None = None, module: str | None = None,
             item: str | None = None, answer: str | None = None, detail: dict) -> None:
        if poll is not None:
            module, item, detail = poll.module, poll.item, {"poll": poll.id, **detail}
        try:
            self._store.record(ROOM_LEARNER, kind, module=module, item=item, answer=answer,
                               detail=detail, at=self._clock(),
                               if_latest=(ROOM_LEARNER, self._room.last_control_uid))
        except StaleWrite:
            room = self.refresh()
            if kind == OPENED and room.open_poll is not None:
                raise PeerError(f"a vote is already open ({room.open_poll.item}): another "
                                "instructor opened it a moment ago") from None
            raise PeerError("another instructor acted on this vote first; "
                            "look at the room again") from None
        self.refresh()
