"""What the room did and found hard: the numbers behind `mlquiz report`.

>>> report = build_report(collect(paths), course)   # doctest: +SKIP
>>> [q.id for q in report.questions if q.flagged]   # doctest: +SKIP
['q-glue-code']

Item statistics follow Moodle's quiz statistics report and are computed on
each learner's first test of a module by default (every test with
all_attempts=True): x is the mark on a question, X the total of that test.
Cronbach's alpha is computed per test position (slot), as Moodle does for
tests that draw random questions, over the tests that filled every slot.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import TYPE_CHECKING

from mlquiz.workshop import stats

if TYPE_CHECKING:
    from mlquiz.content.models import Course
    from mlquiz.progress import Event
    from mlquiz.workshop.collect import Room


@dataclass
class LearnerRow:
    name: str
    modules: list[str]
    steps_seen: int
    test_score: float | None  # best test, as a fraction
    exercises_passed: int
    time_spent_s: int
    last_active: datetime | None


@dataclass
class QuestionRow:
    id: str
    module: str
    stem: str
    answer: str | None
    attempts: int
    facility: float | None
    discrimination: float | None
    option_shares: dict[str, float]
    weak_distractors: list[str]  # picked by under 5% of the room

    @property
    def flagged(self) -> bool:
        """Moodle: discrimination under 30% very likely needs checking."""
        return self.discrimination is not None and self.discrimination < stats.DISCRIMINATION_FLAG

    @property
    def top_distractor(self) -> str | None:
        wrong = {o: s for o, s in self.option_shares.items() if o != self.answer and s > 0}
        return max(wrong, key=wrong.get) if wrong else None


@dataclass
class ExerciseRow:
    id: str
    tried: int
    passed: int
    median_attempts_to_pass: float | None
    median_minutes_to_pass: float | None
    most_failed_test: str | None
    most_failed_count: int


@dataclass
class Report:
    learners: list[LearnerRow]
    questions: list[QuestionRow]
    exercises: list[ExerciseRow]
    tests_analysed: int
    cronbach_alpha: float | None
    first_attempts_only: bool
    warnings: list[str] = field(default_factory=list)


def _learner_rows(events: list[Event], names: set[str]) -> list[LearnerRow]:
    by_learner: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_learner[event.learner].append(event)
    rows = []
    for name in sorted(names | set(by_learner)):
        mine = by_learner.get(name, [])
        best = None
        for e in mine:
            if e.kind == "test_finished" and e.detail.get("total"):
                fraction = e.detail.get("score", 0) / e.detail["total"]
                best = fraction if best is None else max(best, fraction)
        rows.append(LearnerRow(
            name=name,
            modules=sorted({e.module for e in mine if e.module}),
            steps_seen=len({(e.module, e.item) for e in mine if e.kind == "step_viewed"}),
            test_score=best,
            exercises_passed=len({e.item for e in mine if e.kind == "exercise_passed"}),
            time_spent_s=sum(e.time_spent_ms or 0 for e in mine) // 1000,
            last_active=max((e.at for e in mine), default=None),
        ))
    return rows


def _tests(events: list[Event], all_attempts: bool) -> list[list[Event]]:
    """The answers of each analysed test, in slot order (test_started's question list)."""
    started: dict[str, Event] = {}
    answers: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        test_id = e.detail.get("test_id") if e.detail else None
        if not test_id:
            continue
        if e.kind == "test_started":
            started.setdefault(test_id, e)
        elif e.kind == "question_answered" and e.detail.get("mode") == "test":
            answers[test_id].append(e)
    chosen: list[str] = []
    first_per_learner_module: set[tuple[str, str | None]] = set()
    for test_id, start in sorted(started.items(), key=lambda kv: kv[1].at):
        key = (start.learner, start.module)
        if not all_attempts and key in first_per_learner_module:
            continue
        first_per_learner_module.add(key)
        chosen.append(test_id)
    tests = []
    for test_id in chosen:
        order = started[test_id].detail.get("questions") or []
        first_answer: dict[str, Event] = {}
        for e in answers[test_id]:
            first_answer.setdefault(e.item, e)
        slots = [first_answer[q] for q in order if q in first_answer]
        slots += [e for q, e in first_answer.items() if q not in order]
        if slots:
            tests.append(slots)
    return tests


def _question_rows(tests: list[list[Event]], course: Course | None) -> list[QuestionRow]:
    marks: dict[str, list[tuple[int, int]]] = defaultdict(list)  # item -> (x, X - x)
    picks: dict[str, list[str]] = defaultdict(list)
    module_of: dict[str, str] = {}
    for answers in tests:
        total = sum(1 for e in answers if e.correct)
        for e in answers:
            x = 1 if e.correct else 0
            marks[e.item].append((x, total - x))
            picks[e.item].append((e.answer or "").upper())
            module_of[e.item] = e.module or ""
    rows = []
    for item, pairs in marks.items():
        question = None
        if course is not None:
            module = course.module(module_of[item])
            question = module.question(item) if module else None
        letters = ([chr(65 + i) for i in range(len(question.options))] if question
                   else sorted({p for p in picks[item] if p}))
        right = question.answer if question else _right_from_events(tests, item)
        shares = stats.option_shares(picks[item], letters)
        rows.append(QuestionRow(
            id=item, module=module_of[item],
            stem=(question.stem.strip().splitlines()[0] if question else item),
            answer=right, attempts=len(pairs),
            facility=stats.facility([x for x, _ in pairs]),
            discrimination=stats.discrimination([x for x, _ in pairs], [r for _, r in pairs]),
            option_shares=shares,
            weak_distractors=[o for o, s in shares.items()
                              if o != right and s < stats.DISTRACTOR_FLAG],
        ))
    rows.sort(key=lambda r: (r.facility if r.facility is not None else 2, r.id))
    return rows


def _right_from_events(tests: list[list[Event]], item: str) -> str | None:
    for answers in tests:
        for e in answers:
            if e.item == item and e.correct:
                return (e.answer or "").upper()
    return None


def _alpha(tests: list[list[Event]]) -> float | None:
    if not tests:
        return None
    length = Counter(len(t) for t in tests).most_common(1)[0][0]
    matrix = [[1 if e.correct else 0 for e in t] for t in tests if len(t) == length]
    return stats.cronbach_alpha(matrix)


def _exercise_rows(events: list[Event]) -> list[ExerciseRow]:
    runs: dict[str, dict[str, list[Event]]] = defaultdict(lambda: defaultdict(list))
    for e in events:
        if e.kind in ("exercise_opened", "exercise_run", "exercise_passed") and e.item:
            runs[e.item][e.learner].append(e)
    rows = []
    for exercise_id, per_learner in sorted(runs.items()):
        attempts, minutes, failures = [], [], Counter()
        passed = 0
        for learner_events in per_learner.values():
            opened = next((e.at for e in learner_events if e.kind == "exercise_opened"), None)
            checks = 0
            for e in learner_events:
                if e.kind == "exercise_run" and not e.detail.get("recheck"):
                    checks += 1
                    failures.update(e.detail.get("failed_tests") or [])
                if e.kind == "exercise_passed":
                    passed += 1
                    attempts.append(max(checks, 1))
                    start = opened or learner_events[0].at
                    minutes.append((e.at - start).total_seconds() / 60)
                    break
        top = failures.most_common(1)
        rows.append(ExerciseRow(
            id=exercise_id, tried=len(per_learner), passed=passed,
            median_attempts_to_pass=median(attempts) if attempts else None,
            median_minutes_to_pass=median(minutes) if minutes else None,
            most_failed_test=top[0][0] if top else None,
            most_failed_count=top[0][1] if top else 0,
        ))
    return rows


def build_report(room: Room, course: Course | None = None, *,
                 all_attempts: bool = False) -> Report:
    from mlquiz.workshop.collect import gc_paused

    with gc_paused():  # a room of a million events: no collector passes over them meanwhile
        tests = _tests(room.events, all_attempts)
        return Report(
            learners=_learner_rows(room.events, room.learners),
            questions=_question_rows(tests, course),
            exercises=_exercise_rows(room.events),
            tests_analysed=len(tests),
            cronbach_alpha=_alpha(tests),
            first_attempts_only=not all_attempts,
            warnings=list(room.warnings),
        )
