"""Small helpers for reading what a Pilot-driven screen shows."""
from __future__ import annotations


def text_of(app, selector: str) -> str:
    """The visible text of the first widget matching `selector` on the current screen."""
    widget = app.screen.query_one(selector)
    return plain(widget)


def plain(widget) -> str:
    from textual.widgets import Markdown, Static

    from mlquiz.tui.widgets.choices import ChoiceLine
    from mlquiz.tui.widgets.fit import FitText

    if hasattr(widget, "plain_text"):
        return widget.plain_text
    if isinstance(widget, (FitText, ChoiceLine)):
        return widget.text if isinstance(widget, FitText) else widget.plain
    if isinstance(widget, Markdown):
        return widget.source
    if isinstance(widget, Static):
        content = widget.visual if hasattr(widget, "visual") else widget.content
        return str(getattr(content, "plain", content))
    return " ".join(plain(child) for child in widget.children)


def screen_text(app) -> str:
    """All Static/Markdown text on the current screen, joined."""
    from textual.widgets import Markdown, Static

    from mlquiz.tui.widgets.choices import ChoiceLine
    from mlquiz.tui.widgets.fit import FitText

    parts = []
    for widget in app.screen.query("*"):
        if hasattr(widget, "plain_text"):
            parts.append(widget.plain_text)
        elif isinstance(widget, FitText):
            parts.append(widget.text)
        elif isinstance(widget, ChoiceLine):
            parts.append(widget.plain)
        elif isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, Static) and not any(
                isinstance(a, Markdown) for a in widget.ancestors):
            parts.append(plain(widget))
    return "\n".join(parts)


def screen_name(app) -> str:
    return type(app.screen).__name__


def key_of(app, option_text: str) -> str:
    """The key (a, b, ...) of the choice on screen that reads `option_text`.

    Options are shown in each learner's shuffled order, so tests pick by what
    the learner reads, not by the authored letter.
    """
    from mlquiz.tui.widgets.choices import ChoiceLine

    for line in app.screen.query(ChoiceLine):
        if plain(line).split("  ", 1)[1] == option_text:
            return line.letter.lower()
    raise LookupError(f"no choice reads {option_text!r} on screen")


def wrong_key(app, right_text: str = "Option A") -> str:
    """The key of a choice on screen other than `right_text`."""
    from mlquiz.tui.widgets.choices import ChoiceLine

    for line in app.screen.query(ChoiceLine):
        if plain(line).split("  ", 1)[1] != right_text:
            return line.letter.lower()
    raise LookupError("no wrong choice on screen")
