"""Practice: one question at a time, hints on request, the worked solution after.

No score: a question stays in the round until it is answered right; a wrong
one goes to the back of the line.

>>> session = PracticeSession.from_events(module, store.events("ada", module=module.id),
...                                       recorder=recorder)          # doctest: +SKIP
>>> q = session.current                                               # doctest: +SKIP
>>> session.hint()            # records hint_revealed; a right answer now rates Hard  # doctest: +SKIP
>>> fb = session.answer("B")  # records question_answered (mode "practice")           # doctest: +SKIP
>>> fb.correct, fb.right_letter, [s.title for s in fb.solution]                       # doctest: +SKIP
>>> session.advance()         # the next question, or None when every one is right  # doctest: +SKIP
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlquiz.content.models import LETTERS

if TYPE_CHECKING:
    from mlquiz.content.models import Module, Question, SolutionStep
    from mlquiz.progress import Event
    from mlquiz.quiz.items import ReviewItem
    from mlquiz.quiz.recorder import Recorder

PRACTICE_ROUND = 5  # questions in the round offered when no review is due


@dataclass(frozen=True, slots=True)
class OptionFeedback:
    letter: str
    text: str
    feedback: str  # the per-option feedback of the content, "" if none
    right: bool
    chosen: bool


@dataclass(frozen=True, slots=True)
class Feedback:
    """Everything to show after one practice answer."""

    question_id: str
    correct: bool
    chosen: str
    right_letter: str
    right_option: str
    options: tuple[OptionFeedback, ...]
    general_feedback: str
    solution: tuple[SolutionStep, ...]
    final_answer: str
    quick_check: str
    common_mistakes: tuple[str, ...]
    hint_used: bool
    order: str = ""  # authored letters in the order shown ("" = as authored)
    numeric: bool = False  # a typed number: `chosen` is the value, `right_option` the right one
    value_feedback: str = ""  # a numeric answer's feedback for the wrong value it matched

    @property
    def chosen_feedback(self) -> str:
        if self.numeric:
            return self.value_feedback
        return next((o.feedback for o in self.options if o.chosen), "")

    def shown(self, authored: str) -> str:
        """The letter on screen of an authored letter (this learner's order)."""
        from mlquiz.quiz.shuffle import shown_letter

        return shown_letter(self.order, authored) if self.order else authored

    def text(self, markdown: str) -> str:
        """Course text with the letters it names turned into the letters on screen."""
        from mlquiz.quiz.shuffle import show_letters

        return show_letters(self.order, markdown) if self.order else markdown


def feedback_for(question: Question, letter: str, *, hint_used: bool = False,
                 order: str = "") -> Feedback:
    """The feedback object for answering `question` with `letter` (no recording); for a
    numeric question `letter` is the typed text (raises NumberEntryError if not a number)."""
    if question.is_numeric:
        from mlquiz.quiz.numeric import mark_number

        mark = mark_number(question.number, letter)
        return Feedback(
            question_id=question.id, correct=mark.correct, chosen=mark.text, right_letter="",
            right_option=question.right_option, options=(),
            general_feedback=question.general_feedback, solution=tuple(question.solution),
            final_answer=question.final_answer, quick_check=question.quick_check,
            common_mistakes=tuple(question.common_mistakes), hint_used=hint_used,
            numeric=True, value_feedback=mark.feedback,
        )
    chosen = letter.strip().upper()
    right = question.answer.upper()
    options = tuple(
        OptionFeedback(LETTERS[i], text, question.feedback_for(LETTERS[i]),
                       LETTERS[i] == right, LETTERS[i] == chosen)
        for i, text in enumerate(question.options)
    )
    return Feedback(
        question_id=question.id, correct=chosen == right, chosen=chosen, right_letter=right,
        right_option=question.right_option, options=options,
        general_feedback=question.general_feedback, solution=tuple(question.solution),
        final_answer=question.final_answer, quick_check=question.quick_check,
        common_mistakes=tuple(question.common_mistakes), hint_used=hint_used, order=order,
    )


def answered_right_in_practice(events: Iterable[Event], module_id: str | None = None) -> set[str]:
    """Ids of questions answered right at least once in practice mode."""
    return {
        e.item for e in events
        if e.kind == "question_answered" and e.correct and e.item
        and (e.detail or {}).get("mode") == "practice"
        and (module_id is None or e.module == module_id)
    }


def open_hints(events: Iterable[Event]) -> set[str]:
    """Ids of items whose hint was revealed and not answered since (events in time order):
    the hint stays on screen, across escape and restart, and the next answer carries
    hint_level 1 (review then rates a right answer Hard, not Good)."""
    from mlquiz.quiz.items import ANSWER_EVENT_KINDS

    hinted: set[str] = set()
    for e in events:
        if not e.item:
            continue
        if e.kind == "hint_revealed":
            hinted.add(e.item)
        elif e.kind in ANSWER_EVENT_KINDS:
            hinted.discard(e.item)
    return hinted


def practice_round(recorder: Recorder) -> list[ReviewItem]:
    """Up to PRACTICE_ROUND questions of the course, those not yet answered right in
    practice first (the round `mlquiz review` offers when nothing is due)."""
    done = answered_right_in_practice(
        recorder.store.events(recorder.learner, kind="question_answered"))
    questions = [i for i in recorder.items.values() if i.kind == "question"]
    fresh = [q for q in questions if q.id not in done]
    return (fresh + [q for q in questions if q.id in done])[:PRACTICE_ROUND]


class PracticeSession:
    """The practice round of one module.

    `current` is the question on screen; `answer(letter)` may be called more
    than once on it (each answer is recorded); `advance()` moves on: a question
    answered right leaves the round, one answered wrong goes to the back.
    """

    def __init__(self, module: Module, *, answered_right: Iterable[str] = (),
                 recorder: Recorder | None = None, start_at: str | None = None,
                 hinted: Iterable[str] = (), learner: str | None = None) -> None:
        self.module = module
        self.recorder = recorder
        self.learner = learner  # options in this learner's shuffled order (quiz/shuffle.py)
        done = set(answered_right)
        self._pending: deque[Question] = deque(q for q in module.questions if q.id not in done)
        if start_at is not None and self._pending:
            # Resume on that question; when it has since left the round (answered
            # right), on the first question after it in the module's order.
            order = [q.id for q in module.questions]
            after = order.index(start_at) if start_at in order else -1
            pending_ids = [q.id for q in self._pending]
            target = start_at if start_at in pending_ids else next(
                (qid for qid in order[after + 1:] if qid in pending_ids), pending_ids[0])
            while self._pending[0].id != target:
                self._pending.rotate(-1)
        self._hinted: set[str] = set(hinted)  # hints revealed and not answered since
        self._last: Feedback | None = None

    @classmethod
    def from_events(cls, module: Module, events: Iterable[Event], *,
                    recorder: Recorder | None = None, start_at: str | None = None,
                    learner: str | None = None) -> PracticeSession:
        """A round of the questions not yet answered right in practice; a hint revealed
        and not answered since (`open_hints`) is still revealed."""
        events = list(events)
        return cls(module, answered_right=answered_right_in_practice(events, module.id),
                   recorder=recorder, start_at=start_at, hinted=open_hints(events),
                   learner=learner)

    @property
    def current(self) -> Question | None:
        return self._pending[0] if self._pending else None

    @property
    def remaining(self) -> int:
        """Questions still in the round, the current one included."""
        return len(self._pending)

    @property
    def done(self) -> bool:
        return not self._pending

    @property
    def last_feedback(self) -> Feedback | None:
        """The feedback of the last answer to the current question, if any."""
        return self._last

    def hint_used(self, question_id: str | None = None) -> bool:
        qid = question_id or (self.current.id if self.current else "")
        return qid in self._hinted

    def hint(self) -> str:
        """The current question's hint; recorded, and a right answer then rates Hard."""
        question = self._require_current()
        if question.id not in self._hinted:
            self._hinted.add(question.id)
            if self.recorder is not None:
                self.recorder.hint(question.id, mode="practice")
        return question.hint

    def order(self, question: Question | None = None) -> str:
        """Authored letters in the order shown: "CADB" (the learner's own), or "ABCD"."""
        from mlquiz.quiz.shuffle import order_for

        question = question or self._require_current()
        return order_for(self.learner, question.id, len(question.options))

    def shown_options(self) -> list[str]:
        """The current question's option texts in the order shown."""
        from mlquiz.quiz.shuffle import shown_options

        question = self._require_current()
        return shown_options(self.order(question), question.options)

    def answer_shown(self, shown: str, *, time_spent_ms: int | None = None) -> Feedback:
        """Answer with the letter on screen; recorded as the authored one, with the order shown."""
        from mlquiz.quiz.shuffle import authored_letter

        question = self._require_current()
        if question.is_numeric:
            return self.answer(shown, time_spent_ms=time_spent_ms)
        order = self.order(question)
        if shown.strip().upper() not in LETTERS[: len(order)]:
            raise ValueError(f"{shown!r} is not an option of {question.id}")
        return self.answer(authored_letter(order, shown.strip()), time_spent_ms=time_spent_ms)

    def answer(self, letter: str, *, time_spent_ms: int | None = None) -> Feedback:
        """Answer the current question with an AUTHORED option letter; returns the feedback."""
        question = self._require_current()
        hinted = question.id in self._hinted
        if question.is_numeric:  # the typed text; NumberEntryError before anything is recorded
            feedback = feedback_for(question, letter, hint_used=hinted)
            if self.recorder is not None:
                self.recorder.answer(question.id, letter, mode="practice",
                                     hint_level=1 if hinted else 0, time_spent_ms=time_spent_ms)
            self._last = feedback
            return feedback
        letter = letter.strip().upper()
        if letter not in LETTERS[: len(question.options)]:
            raise ValueError(f"{letter!r} is not an option of {question.id}")
        order = self.order(question)
        self._last = feedback_for(question, letter, hint_used=hinted, order=order)
        if self.recorder is not None:
            self.recorder.answer(question.id, letter, mode="practice",
                                 hint_level=1 if hinted else 0, time_spent_ms=time_spent_ms,
                                 shown_order=order if self.learner else None)
        return self._last

    def advance(self) -> Question | None:
        """Move on: drop the current question if its last answer was right, else requeue it."""
        if self._pending:
            question = self._pending.popleft()
            answered = self._last is not None and self._last.question_id == question.id
            if not (answered and self._last.correct):
                self._pending.append(question)
            if answered:  # a hint lasts until the question is answered (not past a solution)
                self._hinted.discard(question.id)
        self._last = None
        return self.current

    def skip(self) -> Question | None:
        """Move on without answering: the current question goes to the back and comes back later."""
        if len(self._pending) > 1:
            self._pending.rotate(-1)
        self._last = None
        return self.current

    def _require_current(self) -> Question:
        if not self._pending:
            raise ValueError("every question of this round was answered right")
        return self._pending[0]
