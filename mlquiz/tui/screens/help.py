"""Help on `?`: the keys of the screen underneath, then the keys of the whole app."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from mlquiz.tui.keys import key_rows, meaning_of
from mlquiz.tui.widgets.keys_view import KeysView


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        rows = []
        for binding in self._screen_bindings():
            key = binding.key_display or binding.key
            rows.append((key, f"{binding.description}: {meaning_of(key, binding.description)}"
                         if meaning_of(key, binding.description) != binding.description
                         else binding.description))
        with VerticalScroll(id="help-body"):
            yield Static("[b]This screen[/b]", classes="help-heading")
            yield KeysView(rows or [("", "(no keys of its own)")], id="help-screen-keys")
            yield Static("[b]Everywhere[/b]", classes="help-heading")
            yield KeysView(key_rows(), id="help-keys")
            yield Static("escape, ? or q closes this help.", classes="help-close")

    def _screen_bindings(self):
        seen = set()
        for binding in getattr(self.under, "BINDINGS", []):
            if not hasattr(binding, "description") or not binding.description:
                continue
            if binding.description in seen:
                continue
            seen.add(binding.description)
            yield binding
