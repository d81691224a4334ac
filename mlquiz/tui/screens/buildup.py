"""Build-up: the seven steps one at a time; commit a prediction before the explanation.

A prediction can be left open (→ moves on; the step list marks it ? and the learner is
told it waits) or the answer seen without predicting (s, recorded as solution_revealed);
only a committed prediction ticks the step ✓ (`quiz.steps`). Choices are shown in the
learner's shuffled order; events keep the authored letters.

>>> app.push_screen(BuildupScreen(ctx, "ml-technical-debt", "step-what-is-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Label, ListItem, ListView, Static

from mlquiz.content.models import index_of
from mlquiz.quiz.steps import STEP_LEGEND, STEP_MARKS, step_state
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
        keys.binding("solution", "show_unpredicted", "Show answer"),
        keys.binding("contents", "steps", "Steps"),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.steps = self.module.lesson.steps
        self.index = self.start_index(self.steps)
        from mlquiz.quiz.steps import shown_unpredicted

        self.committed: dict[str, str] = self.last_answers("prediction_committed")  # authored
        self.seen: set[str] = set(self.last_answers("step_viewed"))
        self.shown: set[str] = shown_unpredicted(self.ctx.store.events(
            ctx.learner, module=module_id, kind="solution_revealed"))

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="buildup-body"):
            with Vertical(id="sidebar", classes="sidebar"):
                yield Label(f"Steps  {STEP_LEGEND}", classes="section-label")
                yield ListView(*[ListItem(FitText(self._nav_text(n, s), id=f"nav-label-{s.id}"),
                                          id=f"nav-{s.id}")
                                 for n, s in enumerate(self.steps, start=1)], id="step-nav")
            yield VerticalScroll(id="step")
        yield Footer()

    def _nav_text(self, number: int, step) -> str:
        state = step_state(step.id, has_prediction=step.prediction is not None, seen=self.seen,
                           committed=self.committed, shown=self.shown)
        return f"{STEP_MARKS[state]} {number}. {step.title}"

    def _update_nav(self, index: int) -> None:
        step = self.steps[index]
        self.query_one(f"#nav-label-{step.id}", FitText).update(self._nav_text(index + 1, step))

    def order(self, step) -> str:
        """The prediction's authored letters in the order shown to this learner."""
        from mlquiz.quiz.shuffle import order_for

        return order_for(self.ctx.learner, step.id, len(step.prediction.choices))

    def _open(self, step) -> bool:
        """Its prediction waits: neither committed nor shown without predicting."""
        return (step.prediction is not None and step.id not in self.committed
                and step.id not in self.shown)

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
        self._tell_if_left_open(index)
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
            from mlquiz.quiz.shuffle import shown_options

            widgets += [Label("Commit to an answer first (s: see it without predicting):",
                              classes="prompt-label"),
                        md(step.prediction.prompt, id="prediction-prompt"),
                        ChoiceList(shown_options(self.order(step), step.prediction.choices),
                                   id="prediction-choices")]
        await body.mount(*widgets)
        body.scroll_home(animate=False)
        self.ctx.record("step_viewed", module=self.module_id, item=step.id,
                        detail={"mode": self.MODE_KEY, "level": step.level})
        self.save_place(step.id)
        self.seen.add(step.id)
        self._update_nav(index)
        self.refresh_bindings()
        if not self._open(step):
            await self._reveal(self.committed.get(step.id))

    def _tell_if_left_open(self, going_to: int) -> None:
        """Leaving a step whose prediction waits: say so, and that it can be taken up again."""
        if not self.is_mounted or going_to == self.index or not self.query("#step-title"):
            return
        step = self.step
        if self._open(step):
            self.notify(f"Step {self.index + 1}'s prediction is waiting (? in the step list): "
                        "come back to it to predict, or press s there to see the answer "
                        "without predicting.", timeout=5)

    async def _reveal(self, picked: str | None) -> None:
        step = self.step
        body = self.query_one("#step", VerticalScroll)
        widgets = []
        if step.prediction is not None:
            from mlquiz.quiz.shuffle import show_letters, shown_letter

            order = self.order(step)
            right = step.prediction.answer.upper()
            right_text = step.prediction.choices[index_of(right)]
            shown_right = shown_letter(order, right)
            choices = self.query_one("#prediction-choices", ChoiceList)
            choices.mark(shown_letter(order, picked) if picked else None, shown_right)
            if picked == right:
                verdict = "✔ Your prediction was right."
            elif picked:
                verdict = f"✘ Not quite: the answer is {shown_right}, {right_text}."
            else:
                verdict = f"The answer is {shown_right}, {right_text} (shown without a prediction)."
            widgets.append(Static(inline_markdown(verdict), id="prediction-verdict",
                                  classes="-right" if picked == right else "-wrong"))
            if step.prediction.explanation:
                widgets.append(md(show_letters(order, step.prediction.explanation),
                                  id="prediction-explanation"))
        widgets += [md(f"**Explanation**\n\n{step.explanation}", id="step-explanation"),
                    md(f"**Result**\n\n{step.result}", id="step-result"),
                    md(f"**Insight**\n\n{step.insight}", id="step-insight")]
        await body.mount(*widgets)

    def check_action(self, action: str, parameters) -> bool | None:
        """a-d only on a step whose prediction is still open; ← → only where they lead."""
        if action in ("choose", "show_unpredicted"):
            return self._open(self.step)
        if action == "previous":
            return self.index > 0
        return True

    async def action_choose(self, choice: str) -> None:
        step = self.step
        if not self._open(step) or index_of(choice) >= len(step.prediction.choices):
            return
        from mlquiz.quiz.shuffle import authored_letter

        order = self.order(step)  # `choice` is the letter on screen; events keep the authored one
        authored = authored_letter(order, choice)
        self.ctx.recorder.answer(step.id, authored, mode=self.MODE_KEY,
                                 time_spent_ms=self.elapsed_ms(), shown_order=order)
        self.committed[step.id] = authored
        self._update_nav(self.index)
        self.refresh_bindings()
        await self._reveal(authored)

    async def action_show_unpredicted(self) -> None:
        """s: see the answer without predicting, on purpose (recorded; the step is marked ○)."""
        step = self.step
        if not self._open(step):
            return
        self.ctx.record("solution_revealed", module=self.module_id, item=step.id,
                        detail={"mode": self.MODE_KEY})
        self.shown.add(step.id)
        self._update_nav(self.index)
        self.refresh_bindings()
        await self._reveal(None)

    async def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        await self.action_choose(event.letter)

    async def action_next(self) -> None:
        if self.index + 1 < len(self.steps):
            await self.show_step(self.index + 1)
        else:
            waiting = [str(n) for n, step in enumerate(self.steps, start=1)
                       if step.id in self.seen and self._open(step)]
            if waiting:
                self.notify(f"That was the last step. The prediction of step {', '.join(waiting)} "
                            "still waits (? in the step list): come back to it when you like.",
                            timeout=5)
            else:
                self.notify("That was the last step. Try Test this pattern (5) on the module page.",
                            timeout=4)

    def action_back(self) -> None:
        self._tell_if_left_open(-1)
        super().action_back()

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
