"""Small helpers for reading what a Pilot-driven screen shows."""
from __future__ import annotations


def text_of(app, selector: str) -> str:
    """The visible text of the first widget matching `selector` on the current screen."""
    widget = app.screen.query_one(selector)
    return plain(widget)


def plain(widget) -> str:
    from textual.widgets import Markdown, Static

    if isinstance(widget, Markdown):
        return widget.source
    if isinstance(widget, Static):
        content = widget.visual if hasattr(widget, "visual") else widget.content
        return str(getattr(content, "plain", content))
    return " ".join(plain(child) for child in widget.children)


def screen_text(app) -> str:
    """All Static/Markdown text on the current screen, joined."""
    from textual.widgets import Markdown, Static

    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, Static) and not any(
                isinstance(a, Markdown) for a in widget.ancestors):
            parts.append(plain(widget))
    return "\n".join(parts)


def screen_name(app) -> str:
    return type(app.screen).__name__
