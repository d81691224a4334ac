"""Mastery levels per module and per concept, derived from the event log alone.

The rule (also in the README):

The items of a module are its questions, myths, step predictions, flashcards
and pitfall diagnoses; the items of a concept are those tagged with it (a
step's prediction counts for that step's id). An item is *right at its last
answer* when the most recent answer event for it, in any mode, was right (a
flashcard: rated Hard, Good or Easy, not Again). Then, for a set of items:

- **not started**: no item of the set has been answered.
- **attempted**: at least one answered, but fewer than 70% of the set's items
  are right at their last answer (an unanswered item counts as not right).
- **familiar**: at least 70% of the items are right at their last answer.
- **proficient**: every item is right at its last answer.
- **mastered**: proficient, and
  - for a module: the module's most recent finished test scored at least 90%
    (waived when the module has no questions);
  - for a concept: every item of the concept has been answered in review mode
    and was right at its last review (recalled after a delay, not just now).

A wrong answer moves the set down at once, since only last answers count.

>>> module_mastery(store.events("ada"), module).level          # doctest: +SKIP
'familiar'
>>> {tag: m.level for tag, m in concept_masteries(events, module).items()}  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlquiz.quiz.items import ANSWER_EVENT_KINDS, ReviewItem, module_items

if TYPE_CHECKING:
    from mlquiz.content.models import Module
    from mlquiz.progress import Event

LEVELS: tuple[str, ...] = ("not started", "attempted", "familiar", "proficient", "mastered")
FAMILIAR_FROM = 0.7
MASTERED_TEST_FROM = 0.9


@dataclass(frozen=True, slots=True)
class Mastery:
    level: str
    right: int      # items right at their last answer
    answered: int   # items answered at least once
    total: int      # items in the set
    last_test: float | None = None  # fraction of the module's last test (modules only)

    @property
    def rank(self) -> int:
        """0 (not started) .. 4 (mastered), for bars and sorting."""
        return LEVELS.index(self.level)


@dataclass(frozen=True, slots=True)
class _ItemHistory:
    last_right: bool
    last_review_right: bool | None  # None: never answered in review mode


def _histories(events: Iterable[Event], item_ids: set[str]) -> dict[str, _ItemHistory]:
    ordered = sorted(
        (e for e in events
         if e.kind in ANSWER_EVENT_KINDS and e.item in item_ids and e.correct is not None),
        key=lambda e: (e.at, e.id),
    )
    last: dict[str, bool] = {}
    last_review: dict[str, bool] = {}
    for e in ordered:
        last[e.item] = bool(e.correct)
        if (e.detail or {}).get("mode") == "review":
            last_review[e.item] = bool(e.correct)
    return {i: _ItemHistory(last[i], last_review.get(i)) for i in last}


def _level(items: list[ReviewItem], histories: dict[str, _ItemHistory],
           mastered: Callable[[], bool]) -> tuple[str, int, int]:
    total = len(items)
    answered = [histories[i.id] for i in items if i.id in histories]
    right = sum(1 for h in answered if h.last_right)
    if not answered or total == 0:
        return "not started", right, len(answered)
    if right == total:
        return ("mastered" if mastered() else "proficient"), right, len(answered)
    if right >= FAMILIAR_FROM * total:
        return "familiar", right, len(answered)
    return "attempted", right, len(answered)


def last_test_fraction(events: Iterable[Event], module_id: str) -> float | None:
    """Score / total of the module's most recent test_finished event, if any."""
    finished = [e for e in events if e.kind == "test_finished" and e.module == module_id]
    if not finished:
        return None
    latest = max(finished, key=lambda e: (e.at, e.id))
    detail = latest.detail or {}
    total = detail.get("total") or 0
    return (detail.get("score") or 0) / total if total else None


def module_mastery(events: Iterable[Event], module: Module) -> Mastery:
    """The level of a whole module (see the module docstring for the rule)."""
    events = list(events)
    items = module_items(module)
    histories = _histories(events, {i.id for i in items})
    last_test = last_test_fraction(events, module.id)

    def mastered() -> bool:
        if not module.questions:
            return True
        return last_test is not None and last_test >= MASTERED_TEST_FROM

    level, right, answered = _level(items, histories, mastered)
    return Mastery(level, right, answered, len(items), last_test)


def items_of_concept(module: Module, tag: str) -> list[ReviewItem]:
    return [i for i in module_items(module) if tag in i.tags]


def concept_mastery(events: Iterable[Event], module: Module, tag: str) -> Mastery:
    """The level of one concept (a step id or concept id) of a module."""
    items = items_of_concept(module, tag)
    return _concept_level(items, _histories(events, {i.id for i in items}))


def _concept_level(items: list[ReviewItem], histories: dict[str, _ItemHistory]) -> Mastery:
    def mastered() -> bool:
        return all(histories[i.id].last_review_right for i in items)

    level, right, answered = _level(items, histories, mastered)
    return Mastery(level, right, answered, len(items))


def concept_masteries(events: Iterable[Event], module: Module) -> dict[str, Mastery]:
    """Every tag the module's items use, steps first then concepts, with its level.

    The events are sorted into item histories once, not once per concept."""
    items = module_items(module)
    histories = _histories(events, {i.id for i in items})
    used = {t for i in items for t in i.tags}
    order = [s.id for s in module.lesson.steps] + [c.id for c in module.concepts]
    tags = [t for t in order if t in used] + sorted(used - set(order))
    return {tag: _concept_level([i for i in items if tag in i.tags], histories) for tag in tags}
