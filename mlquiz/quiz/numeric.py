"""Reading and marking a typed number: what is accepted, what is right, which wrong value.

A typed answer is a plain decimal or scientific number ("0.0875", "-1.2", "8.75e-2"),
optionally followed by the question's units ("120 ms", "120ms", any case). Anything
else ("0,0875", "8.75%", "1e", "abc", nothing) raises `NumberEntryError` with one line
that says what is accepted; it is never recorded as an answer.

>>> from mlquiz.content.models import NumberAnswer, WrongValue
>>> number = NumberAnswer(0.0875, tolerance=0.001, wrong_values=(
...     WrongValue(-0.0875, "the sign is flipped", tolerance=0.001),))
>>> mark_number(number, "0.088").correct
True
>>> mark_number(number, "-0.0875").feedback
'the sign is flipped'
>>> parse_number("120 ms", "ms"), parse_number("8.75e-2", None)
(120.0, 0.0875)
>>> try:
...     parse_number("0,0875", None)
... except NumberEntryError as error:
...     print(error)
'0,0875' is not a number: type digits with a point for decimals, like 0.0875 or 8.75e-2
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlquiz.content.models import NumberAnswer

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class NumberEntryError(ValueError):
    """A typed answer that is not a number (the message is one line for the learner)."""


def accepted_form(units: str | None) -> str:
    """What a learner may type, in words."""
    tail = f", optionally followed by {units}" if units else ""
    return f"type digits with a point for decimals, like 0.0875 or 8.75e-2{tail}"


def parse_number(text: str, units: str | None) -> float:
    """The number in `text`; the question's `units` may follow it (any case, space or not)."""
    raw = text.strip()
    if not raw:
        raise NumberEntryError(f"no number typed: {accepted_form(units)}")
    body = raw
    if units:
        lowered, unit = raw.lower(), units.strip().lower()
        if lowered.endswith(unit) and len(raw) > len(unit):
            body = raw[: len(raw) - len(unit)].rstrip()
    if not _NUMBER.fullmatch(body):
        raise NumberEntryError(f"{raw!r} is not a number: {accepted_form(units)}")
    value = float(body)
    if not math.isfinite(value):
        raise NumberEntryError(f"{raw!r} is too large: {accepted_form(units)}")
    return value


def canonical(value: float) -> str:
    """The text an answer event stores: canonical(8.75e-2) == '0.0875'."""
    from mlquiz.content.models import format_number

    return format_number(value)


@dataclass(frozen=True, slots=True)
class NumberMark:
    """One typed number, marked: its value, right or not, and the wrong-value feedback."""

    value: float
    correct: bool
    feedback: str  # the authored feedback of the wrong value it matched, "" if none
    typed: str

    @property
    def text(self) -> str:
        return canonical(self.value)


def mark_number(number: NumberAnswer, typed: str) -> NumberMark:
    """Parse and mark `typed` against a numeric answer (raises NumberEntryError)."""
    value = parse_number(typed, number.units)
    correct = number.accepts(value)
    wrong = None if correct else number.wrong_value_for(value)
    return NumberMark(value, correct, wrong.feedback if wrong else "", typed.strip())
