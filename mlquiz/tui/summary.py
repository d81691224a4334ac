"""Read-only views of the learner's progress for the screens (labels, fractions).

>>> resume_label(ctx, ctx.store.position("ada"))  # doctest: +SKIP
'Continue where you left off: Tiny debt › Build-up · Step 3 title'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlquiz.tui.modes import is_mode, mode


def resume_label(ctx, position) -> str:
    """The Continue button's text for a saved position (or the first module)."""
    if position is None or ctx.course.module(position.module or "") is None:
        first = ctx.course.modules[0]
        return f"Start here: {first.title} › Build-up"
    module = ctx.course.module(position.module)
    where = "module page" if position.screen == "module" else (
        mode(position.screen).title if is_mode(position.screen) else position.screen)
    item = item_title(module, position.item, ctx.course)
    text = f"Continue where you left off: {module.title} › {where}"
    return f"{text} · {item}" if item else text


def current_module(ctx):
    """The module of the learner's saved position while the course still has it, else the first."""
    position = ctx.store.position(ctx.learner) if ctx.learner else None
    module = ctx.course.module(position.module or "") if position else None
    return module or ctx.course.modules[0]


def place(exercise_id: str, file: str | None = None) -> str:
    """The saved position item of an exercise screen: 'training-serving-skew:serve.py'."""
    return f"{exercise_id}:{file}" if file else exercise_id


def parse_place(item: str | None) -> tuple[str | None, str | None]:
    """('training-serving-skew', 'serve.py') from a saved position item."""
    if not item:
        return None, None
    exercise_id, _, file = item.partition(":")
    return exercise_id, file or None


def item_title(module, item_id: str | None, course=None) -> str:
    """A short readable name for a step, question, myth, card, pitfall or section,
    or (given the course) an exercise place: 'Fix the skew (serve.py)'."""
    if not item_id:
        return ""
    if course is not None:
        exercise_id, file = parse_place(item_id)
        exercise = course.exercise(exercise_id or "")
        if exercise is not None:
            return f"{exercise.title} ({file})" if file else exercise.title
    lesson = module.lesson
    for number, step in enumerate(lesson.steps, start=1):
        if step.id == item_id:
            return f"step {number}: {step.title}"
    for number, question in enumerate(module.questions, start=1):
        if question.id == item_id:
            return f"question {number}"
    for number, myth in enumerate(lesson.myths, start=1):
        if myth.id == item_id:
            return f"myth {number}"
    for number, card in enumerate(module.flashcards, start=1):
        if card.id == item_id:
            return f"card {number}"
    for pitfall in lesson.pitfalls:
        if pitfall.id == item_id:
            return pitfall.title
    return ""


@dataclass(frozen=True)
class HomeOutlook:
    """What the wide home's side panel shows (see `home_outlook`)."""

    module_title: str
    due_now: int
    due_tomorrow: int
    due_this_week: int
    concepts: tuple[tuple[str, Any], ...]  # (readable name, quiz.mastery.Mastery)
    streak: int
    last_test: tuple[int, int] | None      # (score, total) of the module's latest test


def home_outlook(ctx) -> HomeOutlook:
    """Review outlook, the current module's mastery per concept, streak and last test.

    Reads the store (and imports the scheduler): the home screen calls it in a worker.

    >>> home_outlook(ctx).due_tomorrow  # doctest: +SKIP
    1
    """
    from mlquiz.quiz.mastery import concept_masteries
    from mlquiz.quiz.scheduler import Scheduler

    module = current_module(ctx)
    due = Scheduler(ctx.store, ctx.learner, now=ctx.clock).due_counts()
    events = ctx.store.events(ctx.learner)
    module_events = [e for e in events if e.module == module.id]
    masteries = concept_masteries(module_events, module)
    scores = test_scores(module_events)
    return HomeOutlook(
        module_title=module.title, due_now=due.now, due_tomorrow=due.tomorrow,
        due_this_week=due.this_week,
        concepts=tuple((concept_name(module, tag), m) for tag, m in masteries.items()),
        streak=study_streak(events, ctx.now().date()),
        last_test=scores[-1] if scores else None)


def concept_name(module, tag: str) -> str:
    """A step's or concept's title for a tag, else the tag itself."""
    for step in module.lesson.steps:
        if step.id == tag:
            return step.title
    for concept in module.concepts:
        if concept.id == tag:
            return concept.title
    return tag


def module_masteries(ctx, events=None) -> dict:
    """Each module's mastery (mlquiz.quiz.mastery) from the learner's events
    (read from the store unless the caller has them already)."""
    from mlquiz.quiz.mastery import module_mastery

    if events is None:
        events = ctx.store.events(ctx.learner)
    return {m.id: module_mastery([e for e in events if e.module == m.id], m)
            for m in ctx.course.modules}


MODE_OF_KIND = {"myth_answered": "myths", "prediction_committed": "buildup",
                "card_reviewed": "flashcards", "pitfall_answered": "pitfalls"}


def answer_runs(events, chunk: int = 5) -> dict[str, list[tuple[int, int]]]:
    """Per mode, (right, answered) in each run of `chunk` answers, oldest first.

    >>> answer_runs(store.events("ada", module="m"))  # doctest: +SKIP
    {'practice': [(3, 5), (4, 5)], 'test': [(7, 10)]}
    """
    return {m: [(round(f * n), n) for f, n in runs]
            for m, runs in _runs(events, chunk).items()}


def _runs(events, chunk: int) -> dict[str, list[tuple[float, int]]]:
    from mlquiz.quiz.items import ANSWER_EVENT_KINDS

    answers: dict[str, list[bool]] = {}
    for e in sorted(events, key=lambda e: (e.at, e.id)):
        if e.kind not in ANSWER_EVENT_KINDS or e.correct is None:
            continue
        study_mode = (e.detail or {}).get("mode") or MODE_OF_KIND.get(e.kind, "practice")
        answers.setdefault(study_mode, []).append(bool(e.correct))
    return {m: [(sum(run) / len(run), len(run)) for run in (marks[i:i + chunk]
                                                           for i in range(0, len(marks), chunk))]
            for m, marks in answers.items()}


def accuracy_series(events, chunk: int = 5) -> dict[str, list[float]]:
    """Per mode, the share right in each run of `chunk` answers, oldest first.

    >>> accuracy_series(store.events("ada", module="m"))  # doctest: +SKIP
    {'practice': [0.6, 0.8], 'test': [0.7]}
    """
    from mlquiz.quiz.items import ANSWER_EVENT_KINDS

    answers: dict[str, list[bool]] = {}
    for e in sorted(events, key=lambda e: (e.at, e.id)):
        if e.kind not in ANSWER_EVENT_KINDS or e.correct is None:
            continue
        study_mode = (e.detail or {}).get("mode") or MODE_OF_KIND.get(e.kind, "practice")
        answers.setdefault(study_mode, []).append(bool(e.correct))
    return {m: [sum(run) / len(run) for run in (marks[i:i + chunk]
                                                for i in range(0, len(marks), chunk))]
            for m, marks in answers.items()}


def test_scores(events) -> list[tuple[int, int]]:
    """(score, total) of each finished test, oldest first."""
    out = []
    for e in sorted(events, key=lambda e: (e.at, e.id)):
        if e.kind == "test_finished":
            detail = e.detail or {}
            out.append((int(detail.get("score") or 0), int(detail.get("total") or 0)))
    return out


def study_streak(events, today) -> int:
    """Consecutive study days ending today (or yesterday, if nothing yet today)."""
    from datetime import timedelta

    days = {e.at.date() for e in events}
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak
