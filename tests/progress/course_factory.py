"""A small real Course built from the content models (no YAML), for summaries.

>>> course = make_course()
>>> [m.id for m in course.modules], len(course.modules[0].lesson.steps)
(['debt', 'tests'], 7)
"""
from __future__ import annotations

from mlquiz.content.models import (
    Choice, Course, Exercise, Flashcard, Lesson, MentalModel, Module, Myth, Overview, Pitfall,
    Question, SolutionStep, Step, UnderTheHood, WhenNotToUse, WhereItFits,
)


def _question(qid: str) -> Question:
    return Question(id=qid, difficulty="easy", kind="term", stem=f"{qid}?", options=("a", "b"),
                    answer="B", hint="h", solution=(SolutionStep("Think", "t"),),
                    final_answer="b", quick_check="b", common_mistakes=("a",), tags=())


def _module(mid: str, *, n_questions: int, n_myths: int, predictions: int) -> Module:
    steps = tuple(
        Step(id=f"{mid}-step-{n}", level="Foundation", title=f"Step {n}", concept="c",
             explanation="e", result="r", insight="i",
             prediction=Choice("Guess?", ("x", "y"), "A") if n <= predictions else None)
        for n in range(1, 8))
    lesson = Lesson(
        overview=Overview("what", "why", WhereItFits("fits", (), ())),
        mental_model=MentalModel("idea", "analogy", "a -> b"),
        steps=steps, under_the_hood=UnderTheHood("text", "diagram", "why"),
        myths=tuple(Myth(f"{mid}-myth-{n}", "True?", False, "belief", "reality", "matters")
                    for n in range(1, n_myths + 1)),
        expert_zone=(), when_not_to_use=WhenNotToUse("text", "instead"),
        production_patterns=(), connections=(),
        pitfalls=(Pitfall(f"{mid}-pitfall-1", "P", "wrong", "right", "cause",
                          Choice("Why?", ("a", "b"), "B")),),
        takeaways=("remember",))
    return Module(id=mid, title=f"Module {mid}", topic="t", minutes=10, summary="s",
                  concepts=(), lesson=lesson,
                  questions=tuple(_question(f"{mid}-q{n}") for n in range(1, n_questions + 1)),
                  flashcards=(Flashcard(f"{mid}-card-1", "takeaway", "front", "back"),))


def make_course() -> Course:
    exercises = tuple(
        Exercise(id=eid, title=eid, difficulty="easy", debt="glue", module=module, links=(),
                 instructions="fix it", hints=(), files=("main.py",))
        for eid, module in (("ex-glue", "debt"), ("ex-jungle", "debt"), ("ex-flaky", "tests")))
    return Course(id="demo", title="Demo", description="d",
                  modules=(_module("debt", n_questions=5, n_myths=3, predictions=4),
                           _module("tests", n_questions=2, n_myths=1, predictions=0)),
                  exercises=exercises)
