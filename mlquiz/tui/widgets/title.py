"""The one-line title bar at the top of every screen (kept apart from markdown so
the home screen does not import the markdown renderer).

A title longer than the terminal ends in "…" at a word boundary.

>>> yield TitleBar("Tiny debt › Build-up")  # doctest: +SKIP
"""
from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    """`Module › Mode · where you are` in one line."""

    def __init__(self, text: str = "", **kwargs) -> None:
        kwargs.setdefault("id", "title-bar")
        super().__init__(text, markup=False, **kwargs)
        self._title = str(text)

    def update(self, content="", *, layout: bool = True) -> None:
        self._title = str(content)
        super().update(content, layout=layout)

    def render(self):
        from mlquiz.content.summaries import shorten

        width = self.content_size.width
        return shorten(self._title, width) if width > 0 else self._title

    def on_resize(self) -> None:
        self.refresh()
