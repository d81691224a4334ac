"""Markdown text blocks and the one-line title bar every study screen shows.

>>> yield md("**Concept** text", id="concept")  # doctest: +SKIP
>>> yield diagram("a -> b")                     # spacing kept exactly
"""
from __future__ import annotations

from textual.widgets import Markdown, Static


def md(text: str, **kwargs) -> Markdown:
    """A Markdown widget for one section of content."""
    return Markdown(text, **kwargs)


def fenced(diagram_text: str) -> str:
    """A diagram as a fenced block, so the markdown renderer keeps its spacing."""
    fence = "~~~~" if "```" in diagram_text else "```"
    return f"{fence}text\n{diagram_text.rstrip()}\n{fence}"


def diagram(diagram_text: str, **kwargs) -> Static:
    """A diagram drawn exactly as written (no wrapping, no markdown)."""
    from rich.text import Text

    kwargs.setdefault("classes", "diagram")
    return Static(Text(diagram_text.rstrip("\n"), no_wrap=True), **kwargs)


class TitleBar(Static):
    """`Module › Mode · where you are` in one line at the top of a screen."""

    def __init__(self, text: str = "", **kwargs) -> None:
        kwargs.setdefault("id", "title-bar")
        super().__init__(text, markup=False, **kwargs)
