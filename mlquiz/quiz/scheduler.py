"""Spaced review with FSRS (the `fsrs` package): when each item comes back.

Every item a learner has answered has one FSRS card, stored as JSON through
`ProgressStore.save_review_state` together with its due time, so the store's
indexed SQL can find what is due without reading a single card.

>>> scheduler = Scheduler(store, "ada", items=catalogue(course))   # doctest: +SKIP
>>> scheduler.record("q-debt-meaning", Scheduler.rating_for(correct=True, hint_used=False))  # doctest: +SKIP
>>> [item.id for item in scheduler.queue()]                         # doctest: +SKIP
>>> scheduler.due_counts()                                          # doctest: +SKIP
DueCounts(now=3, today=5, tomorrow=2, this_week=11)

Ratings: right without a hint -> Good, right with a hint -> Hard, wrong -> Again;
flashcards are rated by the learner (Again / Hard / Good / Easy, 1-4).
Desired retention is the learner's setting "desired_retention" (default 0.9).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from fsrs import Card, Rating
from fsrs import Scheduler as FsrsScheduler

from mlquiz.errors import MlquizError
from mlquiz.progress.events import utc_now

if TYPE_CHECKING:
    from mlquiz.progress import ProgressStore
    from mlquiz.quiz.items import ReviewItem

RETENTION_SETTING = "desired_retention"
DEFAULT_RETENTION = 0.9
RETENTION_RANGE = (0.7, 0.99)
RATING_NAMES = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good", Rating.Easy: "easy"}


def as_utc(moment: datetime) -> datetime:
    """An aware datetime in `timezone.utc` (fsrs refuses anything else); naive = UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def card_id_for(item_id: str) -> int:
    """A stable card id per item (fsrs would otherwise use the clock and sleep 1 ms)."""
    return int.from_bytes(hashlib.blake2b(item_id.encode(), digest_size=6).digest(), "big")


def parse_rating(value: int | str | Rating) -> Rating:
    """Rating from 1-4, a name ("good") or a Rating; ValueError otherwise."""
    if isinstance(value, Rating):
        return value
    if isinstance(value, str) and not value.strip().isdigit():
        names = {name: rating for rating, name in RATING_NAMES.items()}
        try:
            return names[value.strip().lower()]
        except KeyError:
            raise ValueError(f"rating must be again, hard, good or easy, not {value!r}") from None
    try:
        return Rating(int(value))
    except ValueError:
        raise ValueError(f"rating must be 1, 2, 3 or 4, not {value!r}") from None


def learner_retention(store: ProgressStore, learner: str) -> float:
    """The learner's setting, or 0.9 when unset or unreadable."""
    raw = store.setting(learner, RETENTION_SETTING, None)
    try:
        value = float(raw) if raw is not None else DEFAULT_RETENTION
    except (TypeError, ValueError):
        return DEFAULT_RETENTION
    low, high = RETENTION_RANGE
    return value if low <= value <= high else DEFAULT_RETENTION


def set_desired_retention(store: ProgressStore, learner: str, value: float) -> None:
    """Store the learner's desired retention; MlquizError outside 0.7-0.99."""
    low, high = RETENTION_RANGE
    if not low <= float(value) <= high:
        raise MlquizError(f"desired retention must be between {low} and {high}, not {value}",
                          exit_code=2)
    store.set_setting(learner, RETENTION_SETTING, float(value))


@dataclass(frozen=True, slots=True)
class DueCounts:
    """How much review is waiting.

    now: due at this moment (the queue); today: due before the end of today
    (includes now); tomorrow: due during tomorrow only; this_week: due before
    the end of the seventh day counting today (includes today and tomorrow).
    Days end at midnight in the scheduler's time zone. Counts come straight
    from the store, so an item whose content was removed still counts here
    while `queue()` skips it.
    """

    now: int
    today: int
    tomorrow: int
    this_week: int


