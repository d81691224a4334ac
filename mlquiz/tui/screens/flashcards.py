"""Flashcards: takeaways, definitions and connections; flip (space), rate Again/Hard/Good/Easy.

>>> app.push_screen(FlashcardsScreen(ctx, "ml-technical-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Static

from mlquiz.tui import keys
from mlquiz.tui.screens.base import ModeScreen, step_bindings
from mlquiz.tui.widgets.text import TitleBar, md

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class FlashcardsScreen(ModeScreen):
    MODE_KEY = "flashcards"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        keys.binding("flip", "flip"),
        *keys.rating_bindings(),
        *step_bindings(),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.cards = self.module.flashcards
        self.index = self.start_index(self.cards)
        self.flipped = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Vertical(id="card")
        yield Footer()

    async def show_first(self) -> None:
        await self.show_card(self.index)

    async def show_card(self, index: int) -> None:
        body = self.query_one("#card", Vertical)
        await body.remove_children()
        if not self.cards:
            await body.mount(Static("This module has no flashcards yet.", id="card-front"))
            return
        self.index = index
        self.flipped = False
        self.refresh_bindings()
        card = self.cards[index]
        self.query_one("#title-bar", Static).update(
            self.title_text(f"card {index + 1} of {len(self.cards)} · {card.kind}"))
        await body.mount(md(card.front, id="card-front", classes="card-face"),
                         Static("space: flip the card", id="card-hint"))
        self.save_place(card.id)

    async def action_flip(self) -> None:
        if not self.cards or self.flipped:
            return
        self.flipped = True
        self.refresh_bindings()
        card = self.cards[self.index]
        self.query_one("#card-hint", Static).update(
            "How well did you know it?  1 Again · 2 Hard · 3 Good · 4 Easy")
        await self.query_one("#card", Vertical).mount(
            md(card.back, id="card-back", classes="card-face"), before=self.query_one("#card-hint"))

    async def on_click(self, event) -> None:
        widget = event.widget
        if self.flipped or widget is None:
            return
        if any(w.has_class("card-face") for w in (widget, *widget.ancestors_with_self)):
            await self.action_flip()

    def check_action(self, action: str, parameters) -> bool | None:
        """Footer shows Flip before the card is turned and the ratings after."""
        if action == "rate":
            return self.flipped
        if action == "flip":
            return not self.flipped
        if action == "previous":
            return self.index > 0
        if action == "next":
            return self.index + 1 < len(self.cards)
        return True

    async def action_rate(self, rating: int) -> None:
        if not self.cards or not self.flipped:
            return
        card = self.cards[self.index]
        self.ctx.recorder.rate_card(card.id, rating, mode=self.MODE_KEY,
                                    time_spent_ms=self.elapsed_ms())
        self.notify(f"{RATINGS[rating]} — saved.", timeout=2)
        if self.index + 1 < len(self.cards):
            await self.show_card(self.index + 1)
        else:
            await self.show_card(0)
            self.notify("End of the deck; starting again from the first card.", timeout=3)

    async def action_next(self) -> None:
        if self.cards and self.index + 1 < len(self.cards):
            await self.show_card(self.index + 1)

    async def action_previous(self) -> None:
        if self.cards and self.index > 0:
            await self.show_card(self.index - 1)
