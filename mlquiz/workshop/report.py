"""What the room did and found hard: the numbers behind `mlquiz report`.

>>> report = build_report(collect(paths), course)                  # doctest: +SKIP
>>> [(m.module, m.tests_analysed, m.cronbach_alpha) for m in report.modules]  # doctest: +SKIP
[('ml-technical-debt', 12, 0.733)]

Item statistics follow Moodle's quiz statistics report, one module (one test
form) at a time. They are computed on *finished* tests only (a test with a
test_finished event), each learner's first finished test of the module by
default (every finished test with all_attempts=True); a test that was
abandoned or never finished is left out of them and counted separately, with
the question each learner stopped at. In a finished test a question left
unanswered has mark 0, as in Moodle. x is the mark on a question, X the total
of that test; discrimination and efficiency correlate x with X - x, as Moodle
does for a fixed question in a slot. (For a question drawn by a random slot,
Moodle's per-question row correlates with X itself; mlquiz keeps the rest of
the test, which does not let the item inflate its own figure.) Cronbach's
alpha is computed per test position (slot), as Moodle does for tests that
draw random questions, over the tests that filled the most common number of
slots.

Learner time counts the time between a learner's consecutive events (reading
a step, an exercise's edit-and-check loop, an answer), each gap up to
IDLE_GAP; a longer gap is a break, and then only the answer time recorded
with the next event counts.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median
from typing import TYPE_CHECKING, Callable

from mlquiz.content.summaries import summary as _summary
from mlquiz.workshop import stats
from mlquiz.workshop.peer import ROOM_LEARNER, PollResult, replay
from mlquiz.workshop.peer import results as peer_results

if TYPE_CHECKING:
    from mlquiz.content.models import Course, Question
    from mlquiz.progress import Event
    from mlquiz.workshop.collect import Room

IDLE_GAP = timedelta(minutes=10)
FINISHED_KINDS = frozenset({"test_finished"})
# An event a learner records when they end a test on purpose (the TUI's abandon key).
ABANDONED_KINDS = frozenset({"test_abandoned"})

Summary = Callable[[str], str]  # markdown -> one plain line


@dataclass
class LearnerRow:
    name: str
    modules: list[str]
    steps_seen: int
    test_score: float | None  # best finished test, as a fraction
    exercises_passed: int
    time_spent_s: int
    last_active: datetime | None


@dataclass
class QuestionRow:
    id: str
    module: str
    stem: str                 # a plain one-line summary of the question
    answer: str | None
    attempts: int             # n: finished tests that held the question
    facility: float | None
    discrimination: float | None
    option_shares: dict[str, float]
    weak_distractors: list[str]  # picked by under 5% of the room
    efficiency: float | None = None  # Moodle's discriminative efficiency
    options: dict[str, str] = field(default_factory=dict)  # letter -> option text
    unanswered: int = 0       # finished tests that left it blank (mark 0)

    @property
    def few_answers(self) -> bool:
        """Under stats.FEW_ANSWERS answers: discrimination and efficiency are not read."""
        return self.attempts < stats.FEW_ANSWERS

    @property
    def flagged(self) -> bool:
        """Moodle: discrimination under 30% very likely needs checking (with enough answers)."""
        return (not self.few_answers and self.discrimination is not None
                and self.discrimination < stats.DISCRIMINATION_FLAG)

    @property
    def top_distractor(self) -> str | None:
        wrong = {o: s for o, s in self.option_shares.items() if o != self.answer and s > 0}
        return max(wrong, key=wrong.get) if wrong else None


@dataclass
class StopPoint:
    """Where unfinished tests stopped: the question on screen (1-based position)."""

    position: int             # 1..total; total + 1 means every question was answered
    total: int
    question: str | None      # its id (None after the last question)
    stem: str
    tests: int


@dataclass
class UnfinishedTests:
    abandoned: int = 0        # ended on purpose (an abandon event)
    left_open: int = 0        # never finished: the app closed, or still under way
    stopped_at: list[StopPoint] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.abandoned + self.left_open


@dataclass
class ModuleReport:
    module: str
    title: str
    tests_analysed: int
    cronbach_alpha: float | None
    questions: list[QuestionRow]  # hardest first
    unfinished: UnfinishedTests = field(default_factory=UnfinishedTests)


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
    modules: list[ModuleReport]
    exercises: list[ExerciseRow]
    first_attempts_only: bool
    warnings: list[str] = field(default_factory=list)
    peer: list[PollResult] = field(default_factory=list)  # peer instruction, poll by poll

    @property
    def questions(self) -> list[QuestionRow]:
        """Every module's questions, module by module."""
        return [q for m in self.modules for q in m.questions]

    @property
    def tests_analysed(self) -> int:
        return sum(m.tests_analysed for m in self.modules)

    def module(self, module_id: str) -> ModuleReport | None:
        return next((m for m in self.modules if m.module == module_id), None)


