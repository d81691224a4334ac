"""The built-in course loads without a single problem and has everything the lesson needs."""
from __future__ import annotations

from collections import Counter

import pytest

from mlquiz.content import load_course, validate
from mlquiz.paths import builtin_course_dir, builtin_exercises_dir


@pytest.fixture(scope="module")
def module():
    course = load_course(builtin_course_dir(), use_cache=False)
    return course.module("ml-technical-debt")


def test_the_shipped_course_and_exercises_validate_clean():
    problems = validate([builtin_course_dir(), builtin_exercises_dir()])
    assert [str(p) for p in problems] == []


def test_questions_cover_every_difficulty(module):
    assert len(module.questions) >= 15
    by_difficulty = Counter(q.difficulty for q in module.questions)
    assert all(by_difficulty[d] >= 4 for d in ("easy", "medium", "hard")), by_difficulty


def test_every_question_has_its_learning_aids(module):
    for q in module.questions:
        assert q.hint and q.solution and q.quick_check and q.common_mistakes, q.id


def test_lesson_sections(module):
    lesson = module.lesson
    assert len(module.flashcards) >= 20
    assert len(lesson.steps) == 7
    assert sum(step.prediction is not None for step in lesson.steps) >= 4
    assert len(lesson.myths) == 3
    assert len(lesson.pitfalls) == 3
    assert len(lesson.connections) == 3
    assert lesson.mental_model.diagram.strip() and lesson.under_the_hood.diagram.strip()


def test_the_shipped_course_has_its_exercises():
    course = load_course(builtin_course_dir(), use_cache=False)
    assert course.exercises, "course.yaml should name the exercises folder"
    for exercise in course.exercises:
        assert exercise.starter_dir.is_dir() and exercise.tests_dir.is_dir()
