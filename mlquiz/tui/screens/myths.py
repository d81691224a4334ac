"""Myth busters: commit yes or no, then the reality and why it matters.

>>> app.push_screen(MythsScreen(ctx, "ml-technical-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, Static

from mlquiz.tui import keys
from mlquiz.tui.screens.base import ModeScreen, step_bindings
from mlquiz.tui.widgets.choices import ChoiceList
from mlquiz.tui.widgets.text import TitleBar, md


class MythsScreen(ModeScreen):
    MODE_KEY = "myths"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        *keys.yes_no_bindings(),
        Binding("a", "choose('A')", show=False),
        Binding("b", "choose('B')", show=False),
        *step_bindings(),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.myths = self.module.lesson.myths
        self.index = self.start_index(self.myths)
        self.answers: dict[str, str] = self.last_answers("myth_answered")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield VerticalScroll(id="myth")
        yield Footer()

    async def show_first(self) -> None:
        await self.show_myth(self.index)

    async def show_myth(self, index: int) -> None:
        self.index = index
        myth = self.myths[index]
        self.query_one("#title-bar", Static).update(
            self.title_text(f"myth {index + 1} of {len(self.myths)}"))
        body = self.query_one("#myth", VerticalScroll)
        await body.remove_children()
        await body.mount(Label("Myth or fact? Commit first: y yes, n no.", classes="prompt-label"),
                         md(myth.question, id="myth-question"),
                         ChoiceList(("Yes", "No"), keys=("y", "n"), id="myth-choices"))
        self.save_place(myth.id)
        self.refresh_bindings()
        if myth.id in self.answers:
            await self._reveal(self.answers[myth.id])

    async def _reveal(self, picked: str) -> None:
        myth = self.myths[self.index]
        right = "A" if myth.answer else "B"
        self.query_one("#myth-choices", ChoiceList).mark(picked, right)
        truth = "Yes" if myth.answer else "No"
        verdict = ("✔ Right. " if picked == right else "✘ Not quite. ") + f"The answer is {truth}."
        body = self.query_one("#myth", VerticalScroll)
        await body.mount(
            Static(verdict, id="myth-verdict", markup=False,
                   classes="-right" if picked == right else "-wrong"),
            md(f"**What many believe:** {myth.belief}", id="myth-belief"),
            md(f"**Reality:** {myth.reality}", id="myth-reality"),
            md(f"**Why it matters:** {myth.why_it_matters}", id="myth-why"),
        )

    def check_action(self, action: str, parameters) -> bool | None:
        """y / n only while this myth is unanswered."""
        if action == "choose":
            return self.myths[self.index].id not in self.answers
        if action == "previous":
            return self.index > 0
        return True

    async def action_choose(self, choice: str) -> None:
        myth = self.myths[self.index]
        if myth.id in self.answers:
            return
        self.ctx.recorder.answer(myth.id, choice, mode=self.MODE_KEY,
                                 time_spent_ms=self.elapsed_ms())
        self.answers[myth.id] = choice
        self.refresh_bindings()
        await self._reveal(choice)

    async def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        await self.action_choose(event.letter)

    async def action_next(self) -> None:
        if self.index + 1 < len(self.myths):
            await self.show_myth(self.index + 1)
        else:
            self.notify("That was the last myth.", timeout=3)

    async def action_previous(self) -> None:
        if self.index > 0:
            await self.show_myth(self.index - 1)
