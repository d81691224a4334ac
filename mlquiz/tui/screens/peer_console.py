"""The instructor's peer-instruction console: pick a question, open the vote, follow the room.

Opened with `v` from the instructor's live view (`mlquiz --instructor --db room.db`).
While a vote is open the console shows how many have voted out of how many are
present, never the distribution until the instructor shows it (space). After the
close it shows the share right and what the 35/70 rule suggests; `d` pairs
learners who disagreed and starts the discussion timer, `r` opens the revote,
`s` shows the answer and worked solution on every learner's screen. → does
the next step of the cycle, following the plan and the suggestion, so a whole
session runs on one key. `t` sets the vote timer for the votes opened from
here (off, 0:30 ... 3:00; it starts at the plan's `vote_timer`): the time left
shows here and on every learner's screen, and at 0:00 the vote closes by
itself (recorded as the timer's close; whoever looks first writes it).
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from mlquiz.progress.events import utc_now
from mlquiz.content.summaries import summary
from mlquiz.workshop.peer import (
    SUGGESTIONS, TIMER, PeerError, countdown, histogram_lines, poll_item, poll_result, results,
    sequence,
)
from mlquiz.workshop.peer_plan import PLAN_SETTING, Plan
from mlquiz.workshop.peer_room import DISCUSSION_MINUTES, RoomPolls

if TYPE_CHECKING:
    from mlquiz.content.models import Course
    from mlquiz.progress import ProgressStore
    from mlquiz.workshop.peer import Poll

REFRESH_S = 0.5
TIMER_CHOICES: tuple[int | None, ...] = (None, 30, 60, 90, 120, 180)  # `t` steps through them


def candidates(course: "Course", plan: Plan | None) -> list[tuple[str, str, str]]:
    """(module, item, label) of everything the room can vote on: the plan first, then each
    module's questions and step predictions in course order."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    if plan is not None:
        for n, planned in enumerate(plan.polls, 1):
            module = course.module(planned.module)
            item = poll_item(module, planned.item) if module is not None else None
            about = summary(item.prompt, 60) if item is not None else ""
            rows.append((planned.module, planned.item, f"plan {n} · {about}"))
            seen.add((planned.module, planned.item))
    for module in course.modules:
        for step in module.lesson.steps:
            if step.prediction is not None and (module.id, step.id) not in seen:
                rows.append((module.id, step.id,
                             f"prediction · {summary(step.prediction.prompt, 60)}"))
        for question in module.questions:
            if (module.id, question.id) not in seen and not question.is_numeric:  # no options
                rows.append((module.id, question.id,
                             f"{question.difficulty} · {summary(question.stem, 60)}"))
    return rows


