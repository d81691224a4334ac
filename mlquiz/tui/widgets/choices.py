"""Lettered choices a learner can pick by key (a, b, c...) or by mouse.

>>> yield ChoiceList(["first", "second"], id="options")  # doctest: +SKIP
>>> choices.mark(picked="B", right="A")   # after the answer: shows right and wrong  # doctest: +SKIP
"""
from __future__ import annotations

import re

from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from mlquiz.content.models import letter


class ChoiceLine(Static):
    """One choice: `A  text`, a long text wrapping under itself (not under the letter). A click picks it."""

    def __init__(self, choice_letter: str, text: str, key: str | None = None) -> None:
        self.key = key or choice_letter  # what the line shows: the letter, or "y" / "n"
        super().__init__(_hanging(self.key, text), classes="choice")
        self.letter = choice_letter
        self.text = text

    @property
    def plain(self) -> str:
        """What the line reads: 'A  text'."""
        return f"{self.key}  {inline_markdown(self.text).plain}"

    def on_click(self) -> None:
        self.post_message(ChoiceList.Picked(self.letter, self.parent))


class ChoiceList(Vertical):
    """A column of ChoiceLines; posts `ChoiceList.Picked(letter, choice_list)` on a click.

    `item_id` names the item whose choices these are, so a click can be checked
    against what is on screen when it arrives.
    """

    class Picked(Message):
        def __init__(self, choice_letter: str, choice_list: ChoiceList | None = None) -> None:
            super().__init__()
            self.letter = choice_letter
            self.choice_list = choice_list

    def __init__(self, choices: tuple[str, ...] | list[str], *, item_id: str | None = None,
                 keys: tuple[str, ...] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = tuple(choices)
        self.keys = keys  # shown instead of A, B... (a myth's y / n)
        self.item_id = item_id
        self.locked = False

    def compose(self):
        for index, text in enumerate(self.choices):
            yield ChoiceLine(letter(index), text, self.keys[index] if self.keys else None)

    def letters(self) -> str:
        return "".join(letter(i) for i in range(len(self.choices)))

    def select(self, choice_letter: str | None) -> None:
        """Highlight a tentative pick (before it is committed)."""
        for line in self.query(ChoiceLine):
            line.set_class(line.letter == choice_letter, "-selected")

    def mark(self, picked: str | None, right: str) -> None:
        """Show the right choice, and the picked one as wrong if it differs."""
        self.locked = True
        for line in self.query(ChoiceLine):
            line.remove_class("-selected")
            line.set_class(line.letter == right, "-right")
            line.set_class(line.letter == picked and picked != right, "-wrong")


def _hanging(choice_letter: str, text: str):
    """The letter in its own column and the text wrapping in the next (a hanging indent)."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(choice_letter, style="bold"), inline_markdown(text))
    return grid


_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def inline_markdown(text: str):
    """A one-line markdown text as styled Text: `code`, **bold** and *italic*, no syntax left.

    >>> inline_markdown("The `last_days` field is **now** set").plain
    'The last_days field is now set'
    """
    from rich.text import Text

    out = Text()
    position = 0
    for match in _INLINE.finditer(text):
        out.append(text[position:match.start()])
        code, bold, italic = match.groups()
        if code is not None:
            out.append(code, style="bold cyan")
        elif bold is not None:
            out.append(bold, style="bold")
        else:
            out.append(italic, style="italic")
        position = match.end()
    out.append(text[position:])
    return out
