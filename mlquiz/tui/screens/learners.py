"""Who is studying: the learners of this database, and a field for someone new.

>>> app.push_screen(LearnerScreen(ctx), app.switch_learner)   # doctest: +SKIP

The app shows it at start when the database has several learners and none was
chosen in the app yet (`asking=True`: escape does nothing), and on `l` at home or
"Switch learner" in the palette (escape goes back). It dismisses with the name
picked, as stored for an existing learner ('ADA' typed picks 'Ada'), or None.
"""
from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from mlquiz.tui.context import AppContext
from mlquiz.tui.palette import ListedCommands

MAX_NAME = 40


class LearnerScreen(Screen[str | None]):
    DEFAULT_CSS = """
    #learners-body { padding: 1 2; height: auto; max-height: 100%; }
    #learners-title { text-style: bold; color: $text-primary; }
    #learners-intro { margin: 1 0; color: $text-muted; }
    #learners { height: auto; max-height: 12; width: 60; max-width: 100%; }
    #learner-new { width: 44; margin-top: 1; }
    #learners-message { color: $warning; height: auto; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, ctx: AppContext, *, asking: bool = False) -> None:
        super().__init__(classes="learners-screen")
        self.ctx = ctx
        self.asking = asking
        from mlquiz.progress.identity import people

        self.names = people(ctx.store)  # '@room', the room's own timeline, is nobody

    def compose(self) -> ComposeResult:
        with Vertical(id="learners-body"):
            yield Label("Who is studying?", id="learners-title")
            intro = ("Several people study with this progress file. Pick your name: the app "
                     "opens as you next time too.") if self.asking else (
                     f"Studying now: {self.ctx.learner}. Pick who studies next; the app opens "
                     "as them next time too.")
            yield Static(Content(intro), id="learners-intro")
            yield OptionList(*(Option(self._label(name), id=f"learner-{index}")
                               for index, name in enumerate(self.names)), id="learners")
            yield Input(placeholder="someone new: type a name, then enter", id="learner-new",
                        max_length=MAX_NAME)
            yield Static("", id="learners-message")
        yield Footer()

    def _label(self, name: str) -> Content:
        return Content(f"{name}  (studying now)" if name == self.ctx.learner else name)

    def on_mount(self) -> None:
        options = self.query_one("#learners", OptionList)
        if self.names:
            current = self.names.index(self.ctx.learner) if self.ctx.learner in self.names else 0
            options.highlighted = current
            options.focus()
        else:
            self.query_one("#learner-new", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[event.option_index])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from mlquiz.progress.identity import name_problem

        name = event.value.strip()
        problem = name_problem(name)
        if problem is None and name.startswith("@"):
            problem = "A name cannot start with @ (kept for the room's own records)."
        if problem:
            self.query_one("#learners-message", Static).update(Content(problem))
            return
        existing = self.ctx.store.learner(name)
        self.dismiss(existing.name if existing else name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "back" and self.asking)  # at start there is nothing behind it

    def action_back(self) -> None:
        if not self.asking:
            self.dismiss(None)


class LearnerCommands(ListedCommands):
    """Palette: "Switch learner" and "Study as NAME" for each other learner (not when served)."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        ctx = getattr(app, "ctx", None)
        if ctx is None or not ctx.learner or getattr(app, "served", False):
            return []
        commands: list[tuple[str, str, object]] = [
            ("Switch learner", f"studying now: {ctx.learner}; pick who studies",
             app.action_switch_learner)]  # type: ignore[attr-defined]
        from mlquiz.progress.identity import people

        for name in people(ctx.store):
            if name != ctx.learner:
                commands.append((f"Study as {name}", "switch learner; remembered",
                                 partial(app.switch_learner, name)))  # type: ignore[attr-defined]
        return commands

