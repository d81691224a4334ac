"""A question's stem as one plain line for the report, when no summary function is given.

>>> first_prose_line("```python\\nx = 1\\n```\\nWhat does **this**\\nprint?\\n\\nMore.")
'What does this print?'
>>> first_prose_line("# Glue code\\n\\nWhich `adapter` is it?")
'Glue code'
"""
from __future__ import annotations

import re

_MARKUP = re.compile(r"`+|\*\*|(?<!\w)__|__(?!\w)|^#+\s*|^>\s*|^[-+*]\s+|^\d+\.\s+")
_EMPHASIS = re.compile(r"(?<!\w)[*_](\S(?:.*?\S)?)[*_](?!\w)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _plain(line: str) -> str:
    return _MARKUP.sub("", _LINK.sub(r"\1", line.strip()))


def first_prose_line(markdown: str, width: int = 160) -> str:
    """The first paragraph outside code blocks on one line, markdown marks removed,
    cut at `width` characters; a heading is a paragraph of its own."""
    in_fence, paragraph = False, []
    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            in_fence = not in_fence
            if paragraph:
                break
            continue
        if in_fence or (not paragraph and raw.startswith(("    ", "\t"))):
            continue
        if not line:
            if paragraph:
                break
            continue
        paragraph.append(_plain(line))
        if line.startswith("#"):
            break
    text = " ".join(_EMPHASIS.sub(r"\1", " ".join(paragraph)).split())
    text = text or " ".join(markdown.split())
    return text if len(text) <= width else text[: width - 1] + "…"
