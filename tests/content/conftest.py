"""A small valid course written into tmp_path; tests break one thing in it.

>>> course_dir = make_course(tmp_path)      # course/, course/m1/..., exercises/ex-one/...
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

COURSE = """\
id: demo
title: Demo course
description: A course for tests.
modules: [m1]
exercises: ../exercises
"""

MODULE = """\
id: m1
title: Module one
topic: Testing
minutes: 10
summary: A module for tests.
concepts:
  - id: concept-a
    title: Concept A
"""

LESSON = """\
overview:
  what: What it is.
  why: Why it matters.
  where_it_fits:
    text: Where it fits.
    prerequisites: [basics]
    next: [more]
mental_model:
  core_idea: The idea.
  analogy: Like a thing.
  diagram: |
    +---+   +---+
    | a |-->| b |
    +---+   +---+
steps:
  - id: step-one
    level: Foundation
    title: Step one
    concept: C1
    explanation: E1
    result: R1
    insight: I1
    prediction:
      prompt: Guess?
      choices: [yes, no, maybe]
      answer: B
      explanation: Because.
  - id: step-two
    level: Expert
    title: Step two
    concept: C2
    explanation: E2
    result: R2
    insight: I2
under_the_hood:
  text: Inside.
  diagram: |
    x
  why_designed: Because.
myths:
  - id: myth-one
    question: Is it so?
    answer: false
    belief: People think so.
    reality: It is not.
    why_it_matters: It matters.
expert_zone:
  - title: Deep
    text: Deep text.
when_not_to_use:
  text: Not here.
  instead: Use that.
production_patterns:
  - title: Pattern
    text: Pattern text.
connections:
  - topic: Other thing
    relation: builds-on
    text: It builds on it.
pitfalls:
  - id: pitfall-one
    title: A pitfall
    wrong: Wrong way.
    correct: Right way.
    root_cause: The cause.
    diagnosis:
      prompt: Why?
      choices: [a, b]
      answer: A
takeaways:
  - Take this away.
"""

QUESTIONS = """\
questions:
  - id: q-one
    difficulty: easy
    kind: term
    stem: What?
    options: [first, second, third]
    answer: C
    hint: Think.
    solution:
      - title: Step
        text: Do it.
    final_answer: third
    quick_check: Sure?
    common_mistakes: [picking first]
    tags: [step-one, concept-a]
    feedback: {A: Not the first., B: Not the second.}
"""

FLASHCARDS = """\
flashcards:
  - id: card-one
    kind: definition
    front: Front
    back: Back
    tags: [concept-a]
"""

EXERCISE = """\
id: ex-one
title: Exercise one
difficulty: easy
debt: Glue code
module: m1
links: [step-one]
files: [main.py]
instructions: Fix it.
hints: [nudge, more, nearly]
"""

FILES = {
    "course/course.yaml": COURSE,
    "course/m1/module.yaml": MODULE,
    "course/m1/lesson.yaml": LESSON,
    "course/m1/questions.yaml": QUESTIONS,
    "course/m1/flashcards.yaml": FLASHCARDS,
    "exercises/ex-one/exercise.yaml": EXERCISE,
    "exercises/ex-one/starter/main.py": "x = 1\n",
    "exercises/ex-one/tests/test_main.py": "def test_x():\n    assert True\n",
    "exercises/ex-one/solution/main.py": "x = 2\n",
}


def make_course(root: Path, **changes: str) -> Path:
    """Write the demo course under `root`; `changes` maps a FILES key to new text."""
    for rel, text in {**FILES, **changes}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "course"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own cache folder, never the developer's."""
    monkeypatch.setenv("MLQUIZ_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def replaced(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced once; fails loudly when the template changed."""
    assert text.count(old) == 1, f"{old!r} is not exactly once in the template"
    return text.replace(old, new)


@pytest.fixture
def problems(tmp_path, monkeypatch):
    """problems(**changes) -> the validate lines of the demo course with those files changed.

    Paths in the lines are relative (course/m1/lesson.yaml), as a user typing
    `mlquiz validate course` would see them.
    """
    from mlquiz.content import validate

    monkeypatch.chdir(tmp_path)

    def run(**changes: str) -> list[str]:
        make_course(tmp_path, **changes)
        return [str(p) for p in validate([Path("course")])]

    return run
