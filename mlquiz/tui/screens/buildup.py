"""Build-up: the seven steps one at a time; commit a prediction before the explanation.

>>> app.push_screen(BuildupScreen(ctx, "ml-technical-debt", "step-what-is-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Label, ListItem, ListView, Static

from mlquiz.content.models import index_of
from mlquiz.tui.screens.base import ModeScreen, choice_bindings
from mlquiz.tui.widgets.choices import ChoiceList
from mlquiz.tui.widgets.text import TitleBar, md


class BuildupScreen(ModeScreen):
    MODE_KEY = "buildup"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        Binding("n,right", "next", "Next"),
        Binding("p,left", "previous", "Prev"),
        *choice_bindings(4),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.steps = self.module.lesson.steps
        self.index = self.start_index(self.steps)
        self.committed: dict[str, str] = self.last_answers("prediction_committed")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="buildup-body"):
            with Vertical(id="sidebar", classes="sidebar"):
                yield ListView(*[ListItem(Label(f"{n}. {s.title}", markup=False), id=f"nav-{s.id}")
                                 for n, s in enumerate(self.steps, start=1)], id="step-nav")
            yield VerticalScroll(id="step")
        yield Footer()

    async def show_first(self) -> None:
        await self.show_step(self.index)

    @property
    def step(self):
        return self.steps[self.index]

    async def show_step(self, index: int) -> None:
        self.index = index
        step = self.step
        self.query_one("#title-bar", Static).update(self.title_text(
            f"step {index + 1} of {len(self.steps)} · {step.level}"))
        nav = self.query_one("#step-nav", ListView)
        if nav.index != index:
            nav.index = index
        body = self.query_one("#step", VerticalScroll)
        await body.remove_children()
        widgets = [Static(f"[b]{index + 1}. {_escape(step.title)}[/b]  [dim]{step.level}[/dim]",
                          id="step-title"),
                   md(step.concept, id="step-concept")]
        if step.prediction is not None:
            widgets += [Label("Commit to your answer before reading on:", classes="prompt-label"),
                        md(step.prediction.prompt, id="prediction-prompt"),
                        ChoiceList(step.prediction.choices, id="prediction-choices")]
        await body.mount(*widgets)
        body.scroll_home(animate=False)
        self.ctx.record("step_viewed", module=self.module_id, item=step.id,
                        detail={"mode": self.MODE_KEY, "level": step.level})
        self.save_place(step.id)
        if step.prediction is None or step.id in self.committed:
            await self._reveal(self.committed.get(step.id))

    async def _reveal(self, picked: str | None) -> None:
        step = self.step
        body = self.query_one("#step", VerticalScroll)
        widgets = []
        if step.prediction is not None:
            right = step.prediction.answer.upper()
            choices = self.query_one("#prediction-choices", ChoiceList)
            choices.mark(picked or None, right)
            right_text = step.prediction.choices[index_of(right)]
            if picked == right:
                verdict = "✔ Your prediction was right."
            elif picked:
                verdict = f"✘ Not quite: the answer is {right}, {right_text}."
            else:
                verdict = f"The answer is {right}, {right_text}."
            widgets.append(Static(verdict, id="prediction-verdict", markup=False,
                                  classes="-right" if picked == right else "-wrong"))
            if step.prediction.explanation:
                widgets.append(md(step.prediction.explanation, id="prediction-explanation"))
        widgets += [md(f"**Explanation**\n\n{step.explanation}", id="step-explanation"),
                    md(f"**Result**\n\n{step.result}", id="step-result"),
                    md(f"**Insight**\n\n{step.insight}", id="step-insight")]
        await body.mount(*widgets)

    async def action_choose(self, choice: str) -> None:
        step = self.step
        if step.prediction is None or step.id in self.committed:
            return
        if index_of(choice) >= len(step.prediction.choices):
            return
        self.ctx.recorder.answer(step.id, choice, mode=self.MODE_KEY,
                                 time_spent_ms=self.elapsed_ms())
        self.committed[step.id] = choice
        await self._reveal(choice)

    async def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        await self.action_choose(event.letter)

    async def action_next(self) -> None:
        if self.index + 1 < len(self.steps):
            await self.show_step(self.index + 1)
        else:
            self.notify("That was the last step. Try Test this pattern (5) on the module page.",
                        timeout=4)

    async def action_previous(self) -> None:
        if self.index > 0:
            await self.show_step(self.index - 1)

    async def on_list_view_selected(self, event: ListView.Selected) -> None:
        index = event.list_view.index
        if index is not None and index != self.index:
            await self.show_step(index)


def _escape(text: str) -> str:
    from textual.markup import escape

    return escape(text)