# --- learners -------------------------------------------------------------------


def time_spent_s(events: list[Event]) -> int:
    """Seconds of work in one learner's events (in time order); see the module docstring."""
    total = 0.0
    previous = None
    idle = IDLE_GAP.total_seconds()
    for event in events:
        gap = None if previous is None else (event.at - previous).total_seconds()
        if gap is not None and 0 <= gap <= idle:
            total += gap
        elif event.time_spent_ms:
            total += min(event.time_spent_ms / 1000, idle)
        previous = event.at
    return int(total)


def _learner_rows(by_learner: dict[str, list[Event]], names: set[str]) -> list[LearnerRow]:
    rows = []
    for name in sorted(names | set(by_learner)):
        mine = by_learner.get(name, [])
        best = None
        for e in mine:
            if e.kind in FINISHED_KINDS and e.detail.get("total"):
                fraction = e.detail.get("score", 0) / e.detail["total"]
                best = fraction if best is None else max(best, fraction)
        rows.append(LearnerRow(
            name=name,
            modules=sorted({e.module for e in mine if e.module}),
            steps_seen=len({(e.module, e.item) for e in mine if e.kind == "step_viewed"}),
            test_score=best,
            exercises_passed=len({e.item for e in mine if e.kind == "exercise_passed"}),
            time_spent_s=time_spent_s(mine),
            last_active=mine[-1].at if mine else None,
        ))
    return rows


# --- tests ------------------------------------------------------------------------


@dataclass
class _Test:
    start: Event
    slots: list[str]                       # question ids in the order shown
    answers: dict[str, Event] = field(default_factory=dict)  # first answer per question
    finished: bool = False
    abandoned: bool = False

    @property
    def module(self) -> str:
        return self.start.module or next((e.module for e in self.answers.values() if e.module), "")


def _tests(events: list[Event]) -> list[_Test]:
    """Every started test with its answers and how it ended, in start order."""
    tests: dict[str, _Test] = {}
    for e in events:
        detail = e.detail
        test_id = detail.get("test_id") if detail else None
        if not test_id:
            continue
        kind = e.kind
        if kind == "test_started":
            if test_id not in tests:
                tests[test_id] = _Test(e, list(detail.get("questions") or []))
            continue
        test = tests.get(test_id)
        if test is None:
            continue
        if kind == "question_answered":
            if detail.get("mode") == "test" and e.item not in test.answers:
                test.answers[e.item] = e
        elif kind in FINISHED_KINDS:
            test.finished = True
        elif kind in ABANDONED_KINDS:
            test.abandoned = True
    for test in tests.values():
        test.slots += [q for q in test.answers if q not in test.slots]
    return list(tests.values())


def _analysed(tests: list[_Test], all_attempts: bool) -> list[_Test]:
    """Finished tests: each learner's first finished one per module, or all of them."""
    chosen, seen = [], set()
    for test in tests:
        if not test.finished:
            continue
        key = (test.start.learner, test.module)
        if not all_attempts and key in seen:
            continue
        seen.add(key)
        chosen.append(test)
    return chosen


