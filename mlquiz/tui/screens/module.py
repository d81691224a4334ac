"""The module page: "choose your learning style" from the ten modes.

>>> app.push_screen(ModuleScreen(ctx, "ml-technical-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, ListItem, ListView, Static

from mlquiz.tui.context import AppContext
from mlquiz.tui.modes import MODES, Mode
from mlquiz.tui.widgets.title import TitleBar


class ModeRow(ListItem):
    def __init__(self, study_mode: Mode) -> None:
        super().__init__(classes="mode-row" + (" -recommended" if study_mode.recommended else ""),
                         id=f"mode-{study_mode.key}")
        self.mode = study_mode

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(f"[b]{self.mode.shortcut}[/b]", classes="mode-key")
            yield Label(self.mode.title, classes="mode-title")
            yield Label("★ Recommended" if self.mode.recommended else "", classes="mode-badge")
            yield Label(self.mode.description, classes="mode-description")


class ModuleScreen(Screen):
    CSS_PATH = Path(__file__).parent.parent / "module.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        *[Binding(m.shortcut, f"open('{m.key}')", m.title, show=False)
          for m in MODES if m.shortcut != "1"],
        Binding("1", "open('deep_dive')", "Open mode", key_display="0-9"),
    ]

    def __init__(self, ctx: AppContext, module_id: str, item: str | None = None) -> None:
        super().__init__(classes="module-screen")
        self.ctx = ctx
        self.module_id = module_id
        self.module = ctx.module(module_id)

    def compose(self) -> ComposeResult:
        yield TitleBar(f"{self.module.title} · {self.module.minutes} min")
        with Horizontal(id="module-body"):
            with Vertical(id="mode-chooser"):
                yield Label("Choose your learning style", id="choose-label")
                yield ListView(*[ModeRow(m) for m in MODES], id="modes")
                yield Static("", id="mode-help", markup=False)
                yield Static(" ".join(self.module.summary.split()), id="module-summary-narrow",
                             markup=False)
            with Vertical(id="module-about"):
                yield Static(" ".join(self.module.summary.split()), id="module-summary",
                             markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # Keep a saved place inside this module (e.g. a build-up step) for Continue.
        saved = self.ctx.store.position(self.ctx.learner, self.module_id)
        if saved is None:
            self.ctx.save_position(self.module_id, "module", None)
        else:  # re-save to make this module the latest place
            self.ctx.save_position(self.module_id, saved.screen, saved.item)
        modes = self.query_one("#modes", ListView)
        modes.index = next(i for i, m in enumerate(MODES) if m.recommended)
        modes.focus()

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        if isinstance(event.item, ModeRow):
            self.query_one("#mode-help", Static).update(
                f"{event.item.mode.title}: {event.item.mode.description}")

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, ModeRow):
            self.action_open(event.item.mode.key)

    def action_open(self, key: str) -> None:
        self.app.open_screen(self.module_id, key)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()
