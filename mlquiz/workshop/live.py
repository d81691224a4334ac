"""The room right now, for the instructor's live view: kept up to date from new events only.

>>> live = LiveRoom.open(Path("room.db"), course)    # doctest: +SKIP
>>> view = live.refresh()                          # the first call reads every event
>>> view = live.refresh()                          # later calls read only newer ones
>>> [(l.name, l.where, l.stuck) for l in view.learners]       # doctest: +SKIP
[('ada', 'ML technical debt · test · question 4 of 10', None),
 ('bob', 'exercise ex-skew · failing test_same_features', 'failed test_same_features 4 times')]

Two parts, so that other views (peer instruction votes, say) can follow a room too:

- `RoomFeed(db)`: `.read() -> list[event]` returns the events stored after the
  last read, by event id (SQLite assigns ids in commit order, so nothing is
  skipped); the first read is every event. Read-only, one open connection.
- `RoomState(course, ...)`: `.add(events)` folds events in (any order of
  calls, each event once); `.view(now) -> RoomView` is computed from what it
  holds, without reading the database.

`LiveRoom` is the two together. Nothing here imports textual.
"""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from mlquiz.errors import MlquizError

if TYPE_CHECKING:
    from mlquiz.content.models import Course

ACTIVE_WITHIN = timedelta(minutes=5)
STUCK_AFTER = timedelta(minutes=10)   # no progress for this long while in the room: stuck
PRESENT_WITHIN = timedelta(minutes=30)  # no event at all for longer: gone, not stuck
REPEATED_FAILURES = 3                 # the same failing check this many times in a row: stuck
MIN_ANSWERS = 3                       # a question needs this many first answers to rank as hard

# Events that move a learner forward (a wrong answer, a failed check or a hint does not).
_PROGRESS_KINDS = {"step_viewed", "prediction_committed", "card_reviewed", "test_finished",
                   "exercise_passed"}
_ANSWER_KINDS = {"question_answered", "myth_answered", "pitfall_answered"}
_MODE_OF_KIND = {"step_viewed": "buildup", "prediction_committed": "buildup",
                 "myth_answered": "myths", "card_reviewed": "flashcards",
                 "pitfall_answered": "pitfalls", "test_started": "test", "test_finished": "test",
                 "exercise_opened": "exercises", "exercise_run": "exercises",
                 "exercise_passed": "exercises", "exercise_hint": "exercises",
                 "exercise_reset": "exercises"}


class RoomFeed:
    """The events of one room database, a batch of new ones per `read()`."""

    def __init__(self, db: Path) -> None:
        from mlquiz.progress import ProgressStore

        from mlquiz.progress.location import parse_db

        db = parse_db(db)  # a Path, or a postgresql:// room (its server says what is wrong)
        if isinstance(db, Path) and not db.exists():
            raise MlquizError(f"{db} does not exist; start the room with `mlquiz serve --db "
                              f"{db}` or pass the room's database with --db", exit_code=2)
        if isinstance(db, Path) and db.is_dir():
            raise MlquizError(f"{db} is a folder; pass the room's database file with --db",
                              exit_code=2)
        self.db = db
        self.store = ProgressStore.open(db, read_only=True)
        self._owns_store = True
        self._lock = threading.Lock()  # a read in a worker thread, a store swap in another
        self.last_id = 0

    def use_store(self, store) -> None:
        """Read through `store` (open on the same file) from now on; the caller closes it.

        A process keeps one store per file: the instructor's app, once it writes to the
        room (peer instruction), hands its read-write store to the feed this way.
        """
        with self._lock:
            if self._owns_store:
                self.store.close()
            self.store, self._owns_store = store, False

    def read(self) -> list:
        """Events stored since the last read (every event the first time), in id order."""
        with self._lock:
            if self.last_id == 0:  # the fast bulk read
                rows = sorted(self.store.event_rows(), key=lambda row: row.id)
            else:
                rows = self.store.events_after(self.last_id)
            if rows:
                self.last_id = rows[-1].id
            return rows

    def connected(self, now: datetime | None = None) -> dict[str, datetime]:
        """{learner: latest heartbeat} of those whose app is connected (workshop.presence)."""
        from mlquiz.workshop.presence import connected

        with self._lock:
            return connected(self.store, now)

    def learner_names(self) -> list[str]:
        """Everyone who joined, including those who have not recorded anything yet."""
        with self._lock:
            return [learner.name for learner in self.store.learners()]

    def close(self) -> None:
        if self._owns_store:
            self.store.close()


