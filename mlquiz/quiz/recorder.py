"""The one place an answer becomes an event and a review-schedule update.

The app's screens and `mlquiz review --plain` both answer through a Recorder,
so they write the same event kinds with the same details.

>>> rec = Recorder.for_course(store, "ada", course, session_id=sid)      # doctest: +SKIP
>>> rec.answer("q-debt-meaning", "C", mode="practice", hint_level=1)    # doctest: +SKIP
Answered(item='q-debt-meaning', correct=True, rating=<Rating.Hard: 2>, ...)
>>> rec.rate_card("card-cace", 3, mode="flashcards")                     # doctest: +SKIP
>>> rec.answer("myth-only-messy-code", "B", mode="myths")               # myths: A yes, B no  # doctest: +SKIP

Event kinds written: question_answered, myth_answered, prediction_committed,
pitfall_answered (answer = the letter, correct = right or not; for a numeric question
answer = the typed number in canonical form, detail.answer_type = "number",
detail.value = the number, detail.typed = the text as typed), card_reviewed
(answer = the rating name, correct = rating above Again, detail.rating = 1-4),
hint_revealed, test_started, test_finished, test_abandoned. `detail.mode` names
the mode the answer was given in ("practice", "test", "review", "myths",
"buildup", "flashcards", "pitfalls"). An answer given on shuffled options
keeps the authored letter as `answer` and the shown order in
`detail["shown_order"]` (authored letters in shown order, e.g. "CADB").
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fsrs import Rating

from mlquiz.quiz.scheduler import RATING_NAMES, Scheduler, as_utc, parse_rating, utc_now

if TYPE_CHECKING:
    from mlquiz.content.models import Course
    from mlquiz.progress import Event, ProgressStore
    from mlquiz.quiz.items import ReviewItem
    from mlquiz.quiz.test_session import TestResult


@dataclass(frozen=True, slots=True)
class Answered:
    """What one recorded answer did: right or not, its rating, when it is due next."""

    item: str
    correct: bool | None
    rating: Rating
    due: datetime
    event: Event


class Recorder:
    """Writes one learner's answers: the event and the item's review state, in one transaction.

    `session_id` goes on every event; `clock` dates both the event and the review.
    """

    def __init__(self, store: ProgressStore, learner: str, items: Mapping[str, ReviewItem],
                 scheduler: Scheduler, *, session_id: int | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.learner = learner
        self.items = items
        self.scheduler = scheduler
        self.session_id = session_id
        self.clock = clock or scheduler.clock

    @classmethod
    def for_course(cls, store: ProgressStore, learner: str, course: Course, *,
                   session_id: int | None = None, clock: Callable[[], datetime] = utc_now,
                   fuzz: bool = True) -> Recorder:
        """A recorder with the course's catalogue and a scheduler on the same clock."""
        from mlquiz.quiz.items import catalogue

        items = catalogue(course)
        scheduler = Scheduler(store, learner, items, now=clock, fuzz=fuzz)
        return cls(store, learner, items, scheduler, session_id=session_id, clock=clock)

    def item(self, item_id: str) -> ReviewItem:
        try:
            return self.items[item_id]
        except KeyError:
            raise ValueError(f"{item_id} is not an item of this course") from None

    def answer(self, item_id: str, letter: str, *, mode: str, hint_level: int = 0,
               certainty: int | None = None, test_id: str | None = None,
               time_spent_ms: int | None = None, shown_order: str | None = None) -> Answered:
        """Record a lettered answer (the authored letter) to a question, myth, prediction
        or pitfall, or the typed text of a numeric question (raises NumberEntryError,
        recording nothing, when it is not a number); `shown_order` is the order its
        options were on screen."""
        item = self.item(item_id)
        if item.self_rated:
            raise ValueError(f"{item_id} is a flashcard: use rate_card")
        detail: dict[str, Any] = {"mode": mode}
        if item.number is not None:
            # A typed number: the event's answer is the number in canonical form, the
            # detail keeps what was typed. Not a number: NumberEntryError, nothing written.
            from mlquiz.quiz.numeric import mark_number

            mark = mark_number(item.number, letter)
            letter, correct = mark.text, mark.correct
            detail.update(answer_type="number", value=mark.value, typed=mark.typed)
        else:
            letter = letter.strip().upper()
            if letter not in item.letters:
                raise ValueError(f"{letter!r} is not a choice of {item_id}")
            correct = item.is_right(letter)
        if item.kind == "question":
            detail.update(difficulty=item.difficulty, certainty=certainty)
            if test_id is not None:
                detail["test_id"] = test_id
        if shown_order is not None:
            detail["shown_order"] = shown_order
        rating = Scheduler.rating_for(correct, hint_used=hint_level > 0)
        return self._write(item, letter, correct, rating, hint_level, time_spent_ms, detail)

    def rate_card(self, item_id: str, rating: int | str | Rating, *, mode: str = "flashcards",
                  time_spent_ms: int | None = None) -> Answered:
        """Record a self-rated flashcard: 1 Again, 2 Hard, 3 Good, 4 Easy."""
        item = self.item(item_id)
        if not item.self_rated:
            raise ValueError(f"{item_id} is a {item.kind}, answered with a letter")
        rating = parse_rating(rating)
        detail = {"mode": mode, "rating": int(rating)}
        return self._write(item, RATING_NAMES[rating], rating != Rating.Again, rating, 0,
                           time_spent_ms, detail)

    def hint(self, item_id: str, *, mode: str, level: int = 1) -> Event:
        """Record that the hint of an item was shown."""
        item = self.item(item_id)
        return self.store.record(self.learner, "hint_revealed", module=item.module, item=item.id,
                                 hint_level=level, detail={"mode": mode},
                                 session_id=self.session_id, at=self._now())

    def test_started(self, module_id: str, test_id: str, question_ids: list[str],
                     orders: Mapping[str, str] | None = None) -> Event:
        """detail: {"test_id", "questions": [ids in the order shown], "shown_orders": {id: "CADB"}}."""
        detail: dict[str, Any] = {"test_id": test_id, "questions": list(question_ids)}
        if orders is not None:
            detail["shown_orders"] = dict(orders)
        return self.store.record(self.learner, "test_started", module=module_id, detail=detail,
                                 session_id=self.session_id, at=self._now())

    def test_abandoned(self, module_id: str, test_id: str, *, questions: list[str],
                       answered: int, reason: str = "ended") -> Event:
        """A test ended on purpose before its last answer; never scored.

        detail: {"test_id", "answered": n answered, "total": n questions, "questions": [ids],
        "reason": "ended" (the learner chose to end it)}.
        """
        return self.store.record(self.learner, "test_abandoned", module=module_id,
                                 answer=f"{answered}/{len(questions)}", correct=None,
                                 detail={"test_id": test_id, "answered": answered,
                                         "total": len(questions), "questions": list(questions),
                                         "reason": reason},
                                 session_id=self.session_id, at=self._now())

    def test_finished(self, module_id: str, result: TestResult) -> Event:
        return self.store.record(self.learner, "test_finished", module=module_id,
                                 answer=f"{result.score}/{result.total}",
                                 correct=None, detail=result.detail(),
                                 session_id=self.session_id, at=self._now())

    def _now(self) -> datetime:
        return as_utc(self.clock())

    def _write(self, item: ReviewItem, answer: str, correct: bool, rating: Rating,
               hint_level: int, time_spent_ms: int | None, detail: dict[str, Any]) -> Answered:
        at = self._now()
        # The event and the review state in one transaction: one disk sync per answer,
        # and never an answer without its schedule (or the other way round).
        with self.store.transaction():
            event = self.store.record(
                self.learner, item.event_kind, module=item.module, item=item.id, answer=answer,
                correct=correct, hint_level=hint_level, time_spent_ms=time_spent_ms,
                detail=detail, session_id=self.session_id, at=at,
            )
            card = self.scheduler.record(item.id, rating, at=at, duration_ms=time_spent_ms)
        return Answered(item.id, correct, rating, card.due, event)
