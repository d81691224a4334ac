"""Typed, immutable content objects: course -> module -> lesson, questions, cards.

Every YAML key of a content file is the name of a field here (see
docs/content-format.md). Text fields hold markdown; diagrams hold text whose
spacing is kept exactly.

>>> q = Question(id="q1", difficulty="easy", kind="term", stem="What?",
...              options=("a", "b"), answer="B", hint="h",
...              solution=(SolutionStep("Think", "..."),), final_answer="b",
...              quick_check="b", common_mistakes=("a",), tags=())
>>> q.right_option
'b'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["Foundation", "Intermediate", "Advanced", "Expert"]
Difficulty = Literal["easy", "medium", "hard"]
Relation = Literal["builds-on", "same-pattern", "analogy"]
AnswerType = Literal["choice", "number"]
QuestionKind = Literal["term", "spot-sign", "code-risk", "error-log", "remedy", "calculation"]
CardKind = Literal["takeaway", "definition", "connection", "myth", "pitfall"]

LEVELS: tuple[str, ...] = ("Foundation", "Intermediate", "Advanced", "Expert")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
RELATIONS: tuple[str, ...] = ("builds-on", "same-pattern", "analogy")
QUESTION_KINDS: tuple[str, ...] = ("term", "spot-sign", "code-risk", "error-log", "remedy", "calculation")
ANSWER_TYPES: tuple[str, ...] = ("choice", "number")
CARD_KINDS: tuple[str, ...] = ("takeaway", "definition", "connection", "myth", "pitfall")
LETTERS = "ABCDEFGHIJ"


def letter(index: int) -> str:
    """The option letter for a 0-based index: letter(2) == 'C'."""
    return LETTERS[index]


def index_of(answer_letter: str) -> int:
    """The 0-based index of an option letter: index_of('C') == 2."""
    return LETTERS.index(answer_letter.upper())


@dataclass(frozen=True, slots=True)
class Choice:
    """A prompt with lettered choices and exactly one right letter."""

    prompt: str
    choices: tuple[str, ...]
    answer: str  # a letter, "A" is the first choice
    explanation: str = ""

    @property
    def right_index(self) -> int:
        return index_of(self.answer)

    @property
    def right_choice(self) -> str:
        return self.choices[self.right_index]


# --- lesson -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WhereItFits:
    text: str
    prerequisites: tuple[str, ...]
    next: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Overview:
    what: str
    why: str
    where_it_fits: WhereItFits


@dataclass(frozen=True, slots=True)
class MentalModel:
    core_idea: str
    analogy: str
    diagram: str


@dataclass(frozen=True, slots=True)
class Step:
    """One of the seven build-up steps; `prediction` is asked before the reveal."""

    id: str
    level: Level
    title: str
    concept: str
    explanation: str
    result: str
    insight: str
    prediction: Choice | None = None


@dataclass(frozen=True, slots=True)
class UnderTheHood:
    text: str
    diagram: str
    why_designed: str


@dataclass(frozen=True, slots=True)
class Myth:
    """A quick yes/no question; `answer` is the true answer to it."""

    id: str
    question: str
    answer: bool
    belief: str
    reality: str
    why_it_matters: str


@dataclass(frozen=True, slots=True)
class Note:
    """A titled markdown paragraph (expert zone, production patterns)."""

    title: str
    text: str


@dataclass(frozen=True, slots=True)
class WhenNotToUse:
    text: str
    instead: str


@dataclass(frozen=True, slots=True)
class Connection:
    topic: str
    relation: Relation
    text: str
    module: str | None = None  # id of another module of the course, if any


@dataclass(frozen=True, slots=True)
class Pitfall:
    """Wrong approach first; the learner names the root cause from `diagnosis`."""

    id: str
    title: str
    wrong: str
    correct: str
    root_cause: str
    diagnosis: Choice


@dataclass(frozen=True, slots=True)
class Lesson:
    overview: Overview
    mental_model: MentalModel
    steps: tuple[Step, ...]
    under_the_hood: UnderTheHood
    myths: tuple[Myth, ...]
    expert_zone: tuple[Note, ...]
    when_not_to_use: WhenNotToUse
    production_patterns: tuple[Note, ...]
    connections: tuple[Connection, ...]
    pitfalls: tuple[Pitfall, ...]
    takeaways: tuple[str, ...]

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


# --- practice ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SolutionStep:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class WrongValue:
    """A common wrong number and what the learner who typed it did wrong."""

    value: float
    feedback: str
    tolerance: float = 0.0  # absolute: a typed value within it gets this feedback


@dataclass(frozen=True, slots=True)
class NumberAnswer:
    """The right number of a numeric question and how close a typed value must be.

    A value is right when it is within `tolerance` (absolute) of `value`, or within
    `relative_tolerance` (a fraction: 0.01 is 1%) of it; an author gives one of them.

    >>> NumberAnswer(0.0875, tolerance=0.001).margin
    0.001
    >>> NumberAnswer(200.0, relative_tolerance=0.05).margin
    10.0
    """

    value: float
    tolerance: float = 0.0
    relative_tolerance: float = 0.0
    units: str | None = None  # a typed value may end with them; shown after the entry
    wrong_values: tuple[WrongValue, ...] = ()

    @property
    def margin(self) -> float:
        """The absolute margin around `value` that counts as right."""
        return max(self.tolerance, abs(self.value) * self.relative_tolerance)

    def accepts(self, typed: float) -> bool:
        # a hair of slack so 0.1 + 0.2 style float noise never fails an exact boundary
        return abs(typed - self.value) <= self.margin + 1e-12 * max(1.0, abs(self.value))

    def wrong_value_for(self, typed: float) -> WrongValue | None:
        """The authored wrong value a typed value matches, if any (the closest)."""
        hits = [w for w in self.wrong_values
                if abs(typed - w.value) <= w.tolerance + 1e-12 * max(1.0, abs(w.value))]
        return min(hits, key=lambda w: abs(typed - w.value)) if hits else None

    def shown(self) -> str:
        """The right value as shown to a learner: '0.0875 (± 0.001)', '200 ms (± 5%)'."""
        text = format_number(self.value) + (f" {self.units}" if self.units else "")
        if self.relative_tolerance and not self.tolerance:
            return f"{text} (± {format_number(self.relative_tolerance * 100)}%)"
        if self.margin:
            return f"{text} (± {format_number(self.margin)})"
        return text


def format_number(value: float) -> str:
    """A number in its shortest plain form: format_number(0.08750000001) == '0.0875'."""
    return f"{value:.10g}"


@dataclass(frozen=True, slots=True)
class Question:
    """A question answered by one option (a letter) or, with answer_type 'number', a number.

    A numeric question has no options and no answer letter; its `number` holds the
    right value, the tolerance, optional units and feedback for common wrong values.
    """

    id: str
    difficulty: Difficulty
    kind: QuestionKind
    stem: str
    options: tuple[str, ...] = field(default=(), kw_only=True)
    answer: str = field(default="", kw_only=True)
    hint: str
    solution: tuple[SolutionStep, ...]
    final_answer: str
    quick_check: str
    common_mistakes: tuple[str, ...]
    tags: tuple[str, ...]
    feedback: tuple[tuple[str, str], ...] = ()  # (letter, text) per option, optional
    general_feedback: str = ""
    answer_type: AnswerType = "choice"  # "number": typed, checked against `number`
    number: NumberAnswer | None = None

    @property
    def is_numeric(self) -> bool:
        return self.answer_type == "number" and self.number is not None

    @property
    def right_index(self) -> int:
        return index_of(self.answer)

    @property
    def right_option(self) -> str:
        """The right option's text; for a numeric question the right value as shown."""
        if self.is_numeric:
            return self.number.shown()
        return self.options[self.right_index]

    def feedback_for(self, answer_letter: str) -> str:
        return dict(self.feedback).get(answer_letter.upper(), "")


