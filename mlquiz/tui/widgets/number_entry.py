"""A one-line entry for a numeric answer: type the number, Enter to answer.

What is not a number ("abc", "0,0875", nothing) gets one line under the entry
and stays there to be fixed; it is never posted as an answer. While the entry
has the focus, letters are text, so the screen's own keys h and s work by
typing them alone and pressing Enter.

>>> yield NumberEntry(units="ms", item_id="q-latency", id="number-entry")   # doctest: +SKIP
>>> # on Enter with a number: NumberEntry.Answered(text, entry) is posted  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

COMMANDS = ("h", "s")  # typed alone: the screen's hint and solution


class NumberEntry(Vertical):
    """The entry, a line on what to type, and a line for an input that is not a number."""

    class Answered(Message):
        """A number was typed and Enter pressed; `text` is what was typed."""

        def __init__(self, text: str, entry: NumberEntry) -> None:
            super().__init__()
            self.text = text
            self.entry = entry

    class Command(Message):
        """h or s typed alone: the screen's hint or solution."""

        def __init__(self, key: str, entry: NumberEntry) -> None:
            super().__init__()
            self.key = key
            self.entry = entry

    def __init__(self, units: str | None = None, *, item_id: str | None = None,
                 commands: tuple[str, ...] = COMMANDS, **kwargs) -> None:
        super().__init__(**kwargs)
        self.units = units
        self.item_id = item_id
        self.commands = commands
        self.locked = False

    def compose(self) -> ComposeResult:
        unit_words = f" in {self.units}" if self.units else ""
        extra = {"h": "h for a hint", "s": "s for the solution"}
        others = [extra[c] for c in self.commands if c in extra]
        tail = f"; or {' or '.join(others)}" if others else ""
        yield Static(f"Type a number{unit_words}, then Enter{tail}.", classes="number-help")
        yield Input(placeholder="e.g. 0.25 or 2.5e-1", id="number-input")
        yield Static("", id="number-error", classes="number-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def error(self) -> str:
        return str(self.query_one("#number-error", Static).content)

    def freeze(self, shown: str | None = None) -> None:
        """After the answer: the entry keeps what was typed and takes no more input."""
        self.locked = True
        field = self.query_one(Input)
        if shown is not None:
            field.value = shown
        field.disabled = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from mlquiz.quiz.numeric import NumberEntryError, parse_number

        event.stop()
        if self.locked:
            return
        text = event.value.strip()
        error = self.query_one("#number-error", Static)
        if text.lower() in self.commands:
            event.input.value = ""
            error.update("")
            self.post_message(self.Command(text.lower(), self))
            return
        try:
            parse_number(text, self.units)
        except NumberEntryError as problem:
            message = str(problem)
            error.update(message[:1].upper() + message[1:] + ".")
            return
        error.update("")
        self.post_message(self.Answered(text, self))
