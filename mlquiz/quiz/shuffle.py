"""The order a learner sees an item's options in: shuffled per learner and item, stable.

A shown order is a string of authored letters, one per shown position:
"CADB" means the first option on screen is the authored C, the second the
authored A, and so on. Events keep the authored letter as `answer` (so item
statistics and GIFT export speak in authored letters) and the shown order in
`detail["shown_order"]`.

>>> order = shown_order("ada", "q-debt-meaning", 4)
>>> sorted(order) == list("ABCD") and order == shown_order("ada", "q-debt-meaning", 4)
True
>>> authored_letter("CADB", "B"), shown_letter("CADB", "C")
('A', 'A')
"""
from __future__ import annotations

import hashlib
import random

from mlquiz.content.models import LETTERS


def shown_order(learner: str, item_id: str, count: int) -> str:
    """The authored letters in the order `learner` sees the options of `item_id`.

    Derived from a hash of (learner, item), so it is the same on every
    screen, every run and every machine, and differs between learners.
    """
    letters = list(LETTERS[:count])
    digest = hashlib.sha256(f"{learner}\x00{item_id}".encode()).digest()
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(letters)
    return "".join(letters)


def authored_letter(order: str, shown: str) -> str:
    """The authored letter behind the option shown at letter `shown`."""
    return order[LETTERS.index(shown.upper())]


def shown_letter(order: str, authored: str) -> str:
    """The letter on screen of the authored option `authored`."""
    return LETTERS[order.index(authored.upper())]


def shown_options(order: str, options: tuple[str, ...] | list[str]) -> list[str]:
    """The option texts in shown order."""
    return [options[LETTERS.index(a)] for a in order]
