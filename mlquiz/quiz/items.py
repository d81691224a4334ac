"""Everything a learner can be asked again, as one reviewable shape.

Questions, myths, step predictions, flashcards and pitfall diagnoses each
become a `ReviewItem` whose id is the content id (unique across a course), so
an event's `item` and a review state's key are the same string.

>>> items = catalogue(course)                       # doctest: +SKIP
>>> item = items["myth-only-messy-code"]            # doctest: +SKIP
>>> item.kind, item.choices, item.is_right("B")     # doctest: +SKIP
('myth', ('Yes', 'No'), True)

Flashcards have no choices: the learner flips the card and rates their recall.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from mlquiz.content.models import LETTERS, index_of

if TYPE_CHECKING:
    from mlquiz.content.models import Course, Module, NumberAnswer, Question

ItemKind = Literal["question", "myth", "prediction", "card", "pitfall"]
ITEM_KINDS: tuple[str, ...] = ("question", "myth", "prediction", "card", "pitfall")

# The event kind an answer to each item kind is recorded as.
EVENT_KIND: dict[str, str] = {
    "question": "question_answered",
    "myth": "myth_answered",
    "prediction": "prediction_committed",
    "card": "card_reviewed",
    "pitfall": "pitfall_answered",
}
ANSWER_EVENT_KINDS: frozenset[str] = frozenset(EVENT_KIND.values())

MYTH_CHOICES = ("Yes", "No")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One thing to answer again.

    `context` is shown before the prompt (a pitfall's wrong approach); `answer`
    is the right letter, or None for a self-rated card whose `back` is revealed.
    `explanation` is shown after answering. `tags` are step or concept ids.
    """

    id: str
    kind: ItemKind
    module: str
    prompt: str
    choices: tuple[str, ...] = ()
    answer: str | None = None
    explanation: str = ""
    context: str = ""
    back: str = ""
    hint: str = ""
    difficulty: str | None = None
    tags: tuple[str, ...] = ()
    feedback: tuple[tuple[str, str], ...] = ()  # a question's per-option feedback: (authored letter, text)
    general_feedback: str = ""
    number: NumberAnswer | None = None  # a numeric question: typed, not lettered

    @property
    def numeric(self) -> bool:
        return self.number is not None

    def feedback_for(self, answer_letter: str) -> str:
        """The content's words for one option (authored letter, any case), "" if it has none."""
        return dict(self.feedback).get(answer_letter.strip().upper(), "")

    @property
    def self_rated(self) -> bool:
        """True for flashcards: no choices, the learner rates Again/Hard/Good/Easy."""
        return self.answer is None

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(LETTERS[: len(self.choices)])

    @property
    def right_choice(self) -> str | None:
        if self.number is not None:
            return self.number.shown()
        return None if self.answer is None else self.choices[index_of(self.answer)]

    @property
    def event_kind(self) -> str:
        return EVENT_KIND[self.kind]

    def is_right(self, answer_letter: str) -> bool:
        """True when `answer_letter` (any case) is the right letter."""
        if self.answer is None:
            raise ValueError(f"{self.id} is a self-rated card; it has no right letter")
        if self.number is not None:  # a typed number (raises NumberEntryError if it is not one)
            from mlquiz.quiz.numeric import mark_number

            return mark_number(self.number, answer_letter).correct
        return answer_letter.strip().upper() == self.answer


def myth_letter(says_true: bool) -> str:
    """The letter of a yes/no answer to a myth: myth_letter(True) == 'A' (Yes)."""
    return "A" if says_true else "B"


def question_item(module_id: str, question: Question) -> ReviewItem:
    if question.is_numeric:
        return ReviewItem(
            id=question.id, kind="question", module=module_id, prompt=question.stem,
            answer="", explanation=question.final_answer, hint=question.hint,
            difficulty=question.difficulty, tags=tuple(question.tags),
            general_feedback=question.general_feedback, number=question.number,
        )
    return ReviewItem(
        id=question.id, kind="question", module=module_id, prompt=question.stem,
        choices=tuple(question.options), answer=question.answer.upper(),
        explanation=question.final_answer, hint=question.hint,
        difficulty=question.difficulty, tags=tuple(question.tags),
        feedback=tuple(question.feedback), general_feedback=question.general_feedback,
    )


def module_items(module: Module) -> list[ReviewItem]:
    """Every reviewable item of one module: questions, myths, predictions, cards, pitfalls."""
    lesson = module.lesson
    items = [question_item(module.id, q) for q in module.questions]
    for myth in lesson.myths:
        items.append(ReviewItem(
            id=myth.id, kind="myth", module=module.id, prompt=myth.question,
            choices=MYTH_CHOICES, answer=myth_letter(myth.answer),
            explanation=f"{myth.reality}\n\n{myth.why_it_matters}".strip(),
        ))
    for step in lesson.steps:
        if step.prediction is not None:
            p = step.prediction
            items.append(ReviewItem(
                id=step.id, kind="prediction", module=module.id, prompt=p.prompt,
                choices=tuple(p.choices), answer=p.answer.upper(),
                explanation=p.explanation or step.result, tags=(step.id,),
            ))
    for card in module.flashcards:
        items.append(ReviewItem(
            id=card.id, kind="card", module=module.id, prompt=card.front,
            back=card.back, tags=tuple(card.tags),
        ))
    for pitfall in lesson.pitfalls:
        d = pitfall.diagnosis
        items.append(ReviewItem(
            id=pitfall.id, kind="pitfall", module=module.id, prompt=d.prompt,
            choices=tuple(d.choices), answer=d.answer.upper(),
            explanation=(d.explanation or pitfall.root_cause), context=pitfall.wrong,
        ))
    return items


def catalogue(course: Course) -> dict[str, ReviewItem]:
    """Every reviewable item of the course by id, in course order.

    >>> catalogue(course)["q-debt-meaning"].kind      # doctest: +SKIP
    'question'
    """
    return {item.id: item for module in course.modules for item in module_items(module)}
