"""The room's vote, shown over whatever screen the learner is on.

Pushed by `mlquiz.tui.room_watch.RoomWatch` when the instructor opens a vote,
updated as the room moves on (closed, discussing, revote, revealed) and
dismissed after the reveal: the learner's own screen underneath is untouched.

Keys (the app's key map, mlquiz.tui.keys): a letter votes (again to change
it: the last vote counts), 1-3 says how sure, escape hides the vote until the
room's next step, enter goes back to the learner's work after the reveal.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

from mlquiz.tui.keys import binding, certainty_bindings, choice_bindings
from mlquiz.workshop.peer import TIMER, PeerError, countdown, discussion_note, histogram_lines

if TYPE_CHECKING:
    from mlquiz.workshop.peer import Poll, PollItem
    from mlquiz.workshop.peer_room import RoomPolls

CONFIDENCE = {1: "guessing", 2: "fairly sure", 3: "sure"}


class PeerVoteScreen(ModalScreen[None]):
    """One poll of the room, for one learner."""

    DEFAULT_CSS = """
    PeerVoteScreen { align: center middle; }
    #peer-box { width: 90%; max-width: 110; height: 90%; max-height: 40;
                border: thick $accent; background: $surface; padding: 0 1; }
    #peer-title { text-style: bold; color: $accent; }
    #peer-body { height: 1fr; }
    #peer-status { height: auto; margin-top: 1; }
    #peer-status.-refused { color: $error; }
    #peer-choices { height: auto; margin-top: 1; }
    """

    BINDINGS = [
        *choice_bindings(4),
        *(Binding(k, f"choose('{k.upper()}')", show=False) for k in "ef"),
        *certainty_bindings(),
        binding("back", "hide", "Hide"),
        binding("open", "done", "Back to my work", show=False),
    ]

    def __init__(self, polls: "RoomPolls", learner: str, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._polls, self._learner, self._clock = polls, learner, clock
        self._confidence: int | None = None
        self._refused: str | None = None
        self.poll_id: str | None = None
        self._shown_key: tuple | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="peer-box"):
            yield Static("", id="peer-title")
            with VerticalScroll(id="peer-body"):
                yield Markdown("", id="peer-prompt")
                yield Static("", id="peer-choices")
                yield Markdown("", id="peer-solution")
            yield Static("", id="peer-status")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.query_one("#peer-body").focus)  # ↑ ↓ scroll a long one
        self.show(self._polls.room.current)
        self.set_interval(1.0, self._tick_timer)

    # --- what the screen shows -----------------------------------------------------

    def show(self, poll: "Poll | None") -> None:
        """Draw the poll's current phase (called again by the room watch on every change)."""
        if poll is None:
            return
        if poll.id != self.poll_id:
            self._confidence, self._refused = None, None
        self.poll_id = poll.id
        item = self._polls.item(poll)
        key = (poll.id, poll.phase, poll.round, poll.histogram_shown)
        if key != self._shown_key:
            self._shown_key = key
            self._refused = None
            self.query_one("#peer-prompt", Markdown).update(item.prompt)
            solution = ""
            if poll.phase == "revealed":
                right = item.choices[ord(poll.answer) - ord("A")]
                solution = f"**The answer: {poll.answer}.** {right}\n\n{item.solution}"
            self.query_one("#peer-solution", Markdown).update(solution)
        self.query_one("#peer-title", Static).update(self._title(poll))
        self.query_one("#peer-choices", Static).update(self._choices(poll, item))
        self._draw_status(poll)

    def _title(self, poll: "Poll") -> str:
        title = {
            "voting": ("Revote: after your discussion, vote again" if poll.round == 2
                       else "Your instructor asks the room"),
            "closed": "The vote is closed",
            "discussing": "Discuss with your partner, then vote again",
            "revealed": "The answer",
        }[poll.phase]
        if poll.phase == "voting" and poll.vote_ends_at is not None:
            if poll.time_is_up(self._clock()):
                return f"{title} · time is up"
            return f"{title} · {countdown(poll.vote_ends_at, self._clock())} left to vote"
        return title

    def _choices(self, poll: "Poll", item: "PollItem") -> str:
        mine = poll.vote_of(self._learner)
        lines = []
        for n, text in enumerate(item.choices):
            letter = chr(ord("A") + n)
            marks = []
            if mine is not None and mine.option == letter:
                marks.append("your vote")
            if poll.phase == "revealed" and letter == poll.answer:
                marks.append("right")
            suffix = f"  ← {', '.join(marks)}" if marks else ""
            lines.append(f"{letter}. {_one_line(text)}{suffix}")
        if poll.histogram_shown and poll.phase != "voting":
            lines.append("")
            lines.append("How the room voted" + (" (revote)" if poll.round == 2 else "") + ":")
            answer = poll.answer if poll.phase == "revealed" else None
            lines.extend(histogram_lines(poll.counts(), answer=answer, width=24))
        return "\n".join(lines)

    def _draw_status(self, poll: "Poll") -> None:
        status = self.query_one("#peer-status", Static)
        status.set_class(self._refused is not None, "-refused")
        status.update(self._refused or self._status_text(poll))

    def _status_text(self, poll: "Poll") -> str:
        mine = poll.vote_of(self._learner)
        sure = f", {CONFIDENCE[mine.confidence]}" if mine and mine.confidence else ""
        if poll.phase == "voting":
            if mine is None:
                return ("Press a letter to vote; 1 guessing, 2 fairly sure, 3 sure (optional). "
                        "Nobody sees who voted what.")
            return (f"Your vote: {mine.option}{sure}. Press another letter to change it "
                    "until the vote closes; 1-3 how sure.")
        if poll.phase == "closed":
            why = "Time is up. " if poll.closed_by == TIMER else ""
            return why + (f"You voted {mine.option}{sure}. " if mine else "You did not vote. ") \
                + "Waiting for the instructor."
        if poll.phase == "discussing":
            return f"{discussion_note(poll, self._learner)} {self._time_left(poll)}".strip()
        first, last = poll.vote_of(self._learner, 1), poll.vote_of(self._learner, poll.round)
        verdict = ""
        if last is not None:
            verdict = ("You were right. " if last.option == poll.answer
                       else f"You chose {last.option}. ")
            if poll.round == 2 and first is not None and first.option != last.option:
                verdict += f"(First vote: {first.option}.) "
        return f"{verdict}Press enter to go back to your work."

    def _time_left(self, poll: "Poll") -> str:
        if poll.discussion_ends_at is None:
            return ""
        seconds = int((poll.discussion_ends_at - self._clock()).total_seconds())
        if seconds <= 0:
            return "Time is up: the revote opens soon."
        return f"{seconds // 60}:{seconds % 60:02d} left."

    def _tick_timer(self) -> None:
        """Once a second: the discussion's and the vote's countdowns."""
        poll = self._polls.room.current
        if poll is None or poll.id != self.poll_id:
            return
        if poll.phase == "discussing":
            self._draw_status(poll)
        elif poll.phase == "voting" and poll.vote_ends_at is not None:
            self.query_one("#peer-title", Static).update(self._title(poll))

    # --- keys --------------------------------------------------------------------

    def action_choose(self, letter: str) -> None:
        self._cast(letter)

    def action_certainty(self, level: int) -> None:
        self._confidence = level
        poll = self._polls.room.current
        mine = poll.vote_of(self._learner) if poll is not None else None
        if poll is not None and poll.phase == "voting" and mine is not None:
            self._cast(mine.option)
        elif poll is not None:
            self._draw_status(poll)

    def _cast(self, letter: str) -> None:
        try:
            poll = self._polls.vote(self._learner, letter, confidence=self._confidence)
        except PeerError as error:
            self._refused = str(error)
            poll = self._polls.room.current
            if poll is not None:
                self._draw_status(poll)
            return
        self._refused = None
        self.show(poll)

    def action_hide(self) -> None:
        self.dismiss(None)

    def action_done(self) -> None:
        poll = self._polls.room.current
        if poll is None or poll.phase == "revealed":
            self.dismiss(None)


def _one_line(text: str) -> str:
    return " ".join(text.split())
