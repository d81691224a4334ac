"""Markdown text blocks and diagrams for the study screens (TitleBar re-exported).

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


from mlquiz.tui.widgets.title import TitleBar  # noqa: E402,F401  (re-export)
