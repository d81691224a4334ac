"""Deep dive: the whole lesson in order, section by section, with a table of contents.

>>> app.push_screen(DeepDiveScreen(ctx, "ml-technical-debt", "under-the-hood"))  # doctest: +SKIP
"""
from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Label, ListItem, ListView, Markdown, Static

from mlquiz.tui.lesson_sections import MODULE_LINK, lesson_sections, module_links
from mlquiz.tui import keys
from mlquiz.tui.screens.base import ModeScreen, step_bindings
from mlquiz.tui.widgets.fit import FitText
from mlquiz.tui.widgets.module_links import ModuleLinks
from mlquiz.tui.widgets.text import TitleBar


class DeepDiveScreen(ModeScreen):
    MODE_KEY = "deep_dive"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        *step_bindings(),
        keys.binding("contents", "toc"),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.sections = lesson_sections(self.module)
        self.links = module_links(self.module, ctx.course)
        self.index = self.start_index(self.sections)
        self._mount_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="deep-body"):
            with Vertical(id="toc", classes="sidebar"):
                yield Label("Contents", classes="section-label")
                yield ListView(*[ListItem(FitText(s.title), id=f"toc-{s.id}")
                                 for s in self.sections], id="toc-list")
            yield VerticalScroll(id="lesson")
        yield Footer()

    async def show_first(self) -> None:
        self.query_one("#toc-list", ListView).index = self.index
        if not self.has_class("-wide"):  # the contents are hidden: keys start on the lesson
            self.query_one("#lesson").focus()
        await self._mount_through(self.index + 1)
        self.call_after_refresh(self.jump, self.index)
        # The rest of the lesson renders in the background, a section at a time,
        # so the first section can be read (and keys work) at once.
        self.run_worker(self._mount_rest(), exclusive=True, group="lesson")

    @property
    def _mounted(self) -> int:
        return len(self.query_one("#lesson", VerticalScroll).query_children(".lesson-section"))

    async def _mount_through(self, index: int) -> None:
        """Render sections 0..index (inclusive) if they are not rendered yet."""
        lesson = self.query_one("#lesson", VerticalScroll)
        upto = min(index, len(self.sections) - 1)
        async with self._mount_lock:  # the background worker and a jump both mount
            while self._mounted <= upto:
                if self not in self.app.screen_stack:
                    return  # left the deep dive while it was still rendering
                section = self.sections[self._mounted]
                await lesson.mount(Markdown(section.markdown, id=f"section-{section.id}",
                                            classes="lesson-section", open_links=False))
                if section.id == "overview" and self.links:
                    # "where it fits": focusable, so tab reaches them and enter opens one
                    await lesson.mount(ModuleLinks(self.links, id="fits-links"))

    async def _mount_rest(self) -> None:
        for index in range(len(self.sections)):
            if self not in self.app.screen_stack:
                return
            await self._mount_through(index)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """A link to another module ("where it fits") opens its page; others open as usual."""
        event.stop()
        if event.href.startswith(MODULE_LINK):
            self.app.open_screen(event.href[len(MODULE_LINK):], "module")  # type: ignore[attr-defined]
        else:
            self.app.open_url(event.href)

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "lesson")

    async def jump(self, index: int) -> None:
        index = max(0, min(index, len(self.sections) - 1))
        await self._mount_through(index + 1)
        self.index = index
        section = self.sections[index]
        target = self.query_one(f"#section-{section.id}")
        self.call_after_refresh(self.query_one("#lesson", VerticalScroll).scroll_to_widget,
                                target, top=True, animate=False)
        self.query_one("#title-bar", Static).update(self.title_text(section.title))
        self.refresh_bindings()
        toc = self.query_one("#toc-list", ListView)
        if toc.index != index:
            toc.index = index
        if section.id in {s.id for s in self.module.lesson.steps}:
            self.ctx.record("step_viewed", module=self.module_id, item=section.id,
                            detail={"mode": self.MODE_KEY})
        self.save_place(section.id)

    async def on_list_view_selected(self, event: ListView.Selected) -> None:
        if event.list_view.id == "toc-list" and event.list_view.index is not None:
            await self.jump(event.list_view.index)
            if not self.has_class("-wide"):
                self.query_one("#toc").remove_class("-open")
                self.query_one("#lesson").focus()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "previous":
            return self.index > 0
        if action == "next":
            return self.index + 1 < len(self.sections)
        return True

    async def action_next(self) -> None:
        if self.index + 1 < len(self.sections):
            await self.jump(self.index + 1)

    async def action_previous(self) -> None:
        if self.index > 0:
            await self.jump(self.index - 1)

    def action_toc(self) -> None:
        """Show or hide the contents (always shown on a wide terminal)."""
        toc = self.query_one("#toc")
        toc.toggle_class("-open")
        if toc.has_class("-open") or self.has_class("-wide"):
            self.query_one("#toc-list").focus()