class Scheduler:
    """One learner's review schedule over the store.

    `items` (from `mlquiz.quiz.items.catalogue`) is needed by `queue()` only.
    `now` is the clock (returns an aware datetime); `tz` is where days end for
    `due_counts` (default: the machine's local time zone). `fuzz=False` turns
    off FSRS's random spread of intervals (tests).
    """

    def __init__(self, store: ProgressStore, learner: str,
                 items: Mapping[str, ReviewItem] | None = None, *,
                 now: Callable[[], datetime] = utc_now, desired_retention: float | None = None,
                 fuzz: bool = True, tz: tzinfo | None = None) -> None:
        self.store = store
        self.learner = learner
        self.items = items
        self.clock = now
        self.tz = tz
        retention = (desired_retention if desired_retention is not None
                     else learner_retention(store, learner))
        self.fsrs = FsrsScheduler(desired_retention=retention, enable_fuzzing=fuzz)

    @property
    def desired_retention(self) -> float:
        return self.fsrs.desired_retention

    @staticmethod
    def rating_for(correct: bool, hint_used: bool = False) -> Rating:
        """Good when right without a hint, Hard when right with one, Again when wrong."""
        if not correct:
            return Rating.Again
        return Rating.Hard if hint_used else Rating.Good

    def card(self, item_id: str) -> Card | None:
        """The FSRS card of an item, or None if it was never reviewed."""
        return self._load_card(item_id)

    def record(self, item_id: str, rating: int | str | Rating, at: datetime | None = None,
               *, duration_ms: int | None = None) -> Card:
        """Review one item at `at` (default: the clock) and save its new state.

        A clock that went backwards (before the card's last review) is clamped
        to that last review: the card is rescheduled from there, never dropped.
        """
        rating = parse_rating(rating)
        moment = as_utc(at if at is not None else self.clock())
        card = self._load_card(item_id) or Card(card_id=card_id_for(item_id), due=moment)
        if card.last_review is not None and moment < as_utc(card.last_review):
            moment = as_utc(card.last_review)
        card, _log = self.fsrs.review_card(card, rating, review_datetime=moment,
                                           review_duration=duration_ms)
        self.store.save_review_state(self.learner, item_id, card.to_json(), card.due)
        return card

    def queue(self, now: datetime | None = None, limit: int | None = None) -> list[ReviewItem]:
        """Items due at `now` across modules and kinds, most overdue first.

        Rests on the store's indexed query alone: no card is read. Items whose
        content was removed from the course are skipped.
        """
        if self.items is None:
            raise ValueError("Scheduler.queue needs items=catalogue(course)")
        moment = as_utc(now if now is not None else self.clock())
        known = self.items.get
        ids = self._due_ids(moment, limit)
        queue = [item for item in map(known, ids) if item is not None]
        if limit is not None and len(ids) == limit and len(queue) < limit:
            queue = [item for item in map(known, self._due_ids(moment, None))
                     if item is not None][:limit]
        return queue

    def _due_ids(self, moment: datetime, limit: int | None) -> list[str]:
        return self.store.due_item_ids(self.learner, moment, limit=limit)

    def due_counts(self, now: datetime | None = None) -> DueCounts:
        """How many items are due now, today, tomorrow and this week (see DueCounts)."""
        moment = as_utc(now if now is not None else self.clock())
        local = moment.astimezone(self.tz)  # tz None: the machine's local time zone
        midnight = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
        end_today = as_utc(midnight)
        end_tomorrow = as_utc(midnight + timedelta(days=1))
        end_week = as_utc(midnight + timedelta(days=6))
        count = self.store.count_due
        today = count(self.learner, end_today)
        return DueCounts(
            now=count(self.learner, moment),
            today=today,
            tomorrow=count(self.learner, end_tomorrow) - today,
            this_week=count(self.learner, end_week),
        )

    def _load_card(self, item_id: str) -> Card | None:
        # Read afresh every time: the app and the recorder may hold two Schedulers
        # over one store, and a cached card would go stale.
        state = self.store.review_state(self.learner, item_id)
        if state is None:
            return None
        try:
            return Card.from_json(state.state_json)
        except (ValueError, KeyError, TypeError):
            return None  # unreadable state: the item starts over at this answer
