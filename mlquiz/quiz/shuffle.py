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


def order_for(learner: str | None, item_id: str, count: int) -> str:
    """The learner's shown order of an item's `count` options; "ABCD..." without a learner.

    What every mode shows (practice, review, test, build-up, pitfalls; on screen and plain).
    Myths keep Yes/No and peer-instruction votes keep one order for the room: they do not
    call this.
    """
    return shown_order(learner, item_id, count) if learner else LETTERS[:count]


def show_letters(order: str, text: str) -> str:
    """Course text with the authored letters it names ("**B**", "option C") turned into the
    letters on screen: right until such text is rewritten (`mlquiz validate` flags it).

    >>> show_letters("CADB", "**C**: not option A.")
    '**A**: not option B.'
    """
    from mlquiz.content.letter_refs import relabel

    return relabel(text, {authored: LETTERS[i] for i, authored in enumerate(order)})
