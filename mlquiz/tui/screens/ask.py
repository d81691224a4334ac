"""A small modal question with one key per answer; escape is always "not now".

>>> app.push_screen(AskScreen("End this test?", [("y", "end", "Yes, end it"),
...                                              ("n", None, "No, keep it")]), callback)  # doctest: +SKIP
>>> app.push_screen(confirm("Reset the files?", yes="Reset", no="Keep my files"), callback)  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class AskScreen(ModalScreen[Any]):
    """Dismisses with the value of the answer chosen by its key or button; escape gives None."""

    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > #ask { width: auto; max-width: 76; height: auto; border: thick $primary;
                       background: $surface; padding: 1 2; }
    AskScreen #ask-buttons { height: auto; width: auto; margin: 1 0 0 0; }
    AskScreen Button { margin: 0 1 0 0; }
    """

    def __init__(self, message: str, answers: Sequence[tuple[str, Any, str]]) -> None:
        super().__init__()
        self.message = message
        self.answers = list(answers)
        self._bindings_from_answers()

    def _bindings_from_answers(self) -> None:
        for number, (key, _value, label) in enumerate(self.answers):
            self._bindings.bind(key, f"answer({number})", label)
        if not any(key == "escape" for key, _v, _l in self.answers):
            self._bindings.bind("escape", "answer(-1)", "Not now", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Static(self.message, id="ask-message", markup=False)
            with Horizontal(id="ask-buttons"):
                for number, (key, _value, label) in enumerate(self.answers):
                    yield Button(f"{label} ({key})", id=f"ask-{number}",
                                 variant="primary" if number == 0 else "default")

    def action_answer(self, number: int) -> None:
        self.dismiss(None if number < 0 else self.answers[number][1])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(int((event.button.id or "ask--1").split("-", 1)[1]))


def confirm(message: str, *, yes: str = "Yes", no: str = "No") -> AskScreen:
    """A yes/no question (y / n, escape = no) that dismisses with True or False."""
    return AskScreen(message, [("y", True, yes), ("n", False, no)])
