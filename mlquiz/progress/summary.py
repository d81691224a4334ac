"""Per-module summary of one learner, from the store's derived counters (not a log scan).

>>> rows = summarize(store, "ada", course)          # doctest: +SKIP
>>> rows[0].steps_seen, rows[0].steps_total         # doctest: +SKIP
(3, 7)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlquiz.progress.events import utc_now

if TYPE_CHECKING:
    from mlquiz.content.models import Course, Module
    from mlquiz.progress.store import ProgressStore


@dataclass(frozen=True, slots=True)
class ModuleSummary:
    """What one learner has done in one module; counts are of distinct course items."""

    module: str
    title: str
    steps_seen: int
    steps_total: int
    predictions_made: int  # first commitment per step counts
    predictions_right: int
    predictions_total: int
    myths_busted: int  # latest answer to the myth was right
    myths_total: int
    questions_answered: int
    questions_total: int
    answers: int  # every answer, repeats included
    answers_right: int
    best_test_score: float | None
    best_test_total: float | None
    exercises_passed: int
    exercises_total: int
    due_now: int
    time_spent_ms: int

    @property
    def accuracy(self) -> float | None:
        """Right answers / answers, or None before the first answer."""
        return self.answers_right / self.answers if self.answers else None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["accuracy"] = self.accuracy
        return data


# Positions in a `store.item_counts` row (module, kind, item first).
_N, _N_CORRECT, _FIRST_CORRECT, _LAST_CORRECT = 3, 4, 5, 6

# The item_stats kinds the summary counts (time spent comes from every kind, in SQL).
SUMMARY_KINDS = ("step_viewed", "prediction_committed", "myth_answered", "question_answered",
                 "exercise_passed", "exercise_run")


def item_modules(course: Course) -> dict[str, str]:
    """Content id -> module id for everything a learner can review (ids are course-unique)."""
    owner: dict[str, str] = {}
    for module in course.modules:
        lesson = module.lesson
        for ids in ([q.id for q in module.questions], [m.id for m in lesson.myths],
                    [s.id for s in lesson.steps], [c.id for c in module.flashcards],
                    [p.id for p in lesson.pitfalls]):
            for item_id in ids:
                owner.setdefault(item_id, module.id)
    for exercise in course.exercises:
        owner.setdefault(exercise.id, exercise.module)
    return owner


def summarize(store: ProgressStore, learner: str, course: Course,
              now: datetime | None = None) -> list[ModuleSummary]:
    """One ModuleSummary per module of the course, in course order."""
    now = now or utc_now()
    # Only the kinds counted below: a learner's flashcards alone can be half the rows.
    stats: dict[tuple[str, str, str], tuple] = {
        row[:3]: row for row in store.item_counts(learner, SUMMARY_KINDS)}
    time_spent = store.time_spent(learner)
    by_kind_item: dict[tuple[str, str], list[tuple]] = {}
    for (_, kind, item), row in stats.items():
        if kind.startswith("exercise_"):  # only exercises are looked up across modules
            by_kind_item.setdefault((kind, item), []).append(row)
    best = store.best_scores(learner)
    owner = item_modules(course)
    due: dict[str, int] = {}
    for state in store.due_review_items(learner, now):
        module_id = owner.get(state.item)
        if module_id is not None:
            due[module_id] = due.get(module_id, 0) + 1
    return [_module_summary(module, course, stats, by_kind_item, best.get(module.id),
                            due.get(module.id, 0), time_spent.get(module.id, 0))
            for module in course.modules]


def _module_summary(module: Module, course: Course, stats: dict, by_kind_item: dict,
                    best: Any, due_now: int, time_ms: int) -> ModuleSummary:
    def row(kind: str, item: str) -> dict[str, Any] | None:
        return stats.get((module.id, kind, item))

    lesson = module.lesson
    seen = [s for s in lesson.steps if row("step_viewed", s.id)]
    predicted = [r for s in lesson.steps if (r := row("prediction_committed", s.id))]
    myths = [r for m in lesson.myths if (r := row("myth_answered", m.id))]
    answered = [r for q in module.questions if (r := row("question_answered", q.id))]
    exercises = [e for e in course.exercises if e.module == module.id]
    passed = [e for e in exercises if _exercise_passed(by_kind_item, e.id)]
    return ModuleSummary(
        module=module.id, title=module.title,
        steps_seen=len(seen), steps_total=len(lesson.steps),
        predictions_made=len(predicted),
        predictions_right=sum(1 for r in predicted if r[_FIRST_CORRECT] == 1),
        predictions_total=sum(1 for s in lesson.steps if s.prediction is not None),
        myths_busted=sum(1 for r in myths if r[_LAST_CORRECT] == 1), myths_total=len(lesson.myths),
        questions_answered=len(answered), questions_total=len(module.questions),
        answers=sum(r[_N] for r in answered), answers_right=sum(r[_N_CORRECT] for r in answered),
        best_test_score=best.score if best else None, best_test_total=best.total if best else None,
        exercises_passed=len(passed), exercises_total=len(exercises),
        due_now=due_now, time_spent_ms=time_ms,
    )


def _exercise_passed(by_kind_item: dict, exercise_id: str) -> bool:
    """An exercise_passed event, or an exercise_run marked correct, in any module."""
    if by_kind_item.get(("exercise_passed", exercise_id)):
        return True
    return any(r[_N_CORRECT] for r in by_kind_item.get(("exercise_run", exercise_id), ()))
