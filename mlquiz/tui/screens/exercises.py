"""Hands-on exercises: the module's exercises with their state; enter opens one in the editor.

The state (pending / in progress / passed), the hints and every check come from
the app's one `ExerciseService` (`ctx.exercises`), which records the events.
A saved place `"<exercise id>:<file>"` reopens that exercise on that file.

>>> app.push_screen(ExercisesScreen(ctx, "ml-technical-debt"))                       # doctest: +SKIP
>>> app.push_screen(ExercisesScreen(ctx, "ml-technical-debt", "training-serving-skew:serve.py"))  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Label, ListItem, ListView, Static

from mlquiz.errors import MlquizError
from mlquiz.tui.screens.base import ModeScreen
from mlquiz.tui.summary import parse_place
from mlquiz.tui.widgets.fit import FitText
from mlquiz.tui.widgets.text import TitleBar

STATE_MARKS = {"pending": "○ pending", "in progress": "◐ in progress", "passed": "● passed"}


class ExerciseRow(ListItem):
    """Two lines: state, title and difficulty; then the debt the exercise teaches."""

    def __init__(self, state) -> None:
        key = state.state.replace(" ", "-")
        super().__init__(classes=f"exercise-row -{key}", id=f"exercise-{state.id}")
        self.state = state

    def compose(self) -> ComposeResult:
        exercise = self.state.exercise
        with Horizontal(classes="exercise-line"):
            yield Label(STATE_MARKS.get(self.state.state, self.state.state),
                        classes="exercise-state")
            yield FitText(exercise.title, classes="exercise-title")
            yield Label(exercise.difficulty, classes="exercise-difficulty")
        yield Label(exercise.debt, classes="exercise-debt", markup=False)


class ExercisesScreen(ModeScreen):
    MODE_KEY = "exercises"
    CSS_PATH = [Path(__file__).parent.parent / "study.tcss",
                Path(__file__).parent.parent / "exercises.tcss"]
    BINDINGS = [*ModeScreen.BINDINGS,
                Binding("enter", "open_highlighted", "Open", key_display="enter")]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Fix debt-ridden code until the hidden tests pass. "
                     "Enter opens an exercise; ctrl+s in the editor saves and checks.",
                     id="exercises-intro")
        yield ListView(id="exercise-list")
        yield Footer()

    @property
    def service(self):
        return self.ctx.exercises

    async def show_first(self) -> None:
        await self.refresh_list()
        exercise_id, file = parse_place(self.start_item)
        if exercise_id and any(s.id == exercise_id for s in self.states):
            self.open_exercise(exercise_id, file)
        else:
            self.save_place(None)

    async def on_screen_resume(self) -> None:
        await self.refresh_list()

    async def refresh_list(self) -> None:
        self.states = [s for s in self.service.states() if s.exercise.module == self.module_id]
        passed = sum(s.state == "passed" for s in self.states)
        self.query_one("#title-bar", Static).update(
            self.title_text(f"{passed} of {len(self.states)} passed"))
        listing = self.query_one("#exercise-list", ListView)
        index = listing.index
        await listing.clear()
        if not self.states:
            await listing.append(ListItem(Label("This module has no exercises yet."),
                                          id="no-exercises", disabled=True))
            return
        await listing.extend(ExerciseRow(s) for s in self.states)
        listing.index = min(index or 0, len(self.states) - 1)
        listing.focus()

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, ExerciseRow):
            self.open_exercise(event.item.state.id)

    def action_open_highlighted(self) -> None:
        row = self.query_one("#exercise-list", ListView).highlighted_child
        if isinstance(row, ExerciseRow):
            self.open_exercise(row.state.id)

    def open_exercise(self, exercise_id: str, file: str | None = None) -> None:
        """Open (recorded as exercise_opened) and show the exercise screen."""
        from mlquiz.tui.screens.exercise import ExerciseScreen

        try:
            opened = self.service.open(exercise_id)
        except MlquizError as error:
            self.notify(str(error), title="Cannot open the exercise", severity="error")
            return
        self.app.push_screen(ExerciseScreen(self.ctx, self.module_id, opened, file))
