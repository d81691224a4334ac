"""A plain one-line summary of an item, drawn from its prose, and word-safe shortening.

The test result's "what to revisit", the instructor report and any list of
items name an item by one readable line. Stems often start with a code block
or a log; the summary skips those and takes the learner-facing question, with
no markdown syntax left in it.

>>> summary("```python\\nfit(path)\\n```\\n\\nWhich risk of debt hides in this code?")
'Which risk of debt hides in this code?'
>>> summary("Sculley et al. call it *Changing Anything Changes Everything*. Which is it?")
'Sculley et al. call it Changing Anything Changes Everything. Which is it?'
>>> shorten("Configuration debt in forty YAML files", 24)
'Configuration debt in…'
"""
from __future__ import annotations

import re

from mlquiz.content.plain_text import prose_paragraphs

ELLIPSIS = "…"

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_PREAMBLES = ("before reading on:", "before you read on:", "predict:")


def summary(markdown: str, width: int | None = None) -> str:
    """One plain line that names the item: its first prose paragraph, markdown removed.

    A leading "Before reading on:" style preamble is dropped. With `width`, the
    line is shortened at a word boundary and ends in "…". An item with no prose
    at all (only code) is summarised by its first non-empty code line.

    >>> summary("A weekly job reports a PSI of **0.31**. How do you read it?", 30)
    'A weekly job reports a PSI of…'
    """
    paragraphs = prose_paragraphs(markdown)
    line = paragraphs[0] if paragraphs else _first_code_line(markdown)
    if line.endswith(":") and len(paragraphs) > 1 and paragraphs[-1].endswith("?"):
        line = paragraphs[-1]  # "... and prints:" then code: the question after it names the item
    line = without_preamble(line)
    return shorten(line, width) if width else line


def without_preamble(text: str) -> str:
    """`text` without a leading "Before reading on:" (a prediction prompt asked out of its lesson).

    >>> without_preamble("Before reading on: does debt only slow you down?")
    'Does debt only slow you down?'
    """
    stripped = text.lstrip()
    lowered = stripped.lower()
    for marks in ("", "*", "**", "_"):
        for preamble in _PREAMBLES:
            if lowered.startswith(marks + preamble):
                rest = stripped[len(marks + preamble):]
                rest = rest[len(marks):] if marks and rest.startswith(marks) else rest
                rest = rest.lstrip()
                return rest[:1].upper() + rest[1:]
    return text


def _first_code_line(markdown: str) -> str:
    for line in markdown.splitlines():
        if line.strip() and not _FENCE.match(line):
            return " ".join(line.split())
    return ""


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` characters, cut at a word boundary and ended with "…".

    A single word longer than `width` is the only case cut inside a word.

    >>> shorten("Habits that create ML debt", 15)
    'Habits that…'
    >>> shorten("short", 15)
    'short'
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if text[width - 1] != " " and space > 0:  # the cut fell inside a word: drop that word
        cut = cut[:space]
    return cut.rstrip(" ,;:.-—–(") + ELLIPSIS
