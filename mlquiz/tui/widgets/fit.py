"""Text that ends in "…" at a word boundary when it does not fit its width.

CSS `text-overflow: ellipsis` cuts inside a word ("Technical debt in ML sy…");
these widgets shorten each line with `mlquiz.content.summaries.shorten` at the
width they are given, again on every resize.

>>> yield FitText("Technical debt in ML systems", classes="module-title")  # doctest: +SKIP
>>> yield FitText([("2. Drift", ""), ("   after 1. Debt", "dim")])          # two lines  # doctest: +SKIP
"""
from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from mlquiz.content.summaries import shorten


class FitText(Widget):
    """One or more lines of plain text, each shortened to the widget's width."""

    DEFAULT_CSS = "FitText { height: auto; }"

    def __init__(self, lines: str | list[tuple[str, str]] = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines = [(lines, "")] if isinstance(lines, str) else list(lines)

    @property
    def text(self) -> str:
        return "\n".join(line for line, _style in self.lines)

    def update(self, lines: str | list[tuple[str, str]]) -> None:
        self.lines = [(lines, "")] if isinstance(lines, str) else list(lines)
        self.refresh(layout=True)

    def render(self) -> Text:
        width = self.content_size.width
        out = Text(no_wrap=True, overflow="crop")
        for number, (line, style) in enumerate(self.lines):
            if number:
                out.append("\n")
            out.append(shorten(line, width) if width > 0 else line, style=style or None)
        return out

    def on_resize(self) -> None:
        self.refresh()
