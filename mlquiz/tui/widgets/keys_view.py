"""The key map as a two-column table (help and welcome), one shape for both.

>>> yield KeysView(key_rows(), id="welcome-keys")  # doctest: +SKIP
"""
from __future__ import annotations

from textual.widgets import Static

from mlquiz.tui.keys import KeysText, keys_table


class KeysView(KeysText, Static):
    """Keys right-aligned, meanings wrapping under themselves; `.plain_text` for readers."""

    def __init__(self, rows: list[tuple[str, str]], **kwargs) -> None:
        self.rows = list(rows)
        super().__init__(keys_table(self.rows), **kwargs)