def _question_rows(tests: list[_Test], module_id: str, question_of: Callable[[str], Question | None],
                   summary: Summary) -> list[QuestionRow]:
    marks: dict[str, list[tuple[int, int]]] = defaultdict(list)  # item -> (x, X - x)
    picks: dict[str, list[str]] = defaultdict(list)
    blank: Counter[str] = Counter()
    for test in tests:
        total = sum(1 for e in test.answers.values() if e.correct)
        for item in test.slots:
            event = test.answers.get(item)
            x = 1 if event is not None and event.correct else 0
            marks[item].append((x, total - x))
            if event is None:
                blank[item] += 1
            else:
                picks[item].append((event.answer or "").upper())
    rows = []
    for item, pairs in marks.items():
        question = question_of(item)
        if question is not None and question.is_numeric:
            rows.append(_numeric_row(item, module_id, question, pairs, picks[item], blank[item],
                                     summary))
            continue
        letters = ([chr(65 + i) for i in range(len(question.options))] if question
                   else sorted({p for p in picks[item] if p}))
        right = question.answer if question else _right_from_events(tests, item)
        shares = stats.option_shares(picks[item], letters)
        xs, rest = [x for x, _ in pairs], [r for _, r in pairs]
        rows.append(QuestionRow(
            id=item, module=module_id,
            stem=summary(question.stem) if question else item,
            answer=right, attempts=len(pairs),
            facility=stats.facility(xs),
            discrimination=stats.discrimination(xs, rest),
            efficiency=stats.discriminative_efficiency(xs, rest),
            option_shares=shares,
            weak_distractors=[o for o, s in shares.items()
                              if o != right and s < stats.DISTRACTOR_FLAG],
            options={chr(65 + i): summary(text) for i, text in enumerate(question.options)}
            if question else {},
            unanswered=blank[item],
        ))
    rows.sort(key=lambda r: (r.facility if r.facility is not None else 2, r.id))
    return rows


OTHER_VALUE = "other"  # a numeric answer neither right nor one of the authored wrong values


def numeric_pick_key(question: Question, answer: str) -> str:
    """Which row of a numeric question's distractor table a recorded answer falls in:
    the right value, one authored wrong value (both as canonical numbers), or 'other'."""
    from mlquiz.content.models import format_number

    number = question.number
    try:
        value = float(answer)
    except ValueError:
        return OTHER_VALUE
    if number.accepts(value):
        return format_number(number.value)
    wrong = number.wrong_value_for(value)
    return format_number(wrong.value) if wrong is not None else OTHER_VALUE


def _numeric_row(item: str, module_id: str, question: Question, pairs: list[tuple[int, int]],
                 picks: list[str], unanswered: int, summary: Summary) -> QuestionRow:
    """Facility and discrimination as for any item; the 'options' are the right value, the
    authored common wrong values and 'other', each with the share of the room that typed it."""
    from mlquiz.content.models import format_number

    number = question.number
    right = format_number(number.value)
    keys = [right] + [format_number(w.value) for w in number.wrong_values] + [OTHER_VALUE]
    keys = list(dict.fromkeys(keys))
    shares = stats.option_shares([numeric_pick_key(question, p) for p in picks], keys)
    texts = {right: f"right: {number.shown()}", OTHER_VALUE: "any other value"}
    for wrong in number.wrong_values:
        texts.setdefault(format_number(wrong.value), summary(wrong.feedback))
    xs, rest = [x for x, _ in pairs], [r for _, r in pairs]
    return QuestionRow(
        id=item, module=module_id, stem=summary(question.stem), answer=right,
        attempts=len(pairs), facility=stats.facility(xs),
        discrimination=stats.discrimination(xs, rest),
        efficiency=stats.discriminative_efficiency(xs, rest),
        option_shares=shares,
        weak_distractors=[k for k, s in shares.items()
                          if k not in (right, OTHER_VALUE) and s < stats.DISTRACTOR_FLAG],
        options=texts, unanswered=unanswered,
    )


