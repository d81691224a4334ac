"""Home: "Continue where you left off" first, then the modules with their progress.

>>> app.push_screen(HomeScreen(ctx))  # doctest: +SKIP
"""
from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, ListItem, ListView, Static

from mlquiz.content.summaries import shorten
from mlquiz.tui.context import AppContext
from mlquiz.tui.modes import is_mode
from mlquiz.tui.summary import (
    HomeOutlook, current_module, home_outlook, module_masteries, resume_label,
)
from mlquiz.tui.widgets.fit import FitText
from mlquiz.tui.widgets.title import TitleBar


class ModuleRow(ListItem):
    """One module: its place in the course, title, prerequisites, minutes, a progress bar
    and its mastery level, in one line.

    The bar is text (not a ProgressBar widget per row) to keep the first screen cheap.
    """

    def __init__(self, module, mastery, number: int = 0, after: tuple[tuple[int, str], ...] = ()) -> None:
        super().__init__(classes="module-row")
        self.module = module
        self.mastery = mastery
        self.number = number  # 1-based place in the course order
        self.after = after  # (number, title) of each module to take first

    def compose(self) -> ComposeResult:
        right, total = (self.mastery.right, self.mastery.total) if self.mastery else (0, 0)
        level = self.mastery.level if self.mastery else "not started"
        first, *below = path_title(self.number, self.module.title, self.after).plain.split("\n")
        if self.after:
            self.styles.height = 2
        # Shortened at a word boundary to the column's width (CSS ellipsis cuts mid-word).
        yield FitText([(first, ""), *((line, "dim") for line in below)], classes="module-title")
        yield Label(f"{self.module.minutes} min", classes="module-minutes")
        yield Label(progress_bar(right, total), classes="module-progress")
        yield Label(level, classes="module-level")


def path_title(number: int, title: str, after: tuple[tuple[int, str], ...] = ()) -> Content:
    """The row's title with its place in the course path, and a dimmed second line naming the
    modules to take first (number, title): '2. Drift' + '\n   after 1. Debt' ('after 1 and 2')."""
    prefix = f"{number}. " if number else ""
    if len(after) == 1:
        names = "{}. {}".format(*after[0])
    else:
        numbers = [str(n) for n, _ in after]
        names = " and ".join([", ".join(numbers[:-1]), numbers[-1]] if len(numbers) > 1 else numbers)
    below = ("\n" + " " * len(prefix) + "after " + names) if after else ""
    return Content.assemble(prefix + title, (below, "dim"))


def progress_bar(done: int, total: int, width: int = 12) -> str:
    """A text bar: progress_bar(3, 12) == '███░░░░░░░░░  25%'."""
    fraction = done / total if total else 0.0
    return f"{_bar(fraction, width)} {fraction:4.0%}"


def _bar(fraction: float, width: int) -> str:
    filled = round(fraction * width)
    return f"{'█' * filled}{'░' * (width - filled)}"


def side_panel_text(outlook: HomeOutlook, width: int = 37) -> str:
    """The side panel as lines of text: review outlook, streak, last test, then one
    bar per concept of the current module (the share of its items right at their last answer)."""
    days = "day" if outlook.streak == 1 else "days"
    if outlook.last_test:
        score, total = outlook.last_test
        last_test = f"{score}/{total}" + (f" ({score / total:.0%})" if total else "")
    else:
        last_test = "none yet"
    lines = ["Review outlook",
             f"  due now      {outlook.due_now:>4}",
             f"  tomorrow     {outlook.due_tomorrow:>4}",
             f"  this week    {outlook.due_this_week:>4}",
             "",
             f"Study streak   {outlook.streak} {days}",
             f"Last test      {last_test}",
             "",
             shorten(f"Mastery in {outlook.module_title}", width)]
    name_width = width - 9
    for name, mastery in outlook.concepts:
        short = shorten(name, name_width)
        fraction = mastery.right / mastery.total if mastery.total else 0.0
        lines.append(f"  {_bar(fraction, 6)} {short}")
    if not outlook.concepts:
        lines.append("  no tagged items yet")
    return "\n".join(lines)


