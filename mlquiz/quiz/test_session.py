"""Test this pattern: ten questions across difficulties, no hints, a verdict at the end.

>>> questions = pick_test_questions(module, seen_ids={"q-debt-meaning"}, rng=7)   # doctest: +SKIP
>>> session = TestSession(module, questions)                                      # doctest: +SKIP
>>> session.answer(questions[0].id, "C", certainty=2)                            # doctest: +SKIP
True
>>> result = session.finish()      # records test_finished when a recorder was given  # doctest: +SKIP
>>> result.score, result.total, result.verdict, result.misses[0].revisit        # doctest: +SKIP
(7, 10, 'developing', 'step-what-is-debt')

The questions a session shows, records and scores are one list fixed when it
is made: `answer()` takes only the question being shown (`current`), and a
session rebuilt from its events (`TestSession.from_events`) has exactly the ids
its test_started recorded. With `learner`, each question's options are shown in
that learner's stable shuffled order (`mlquiz.quiz.shuffle`); `answer_shown()`
takes the letter on screen and records the authored one.
"""
from __future__ import annotations

import random
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from mlquiz.content.models import DIFFICULTIES, LETTERS
from mlquiz.quiz.scoring import cbm_mark, verdict
from mlquiz.quiz.shuffle import authored_letter, shown_order
from mlquiz.content.summaries import summary

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mlquiz.content.models import Module, Question
    from mlquiz.progress import Event


class Recorder(Protocol):
    """What a test session records through (quiz.recorder.Recorder is one); declared
    here so that the session and the recorder do not import each other."""

    def test_started(self, module_id: str, test_id: str, question_ids: list[str],
                     orders: Mapping[str, str] | None = None) -> Any: ...

    def answer(self, item_id: str, letter: str, *, mode: str, hint_level: int = 0,
               certainty: int | None = None, test_id: str | None = None,
               time_spent_ms: int | None = None, shown_order: str | None = None) -> Any: ...

    def test_finished(self, module_id: str, result: TestResult) -> Any: ...

    def test_abandoned(self, module_id: str, test_id: str, *, questions: list[str],
                       answered: int, reason: str = "ended") -> Any: ...

TEST_LENGTH = 10
# The difficulty mix of a ten-question test; scaled to other lengths and to what exists.
MIX: dict[str, int] = {"easy": 3, "medium": 4, "hard": 3}


def _as_rng(rng: random.Random | int | None) -> random.Random:
    return rng if isinstance(rng, random.Random) else random.Random(rng)


def allocate(available: dict[str, int], n: int = TEST_LENGTH) -> dict[str, int]:
    """How many questions of each difficulty: the 3/4/3 mix, capped by what exists.

    Seats go one at a time to the difficulty with the highest weight/(seats+1)
    that still has questions left, so a missing difficulty's share flows to the
    others and the mix stays as close to 3/4/3 as the module allows.

    >>> allocate({"easy": 5, "medium": 5, "hard": 5})
    {'easy': 3, 'medium': 4, 'hard': 3}
    >>> allocate({"easy": 8, "medium": 2, "hard": 1})
    {'easy': 7, 'medium': 2, 'hard': 1}
    """
    counts = {d: 0 for d in DIFFICULTIES}
    for _ in range(min(n, sum(available.get(d, 0) for d in DIFFICULTIES))):
        open_ = [d for d in DIFFICULTIES if counts[d] < available.get(d, 0)]
        best = max(open_, key=lambda d: MIX[d] / (counts[d] + 1))
        counts[best] += 1
    return counts


def pick_test_questions(module: Module, seen_ids: Collection[str] = (), n: int = TEST_LENGTH,
                        rng: random.Random | int | None = None,
                        practised_ids: Collection[str] = ()) -> list[Question]:
    """Up to `n` questions keeping the easy/medium/hard mix, fresh ones first.

    Within a difficulty, questions not met in Practice (`practised_ids`) come
    before those that were, while the pool allows it, so a test measures more
    than the memory of a practice round; among each group, questions never
    answered (`seen_ids`) come first. Order within a group is drawn from `rng`
    (a Random or a seed). The test runs easy, then medium, then hard.
    """
    rng = _as_rng(rng)
    seen, practised = set(seen_ids), set(practised_ids)
    by_difficulty: dict[str, list[Question]] = {d: [] for d in DIFFICULTIES}
    for q in module.questions:
        by_difficulty[q.difficulty].append(q)
    counts = allocate({d: len(qs) for d, qs in by_difficulty.items()}, n)
    picked: list[Question] = []
    for d in DIFFICULTIES:
        tiers: dict[tuple[bool, bool], list[Question]] = {}
        for q in by_difficulty[d]:
            tiers.setdefault((q.id in practised, q.id in seen), []).append(q)
        ordered: list[Question] = []
        for key in sorted(tiers):  # (not practised, unseen) first ... (practised, seen) last
            group = tiers[key]
            rng.shuffle(group)
            ordered.extend(group)
        picked.extend(ordered[: counts[d]])
    return picked


