"""The instructor's tab of `mlquiz serve` (/instructor) opens behind the instructor code.

The code is checked by the server's own gate for instructors (never the
learners' workshop code), with the same lockout after wrong codes as the
learners' screen: a reload finds the lock where it was, and a code typed
during a lock is tried when the wait is over.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

WRONG_CODE = "That is not the instructor code."


class InstructorCodeScreen(Screen[bool]):
    """Dismisses with True once the gate accepts the code."""

    DEFAULT_CSS = """
    InstructorCodeScreen { align: center middle; }
    #instructor-code-body { width: 64; height: auto; padding: 1 2; border: thick $accent; }
    #instructor-code-title { text-style: bold; }
    #instructor-code-body Input { width: 44; margin-top: 1; }
    #instructor-code-message { margin: 1 0; color: $warning; height: auto; }
    """
    BINDINGS = [Binding("escape", "noop", show=False)]

    def __init__(self, gate) -> None:
        super().__init__()
        self.gate = gate
        self._retry_when_unlocked = False
        self._countdown = None

    def compose(self) -> ComposeResult:
        with Vertical(id="instructor-code-body"):
            yield Label("Instructor's view of the room", id="instructor-code-title")
            yield Static("Type the instructor code that `mlquiz serve` printed. "
                         "(Learners join at the page without /instructor.)")
            yield Input(placeholder="instructor code", id="instructor-code", password=True,
                        max_length=60)
            yield Static("", id="instructor-code-message")
            yield Button("Open the room", id="instructor-open", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#instructor-code", Input).focus()
        left = self._wait()
        if left > 0:  # a reload during a lock opens on the same lock
            self._lock(left, f"{WRONG_CODE} You can try again in {{}} s.")

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.try_code()

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        self.try_code()

    def action_noop(self) -> None:
        """Escape does nothing: there is nothing behind this screen."""

    def try_code(self) -> None:
        field = self.query_one("#instructor-code", Input)
        try:
            verdict = self.gate.attempt(field.value)
        except OSError:
            self._say("The room's server does not answer; reload the page.")
            return
        if verdict.ok:
            self.dismiss(True)
        elif verdict.checked:
            field.value = ""
            self._retry_when_unlocked = False
            self._lock(verdict.wait, f"{WRONG_CODE} You can try again in {{}} s.")
        else:
            self._retry_when_unlocked = True
            self._lock(verdict.wait, "Still locked after wrong codes: your code will be "
                                     "tried in {} s.")

    def _wait(self) -> float:
        try:
            return self.gate.wait()
        except OSError:
            return 0.0

    def _lock(self, seconds: float, template: str) -> None:
        self._template = template
        self.query_one("#instructor-open", Button).disabled = True
        self._say(template.format(max(1, round(seconds))))
        if self._countdown is None:
            self._countdown = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        left = self._wait()
        if left > 0:
            self._say(self._template.format(max(1, round(left))))
            return
        self._countdown.stop()
        self._countdown = None
        self.query_one("#instructor-open", Button).disabled = False
        if self._retry_when_unlocked:
            self._retry_when_unlocked = False
            self._say("")
            self.try_code()
        else:
            self._say("The wait is over: type the instructor code again.")

    def _say(self, text: str) -> None:
        self.query_one("#instructor-code-message", Static).update(text)