class HomeScreen(Screen):
    BINDINGS = [
        Binding("c", "continue", "Continue"),
        Binding("r", "review", "Review"),
        Binding("p", "app.progress", "Progress"),
        Binding("l", "app.switch_learner", "Learner"),  # who is studying: pick or add one
        Binding("escape", "noop", show=False),
        Binding("down", "to_modules", show=False),  # from Continue, down reaches the module list
    ]

    WIDE = 120  # columns from which the side panel shows (the app's `-wide` breakpoint)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(classes="home-screen")
        self.ctx = ctx
        self._side_fresh = False  # the side panel shows the store as it is now

    def compose(self) -> ComposeResult:
        yield TitleBar(self.ctx.course.title)
        with Horizontal(id="home-split"):
            with Vertical(id="home-body"):
                yield Button("Continue where you left off", id="continue", variant="primary")
                yield Static("", id="due")
                yield Label("Modules", classes="section-label")
                yield ListView(id="modules")
            with Vertical(id="home-side"):
                yield Static("", id="outlook", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_summary()
        self.query_one("#continue").focus()

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self.refresh_summary)

    def refresh_summary(self) -> None:
        """Re-read progress, due count and the resume point from the store."""
        if not self.is_mounted or not self.query_one("#modules").is_mounted:
            return  # on_mount fills it in
        ctx = self.ctx
        who = f" · {ctx.learner}" if ctx.learner else ""
        self.query_one("#title-bar", Static).update(f"mlquiz · {ctx.course.title}{who}")
        position = ctx.store.position(ctx.learner) if ctx.learner else None
        self.query_one("#continue", Button).label = resume_label(ctx, position)
        due = ctx.store.count_due(ctx.learner, ctx.now()) if ctx.learner else 0
        noun = "item" if due == 1 else "items"
        self.query_one("#due", Static).update(
            f"{due} {noun} due for review today — press r to review" if due
            else "Nothing due for review today.")
        masteries = module_masteries(ctx) if ctx.learner else {}
        modules = self.query_one("#modules", ListView)
        index = modules.index
        modules.clear()
        course = ctx.course
        modules.extend(ModuleRow(m, masteries.get(m.id), number,
                                 tuple((course.position(p.id), p.title)
                                       for p in course.prerequisites_of(m.id)))
                       for number, m in enumerate(course.modules, 1))
        if index is not None:
            modules.index = index
        self._side_fresh = False
        self._fill_side_panel()

    # --- the side panel (wide terminals only) ------------------------------------

    def on_resize(self, event) -> None:
        self._fill_side_panel()

    def _fill_side_panel(self) -> None:
        """Load the panel in a worker after this frame; only when it is shown."""
        if self._side_fresh or not self.ctx.learner or self.app.size.width < self.WIDE:
            return
        self._side_fresh = True
        self.call_after_refresh(self._load_side_panel)

    @work(thread=True, exclusive=True, group="home-side", exit_on_error=False)
    def _load_side_panel(self) -> None:
        outlook = home_outlook(self.ctx)
        self.app.call_from_thread(self._show_side_panel, outlook)

    def _show_side_panel(self, outlook: HomeOutlook) -> None:
        if self.is_mounted:
            panel = self.query_one("#outlook", Static)
            # One column spare for the panel's scrollbar, which appears once the list is long.
            panel.update(side_panel_text(outlook, max(20, (panel.content_size.width or 34) - 1)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "continue":
            self.action_continue()

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, ModuleRow):
            self.app.open_module(event.item.module.id)  # type: ignore[attr-defined]

    def action_to_modules(self) -> None:
        """↓ on Continue: focus the module list with its first (or last) row highlighted."""
        modules = self.query_one("#modules", ListView)
        if not modules.children:
            return
        if modules.index is None:
            modules.index = 0
        modules.focus()

    def action_continue(self) -> None:
        ctx = self.ctx
        position = ctx.store.position(ctx.learner) if ctx.learner else None
        if position is None or ctx.course.module(position.module or "") is None:
            self.app.open_screen(ctx.course.modules[0].id, "buildup")  # type: ignore[attr-defined]
            return
        screen = position.screen if (is_mode(position.screen) or position.screen == "module") else "module"
        self.app.open_screen(position.module, screen, position.item)  # type: ignore[attr-defined]

    def action_review(self) -> None:
        self.app.open_screen(current_module(self.ctx).id, "review")  # type: ignore[attr-defined]

    def action_noop(self) -> None:
        """Escape on home does nothing (q quits)."""
