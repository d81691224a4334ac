"""Progress: per module and per mode, accuracy over time, test scores and the study streak.

>>> app.push_screen(ProgressScreen(ctx))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Sparkline, Static

from mlquiz.tui.context import AppContext
from mlquiz.tui.modes import is_mode, mode
from mlquiz.tui.summary import accuracy_series, module_masteries, study_streak, test_scores
from mlquiz.tui.widgets.title import TitleBar


class ProgressScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(classes="progress-screen")
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        ctx = self.ctx
        events = ctx.store.events(ctx.learner) if ctx.learner else []
        streak = study_streak(events, ctx.now().date())
        yield TitleBar(f"Progress · {ctx.learner or 'nobody yet'}")
        with VerticalScroll(id="progress-body"):
            days = "day" if streak == 1 else "days"
            yield Static(f"Study streak: [b]{streak} {days}[/b]   ·   "
                         f"{sum(1 for e in events if e.correct is not None)} answers in all",
                         id="streak")
            masteries = module_masteries(ctx) if ctx.learner else {}
            for module in ctx.course.modules:
                mine = [e for e in events if e.module == module.id]
                with Vertical(classes="progress-module"):
                    mastery = masteries.get(module.id)
                    level = mastery.level if mastery else "not started"
                    scores = test_scores(mine)
                    tests = (", ".join(f"{s}/{t}" for s, t in scores[-5:]) if scores
                             else "no test yet")
                    yield Label(f"[b]{module.title}[/b] — {level} · tests: {tests}",
                                classes="progress-module-title")
                    series = accuracy_series(mine)
                    if not series:
                        yield Static("  nothing answered yet", classes="progress-empty")
                    for key, values in series.items():
                        title = mode(key).title if is_mode(key) else key.title()
                        with Horizontal(classes="progress-mode"):
                            yield Label(f"{title:<18}", classes="progress-mode-title",
                                        markup=False)
                            yield Sparkline(values if len(values) > 1 else values * 2,
                                            summary_function=max, classes="progress-spark")
                            yield Label(f" {values[-1]:.0%} recently", classes="progress-last")
        yield Footer()
