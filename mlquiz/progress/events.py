"""The rows the store hands out: Event, Learner, Position, ReviewState, and UTC time text.

>>> to_text(from_text("2026-01-02T03:04:05.000006+00:00"))
'2026-01-02T03:04:05.000006+00:00'
>>> "question_answered" in EVENT_KINDS
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

EVENT_KINDS: tuple[str, ...] = (
    "step_viewed",
    "prediction_committed",
    "myth_answered",
    "question_answered",
    "hint_revealed",
    "solution_revealed",
    "test_started",
    "test_finished",
    "test_abandoned",  # a test ended on purpose before its last answer (never scored)
    "card_reviewed",
    "pitfall_answered",
    "exercise_opened",
    "exercise_run",
    "exercise_passed",
    "exercise_reset",
    "exercise_hint",
    "workspace_saved",  # the exercise's listed files, at a save or check (restored on a new host)
    "mode_opened",
    # peer instruction in a room (mlquiz.workshop.peer): the room's actions, then votes
    "poll_opened",
    "poll_closed",
    "poll_histogram",
    "poll_paired",
    "poll_revote",
    "poll_revealed",
    "poll_vote",
)

# The columns of one event, in the order of the events table and of an export.
EVENT_FIELDS: tuple[str, ...] = (
    "id", "uid", "learner", "at", "module", "item", "kind", "answer", "correct",
    "hint_level", "time_spent_ms", "detail", "session_id",
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def to_text(moment: datetime) -> str:
    """Fixed-width ISO text in UTC, so text order is time order.

    A naive datetime is taken to be UTC already.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    elif moment.utcoffset():
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """The aware UTC datetime of a stored time (accepts a trailing Z too)."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the append-only log; `detail` is a plain dict."""

    id: int
    uid: str
    learner: str
    at: datetime
    module: str | None
    item: str | None
    kind: str
    answer: str | None = None
    correct: bool | None = None
    hint_level: int | None = None
    time_spent_ms: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    session_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: `at` as ISO text, `detail` as a dict."""
        return {
            "id": self.id, "uid": self.uid, "learner": self.learner, "at": to_text(self.at),
            "module": self.module, "item": self.item, "kind": self.kind, "answer": self.answer,
            "correct": self.correct, "hint_level": self.hint_level,
            "time_spent_ms": self.time_spent_ms, "detail": dict(self.detail),
            "session_id": self.session_id,
        }


@dataclass(frozen=True, slots=True)
class Learner:
    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Position:
    """Where a learner was in a module: the screen and the item on it."""

    learner: str
    module: str
    screen: str
    item: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ReviewState:
    """The scheduler's opaque state of one item and when it is due next."""

    item: str
    state_json: str
    due: datetime


@dataclass(frozen=True, slots=True)
class BestScore:
    """The best finished test of a module (highest score/total, earliest on a tie)."""

    module: str
    score: float
    total: float
    at: datetime
    test_id: str | None = None

    @property
    def fraction(self) -> float:
        return self.score / self.total if self.total else 0.0
