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

ELLIPSIS = "…"

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_CODE_SPAN = re.compile(r"`+([^`]*)`+")
_STAR_EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_LEFTOVER_STARS = re.compile(r"\*{1,2}")
_PREAMBLES = ("before reading on:", "before you read on:", "predict:")


def plain_text(markdown: str) -> str:
    """The prose of a markdown text as plain words: code blocks dropped, syntax removed.

    Paragraphs are kept apart by blank lines; each is joined into one line.

    >>> plain_text("# Title\\n\\n- **one** `x`\\n- two")
    'Title\\n\\none x two'
    """
    paragraphs: list[list[str]] = [[]]
    fence: str | None = None
    for line in markdown.splitlines():
        opened = _FENCE.match(line)
        if fence is not None:  # inside a fenced block: skip until its closing fence
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            paragraphs.append([])
            continue
        if not line.strip() or _RULE.match(line) or _TABLE_ROW.match(line):
            paragraphs.append([])
            continue
        if line.startswith(("    ", "\t")) and not paragraphs[-1]:
            continue  # an indented code block (not a wrapped continuation line)
        text = _HEADING.sub("", line)
        text = _QUOTE.sub("", text)
        text = _BULLET.sub("", text)
        paragraphs[-1].append(_inline(text).strip())
    joined = (" ".join(p).strip() for p in paragraphs)
    return "\n\n".join(" ".join(p.split()) for p in joined if p)


def _inline(text: str) -> str:
    spans: list[str] = []  # code spans are kept verbatim: `a_b_c` is not emphasis

    def keep(match: re.Match) -> str:
        spans.append(match.group(1))
        return f"\x00{len(spans) - 1}\x00"

    text = _CODE_SPAN.sub(keep, _LINK.sub(r"\1", text))
    for _ in range(2):  # nested **bold *italic*** needs a second pass
        text = _STAR_EMPHASIS.sub(r"\2", text)
        text = _UNDERSCORE_EMPHASIS.sub(r"\2", text)
    text = _LEFTOVER_STARS.sub("", text)
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], text)


def summary(markdown: str, width: int | None = None) -> str:
    """One plain line that names the item: its first prose paragraph, markdown removed.

    A leading "Before reading on:" style preamble is dropped. With `width`, the
    line is shortened at a word boundary and ends in "…". An item with no prose
    at all (only code) is summarised by its first non-empty code line.

    >>> summary("A weekly job reports a PSI of **0.31**. How do you read it?", 30)
    'A weekly job reports a PSI of…'
    """
    prose = plain_text(markdown)
    paragraphs = prose.split("\n\n") if prose else []
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
