"""First start: ask the learner's name (unless given) and show the keys on one screen.

>>> app.push_screen(WelcomeScreen(ctx), callback)  # doctest: +SKIP
"""
from __future__ import annotations

import re
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from mlquiz.tui.context import AppContext
from mlquiz.tui.keys import key_rows
from mlquiz.tui.widgets.keys_view import KeysView

_NAME = re.compile(r"^[\w .'-]{1,40}$")


class WelcomeScreen(Screen[None]):
    CSS_PATH = Path(__file__).parent.parent / "welcome.tcss"
    BINDINGS = [Binding("escape", "noop", show=False)]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(classes="welcome-screen")
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome-body"):
            yield Label(f"Welcome to {self.ctx.course.title}", id="welcome-title")
            if self.ctx.learner:
                yield Static(f"Hello {self.ctx.learner}. Your progress is saved as you go.",
                             id="welcome-hello")
            else:
                yield Static("What should we call you? Your progress is saved under this name.",
                             id="welcome-hello")
                yield Input(placeholder="your name", id="name", max_length=40)
            yield Button("Start", id="start", variant="primary")
            yield Static("[b]Keys[/b] (? shows them again on any screen)", id="keys-label")
            yield KeysView(key_rows(), id="welcome-keys")
        yield Footer()

    def on_mount(self) -> None:
        target = "#name" if not self.ctx.learner else "#start"
        self.query_one(target).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._start()

    def _start(self) -> None:
        if not self.ctx.learner:
            name = self.query_one("#name", Input).value.strip()
            if not _NAME.match(name) or not any(char.isalnum() for char in name):
                self.notify("Type a name of letters, digits, spaces, . ' or - (up to 40), "
                            "with at least one letter or digit.", severity="warning")
                return
            self.app.learner_chosen(name)  # type: ignore[attr-defined]
        self.dismiss(None)

    def action_noop(self) -> None:
        """Escape does nothing here: there is nothing behind this screen yet."""
