"""Small factories for content objects, a fake clock and a real SQLite store."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.content.models import (
    Choice, Concept, Course, Flashcard, Lesson, MentalModel, Module, Myth, Overview, Pitfall,
    Question, SolutionStep, Step, UnderTheHood, WhenNotToUse, WhereItFits,
)

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


class FakeClock:
    """A clock the test moves by hand: `clock()` is now, `clock.advance(days=1)`."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return self.now


def make_question(qid: str, difficulty: str = "easy", *, answer: str = "B",
                  tags: tuple[str, ...] = (), n_options: int = 4) -> Question:
    return Question(
        id=qid, difficulty=difficulty, kind="term", stem=f"Stem of {qid}?",
        options=tuple(f"{qid} option {i + 1}" for i in range(n_options)), answer=answer,
        hint=f"Hint for {qid}", solution=(SolutionStep("Think", f"Why {qid}"),),
        final_answer=f"Final {qid}", quick_check=f"Check {qid}",
        common_mistakes=(f"Mistake {qid}",), tags=tags,
        feedback=(("A", f"A is wrong for {qid}"),), general_feedback=f"General {qid}",
    )


def make_step(sid: str, *, prediction: bool = False) -> Step:
    pred = Choice(f"Predict {sid}", ("up", "down", "same"), "A", f"Because {sid}") if prediction else None
    return Step(id=sid, level="Foundation", title=f"Title {sid}", concept="c", explanation="e",
                result="r", insight="i", prediction=pred)


def make_module(mid: str = "mod", *, questions: tuple[Question, ...] = (),
                steps: tuple[Step, ...] = (), concepts: tuple[str, ...] = (),
                myths: tuple[str, ...] = (), cards: tuple[str, ...] = (),
                pitfalls: tuple[str, ...] = (), card_tags: tuple[str, ...] = ()) -> Module:
    lesson = Lesson(
        overview=Overview("what", "why", WhereItFits("text", (), ())),
        mental_model=MentalModel("core", "analogy", "diagram"),
        steps=steps,
        under_the_hood=UnderTheHood("text", "diagram", "why"),
        myths=tuple(Myth(m, f"Is {m} true?", False, "belief", f"Reality {m}", "matters")
                    for m in myths),
        expert_zone=(), when_not_to_use=WhenNotToUse("text", "instead"),
        production_patterns=(), connections=(),
        pitfalls=tuple(Pitfall(p, f"Title {p}", f"Wrong way {p}", "right way", "root",
                               Choice(f"Why is {p} wrong?", ("cause a", "cause b"), "B"))
                       for p in pitfalls),
        takeaways=("t",),
    )
    return Module(
        id=mid, title=f"Module {mid}", topic="MLOps", minutes=10, summary="s",
        concepts=tuple(Concept(c, f"Concept {c}") for c in concepts), lesson=lesson,
        questions=questions,
        flashcards=tuple(Flashcard(c, "definition", f"Front {c}", f"Back {c}", card_tags)
                         for c in cards),
    )


def make_course(*modules: Module) -> Course:
    return Course(id="course", title="Course", description="d", modules=tuple(modules))


def mixed_module(mid: str = "mod", easy: int = 5, medium: int = 5, hard: int = 5) -> Module:
    """A module with the given number of questions per difficulty, tagged step-1."""
    qs = []
    for difficulty, n in (("easy", easy), ("medium", medium), ("hard", hard)):
        qs += [make_question(f"{mid}-{difficulty}-{i}", difficulty, tags=("step-1", "entangle"))
               for i in range(n)]
    return make_module(mid, questions=tuple(qs), steps=(make_step("step-1"),),
                       concepts=("entangle",))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path):
    from mlquiz.progress import ProgressStore

    s = ProgressStore.open(tmp_path / "progress.db")
    s.ensure_learner("ada")
    yield s
    s.close()
