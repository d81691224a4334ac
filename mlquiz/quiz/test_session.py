"""Test this pattern: ten questions across difficulties, no hints, a verdict at the end.

>>> questions = pick_test_questions(module, seen_ids={"q-debt-meaning"}, rng=7)   # doctest: +SKIP
>>> session = TestSession(module, questions)                                      # doctest: +SKIP
>>> session.answer(questions[0].id, "C", certainty=2)                            # doctest: +SKIP
True
>>> result = session.finish()      # records test_finished when a recorder was given  # doctest: +SKIP
>>> result.score, result.total, result.verdict, result.misses[0].revisit        # doctest: +SKIP
(7, 10, 'developing', 'step-what-is-debt')
"""
from __future__ import annotations

import random
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlquiz.content.models import DIFFICULTIES, LETTERS
from mlquiz.quiz.scoring import cbm_mark, verdict

if TYPE_CHECKING:
    from mlquiz.content.models import Module, Question
    from mlquiz.progress import Event
    from mlquiz.quiz.recorder import Recorder

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
                        rng: random.Random | int | None = None) -> list[Question]:
    """Up to `n` questions keeping the easy/medium/hard mix, unseen ones first.

    Within a difficulty, questions the learner has not answered before
    (`seen_ids`) come first, in a random order drawn from `rng` (a Random or a
    seed); seen ones fill the rest. The test runs easy, then medium, then hard.
    """
    rng = _as_rng(rng)
    seen = set(seen_ids)
    by_difficulty: dict[str, list[Question]] = {d: [] for d in DIFFICULTIES}
    for q in module.questions:
        by_difficulty[q.difficulty].append(q)
    counts = allocate({d: len(qs) for d, qs in by_difficulty.items()}, n)
    picked: list[Question] = []
    for d in DIFFICULTIES:
        unseen = [q for q in by_difficulty[d] if q.id not in seen]
        again = [q for q in by_difficulty[d] if q.id in seen]
        rng.shuffle(unseen)
        rng.shuffle(again)
        picked.extend((unseen + again)[: counts[d]])
    return picked


def seen_question_ids(events: Iterable[Event]) -> set[str]:
    """Ids of every question answered in any mode, from the learner's events."""
    return {e.item for e in events if e.kind == "question_answered" and e.item}


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
    letter: str
    correct: bool
    certainty: int | None


@dataclass
class TestSession:
    """One sitting of a test: answer each question once, then `result()`.

    With a `recorder`, the session records test_started when created, one
    question_answered (mode "test") per answer, and test_finished on `finish()`.
    """

    __test__ = False  # not a pytest test class

    module: Module
    questions: list[Question]
    recorder: Recorder | None = None
    test_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    _answers: dict[str, _Answer] = field(default_factory=dict, init=False)
    _finished: TestResult | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.questions = list(self.questions)
        self._by_id = {q.id: q for q in self.questions}
        if self.recorder is not None:
            self.recorder.test_started(self.module.id, self.test_id, [q.id for q in self.questions])

    @property
    def answered(self) -> int:
        return len(self._answers)

    @property
    def current(self) -> Question | None:
        """The first question not answered yet; None when all are."""
        return next((q for q in self.questions if q.id not in self._answers), None)

    @property
    def done(self) -> bool:
        return self.current is None

    def answer_of(self, question_id: str) -> str | None:
        a = self._answers.get(question_id)
        return a.letter if a else None

    def answer(self, question_id: str, letter: str, certainty: int | None = None,
               *, time_spent_ms: int | None = None) -> bool:
        """Commit the answer to one question; True when right. Each question once."""
        question = self._by_id.get(question_id)
        if question is None:
            raise ValueError(f"{question_id} is not a question of this test")
        if question_id in self._answers:
            raise ValueError(f"{question_id} was already answered in this test")
        letter = letter.strip().upper()
        if letter not in LETTERS[: len(question.options)]:
            raise ValueError(f"{letter!r} is not an option of {question_id}")
        if certainty is not None:
            cbm_mark(True, certainty)  # validates 1..3
        correct = letter == question.answer.upper()
        self._answers[question_id] = _Answer(letter, correct, certainty)
        if self.recorder is not None:
            self.recorder.answer(question_id, letter, mode="test", certainty=certainty,
                                 test_id=self.test_id, time_spent_ms=time_spent_ms)
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
            misses.append(Miss(q.id, q.stem, q.difficulty, self.answer_of(q.id), q.answer.upper(),
                               q.right_option, tag, kind, title))
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
        if self._finished is None:
            self._finished = self.result()
            if self.recorder is not None:
                self.recorder.test_finished(self.module.id, self._finished)
        return self._finished

    def _right(self, question_id: str) -> bool:
        a = self._answers.get(question_id)
        return bool(a and a.correct)
