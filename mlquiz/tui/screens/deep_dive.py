"""Deep dive: the whole lesson in order, section by section, with a table of contents.

>>> app.push_screen(DeepDiveScreen(ctx, "ml-technical-debt", "under-the-hood"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Label, ListItem, ListView, Markdown, Static

from mlquiz.tui.lesson_sections import lesson_sections
from mlquiz.tui.screens.base import ModeScreen
from mlquiz.tui.widgets.text import TitleBar


class DeepDiveScreen(ModeScreen):
    MODE_KEY = "deep_dive"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        Binding("n", "next", "Next section"),
        Binding("p", "previous", "Prev section"),
        Binding("t", "toc", "Contents"),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.sections = lesson_sections(self.module)
        ids = [s.id for s in self.sections]
        self.index = ids.index(item) if item in ids else 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="deep-body"):
            with Vertical(id="toc", classes="sidebar"):
                yield Label("Contents", classes="section-label")
                yield ListView(*[ListItem(Label(s.title, markup=False), id=f"toc-{s.id}")
                                 for s in self.sections], id="toc-list")
            yield VerticalScroll(id="lesson")
        yield Footer()

    async def show_first(self) -> None:
        lesson = self.query_one("#lesson", VerticalScroll)
        # One Markdown widget per section keeps each update small and lets the TOC jump.
        await lesson.mount_all(Markdown(s.markdown, id=f"section-{s.id}", classes="lesson-section")
                               for s in self.sections)
        self.query_one("#toc-list", ListView).index = self.index
        self.call_after_refresh(self.jump, self.index)

    def jump(self, index: int) -> None:
        index = max(0, min(index, len(self.sections) - 1))
        self.index = index
        section = self.sections[index]
        target = self.query_one(f"#section-{section.id}")
        self.query_one("#lesson", VerticalScroll).scroll_to_widget(target, top=True, animate=False)
        self.query_one("#title-bar", Static).update(self.title_text(section.title))
        toc = self.query_one("#toc-list", ListView)
        if toc.index != index:
            toc.index = index
        if section.id in {s.id for s in self.module.lesson.steps}:
            self.ctx.record("step_viewed", module=self.module_id, item=section.id,
                            detail={"mode": self.MODE_KEY})
        self.save_place(section.id)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if event.list_view.id == "toc-list" and event.list_view.index is not None:
            self.jump(event.list_view.index)
            if not self.has_class("-wide"):
                self.query_one("#toc").remove_class("-open")
                self.query_one("#lesson").focus()

    def action_next(self) -> None:
        if self.index + 1 < len(self.sections):
            self.jump(self.index + 1)

    def action_previous(self) -> None:
        if self.index > 0:
            self.jump(self.index - 1)

    def action_toc(self) -> None:
        """Show or hide the contents (always shown on a wide terminal)."""
        toc = self.query_one("#toc")
        toc.toggle_class("-open")
        if toc.has_class("-open") or self.has_class("-wide"):
            self.query_one("#toc-list").focus()
