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


def write_course(root, *, n_questions: int = 3) -> "Path":
    """A small valid course folder on disk (one module) for end-to-end runs.

    Questions q1..qN have answer B; myth-1's true answer is no (B);
    pitfall-1's right diagnosis is A; card-1 is a flashcard.
    """
    import yaml

    course = root / "course"
    module = course / "mod-a"
    module.mkdir(parents=True)
    (course / "course.yaml").write_text(yaml.safe_dump({
        "id": "test-course", "title": "Test course", "description": "A course for tests.",
        "modules": ["mod-a"]}))
    (module / "module.yaml").write_text(yaml.safe_dump({
        "id": "mod-a", "title": "Module A", "topic": "Testing", "minutes": 5,
        "summary": "A module.", "concepts": [{"id": "concept-a", "title": "Concept A"}]}))
    step = {"id": "step-a", "level": "Foundation", "title": "Step A", "concept": "c",
            "explanation": "e", "result": "r", "insight": "i"}
    (module / "lesson.yaml").write_text(yaml.safe_dump({
        "overview": {"what": "w", "why": "y",
                     "where_it_fits": {"text": "t", "prerequisites": [], "next": []}},
        "mental_model": {"core_idea": "c", "analogy": "a", "diagram": "d"},
        "steps": [step],
        "under_the_hood": {"text": "t", "diagram": "d", "why_designed": "w"},
        "myths": [{"id": "myth-1", "question": "Is debt only messy code?", "answer": False,
                   "belief": "b", "reality": "Debt lives in data too.", "why_it_matters": "w"}],
        "expert_zone": [], "when_not_to_use": {"text": "t", "instead": "i"},
        "production_patterns": [], "connections": [],
        "pitfalls": [{"id": "pitfall-1", "title": "Never monitor", "wrong": "Deploy and forget.",
                      "correct": "Watch it.", "root_cause": "No feedback loop.",
                      "diagnosis": {"prompt": "What is the root cause?",
                                    "choices": ["No feedback loop", "Too many tests"],
                                    "answer": "A"}}],
        "takeaways": ["t"],
    }))
    questions = [{
        "id": f"q{i}", "difficulty": ["easy", "medium", "hard"][i % 3], "kind": "term",
        "stem": f"Question {i}?", "options": [f"q{i} first", f"q{i} second", f"q{i} third"],
        "answer": "B", "hint": f"Hint {i}", "solution": [{"title": "Think", "text": "t"}],
        "final_answer": f"Answer {i}", "quick_check": "qc", "common_mistakes": ["m"],
        "tags": ["step-a"],
    } for i in range(1, n_questions + 1)]
    (module / "questions.yaml").write_text(yaml.safe_dump({"questions": questions}))
    (module / "flashcards.yaml").write_text(yaml.safe_dump({"flashcards": [
        {"id": "card-1", "kind": "definition", "front": "What is CACE?",
         "back": "Changing anything changes everything."}]}))
    return course
