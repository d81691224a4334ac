"""The keys of the app in one table, shown on the welcome and help screens.

>>> KEYS[0]
('enter', 'open / confirm the highlighted thing')
"""
from __future__ import annotations

KEYS: tuple[tuple[str, str], ...] = (
    ("enter", "open / confirm the highlighted thing"),
    ("tab / ↑ ↓", "move between items"),
    ("a b c d", "pick a choice (or 1 2 3 4)"),
    ("n / p", "next / previous"),
    ("h", "hint (practice)"),
    ("space", "flip a flashcard"),
    ("y / n", "answer a myth: yes or no"),
    ("escape", "back"),
    ("ctrl+p", "jump to any module, mode or step"),
    ("ctrl+t", "light / dark theme"),
    ("?", "help for this screen"),
    ("q", "quit — everything is already saved"),
)


def keys_markup() -> str:
    """The key table as Rich markup, two columns."""
    return "\n".join(f"[b]{key:>11}[/b]  {what}" for key, what in KEYS)
