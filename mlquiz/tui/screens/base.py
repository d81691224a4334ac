"""What every study-mode screen shares: its module, the title bar, saving the place.

>>> class MythsScreen(ModeScreen):
...     MODE_KEY = "myths"
"""
from __future__ import annotations

import time
from pathlib import Path

from textual.binding import Binding
from textual.screen import Screen

from mlquiz.tui import keys
from mlquiz.tui.context import AppContext
from mlquiz.tui.modes import mode


class ModeScreen(Screen):
    """A study mode of one module; opened as `XScreen(ctx, module_id, item=None)`."""

    CSS_PATH = Path(__file__).parent.parent / "study.tcss"  # read when the first mode opens

    MODE_KEY = ""
    BINDINGS = [keys.binding("back", "back")]

    def __init__(self, ctx: AppContext, module_id: str, item: str | None = None) -> None:
        super().__init__(classes=f"mode-screen {self.MODE_KEY}-screen")
        self.ctx = ctx
        self.module_id = module_id
        self.module = ctx.module(module_id)
        # Opened without an item (the module page, the palette): where this mode was left.
        self.start_item = item if item is not None else ctx.mode_place(module_id, self.MODE_KEY)
        self._shown_at = time.monotonic()

    def start_index(self, items) -> int:
        """Where the resumed item (`item` at opening) stands among `items`, else 0."""
        ids = [i.id for i in items]
        return ids.index(self.start_item) if self.start_item in ids else 0

    def last_answers(self, kind: str) -> dict[str, str]:
        """The learner's latest answer per item of this module, from events of `kind`."""
        events = self.ctx.store.events(self.ctx.learner, module=self.module_id, kind=kind)
        return {e.item: (e.answer or "") for e in events if e.item}

    @property
    def mode_title(self) -> str:
        return mode(self.MODE_KEY).title

    async def on_mount(self) -> None:
        self.ctx.record("mode_opened", module=self.module_id, item=None,
                        detail={"mode": self.MODE_KEY})
        await self.show_first()

    async def show_first(self) -> None:
        """Show the first (or resumed) item; subclasses fill the screen here."""

    def save_place(self, item: str | None) -> None:
        """Remember the item on screen so the next start resumes here."""
        self.ctx.save_position(self.module_id, self.MODE_KEY, item)
        self._shown_at = time.monotonic()

    def elapsed_ms(self) -> int:
        """Time since the current item appeared (recorded with answers)."""
        return int((time.monotonic() - self._shown_at) * 1000)

    def title_text(self, where: str = "") -> str:
        text = f"{self.module.title} › {self.mode_title}"
        return f"{text} · {where}" if where else text

    def action_back(self) -> None:
        self.app.pop_screen()


def choice_bindings(count: int = 4) -> list[Binding]:
    """Keys a, b, c... that call `action_choose(letter)` (see `mlquiz.tui.keys`)."""
    return keys.choice_bindings(count)


def step_bindings() -> list[Binding]:
    """→ next and ← previous, ahead of a focused scroll area's own arrow keys."""
    return [keys.binding("next", "next", priority=True),
            keys.binding("previous", "previous", priority=True)]
