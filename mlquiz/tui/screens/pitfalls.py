"""Pitfall clinic: the wrong approach first, the learner names the root cause, then the fix.

>>> app.push_screen(PitfallsScreen(ctx, "ml-technical-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, Static

from mlquiz.content.models import index_of
from mlquiz.quiz.shuffle import authored_letter, order_for, show_letters, shown_letter, shown_options
from mlquiz.tui.screens.base import ModeScreen, choice_bindings, step_bindings
from mlquiz.tui.widgets.choices import ChoiceList, inline_markdown
from mlquiz.tui.widgets.text import TitleBar, md


class PitfallsScreen(ModeScreen):
    MODE_KEY = "pitfalls"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        *step_bindings(),
        *choice_bindings(4),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.pitfalls = self.module.lesson.pitfalls
        self.index = self.start_index(self.pitfalls)
        self.answers: dict[str, str] = self.last_answers("pitfall_answered")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield VerticalScroll(id="pitfall")
        yield Footer()

    async def show_first(self) -> None:
        await self.show_pitfall(self.index)

    async def show_pitfall(self, index: int) -> None:
        self.index = index
        pitfall = self.pitfalls[index]
        self.query_one("#title-bar", Static).update(
            self.title_text(f"pitfall {index + 1} of {len(self.pitfalls)}"))
        body = self.query_one("#pitfall", VerticalScroll)
        await body.remove_children()
        await body.mount(
            Static(f"[b]{_escape(pitfall.title)}[/b]", id="pitfall-title"),
            Label("The wrong approach:", classes="prompt-label"),
            md(pitfall.wrong, id="pitfall-wrong", classes="wrong-approach"),
            md(pitfall.diagnosis.prompt, id="diagnosis-prompt"),
            ChoiceList(shown_options(self.order(pitfall), pitfall.diagnosis.choices),
                       id="diagnosis-choices"),
        )
        self.save_place(pitfall.id)
        self.refresh_bindings()
        if pitfall.id in self.answers:
            await self._reveal(self.answers[pitfall.id])

    def order(self, pitfall) -> str:
        """The diagnosis's authored letters in the order this learner sees them."""
        return order_for(self.ctx.learner, pitfall.id, len(pitfall.diagnosis.choices))

    async def _reveal(self, picked: str) -> None:
        """`picked` is the authored letter (what events keep); shown by the letters on screen."""
        pitfall = self.pitfalls[self.index]
        order = self.order(pitfall)
        right = pitfall.diagnosis.answer.upper()
        self.query_one("#diagnosis-choices", ChoiceList).mark(
            shown_letter(order, picked) if picked else None, shown_letter(order, right))
        right_text = pitfall.diagnosis.choices[index_of(right)]
        verdict = ("✔ Right: that is the root cause." if picked == right
                   else f"✘ Not quite: the root cause is {shown_letter(order, right)}, {right_text}.")
        widgets = [Static(inline_markdown(verdict), id="pitfall-verdict",
                          classes="-right" if picked == right else "-wrong")]
        if pitfall.diagnosis.explanation:
            widgets.append(md(show_letters(order, pitfall.diagnosis.explanation),
                              id="diagnosis-explanation"))
        widgets += [md(f"**Root cause:** {pitfall.root_cause}", id="pitfall-root-cause"),
                    md(f"**The correct approach**\n\n{pitfall.correct}", id="pitfall-correct",
                       classes="correct-approach")]
        await self.query_one("#pitfall", VerticalScroll).mount(*widgets)

    def check_action(self, action: str, parameters) -> bool | None:
        """a-d only while this pitfall's root cause is unanswered."""
        if action == "choose":
            return self.pitfalls[self.index].id not in self.answers
        if action == "previous":
            return self.index > 0
        return True

    async def action_choose(self, choice: str) -> None:
        pitfall = self.pitfalls[self.index]
        if pitfall.id in self.answers or index_of(choice) >= len(pitfall.diagnosis.choices):
            return
        order = self.order(pitfall)  # `choice` is the letter on screen; events keep the authored one
        authored = authored_letter(order, choice)
        self.ctx.recorder.answer(pitfall.id, authored, mode=self.MODE_KEY,
                                 time_spent_ms=self.elapsed_ms(), shown_order=order)
        self.answers[pitfall.id] = authored
        self.refresh_bindings()
        await self._reveal(authored)

    async def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        await self.action_choose(event.letter)

    async def action_next(self) -> None:
        if self.index + 1 < len(self.pitfalls):
            await self.show_pitfall(self.index + 1)
        else:
            self.notify("That was the last pitfall.", timeout=3)

    async def action_previous(self) -> None:
        if self.index > 0:
            await self.show_pitfall(self.index - 1)


def _escape(text: str) -> str:
    from textual.markup import escape

    return escape(text)