class PeerConsoleScreen(Screen[None]):
    """Run a peer-instruction cycle for the room in `store`."""

    DEFAULT_CSS = """
    #peer-console { height: 1fr; }
    #peer-pick { width: 45%; min-width: 30; border: round $panel; }
    #peer-state { width: 1fr; padding: 0 1; }
    #peer-phase { text-style: bold; }
    #peer-note { color: $error; height: auto; }
    #peer-results { height: auto; max-height: 12; margin-top: 1; }
    """
    BINDINGS = [
        # Short words: the whole cycle's keys fit one footer line at 80 columns.
        Binding("right", "next_step", "Next", key_display="→", priority=True),
        Binding("enter", "open_selected", "Open vote", show=False),
        Binding("c", "close_vote", "Close"),
        Binding("space", "toggle_histogram", "Answers"),
        Binding("d", "discuss", "Pair"),
        Binding("r", "revote", "Revote"),
        Binding("s", "reveal", "Reveal"),
        Binding("t", "cycle_timer", "Timer"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, store: "ProgressStore", course: "Course", *, by: str = "instructor",
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__()
        self._store, self._course, self._by, self._clock = store, course, by, clock
        self._polls = RoomPolls(store, course, clock=clock)
        self._rows: list[tuple[str, str, str]] = []
        self._drawn = None
        plan = self._plan()
        self.timer: int | None = plan.vote_timer if plan is not None else None

    @property
    def polls(self) -> RoomPolls:
        return self._polls

    def compose(self) -> ComposeResult:
        yield Static(self._top_line(), id="peer-top")
        with Horizontal(id="peer-console"):
            yield OptionList(id="peer-pick")
            with VerticalScroll(id="peer-state"):
                yield Static("", id="peer-phase")
                yield Static("", id="peer-body")
                yield Static("", id="peer-note")
                yield DataTable(id="peer-results", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#peer-results", DataTable).add_columns(
            "Question", "Votes", "1st right", "2nd right", "Gain", "W→R", "R→W", "Sure 1st→2nd")
        self._fill_picker()
        self.redraw()
        self.set_interval(REFRESH_S, self.redraw)

    # --- drawing ------------------------------------------------------------------

    def _plan(self) -> Plan | None:
        from mlquiz.workshop.peer import ROOM_LEARNER

        saved = self._store.setting(ROOM_LEARNER, PLAN_SETTING)
        return Plan.from_dict(saved) if saved else None

    def _top_line(self) -> str:
        timer = f"vote timer {self.timer // 60}:{self.timer % 60:02d}" if self.timer \
            else "no vote timer"
        return f"Peer instruction · pick a question, enter opens the vote · {timer} (t)"

    def _fill_picker(self) -> None:
        picker = self.query_one("#peer-pick", OptionList)
        highlighted = picker.highlighted
        asked = {(p.module, p.item) for p in self._polls.refresh().polls}
        self._rows = candidates(self._course, self._plan())
        picker.clear_options()
        for module, item, label in self._rows:
            mark = "✓ " if (module, item) in asked else "  "
            picker.add_option(Option(f"{mark}{item} · {label}", id=f"{module}/{item}"))
        if self._rows:
            picker.highlighted = min(highlighted or 0, len(self._rows) - 1)

    def redraw(self) -> None:
        """Read what is new in the room and draw the current vote."""
        room = self._polls.refresh()
        if room.current is not None and room.current.time_is_up(self._clock()):
            self._polls.close_if_due()  # at the timer's zero: the close, as if `c` was pressed
            room = self._polls.room
        present = self._polls.present()
        poll = room.current
        ticking = poll is not None and (poll.phase == "discussing" or (
            poll.phase == "voting" and poll.vote_ends_at is not None))
        key = (id(room), len(present), int(self._clock().timestamp()) if ticking else 0)
        if key == self._drawn:
            return
        self._drawn = key
        poll = room.current
        phase = self.query_one("#peer-phase", Static)
        body = self.query_one("#peer-body", Static)
        if poll is None:
            phase.update("No vote yet")
            body.update(f"{len(present)} learners present. Pick a question and press enter, "
                        "or → for the plan's next one.")
        else:
            phase.update(self._phase_line(poll))
            try:
                body.update(self._body(poll, len(present)))
            except PeerError as error:  # a vote opened on another course's module
                body.update(f"{error}. Close it (c) and reveal it (s) to open another.")
        self._fill_results(room)

    def _phase_line(self, poll: "Poll") -> str:
        names = {"voting": "Voting" + (" (revote)" if poll.round == 2 else ""),
                 "closed": "Closed" + (" (revote)" if poll.round == 2 else ""),
                 "discussing": "Discussing", "revealed": "Answer shown"}
        line = f"{names[poll.phase]} · {poll.module} · {poll.item}"
        if poll.phase == "voting" and poll.vote_ends_at is not None:
            return f"{line} · {countdown(poll.vote_ends_at, self._clock())} left"
        if poll.phase == "closed" and poll.closed_by == TIMER:
            return f"{line} · by the timer"
        return line

    def _body(self, poll: "Poll", present: int) -> str:
        item = self._polls.item(poll)
        lines = [summary(item.prompt), ""]
        lines.append(f"Voted: {poll.voted()} of {present} present")
        if poll.phase == "voting":
            lines.append("The distribution stays hidden until you close the vote (c).")
            if poll.vote_ends_at is not None:
                lines.append("At 0:00 the vote closes by itself.")
            return "\n".join(lines)
        for round_ in (1, 2) if poll.round == 2 else (1,):
            share = poll.share_right(round_)
            label = "First vote" if round_ == 1 else "Revote"
            lines.append(f"{label}: " + ("no votes" if share is None
                                         else f"{share:.0%} right ({poll.voted(round_)} votes)"))
        suggested = poll.suggestion()
        if suggested and poll.round == 1 and poll.phase != "revealed":
            low = poll.settings.get("low", 0.35)
            high = poll.settings.get("high", 0.70)
            lines.append(f"Suggestion ({low:.0%}/{high:.0%} rule): {suggested} — "
                         f"{SUGGESTIONS[suggested]}")
        if poll.histogram_shown:
            lines.append("")
            lines.append("Shown to the room:" if poll.phase != "revealed" else "The room:")
            lines.extend(histogram_lines(poll.counts(), answer=poll.answer, width=24))
        else:
            lines.append("Answers hidden from the room (space shows them).")
        if poll.groups:
            lines.append("")
            lines.append("Groups: " + "; ".join(sequence(list(g)) for g in poll.groups))
            if poll.phase == "discussing" and poll.discussion_ends_at is not None:
                left = int((poll.discussion_ends_at - self._clock()).total_seconds())
                lines.append(f"Discussion: {max(left, 0) // 60}:{max(left, 0) % 60:02d} left")
        if poll.round == 2 and poll.phase != "voting":
            result = poll_result(poll)
            gain = "n/a" if result.gain is None else f"{result.gain:.2f}"
            lines.append(f"Normalised gain: {gain}; " + ", ".join(
                f"{k} {v}" for k, v in result.switches.items()))
        return "\n".join(lines)

    def _fill_results(self, room) -> None:
        table = self.query_one("#peer-results", DataTable)
        table.clear()
        for result in results(room):
            pct = (lambda v: "–" if v is None else f"{v:.0%}")
            table.add_row(result.item, str(result.first_n), pct(result.first_right),
                          pct(result.second_right),
                          "–" if result.gain is None else f"{result.gain:.2f}",
                          str(result.switches["wrong->right"]),
                          str(result.switches["right->wrong"]),
                          f"{_mean(result.confidence_first)}→{_mean(result.confidence_second)}")

    # --- actions --------------------------------------------------------------------

    def _do(self, action: Callable[[], object]) -> None:
        note = self.query_one("#peer-note", Static)
        try:
            action()
        except PeerError as error:
            note.update(str(error))
            return
        note.update("")
        self._drawn = None
        self.redraw()
        self._fill_picker()

    def _plan_settings(self) -> dict:
        plan = self._plan()
        settings = {} if plan is None else {"low": plan.low, "high": plan.high}
        return {**settings, "timer": self.timer}

    def action_cycle_timer(self) -> None:
        """The next timer choice for votes opened from here (the open vote keeps its own)."""
        at = TIMER_CHOICES.index(self.timer) if self.timer in TIMER_CHOICES else 0
        self.timer = TIMER_CHOICES[(at + 1) % len(TIMER_CHOICES)]
        self.query_one("#peer-top", Static).update(self._top_line())

    def action_open_selected(self) -> None:
        picker = self.query_one("#peer-pick", OptionList)
        if picker.highlighted is None:
            return
        module, item, _label = self._rows[picker.highlighted]
        self._do(lambda: self._polls.open(module, item, by=self._by, **self._plan_settings()))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_selected()

    def action_close_vote(self) -> None:
        self._do(lambda: self._polls.close(by=self._by))

    def action_toggle_histogram(self) -> None:
        poll = self._polls.room.current
        shown = not (poll is not None and poll.histogram_shown)
        self._do(lambda: self._polls.show_histogram(shown, by=self._by))

    def action_discuss(self) -> None:
        plan = self._plan()
        minutes = plan.discussion_minutes if plan else DISCUSSION_MINUTES
        self._do(lambda: self._polls.pair(by=self._by, minutes=minutes))

    def action_revote(self) -> None:
        self._do(lambda: self._polls.revote(by=self._by))

    def action_reveal(self) -> None:
        self._do(lambda: self._polls.reveal(by=self._by))

    def action_next_step(self) -> None:
        """One key for the whole cycle: open the next question, close, then follow the rule."""
        poll = self._polls.refresh().current
        if poll is None or poll.phase == "revealed":
            self._do(self._open_next)
        elif poll.phase == "voting":
            self.action_close_vote()
        elif poll.phase == "discussing":
            self.action_revote()
        elif poll.round == 1 and poll.suggestion() == "discuss":
            self.action_discuss()
        else:
            self.action_reveal()

    def _open_next(self) -> None:
        asked = {(p.module, p.item) for p in self._polls.room.polls}
        plan = self._plan()
        if plan is not None:
            planned = plan.next_after(asked)
            if planned is None:
                raise PeerError(f"every question of the plan has been asked ({len(plan.polls)})")
            self._polls.open(planned.module, planned.item, by=self._by,
                             low=plan.low, high=plan.high, timer=self.timer)
            return
        picker = self.query_one("#peer-pick", OptionList)
        if picker.highlighted is None:
            raise PeerError("no plan is queued: pick a question and press enter")
        module, item, _label = self._rows[picker.highlighted]
        self._polls.open(module, item, by=self._by, timer=self.timer)

    def action_back(self) -> None:
        self.dismiss(None)


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
