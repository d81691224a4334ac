"""Shown instead of a broken layout when the terminal is smaller than 60x20."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static


class TooSmallScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "noop", show=False)]

    def compose(self) -> ComposeResult:
        yield Static("The terminal is too small for mlquiz.\n"
                     "Make it at least 60 columns by 20 rows.\n"
                     "(q quits; nothing is lost)", id="too-small")

    def action_noop(self) -> None:
        """Keys other than q do nothing until the terminal is large enough."""
