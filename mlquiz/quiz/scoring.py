"""Marks and verdicts: certainty-based marking and the weak/developing/strong bands.

>>> cbm_mark(True, 3), cbm_mark(False, 3)
(3, -6)
>>> verdict(0.5), verdict(0.79), verdict(0.8)
('developing', 'developing', 'strong')
"""
from __future__ import annotations

from typing import Literal

Verdict = Literal["weak", "developing", "strong"]

# Gardner-Medwin's certainty-based marking: certainty -> (mark if right, mark if wrong).
CBM_MARKS: dict[int, tuple[int, int]] = {1: (1, 0), 2: (2, -2), 3: (3, -6)}
CERTAINTIES: tuple[int, ...] = (1, 2, 3)

# A fraction right below DEVELOPING_FROM is "weak"; from STRONG_FROM on it is "strong".
DEVELOPING_FROM = 0.5
STRONG_FROM = 0.8


def cbm_mark(correct: bool, certainty: int) -> int:
    """The certainty-based mark of one answer: right 1/2/3, wrong 0/-2/-6.

    >>> cbm_mark(False, 1)
    0
    """
    try:
        right_mark, wrong_mark = CBM_MARKS[certainty]
    except KeyError:
        raise ValueError(f"certainty must be 1, 2 or 3, not {certainty!r}") from None
    return right_mark if correct else wrong_mark


def verdict(fraction: float) -> Verdict:
    """weak below 50% right, developing from 50% to below 80%, strong from 80%.

    >>> verdict(0.0), verdict(0.49), verdict(1.0)
    ('weak', 'weak', 'strong')
    """
    if fraction >= STRONG_FROM:
        return "strong"
    if fraction >= DEVELOPING_FROM:
        return "developing"
    return "weak"
