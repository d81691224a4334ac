"""Cheat sheet: core idea, analogy, diagram, takeaways and when not to use, on one screen.

>>> app.push_screen(CheatSheetScreen(ctx, "ml-technical-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Footer

from mlquiz.tui.screens.base import ModeScreen
from mlquiz.tui.widgets.text import TitleBar, diagram, md


class CheatSheetScreen(ModeScreen):
    MODE_KEY = "cheat_sheet"

    def compose(self) -> ComposeResult:
        lesson = self.module.lesson
        yield TitleBar(self.title_text())
        with VerticalScroll(id="cheat-scroll"):
            with Grid(id="cheat"):
                yield md(f"**Core idea**\n\n{lesson.mental_model.core_idea}", id="cheat-core",
                         classes="cheat-cell")
                yield md(f"**Analogy**\n\n{lesson.mental_model.analogy}", id="cheat-analogy",
                         classes="cheat-cell")
                yield diagram(lesson.mental_model.diagram, id="cheat-diagram")
                takeaways = "\n".join(f"- {t}" for t in lesson.takeaways)
                yield md(f"**Takeaways**\n\n{takeaways}", id="cheat-takeaways", classes="cheat-cell")
                yield md(f"**When not to use it**\n\n{lesson.when_not_to_use.text}\n\n"
                         f"**Instead:** {lesson.when_not_to_use.instead}", id="cheat-when-not",
                         classes="cheat-cell")
        yield Footer()

    async def show_first(self) -> None:
        self.save_place(None)
