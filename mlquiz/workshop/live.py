"""What the instructor's live view shows: the room right now, read from the shared database.

>>> snap = room_snapshot(Path("room.db"), course)          # doctest: +SKIP
>>> [(l.name, l.active_now) for l in snap.learners]       # doctest: +SKIP
[('ada', True), ('grace', False)]
>>> snap.hardest[0].id, snap.hardest[0].top_distractor   # doctest: +SKIP
('q-glue-code', 'B')

Learners, tests and exercises come from the instructor report
(`collect` + `build_report`). The hardest questions are counted on each
learner's first answer to a question in any mode (practice, test, review),
so the room shows what it finds hard before anyone has taken a test.
The database is only ever opened read-only.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from mlquiz.workshop import stats
from mlquiz.workshop.collect import Room, collect
from mlquiz.workshop.report import Report, build_report

if TYPE_CHECKING:
    from mlquiz.content.models import Course
    from mlquiz.progress import Event

ACTIVE_WITHIN = timedelta(minutes=5)


@dataclass
class LiveLearner:
    name: str
    steps_seen: int
    best_test: float | None  # fraction
    exercises_passed: int
    last_active: datetime | None
    active_now: bool


@dataclass
class HardQuestion:
    id: str
    module: str
    answered: int             # learners who answered it
    facility: float           # share right on first answers
    top_distractor: str | None
    distractor_share: float   # share of the room that picked it


@dataclass
class ExerciseTrouble:
    id: str
    tried: int
    passed: int
    failed_checks: int
    most_failed_test: str | None


@dataclass
class RoomSnapshot:
    taken_at: datetime
    learners: list[LiveLearner]
    hardest: list[HardQuestion]
    exercises: list[ExerciseTrouble]
    events: int
    room: Room = field(repr=False)
    report: Report = field(repr=False)

    @property
    def active_count(self) -> int:
        return sum(1 for learner in self.learners if learner.active_now)

    @property
    def warnings(self) -> list[str]:
        return self.room.warnings


def _active_names(db: Path, now: datetime, within: timedelta) -> set[str]:
    from mlquiz.errors import MlquizError
    from mlquiz.progress import ProgressStore

    try:
        store = ProgressStore.open(db, read_only=True)
    except MlquizError:
        return set()
    try:
        return {s.learner for s in store.active_sessions(within=within, now=now)}
    finally:
        store.close()


def hardest_questions(events: list[Event], course: Course | None = None,
                      limit: int = 5) -> list[HardQuestion]:
    """Questions with the lowest share right on each learner's first answer."""
    first: dict[tuple[str, str], Event] = {}
    for event in events:
        if event.kind == "question_answered" and event.item:
            first.setdefault((event.learner, event.item), event)
    by_item: dict[str, list[Event]] = defaultdict(list)
    for (_, item), event in first.items():
        by_item[item].append(event)
    rows = []
    for item, answers in by_item.items():
        right = _right_letter(item, answers, course)
        picks = Counter((e.answer or "").upper() for e in answers if not e.correct and e.answer)
        top = picks.most_common(1)[0] if picks else None
        rows.append(HardQuestion(
            id=item, module=answers[0].module or "", answered=len(answers),
            facility=stats.facility([1 if e.correct else 0 for e in answers]) or 0.0,
            top_distractor=top[0] if top and top[0] != right else None,
            distractor_share=top[1] / len(answers) if top else 0.0))
    rows.sort(key=lambda r: (r.facility, -r.answered, r.id))
    return rows[:limit]


def _right_letter(item: str, answers: list[Event], course: Course | None) -> str | None:
    if course is not None:
        module = course.module(answers[0].module or "")
        question = module.question(item) if module else None
        if question is not None:
            return question.answer
    return next(((e.answer or "").upper() for e in answers if e.correct), None)


def exercise_troubles(events: list[Event], report: Report, limit: int = 5) -> list[ExerciseTrouble]:
    """Exercises with the most failed checks first."""
    failed = Counter(e.item for e in events
                     if e.kind == "exercise_run" and e.item and not e.detail.get("passed"))
    rows = [ExerciseTrouble(row.id, row.tried, row.passed, failed[row.id], row.most_failed_test)
            for row in report.exercises]
    rows.sort(key=lambda r: (-r.failed_checks, r.passed, r.id))
    return rows[:limit]


def room_snapshot(db: Path, course: Course | None = None, *, now: datetime | None = None,
                  active_within: timedelta = ACTIVE_WITHIN, limit: int = 5) -> RoomSnapshot:
    """Raises MlquizError while the room's database does not exist yet."""
    from mlquiz.errors import MlquizError

    if not Path(db).exists():
        raise MlquizError(f"{db} does not exist yet; waiting for the first learner to join")
    now = now or datetime.now(timezone.utc)
    room = collect([Path(db)])
    report = build_report(room, course)
    active = _active_names(Path(db), now, active_within)
    learners = [LiveLearner(
        name=row.name, steps_seen=row.steps_seen, best_test=row.test_score,
        exercises_passed=row.exercises_passed, last_active=row.last_active,
        active_now=row.name in active or (row.last_active is not None
                                           and now - row.last_active <= active_within))
        for row in report.learners]
    learners.sort(key=lambda l: (not l.active_now, l.name.lower()))
    return RoomSnapshot(taken_at=now, learners=learners,
                        hardest=hardest_questions(room.events, course, limit),
                        exercises=exercise_troubles(room.events, report, limit),
                        events=len(room.events), room=room, report=report)


def export_html(snapshot: RoomSnapshot, target: Path) -> Path:
    """Write the full instructor report as one self-contained HTML file."""
    from mlquiz.workshop.render import render

    target.write_text(render(snapshot.report, "html"), encoding="utf-8")
    return target
