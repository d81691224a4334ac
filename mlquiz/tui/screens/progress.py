"""Progress: per module what is done (steps, myths, questions, exercises, tests), then per
mode how the share of right answers moved, on a labelled 0-100% plot, and the study streak.

The numbers are read from the store in a thread worker (the event log can be
long); the screen shows "Reading your progress" until they arrive.

>>> app.push_screen(ProgressScreen(ctx))  # doctest: +SKIP
>>> plot_lines("Practice", [(3, 5), (5, 5), (2, 4)])[0]
'Practice            100% ┤ ▅█▅'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from mlquiz.tui import keys
from mlquiz.tui.context import AppContext
from mlquiz.tui.modes import is_mode, mode
from mlquiz.tui.summary import answer_runs, module_masteries, study_streak, test_scores
from mlquiz.tui.widgets.title import TitleBar

RUN = 5  # answers per point of the plot
BARS = "▁▂▃▄▅▆▇█"
EXPLAIN = (f"Each plot shows, per mode, the share of answers right in each run of {RUN} "
           f"answers: oldest on the left, latest on the right, from 0% (▁) to 100% (█). "
           f"“Last {RUN}” is how many of your latest {RUN} answers in that mode were right. "
           "A myth counts as busted when your latest answer to it is right, so a myth first "
           "answered wrong is busted once you answer it right later (in Myths or Review).")


@dataclass
class ModuleProgress:
    title: str
    level: str
    tests: list[tuple[int, int]]
    runs: dict[str, list[tuple[int, int]]]
    done: str = ""  # "steps 3/7 · myths busted 1/3 · ..."


@dataclass
class ProgressData:
    streak: int
    answers: int
    modules: list[ModuleProgress] = field(default_factory=list)


def done_line(summary) -> str:
    """What a mlquiz.progress ModuleSummary counts, in words."""
    return (f"steps seen {summary.steps_seen}/{summary.steps_total} · myths busted "
            f"{summary.myths_busted}/{summary.myths_total} · questions answered "
            f"{summary.questions_answered}/{summary.questions_total} · exercises passed "
            f"{summary.exercises_passed}/{summary.exercises_total}")


def read_progress(ctx: AppContext) -> ProgressData:
    """Everything the progress screen shows, from the learner's events (no UI)."""
    from mlquiz.progress import summarize

    events = ctx.store.events(ctx.learner) if ctx.learner else []
    data = ProgressData(study_streak(events, ctx.now().date()),
                        sum(1 for e in events if e.correct is not None))
    masteries = module_masteries(ctx, events) if ctx.learner else {}
    summaries = ({s.module: s for s in summarize(ctx.store, ctx.learner, ctx.course, now=ctx.now())}
                 if ctx.learner else {})
    for module in ctx.course.modules:
        mine = [e for e in events if e.module == module.id]
        mastery = masteries.get(module.id)
        summary = summaries.get(module.id)
        data.modules.append(ModuleProgress(module.title, mastery.level if mastery else "not started",
                                           test_scores(mine), answer_runs(mine, RUN),
                                           done_line(summary) if summary else ""))
    return data


def plot_lines(title: str, runs: list[tuple[int, int]], width: int = 30) -> list[str]:
    """A plot with its axis: one bar per run of answers, 0% to 100%, then the latest run
    in words; at most `width` bars, so every line fits 80 columns.

    >>> len(max(plot_lines("Practice", [(5, 5)] * 99), key=len)) <= 76
    True
    """
    shown = runs[-width:]
    bars = "".join(BARS[min(len(BARS) - 1, int(right / n * (len(BARS) - 1) + 0.5))]
                   for right, n in shown)
    right, n = runs[-1]
    older = " (older runs scrolled off)" if len(runs) > width else ""
    return [f"{title:<18}  100% ┤ {bars}",
            f"{'':<18}    0% └{'─' * (len(bars) + 1)} oldest → latest",
            f"{'':<18}  last {n}: {right} of {n} right{older}"]


class ProgressScreen(Screen):
    CSS_PATH = Path(__file__).parent.parent / "study.tcss"
    BINDINGS = [keys.binding("back", "app.pop_screen")]

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
        widgets = [Static(EXPLAIN, id="progress-explain", markup=False)]
        for module in data.modules:
            tests = (", ".join(f"{s}/{t}" for s, t in module.tests[-5:]) if module.tests
                     else "no test yet")
            rows = [Label(f"[b]{_escape(module.title)}[/b] — {module.level} · tests: {tests}",
                          classes="progress-module-title")]
            if module.done:
                rows.append(Static(module.done, classes="progress-done", markup=False))
            if not module.runs:
                rows.append(Static("  nothing answered yet", classes="progress-empty"))
            for key, runs in module.runs.items():
                title = mode(key).title if is_mode(key) else key.title()
                rows.append(Static("\n".join(plot_lines(title, runs)), markup=False,
                                   classes="progress-plot"))
            widgets.append(Vertical(*rows, classes="progress-module"))
        await self.query_one("#progress-body", VerticalScroll).mount_all(widgets)


def _escape(text: str) -> str:
    from textual.markup import escape

    return escape(text)
