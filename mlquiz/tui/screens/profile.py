"""The first screen of a served tab: who is learning, and the workshop code if the room needs one.

>>> app.push_screen(ProfileScreen(ctx), on_joined)   # doctest: +SKIP

A wrong code is refused with one message that names no part of it, and each
wrong code in a row locks the Join button for longer (1 s, 2 s, 4 s ... 30 s).
Under `mlquiz serve` the lock is kept by the server for the browser, so a page
reload opens on the same lock; a code typed during a lock is not looked at: the
message counts the remaining wait down and the code is tried when it ends.
A name another live tab is using asks whether this is the same person.
Dismisses with the learner's name once `app.learner_chosen(name)` has run.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, Static

from mlquiz.progress.identity import name_problem
from mlquiz.tui.context import AppContext
from mlquiz.workshop.gate import CodeGate, LocalGate, RemoteGate
from mlquiz.workshop.serve import required_code_hash, retry_delay

_NAME = re.compile(r"^[\w .'-]{1,40}$")
# A tab with no sign of life for this long no longer counts as someone using the name.
LIVE_WITHIN = timedelta(hours=1)
WRONG_CODE = "That workshop code does not open this room. Check it with your instructor."


class SameNameScreen(ModalScreen[bool]):
    """'Someone is already learning as NAME in another tab. Is that you?' -> True / False."""

    DEFAULT_CSS = """
    SameNameScreen { align: center middle; }
    #same-name-body { width: 64; height: auto; padding: 1 2; border: thick $warning; background: $surface; }
    #same-name-body Horizontal { height: auto; margin-top: 1; }
    #same-name-body Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "answer(False)", "Not me")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.learner_name = name

    def compose(self) -> ComposeResult:
        with Vertical(id="same-name-body"):
            yield Static(f"Someone is already learning as {self.learner_name} in another tab "
                         "or window.", id="same-name-text")
            yield Static(f"Are you {self.learner_name}? Both tabs will then save to the same "
                         "progress.")
            with Horizontal():
                yield Button("Yes, that is me", id="same-yes", variant="primary")
                yield Button("No, I will pick another name", id="same-no")

    def on_mount(self) -> None:
        self.query_one("#same-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "same-yes")

    def action_answer(self, same: bool) -> None:
        self.dismiss(same)


class ProfileScreen(Screen[str]):
    DEFAULT_CSS = """
    #profile-body { padding: 1 2; height: auto; }
    #profile-title { text-style: bold; color: $text-primary; }
    #profile-intro { margin: 1 0; }
    #profile-body Input { width: 44; }
    #profile-message { margin: 1 0; color: $warning; height: auto; }
    """
    BINDINGS = [Binding("escape", "noop", show=False)]

    def __init__(self, ctx: AppContext, *, code_hash: str | None = None,
                 backoff: Callable[[int], float] = retry_delay,
                 live_within: timedelta = LIVE_WITHIN, gate=None,
                 clock: Callable[[], float] | None = None) -> None:
        """The gate defaults to the server's (`mlquiz serve`), else a code hash in the
        environment checked here; `code_hash`, `backoff` and `clock` make a local one."""
        super().__init__(classes="profile-screen")
        self.ctx = ctx
        self.gate = gate if gate is not None else _default_gate(code_hash, backoff, clock)
        self.code_hash = "required" if self.gate is not None and self.gate.required else None
        self.live_within = live_within
        self.locked_for = 0.0  # seconds left of the current lock after wrong codes
        self._code_ok = False
        self._join_when_unlocked = False
        self._countdown = None

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-body"):
            yield Label(f"Welcome to {self.ctx.course.title}", id="profile-title")
            intro = "Type your name: your progress in this room is saved under it."
            if self.code_hash:
                intro += " Then the workshop code your instructor gave you."
            yield Static(intro, id="profile-intro")
            yield Input(placeholder="your name", id="profile-name", max_length=40)
            if self.code_hash:
                yield Input(placeholder="workshop code", id="profile-code", max_length=60)
            yield Static("", id="profile-message")
            yield Button("Join", id="join", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#profile-name", Input).focus()
        if self.code_hash:  # a reload during a lock opens on the same lock
            left = self._gate_wait()
            if left > 0:
                self._lock(left, f"{WRONG_CODE} You can try again in {{}} s.")

    # --- events ----------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "profile-name" and self.code_hash and not self._code_value():
            self.query_one("#profile-code", Input).focus()
            return
        self.join()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "join":
            self.join()

    def action_noop(self) -> None:
        """Escape does nothing: there is nothing behind this screen."""

    # --- joining -----------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.query_one("#join", Button).disabled

    def join(self) -> None:
        """Check the name and the code, then ask about a name in use, then start."""
        name = self.query_one("#profile-name", Input).value.strip()
        if not _NAME.match(name) or name_problem(name):
            self._say("Type a name of letters, digits, spaces, . ' or - (up to 40), with at "
                      "least one letter or digit.")
            self.query_one("#profile-name", Input).focus()
            return
        if self.code_hash and not self._code_ok:
            try:
                verdict = self.gate.attempt(self._code_value())
            except OSError:
                self._say("The room's server does not answer; reload the page.")
                return
            if not verdict.ok:
                self._refuse_code(verdict)
                return
            self._code_ok = True
        existing = self.ctx.store.learner(name)
        name = existing.name if existing else name  # 'eve' joins as the 'EVE' first typed
        if self.ctx.store.active_sessions(name, within=self.live_within):
            self.app.push_screen(SameNameScreen(name), lambda same: self._after_same(name, same))
            return
        self._start(name)

    def _code_value(self) -> str:
        return self.query_one("#profile-code", Input).value if self.code_hash else ""

    def _gate_wait(self) -> float:
        try:
            return self.gate.wait()
        except OSError:
            return 0.0

    def _refuse_code(self, verdict) -> None:
        if verdict.checked:  # wrong: the code goes, the wait starts
            self.query_one("#profile-code", Input).value = ""
            self._join_when_unlocked = False
            self._lock(verdict.wait, f"{WRONG_CODE} You can try again in {{}} s.")
        else:  # typed during the lock: kept, and tried when the wait is over
            self._join_when_unlocked = True
            self._lock(verdict.wait, "Still locked after wrong codes: your code will be "
                                     "tried in {} s.")

    def _lock(self, seconds: float, template: str) -> None:
        self.locked_for = seconds
        self._template = template
        self.query_one("#join", Button).disabled = True
        self._say(template.format(max(1, round(seconds))))
        if self._countdown is None:
            self._countdown = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """Once a second during a lock: the wait the gate reports, until it is over."""
        left = self._gate_wait()
        if left > 0:
            self.locked_for = left
            self._say(self._template.format(max(1, round(left))))
            return
        self._unlock()

    def _unlock(self) -> None:
        if self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        self.locked_for = 0.0
        self.query_one("#join", Button).disabled = False
        if self._join_when_unlocked:
            self._join_when_unlocked = False
            self._say("")
            self.join()
            return
        self._say("The wait is over: type the workshop code again.")
        name = self.query_one("#profile-name", Input)
        (self.query_one("#profile-code", Input) if name.value.strip() else name).focus()

    def _after_same(self, name: str, same: bool | None) -> None:
        if same:
            self._start(name)
            return
        field = self.query_one("#profile-name", Input)
        field.focus()
        self._say(f"{name} is taken in this room; add something, e.g. your surname's initial.")

    def _start(self, name: str) -> None:
        # The app gives `name` their own exercise folder (progress.identity.learner_folder).
        self.app.learner_chosen(name)  # type: ignore[attr-defined]
        self.dismiss(name)

    def _say(self, text: str) -> None:
        self.query_one("#profile-message", Static).update(text)


def _default_gate(code_hash: str | None, backoff, clock):
    """The server's gate (a served tab), else a local one for a code hash, else None."""
    if code_hash is None:
        remote = RemoteGate.from_environment()
        if remote is not None:
            return remote if remote.required else None
        code_hash = required_code_hash()
    if not code_hash:
        return None
    options = {"backoff": backoff} | ({"clock": clock} if clock else {})
    return LocalGate(CodeGate(code_hash, **options))