@dataclass
class LearnerNow:
    name: str
    module: str | None = None
    mode: str | None = None
    item: str | None = None
    where: str = "joined"          # "ML technical debt · test · question 4 of 10"
    exercise: str | None = None    # the exercise last worked on
    failing: str | None = None     # its last failing check, None once it passes
    same_failures: int = 0         # that check failed this many times in a row
    steps_seen: int = 0
    exercises_passed: int = 0
    best_test: float | None = None  # fraction
    last_active: datetime | None = None
    last_progress: datetime | None = None
    active_now: bool = False
    stuck: str | None = None       # why this learner may need help, else None


@dataclass
class HardQuestion:
    id: str
    module: str
    answered: int             # learners who answered it (first answers)
    facility: float           # share right on first answers
    top_distractor: str | None
    distractor_share: float   # share of first answers that picked it


@dataclass
class ExerciseTrouble:
    id: str
    tried: int
    passed: int
    failed_checks: int
    most_failed_test: str | None


@dataclass
class RoomView:
    taken_at: datetime
    learners: list[LearnerNow]
    hardest: list[HardQuestion]
    exercises: list[ExerciseTrouble]
    events: int
    min_answers: int
    few_answers: int = 0       # questions answered, but by fewer than min_answers learners
    warnings: list[str] = field(default_factory=list)

    @property
    def active_count(self) -> int:
        return sum(1 for learner in self.learners if learner.active_now)

    @property
    def stuck(self) -> list[LearnerNow]:
        return [learner for learner in self.learners if learner.stuck]


@dataclass
class _Learner:
    name: str
    module: str | None = None
    mode: str | None = None
    item: str | None = None
    test: tuple[str, list[str]] | None = None       # (test_id, question ids) of an open test
    test_answered: set[str] = field(default_factory=set)
    exercise: str | None = None
    failing: str | None = None
    same_failures: int = 0
    steps: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    best_test: float | None = None
    first_active: datetime | None = None
    last_active: datetime | None = None
    last_progress: datetime | None = None


@dataclass
class _Question:
    module: str
    right: int = 0
    answered: int = 0
    wrong_picks: Counter = field(default_factory=Counter)


@dataclass
class _Exercise:
    tried: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    failed_checks: int = 0
    failed_tests: Counter = field(default_factory=Counter)


