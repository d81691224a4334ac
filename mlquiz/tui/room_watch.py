"""A learner's app keeps an eye on the room: a vote the instructor opens appears on top.

>>> watch = RoomWatch(app); watch.start()     # doctest: +SKIP

Every app on a room database (a browser tab of `mlquiz serve`, or
`mlquiz --db room.db` in a terminal, e.g. over ssh) runs one. Four times a
second it asks the store whether any event is new (one indexed lookup), and
reads only the new peer-instruction events when there are. When the open
vote's timer has run out, it records the close (`RoomPolls.close_if_due`):
every app in the room tries, the first one's write wins. When the room has
a vote in progress, the vote screen is pushed over whatever the learner is
doing; their screen stays underneath and comes back when the vote screen is
dismissed. A learner who joins or reloads mid-vote sees the current phase at
once; an old vote (no action for hours) is left alone.

It also tells the room that this app is connected: a heartbeat every
`presence.HEARTBEAT`, written in a worker thread (`workshop.presence`); the
app ends its session when it exits, which takes it out of the room at once.
"""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from mlquiz.workshop import presence
from mlquiz.workshop.peer import PeerError
from mlquiz.workshop.peer_room import RoomPolls

if TYPE_CHECKING:
    from mlquiz.tui.context import AppContext
    from mlquiz.tui.screens.peer_vote import PeerVoteScreen
    from mlquiz.workshop.peer import Poll

INTERVAL_S = 0.25
STALE_AFTER = timedelta(hours=3)      # a vote nobody touched for this long is history
REVEAL_KEPT_FOR = timedelta(minutes=15)  # a reveal is shown to latecomers for this long


class WatchingApp(Protocol):
    """What the room watch needs of the app (MlquizApp is one): its context, and Textual's
    timers, workers, screens and notifications. Declared here so that the app and the
    watch do not import each other."""

    ctx: AppContext

    def set_interval(self, interval: float, callback, **options) -> object: ...

    def run_worker(self, work, **options) -> object: ...

    def push_screen(self, screen, callback=None, **options) -> object: ...

    def notify(self, message: str, **options) -> None: ...


class RoomWatch:
    """Shows the room's current vote to this app's learner."""

    def __init__(self, app: WatchingApp) -> None:
        self._app = app
        ctx = app.ctx
        self._polls = RoomPolls(ctx.store, ctx.course, clock=ctx.clock)
        self._screen: PeerVoteScreen | None = None
        self._room = None
        self._set_aside: tuple | None = None  # (poll, phase, round) the learner hid or finished

    def start(self) -> None:
        self.tick()
        self._app.set_interval(INTERVAL_S, self.tick)
        self._beat_soon()
        self._app.set_interval(presence.HEARTBEAT.total_seconds(), self._beat_soon)

    def _beat_soon(self) -> None:
        """The heartbeat is a write (a disk sync on SQLite): never on the screen's thread."""
        self._app.run_worker(self.beat, thread=True, group="presence", exclusive=True,
                             exit_on_error=False)

    def beat(self) -> None:
        """Tell the room this app is connected, as its learner's current session."""
        ctx = self._app.ctx
        session_id = ctx.ensure_session()
        learner = ctx.learner  # read after: a switch of learner ends the session it replaced
        if learner and session_id is not None:
            presence.beat(ctx.store, session_id, learner, now=ctx.clock())

    @property
    def screen(self) -> "PeerVoteScreen | None":
        return self._screen if self._screen is not None and self._screen.is_attached else None

    def tick(self) -> None:
        """Read what is new; show, update or leave the vote screen."""
        learner = self._app.ctx.learner
        if not learner:
            return
        room = self._polls.refresh()
        if room.current is not None and room.current.time_is_up(self._app.ctx.clock()):
            self._polls.close_if_due()  # at the timer's zero, the first app to look closes it
            room = self._polls.room
        if room is self._room:
            return
        self._room = room
        poll = room.current
        if poll is None or not self._worth_showing(poll):
            return
        screen = self.screen
        if screen is not None:
            screen.show(poll)
            return
        if self._set_aside == (poll.id, poll.phase, poll.round):
            return
        from mlquiz.tui.screens.peer_vote import PeerVoteScreen

        self._screen = PeerVoteScreen(self._polls, learner, self._app.ctx.clock)
        self._app.push_screen(self._screen, self._dismissed)

    def _worth_showing(self, poll: "Poll") -> bool:
        try:
            self._polls.item(poll)
        except PeerError:  # a vote on a module this learner's course does not have
            return False
        now = self._app.ctx.clock()
        since = now - (poll.changed_at or poll.opened_at)
        if poll.phase == "revealed":
            return since <= REVEAL_KEPT_FOR
        return since <= STALE_AFTER

    def _dismissed(self, _result: object = None) -> None:
        poll = self._polls.room.current
        if poll is not None:
            self._set_aside = (poll.id, poll.phase, poll.round)
            if poll.phase != "revealed":
                self._app.notify("The vote is hidden; it comes back when the room moves on.",
                                 timeout=4)
        self._screen = None