def seen_question_ids(events: Iterable[Event]) -> set[str]:
    """Ids of every question answered in any mode, from the learner's events."""
    return {e.item for e in events if e.kind == "question_answered" and e.item}


def practised_question_ids(events: Iterable[Event]) -> set[str]:
    """Ids of the questions the learner met in Practice: answered, hinted or solution shown."""
    return {e.item for e in events
            if e.item and e.kind in ("question_answered", "hint_revealed", "solution_revealed")
            and (e.detail or {}).get("mode") == "practice"}


def open_test_id(events: Iterable[Event]) -> str | None:
    """The latest test of these events that was started but neither finished nor abandoned."""
    started: list[str] = []
    closed: set[str] = set()
    for e in events:
        test_id = (e.detail or {}).get("test_id")
        if e.kind == "test_started" and test_id:
            started.append(test_id)
        elif e.kind in ("test_finished", "test_abandoned") and test_id:
            closed.add(test_id)
    return next((t for t in reversed(started) if t not in closed), None)


@dataclass(frozen=True, slots=True)
class DifficultyScore:
    right: int
    total: int
    verdict: str

    @property
    def fraction(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Miss:
    """A question got wrong (or left unanswered) and where to go back to.

    `revisit` is the first step id among the question's tags, else its first
    concept id, else its first tag, else ""; `revisit_kind` says which.
    """

    question_id: str
    stem: str
    difficulty: str
    chosen: str | None
    right_letter: str
    right_option: str
    revisit: str
    revisit_kind: str | None  # "step" | "concept" | "tag" | None
    revisit_title: str
    numeric: bool = False  # chosen is the typed value, right_option the right value as shown
    feedback: str = ""  # a numeric answer's feedback for the wrong value it matched

    @property
    def summary(self) -> str:
        """The question as one plain line (`mlquiz.content.summaries.summary` of its stem)."""
        return summary(self.stem)


@dataclass(frozen=True, slots=True)
class TestResult:
    __test__ = False  # not a pytest test class

    test_id: str
    module: str
    score: int
    total: int
    by_difficulty: dict[str, DifficultyScore]  # only the difficulties the test held
    verdict: str
    misses: tuple[Miss, ...]
    cbm_total: int | None = None  # None when no answer carried a certainty
    cbm_mean: float | None = None  # per answer that carried a certainty
    cbm_answers: int = 0

    @property
    def fraction(self) -> float:
        return self.score / self.total if self.total else 0.0

    def detail(self) -> dict[str, Any]:
        """The `detail` of the test_finished event (docs/internals.md)."""
        return {
            "test_id": self.test_id, "score": self.score, "total": self.total,
            "by_difficulty": {d: {"right": s.right, "total": s.total, "verdict": s.verdict}
                              for d, s in self.by_difficulty.items()},
            "verdict": self.verdict,
            "cbm": None if self.cbm_total is None else
                   {"total": self.cbm_total, "mean": self.cbm_mean, "answers": self.cbm_answers},
            "misses": [m.question_id for m in self.misses],
        }


def revisit_for(module: Module, question: Question) -> tuple[str, str | None, str]:
    """(tag, kind, title) of where to go back to after missing `question`."""
    step_ids = {s.id for s in module.lesson.steps}
    concept_ids = {c.id for c in module.concepts}
    for kind, ids in (("step", step_ids), ("concept", concept_ids)):
        tag = next((t for t in question.tags if t in ids), None)
        if tag is not None:
            return tag, kind, module.tag_title(tag)
    if question.tags:
        return question.tags[0], "tag", module.tag_title(question.tags[0])
    return "", None, ""


@dataclass
class _Answer:
    letter: str  # the authored letter, or a numeric answer's value in canonical form
    correct: bool
    certainty: int | None
    feedback: str = ""  # a numeric answer's wrong-value feedback


@dataclass
class TestSession:
    """One sitting of a test: answer each question once, in order, then `result()`.

    With a `recorder`, the session records test_started when created (unless
    `resumed`), one question_answered (mode "test") per answer, test_finished
    on `finish()` and test_abandoned on `abandon()`. With `learner`, options are
    shown in that learner's shuffled order (`orders[qid]`, authored letters in
    shown order); without, in authored order.
    """

    __test__ = False  # not a pytest test class

    module: Module
    questions: list[Question]
    recorder: Recorder | None = None
    test_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    learner: str | None = None
    resumed: bool = False  # rebuilt from events: test_started is already recorded
    _answers: dict[str, _Answer] = field(default_factory=dict, init=False)
    _finished: TestResult | None = field(default=None, init=False)
    abandoned: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.questions = list(self.questions)
        self._by_id = {q.id: q for q in self.questions}
        if len(self._by_id) != len(self.questions):
            raise ValueError("a test cannot hold the same question twice")
        self.orders = {q.id: (shown_order(self.learner, q.id, len(q.options)) if self.learner
                              else LETTERS[: len(q.options)]) for q in self.questions}
        if self.recorder is not None and not self.resumed:
            self.recorder.test_started(self.module.id, self.test_id,
                                       [q.id for q in self.questions], orders=self.orders)

    @classmethod
    def from_events(cls, module: Module, events: Iterable[Event], test_id: str, *,
                    recorder: Recorder | None = None, learner: str | None = None,
                    ) -> TestSession | None:
        """The test `test_id` rebuilt from its events, with its answers so far.

        The questions are exactly those its test_started recorded, the orders
        those it recorded (else recomputed for `learner`). None when the test is
        unknown or names a question the module no longer has. A finished or
        abandoned test comes back closed (`done`/`abandoned`) and never records again.
        """
        events = list(events)
        started = next((e for e in events if e.kind == "test_started"
                        and (e.detail or {}).get("test_id") == test_id), None)
        if started is None:
            return None
        questions = [module.question(q) for q in started.detail.get("questions", [])]
        if not questions or any(q is None for q in questions):
            return None
        session = cls(module, questions, recorder=None, test_id=test_id, learner=learner,
                      resumed=True)
        recorded = started.detail.get("shown_orders") or {}
        for qid, order in recorded.items():
            if qid in session.orders and sorted(order) == sorted(session.orders[qid]):
                session.orders[qid] = order
        closed = False
        for e in events:
            detail = e.detail or {}
            if detail.get("test_id") != test_id:
                continue
            if e.kind == "question_answered" and e.answer and e.item == getattr(
                    session.current, "id", None):
                session.answer(e.item, e.answer, certainty=detail.get("certainty"))
            elif e.kind == "test_finished":
                session._finished = session.result()
                closed = True
            elif e.kind == "test_abandoned":
                session.abandoned = closed = True
        if not closed:
            session.recorder = recorder
        return session

    @property
    def answered(self) -> int:
        return len(self._answers)

    @property
    def current(self) -> Question | None:
        """The question to show now: the first not answered yet; None when all are."""
        return next((q for q in self.questions if q.id not in self._answers), None)

    @property
    def done(self) -> bool:
        return self.current is None

    @property
    def closed(self) -> bool:
        """Finished (scored) or abandoned: nothing more is recorded."""
        return self._finished is not None or self.abandoned

    def answer_of(self, question_id: str) -> str | None:
        a = self._answers.get(question_id)
        return a.letter if a else None

    def shown_options(self, question_id: str) -> list[str]:
        """The option texts of a question in the order they are shown."""
        question = self._by_id[question_id]
        return [question.options[LETTERS.index(a)] for a in self.orders[question_id]]

    def answer_shown(self, question_id: str, shown: str, certainty: int | None = None,
                     *, time_spent_ms: int | None = None) -> bool:
        """Commit the option shown at letter `shown`; the authored letter is recorded."""
        order = self.orders.get(question_id)
        if order is None:
            raise ValueError(f"{question_id} is not a question of this test")
        if self._by_id[question_id].is_numeric:
            return self.answer(question_id, shown, certainty, time_spent_ms=time_spent_ms)
        shown = shown.strip().upper()
        if shown not in LETTERS[: len(order)]:
            raise ValueError(f"{shown!r} is not an option of {question_id}")
        return self.answer(question_id, authored_letter(order, shown), certainty,
                           time_spent_ms=time_spent_ms)

    def answer(self, question_id: str, letter: str, certainty: int | None = None,
               *, time_spent_ms: int | None = None) -> bool:
        """Commit the authored `letter` for the question being shown; True when right.

        Only `current` can be answered: an answer meant for another question
        (one already answered, one not shown yet, one of another test) is refused.
        """
        question = self._by_id.get(question_id)
        if question is None:
            raise ValueError(f"{question_id} is not a question of this test")
        if question_id in self._answers:
            raise ValueError(f"{question_id} was already answered in this test")
        if self.closed:
            raise ValueError(f"test {self.test_id} is over")
        if question is not self.current:
            raise ValueError(f"{question_id} is not the question being shown")
        if certainty is not None:
            cbm_mark(True, certainty)  # validates 1..3
        feedback = ""
        typed = letter
        if question.is_numeric:  # a typed number: NumberEntryError before anything is kept
            from mlquiz.quiz.numeric import mark_number

            mark = mark_number(question.number, letter)
            letter, correct, feedback = mark.text, mark.correct, mark.feedback
        else:
            letter = letter.strip().upper()
            if letter not in LETTERS[: len(question.options)]:
                raise ValueError(f"{letter!r} is not an option of {question_id}")
            correct = letter == question.answer.upper()
            typed = letter
        self._answers[question_id] = _Answer(letter, correct, certainty, feedback)
        if self.recorder is not None:
            self.recorder.answer(question_id, typed, mode="test", certainty=certainty,
                                 test_id=self.test_id, time_spent_ms=time_spent_ms,
                                 shown_order=None if question.is_numeric else self.orders[question_id])
        return correct
    def result(self) -> TestResult:
        """Score, verdicts and misses so far; unanswered questions count as misses."""
        by_difficulty: dict[str, DifficultyScore] = {}
        for d in DIFFICULTIES:
            qs = [q for q in self.questions if q.difficulty == d]
            if qs:
                right = sum(1 for q in qs if self._right(q.id))
                by_difficulty[d] = DifficultyScore(right, len(qs), verdict(right / len(qs)))
        score = sum(1 for q in self.questions if self._right(q.id))
        total = len(self.questions)
        misses = []
        for q in self.questions:
            if self._right(q.id):
                continue
            tag, kind, title = revisit_for(self.module, q)
            given = self._answers.get(q.id)
            misses.append(Miss(q.id, q.stem, q.difficulty, self.answer_of(q.id), q.answer.upper(),
                               q.right_option, tag, kind, title, numeric=q.is_numeric,
                               feedback=given.feedback if given else ""))
        marks = [cbm_mark(a.correct, a.certainty) for a in self._answers.values()
                 if a.certainty is not None]
        return TestResult(
            test_id=self.test_id, module=self.module.id, score=score, total=total,
            by_difficulty=by_difficulty, verdict=verdict(score / total if total else 0.0),
            misses=tuple(misses),
            cbm_total=sum(marks) if marks else None,
            cbm_mean=round(sum(marks) / len(marks), 3) if marks else None,
            cbm_answers=len(marks),
        )

    def finish(self) -> TestResult:
        """The result; records test_finished once when a recorder was given."""
        if self.abandoned:
            raise ValueError(f"test {self.test_id} was abandoned; it has no score")
        if self._finished is None:
            self._finished = self.result()
            if self.recorder is not None:
                self.recorder.test_finished(self.module.id, self._finished)
        return self._finished

    def abandon(self, reason: str = "ended") -> None:
        """End the test on purpose before its last answer: recorded once as test_abandoned.

        It is never scored, and `mlquiz.quiz.test_session.open_test_id` no longer offers it.
        """
        if self.closed:
            return
        self.abandoned = True
        if self.recorder is not None:
            self.recorder.test_abandoned(self.module.id, self.test_id,
                                         questions=[q.id for q in self.questions],
                                         answered=self.answered, reason=reason)

    def _right(self, question_id: str) -> bool:
        a = self._answers.get(question_id)
        return bool(a and a.correct)
