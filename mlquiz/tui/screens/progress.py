"""Progress: per module and per mode, accuracy over time, test scores and the study streak.

The numbers are read from the store in a thread worker (the event log can be
long); the screen shows "Reading your progress" until they arrive.

>>> app.push_screen(ProgressScreen(ctx))  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from dataclasses import dataclass, field

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, Sparkline, Static

from mlquiz.tui.context import AppContext
from mlquiz.tui.modes import is_mode, mode
from mlquiz.tui.summary import accuracy_series, module_masteries, study_streak, test_scores
from mlquiz.tui.widgets.title import TitleBar


@dataclass
class ModuleProgress:
    title: str
    level: str
    tests: list[tuple[int, int]]
    accuracy: dict[str, list[float]]


@dataclass
class ProgressData:
    streak: int
    answers: int
    modules: list[ModuleProgress] = field(default_factory=list)


def read_progress(ctx: AppContext) -> ProgressData:
    """Everything the progress screen shows, from the learner's events (no UI)."""
    events = ctx.store.events(ctx.learner) if ctx.learner else []
    data = ProgressData(study_streak(events, ctx.now().date()),
                        sum(1 for e in events if e.correct is not None))
    masteries = module_masteries(ctx, events) if ctx.learner else {}
    for module in ctx.course.modules:
        mine = [e for e in events if e.module == module.id]
        mastery = masteries.get(module.id)
        data.modules.append(ModuleProgress(module.title, mastery.level if mastery else "not started",
                                           test_scores(mine), accuracy_series(mine)))
    return data


class ProgressScreen(Screen):
    CSS_PATH = Path(__file__).parent.parent / "study.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    class Loaded(Message):
        def __init__(self, data: ProgressData) -> None:
            super().__init__()
            self.data = data

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(classes="progress-screen")
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        yield TitleBar(f"Progress · {self.ctx.learner or 'nobody yet'}")
        with VerticalScroll(id="progress-body"):
            yield Static("Reading your progress…", id="streak")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        self.post_message(self.Loaded(read_progress(self.ctx)))

    async def on_progress_screen_loaded(self, message: Loaded) -> None:
        data = message.data
        days = "day" if data.streak == 1 else "days"
        self.query_one("#streak", Static).update(
            f"Study streak: [b]{data.streak} {days}[/b]   ·   {data.answers} answers in all")
        widgets = []
        for module in data.modules:
            tests = (", ".join(f"{s}/{t}" for s, t in module.tests[-5:]) if module.tests
                     else "no test yet")
            rows = [Label(f"[b]{_escape(module.title)}[/b] — {module.level} · tests: {tests}",
                          classes="progress-module-title")]
            if not module.accuracy:
                rows.append(Static("  nothing answered yet", classes="progress-empty"))
            for key, values in module.accuracy.items():
                title = mode(key).title if is_mode(key) else key.title()
                rows.append(Horizontal(
                    Label(f"{title:<18}", classes="progress-mode-title", markup=False),
                    Sparkline(values if len(values) > 1 else values * 2, summary_function=max,
                              classes="progress-spark"),
                    Label(f" {values[-1]:.0%} recently", classes="progress-last"),
                    classes="progress-mode"))
            widgets.append(Vertical(*rows, classes="progress-module"))
        await self.query_one("#progress-body", VerticalScroll).mount_all(widgets)


def _escape(text: str) -> str:
    from textual.markup import escape

    return escape(text)
