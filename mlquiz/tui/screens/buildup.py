"""Build-up: the seven steps one at a time; commit a prediction before the explanation.

>>> app.push_screen(BuildupScreen(ctx, "ml-technical-debt", "step-what-is-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Label, ListItem, ListView, Static

from mlquiz.content.models import index_of
from mlquiz.tui import keys
from mlquiz.tui.screens.base import ModeScreen, choice_bindings, step_bindings
from mlquiz.tui.widgets.choices import ChoiceList, inline_markdown
from mlquiz.tui.widgets.fit import FitText
from mlquiz.tui.widgets.text import TitleBar, md


class BuildupScreen(ModeScreen):
    MODE_KEY = "buildup"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        *step_bindings(),
        *choice_bindings(4),
        keys.binding("contents", "steps", "Steps"),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.steps = self.module.lesson.steps
        self.index = self.start_index(self.steps)
        self.committed: dict[str, str] = self.last_answers("prediction_committed")
        self.seen: set[str] = set(self.last_answers("step_viewed"))

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="buildup-body"):
            with Vertical(id="sidebar", classes="sidebar"):
                yield Label("Steps  (✓ seen)", classes="section-label")
                yield ListView(*[ListItem(FitText(self._nav_text(n, s), id=f"nav-label-{s.id}"),
                                          id=f"nav-{s.id}")
                                 for n, s in enumerate(self.steps, start=1)], id="step-nav")
            yield VerticalScroll(id="step")
        yield Footer()

    def _nav_text(self, number: int, step) -> str:
        return f"{'✓' if step.id in self.seen else '·'} {number}. {step.title}"

    async def show_first(self) -> None:
        await self.show_step(self.index)

    def action_steps(self) -> None:
        """t: show or hide the step list (always shown on a wide terminal) and focus it."""
        sidebar = self.query_one("#sidebar")
        sidebar.toggle_class("-open")
        if sidebar.has_class("-open") or self.has_class("-wide"):
            self.query_one("#step-nav").focus()
        else:
            self.query_one("#step").focus()

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
        self.seen.add(step.id)
        self.query_one(f"#nav-label-{step.id}", FitText).update(self._nav_text(index + 1, step))
        self.refresh_bindings()
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
            widgets.append(Static(inline_markdown(verdict), id="prediction-verdict",
                                  classes="-right" if picked == right else "-wrong"))
            if step.prediction.explanation:
                widgets.append(md(step.prediction.explanation, id="prediction-explanation"))
        widgets += [md(f"**Explanation**\n\n{step.explanation}", id="step-explanation"),
                    md(f"**Result**\n\n{step.result}", id="step-result"),
                    md(f"**Insight**\n\n{step.insight}", id="step-insight")]
        await body.mount(*widgets)

    def check_action(self, action: str, parameters) -> bool | None:
        """a-d only on a step whose prediction is still open; ← → only where they lead."""
        if action == "choose":
            step = self.step
            return step.prediction is not None and step.id not in self.committed
        if action == "previous":
            return self.index > 0
        return True

    async def action_choose(self, choice: str) -> None:
        step = self.step
        if step.prediction is None or step.id in self.committed:
            return
        if index_of(choice) >= len(step.prediction.choices):
            return
        self.ctx.recorder.answer(step.id, choice, mode=self.MODE_KEY,
                                 time_spent_ms=self.elapsed_ms())
        self.committed[step.id] = choice
        self.refresh_bindings()
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
        if not self.has_class("-wide"):
            self.query_one("#sidebar").remove_class("-open")
            self.query_one("#step").focus()


def _escape(text: str) -> str:
    from textual.markup import escape

    return escape(text)