class RoomState:
    """What the live view knows, folded from events one at a time."""

    def __init__(self, course: Course | None = None, *, stuck_after: timedelta = STUCK_AFTER,
                 repeated_failures: int = REPEATED_FAILURES, min_answers: int = MIN_ANSWERS,
                 active_within: timedelta = ACTIVE_WITHIN,
                 present_within: timedelta = PRESENT_WITHIN) -> None:
        self.course = course
        self.present_within = present_within
        self.stuck_after, self.repeated_failures = stuck_after, repeated_failures
        self.min_answers, self.active_within = min_answers, active_within
        self.events = 0
        self._learners: dict[str, _Learner] = {}    # by casefolded name
        self._questions: dict[str, _Question] = {}
        self._first_answered: set[tuple[str, str]] = set()
        self._exercises: dict[str, _Exercise] = {}

    # --- folding events in ---------------------------------------------------------

    def learner(self, name: str) -> _Learner:
        key = name.casefold()  # rooms recorded before names were folded may hold 'EVE' and 'eve'
        if key not in self._learners:
            self._learners[key] = _Learner(name)
        return self._learners[key]

    def add(self, events: Iterable) -> None:
        for event in events:
            if event.learner.startswith("@"):  # a room's own timeline (peer instruction), not a learner
                continue
            self.events += 1
            self._add(self.learner(event.learner), event)

    def _add(self, who: _Learner, event) -> None:
        kind, detail = event.kind, event.detail or {}
        who.last_active = event.at if who.last_active is None else max(who.last_active, event.at)
        if kind in _PROGRESS_KINDS or (kind in _ANSWER_KINDS and event.correct) or (
                kind == "exercise_run" and detail.get("passed") and not detail.get("recheck")):
            who.last_progress = event.at
        if who.first_active is None:
            who.first_active = event.at
        mode = detail.get("mode") or _MODE_OF_KIND.get(kind)
        if event.module:
            who.module = event.module
        if mode:
            who.mode = mode
        if kind == "mode_opened":
            who.item = None  # a new mode: the last item belonged to the one before
        elif event.item:
            who.item = event.item
        if kind == "step_viewed" and event.item:
            who.steps.add(event.item)
        elif kind == "test_started":
            who.test = (detail.get("test_id"), list(detail.get("questions") or []))
            who.test_answered = set()
        elif kind in ("test_finished", "test_abandoned"):
            who.test = None
            score, total = detail.get("score"), detail.get("total")
            if kind == "test_finished" and isinstance(score, (int, float)) and total:
                who.best_test = max(who.best_test or 0.0, score / total)
        elif kind == "question_answered":
            if who.test and detail.get("test_id") == who.test[0] and event.item:
                who.test_answered.add(event.item)
            self._first_answer(who, event)
        elif kind in ("exercise_opened", "exercise_run", "exercise_passed", "exercise_hint",
                      "exercise_reset") and event.item:
            self._exercise(who, event)

    def _first_answer(self, who: _Learner, event) -> None:
        if not event.item or (who.name.casefold(), event.item) in self._first_answered:
            return
        self._first_answered.add((who.name.casefold(), event.item))
        question = self._questions.setdefault(event.item, _Question(event.module or ""))
        question.answered += 1
        if event.correct:
            question.right += 1
        elif event.answer:
            question.wrong_picks[event.answer.upper()] += 1

    def _exercise(self, who: _Learner, event) -> None:
        exercise = self._exercises.setdefault(event.item, _Exercise())
        exercise.tried.add(who.name.casefold())
        if who.exercise != event.item:
            who.exercise, who.failing, who.same_failures = event.item, None, 0
        if event.kind == "exercise_passed":
            exercise.passed.add(who.name.casefold())
            who.passed.add(event.item)
            who.failing, who.same_failures = None, 0
        elif event.kind == "exercise_run" and not (event.detail or {}).get("recheck"):
            detail = event.detail or {}
            if detail.get("passed"):
                who.failing, who.same_failures = None, 0
                who.passed.add(event.item)
                exercise.passed.add(who.name.casefold())
                return
            exercise.failed_checks += 1
            failed = list(detail.get("failed_tests") or [])
            exercise.failed_tests.update(failed)
            check = failed[0] if failed else (detail.get("reason") or "the check")
            who.same_failures = who.same_failures + 1 if check == who.failing else 1
            who.failing = check

    # --- the view -------------------------------------------------------------------

    def view(self, now: datetime | None = None, *, joined: Iterable[str] = (),
             connected: Iterable[str] | None = None, hardest: int = 5,
             exercises: int = 5) -> RoomView:
        """The room at `now`; `joined` adds learners who have not recorded anything yet.

        `connected` names the learners whose app is connected now (`presence.connected`):
        they, and only they, are "active now" and in the room. Without it (events alone,
        no room database) a learner counts as active within `active_within` of their last
        event and in the room within `present_within`.
        """
        now = now or datetime.now(timezone.utc)
        for name in joined:
            if not name.startswith("@"):
                self.learner(name)
        live = None if connected is None else {name.casefold() for name in connected}
        for name in connected or ():
            if not name.startswith("@"):
                self.learner(name)
        learners = [self._now(who, now, live) for who in self._learners.values()]
        learners.sort(key=lambda l: (l.stuck is None, not l.active_now, l.name.casefold()))
        ranked = [(key, q) for key, q in self._questions.items() if q.answered >= self.min_answers]
        ranked.sort(key=lambda pair: (pair[1].right / pair[1].answered, -pair[1].answered, pair[0]))
        troubles = [ExerciseTrouble(key, len(x.tried), len(x.passed), x.failed_checks,
                                    x.failed_tests.most_common(1)[0][0] if x.failed_tests else None)
                    for key, x in self._exercises.items()]
        troubles.sort(key=lambda t: (-t.failed_checks, t.passed, t.id))
        return RoomView(
            taken_at=now, learners=learners,
            hardest=[self._hard(key, q) for key, q in ranked[:hardest]],
            exercises=troubles[:exercises], events=self.events, min_answers=self.min_answers,
            few_answers=sum(1 for q in self._questions.values()
                            if 0 < q.answered < self.min_answers))

    def _hard(self, key: str, question: _Question) -> HardQuestion:
        top = question.wrong_picks.most_common(1)
        return HardQuestion(key, question.module, question.answered,
                            question.right / question.answered,
                            top[0][0] if top else None,
                            top[0][1] / question.answered if top else 0.0)

    def _now(self, who: _Learner, now: datetime, live: set[str] | None = None) -> LearnerNow:
        if live is None:  # events alone: how recently they recorded something
            active = who.last_active is not None and now - who.last_active <= self.active_within
            in_room = who.last_active is not None and now - who.last_active <= self.present_within
        else:
            active = in_room = who.name.casefold() in live
        stuck = None
        if who.failing and who.same_failures >= self.repeated_failures:
            stuck = f"failed {who.failing} {who.same_failures} times in a row"
        elif in_room and (who.last_progress or who.first_active) is not None:
            # Sitting on one question for 12 minutes records nothing: still in the room.
            idle = now - (who.last_progress or who.first_active)
            if idle >= self.stuck_after:
                stuck = f"no progress for {int(idle.total_seconds() // 60)} min"
        return LearnerNow(
            name=who.name, module=who.module, mode=who.mode, item=who.item,
            where=self._where(who), exercise=who.exercise, failing=who.failing,
            same_failures=who.same_failures, steps_seen=len(who.steps),
            exercises_passed=len(who.passed), best_test=who.best_test,
            last_active=who.last_active, last_progress=who.last_progress,
            active_now=active, stuck=stuck)

    def _where(self, who: _Learner) -> str:
        if who.mode == "exercises" and who.exercise:
            state = f"failing {who.failing}" if who.failing else (
                "passed" if who.exercise in who.passed else "working")
            return f"exercise {who.exercise} · {state}"
        if who.module is None:
            return "joined"
        parts = [self._module_title(who.module)]
        if who.mode:
            parts.append(who.mode)
        place = self._place(who)
        if place:
            parts.append(place)
        return " · ".join(parts)

    def _place(self, who: _Learner) -> str | None:
        """'question 4 of 10' in a test, else the item's place in its module when known."""
        if who.mode == "test" and who.test and who.test[1]:
            shown = min(len(who.test_answered) + 1, len(who.test[1]))
            return f"question {shown} of {len(who.test[1])}"
        module = self._module(who.module)
        if module is None or not who.item:
            return None
        if who.mode in ("practice", "review"):
            ids = [q.id for q in module.questions]
            if who.item in ids:
                return f"question {ids.index(who.item) + 1} of {len(ids)}"
        if who.mode in ("buildup", "deep_dive"):
            ids = [s.id for s in module.lesson.steps]
            if who.item in ids:
                return f"step {ids.index(who.item) + 1} of {len(ids)}"
        return None

    def _module(self, module_id: str | None):
        if self.course is None or not module_id:
            return None
        try:
            return self.course.module(module_id)
        except (KeyError, LookupError):
            return None

    def _module_title(self, module_id: str) -> str:
        module = self._module(module_id)
        return module.title if module is not None else module_id


class LiveRoom:
    """A feed and a state together: `refresh()` reads what is new and returns the view."""

    def __init__(self, feed: RoomFeed, state: RoomState) -> None:
        self.feed, self.state = feed, state

    @classmethod
    def open(cls, db: Path, course: Course | None = None, **options) -> "LiveRoom":
        """Raises MlquizError (exit 2) when `db` is missing or not a room database."""
        return cls(RoomFeed(db), RoomState(course, **options))

    def refresh(self, now: datetime | None = None) -> RoomView:
        self.state.add(self.feed.read())
        return self.state.view(now, joined=self.feed.learner_names(),
                               connected=self.feed.connected(now))

    def close(self) -> None:
        self.feed.close()


def export_html(db: Path, course: Course | None, target: Path) -> Path:
    """Write the full instructor report of the room as one self-contained HTML file."""
    from mlquiz.workshop.collect import collect
    from mlquiz.workshop.render import render
    from mlquiz.workshop.report import build_report

    target.write_text(render(build_report(collect([db]), course), "html"),  # a path or a URL
                      encoding="utf-8")
    return target