def _right_from_events(tests: list[_Test], item: str) -> str | None:
    for test in tests:
        event = test.answers.get(item)
        if event is not None and event.correct:
            return (event.answer or "").upper()
    return None


def _alpha(tests: list[_Test]) -> float | None:
    if not tests:
        return None
    length = Counter(len(t.slots) for t in tests).most_common(1)[0][0]
    matrix = [[1 if (e := t.answers.get(q)) is not None and e.correct else 0 for q in t.slots]
              for t in tests if len(t.slots) == length]
    return stats.cronbach_alpha(matrix)


def _unfinished(tests: list[_Test], question_of: Callable[[str], Question | None],
                summary: Summary) -> UnfinishedTests:
    out = UnfinishedTests()
    stops: Counter[tuple[int, int, str | None]] = Counter()
    for test in tests:
        if test.finished:
            continue
        if test.abandoned:
            out.abandoned += 1
        else:
            out.left_open += 1
        position = next((i for i, q in enumerate(test.slots, 1) if q not in test.answers),
                        len(test.slots) + 1)
        question = test.slots[position - 1] if position <= len(test.slots) else None
        stops[(position, len(test.slots), question)] += 1
    for (position, total, qid), count in sorted(stops.items(),
                                                key=lambda kv: (-kv[1], kv[0][0], kv[0][2] or "")):
        question = question_of(qid) if qid else None
        stem = summary(question.stem) if question else (qid or "")
        out.stopped_at.append(StopPoint(position, total, qid, stem, count))
    return out


def _module_reports(tests: list[_Test], course: Course | None, all_attempts: bool,
                    summary: Summary) -> list[ModuleReport]:
    by_module: dict[str, list[_Test]] = defaultdict(list)
    for test in tests:
        by_module[test.module].append(test)
    reports = []
    for module_id in sorted(by_module):
        module = course.module(module_id) if course is not None and module_id else None

        def question_of(item: str, module=module) -> Question | None:
            return module.question(item) if module is not None else None

        analysed = _analysed(by_module[module_id], all_attempts)
        reports.append(ModuleReport(
            module=module_id, title=module.title if module is not None else module_id,
            tests_analysed=len(analysed), cronbach_alpha=_alpha(analysed),
            questions=_question_rows(analysed, module_id, question_of, summary),
            unfinished=_unfinished(by_module[module_id], question_of, summary)))
    return reports


# --- exercises ----------------------------------------------------------------------


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


def module_statistics(events: list[Event], course: Course | None = None, *,
                      all_attempts: bool = False,
                      summary: Summary | None = None) -> list[ModuleReport]:
    """The per-module item statistics alone (what the live view needs), from any events."""
    return _module_reports(_tests(events), course, all_attempts, summary or _summary)


def build_report(room: Room, course: Course | None = None, *,
                 all_attempts: bool = False, summary: Summary | None = None) -> Report:
    """`summary(markdown) -> str` turns stems and options into one plain line (default:
    the first prose paragraph); commands/report.py passes content.summaries.summary."""
    from mlquiz.workshop.collect import gc_paused

    with gc_paused():  # a room of a million events: no collector passes over them meanwhile
        by_learner: dict[str, list[Event]] = defaultdict(list)
        for event in room.events:
            if event.learner != ROOM_LEARNER:  # the room's own timeline is not a learner
                by_learner[event.learner].append(event)
        return Report(
            learners=_learner_rows(by_learner, room.learners - {ROOM_LEARNER}),
            modules=module_statistics(room.events, course, all_attempts=all_attempts,
                                      summary=summary),
            exercises=_exercise_rows(room.events),
            first_attempts_only=not all_attempts,
            warnings=list(room.warnings),
            peer=peer_results(replay(room.events)),
        )
