"""The one-line title bar at the top of every screen (kept apart from markdown so
the home screen does not import the markdown renderer).

>>> yield TitleBar("Tiny debt › Build-up")  # doctest: +SKIP
"""
from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    """`Module › Mode · where you are` in one line."""

    def __init__(self, text: str = "", **kwargs) -> None:
        kwargs.setdefault("id", "title-bar")
        super().__init__(text, markup=False, **kwargs)