@dataclass(frozen=True, slots=True)
class Flashcard:
    id: str
    kind: CardKind
    front: str
    back: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Concept:
    """A named idea that questions, cards and exercises can be tagged with."""

    id: str
    title: str
    description: str = ""


# --- module and course -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    title: str
    topic: str
    minutes: int
    summary: str
    concepts: tuple[Concept, ...]
    lesson: Lesson
    questions: tuple[Question, ...]
    flashcards: tuple[Flashcard, ...]
    prerequisites: tuple[str, ...] = ()  # ids of modules to take first, earlier in the course
    next: tuple[str, ...] = ()  # ids of modules to go on to
    path: Path = field(compare=False, default=Path("."))

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def tag_title(self, tag: str) -> str:
        """A readable name for a tag: the step or concept title, else the tag."""
        step = self.lesson.step(tag)
        if step is not None:
            return step.title
        concept = next((c for c in self.concepts if c.id == tag), None)
        return concept.title if concept else tag


@dataclass(frozen=True, slots=True)
class Exercise:
    """Metadata of one hands-on exercise folder (exercise.yaml).

    `files` lists the starter files the learner edits, the main one first.
    The hidden tests live in `path / "tests"`, the reference in `path / "solution"`.
    """

    id: str
    title: str
    difficulty: Difficulty
    debt: str
    module: str
    links: tuple[str, ...]
    instructions: str
    hints: tuple[str, ...]
    files: tuple[str, ...]
    path: Path = field(compare=False, default=Path("."))

    @property
    def starter_dir(self) -> Path:
        return self.path / "starter"

    @property
    def tests_dir(self) -> Path:
        return self.path / "tests"

    @property
    def solution_dir(self) -> Path:
        return self.path / "solution"


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    description: str
    modules: tuple[Module, ...]
    exercises: tuple[Exercise, ...] = ()
    path: Path = field(compare=False, default=Path("."))

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def position(self, module_id: str) -> int | None:
        """The module's 1-based place in the course order: position('ml-technical-debt') == 1."""
        return next((i for i, m in enumerate(self.modules, 1) if m.id == module_id), None)

    def prerequisites_of(self, module_id: str) -> tuple[Module, ...]:
        """The modules to take before `module_id`, in course order (those that exist)."""
        module = self.module(module_id)
        wanted = set(module.prerequisites) if module else set()
        return tuple(m for m in self.modules if m.id in wanted)

    def next_of(self, module_id: str) -> tuple[Module, ...]:
        """The modules `module_id` sends the learner on to, in the order it names them."""
        module = self.module(module_id)
        found = (self.module(other) for other in (module.next if module else ()))
        return tuple(m for m in found if m is not None)

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)
