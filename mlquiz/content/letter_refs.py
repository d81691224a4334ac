"""Where course text names an option by its authored letter ("**B**: ...", "option C", "(A)").

Options are shown in each learner's own shuffled order, so such a letter is wrong on
screen. `mlquiz validate` reports them (content/validation.py); until the text is
rewritten, the app maps them to the letters on screen (`relabel`).

>>> [(text[s:e], letter) for text in ["**B**: shortcuts taken."] for s, e, letter in letter_references(text, 4)]
[('B', 'B')]
>>> [letter for _, _, letter in letter_references("Options A and C are wrong; see (D).", 4)]
['A', 'C', 'D']
>>> letter_references("PSI = sum((A - E) * ln(A / E)); an A/B test; P(A)", 4)
[]
>>> relabel("**B**: the answer, not option A.", {"A": "C", "B": "A"})
'**A**: the answer, not option C.'
"""
from __future__ import annotations

import re

_WORDS = r"(?:[Oo]ptions?|[Cc]hoices?|[Aa]nswers?|[Ll]etters?)"
_LETTER = r"[A-J]"
_PATTERNS = [
    re.compile(rf"\*\*({_LETTER})\*\*"),                         # **B**
    re.compile(rf"(?<![\w*])__({_LETTER})__(?!\w)"),             # __B__
    re.compile(rf"(?<![\w(])\(({_LETTER})\)(?![\w)])"),          # (B), but not P(A) or f(A)
    re.compile(rf"^[ \t]*[-*]?[ \t]*({_LETTER})[:)][ \t]", re.M),  # a line that starts "B: " or "B) "
    # option B, options B and C, the answer is B, choice (C) -- a letter, not a word
    re.compile(rf"\b{_WORDS}(?:\s+is)?\s+\(?({_LETTER}(?:\s*(?:,|and|or|&)\s*{_LETTER})*)\)?"
               rf"(?![\w/'’-])"),
]
_ONE = re.compile(rf"\b{_LETTER}\b")


def letter_references(text: str, count: int) -> list[tuple[int, int, str]]:
    """(start, end, letter) of each authored letter `text` names, among the first `count`."""
    allowed = "ABCDEFGHIJ"[:count]
    found: dict[int, tuple[int, int, str]] = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start = match.start(1)
            for one in _ONE.finditer(match.group(1)):
                letter = one.group()
                if letter in allowed:
                    begin = start + one.start()
                    found[begin] = (begin, begin + 1, letter)
    return [found[k] for k in sorted(found)]


def relabel(text: str, mapping: dict[str, str]) -> str:
    """`text` with each letter reference replaced by `mapping[letter]` (authored -> shown)."""
    if not text:
        return text
    refs = letter_references(text, len(mapping))
    if not refs:
        return text
    out, last = [], 0
    for start, end, letter in refs:
        out += [text[last:start], mapping.get(letter, letter)]
        last = end
    return "".join(out) + text[last:]
