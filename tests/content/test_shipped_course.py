"""The built-in course loads without a single problem, and every module it lists has
everything a module needs: the seven-step lesson with committed predictions, myths,
expert zone, pitfalls, connections, takeaways, questions at every difficulty and cards."""
from __future__ import annotations

from collections import Counter

import pytest

from mlquiz.content import load_course, validate
from mlquiz.paths import builtin_course_dir, builtin_exercises_dir

from .test_fair_options import listed_modules


@pytest.fixture(scope="module")
def course():
    return load_course(builtin_course_dir(), use_cache=False)


def test_the_shipped_course_and_exercises_validate_clean():
    problems = validate([builtin_course_dir(), builtin_exercises_dir()])
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("module_id", listed_modules())
def test_every_wrong_option_of_our_own_modules_says_why_it_is_wrong(module_id):
    """What `mlquiz validate` only warns about is an error for the course we ship."""
    from mlquiz.content.validation import check_paths

    warnings = check_paths([builtin_course_dir() / module_id]).warnings
    assert [str(w) for w in warnings if "no feedback for the wrong option" in w.message] == []


@pytest.mark.parametrize("module_id", listed_modules())
def test_questions_cover_every_difficulty(course, module_id):
    module = course.module(module_id)
    assert len(module.questions) >= 15, f"{module_id}: {len(module.questions)} questions, needs 15"
    by_difficulty = Counter(q.difficulty for q in module.questions)
    assert all(by_difficulty[d] >= 4 for d in ("easy", "medium", "hard")), (module_id, by_difficulty)


@pytest.mark.parametrize("module_id", listed_modules())
def test_every_question_has_its_learning_aids(course, module_id):
    for q in course.module(module_id).questions:
        assert q.hint and q.solution and q.quick_check and q.common_mistakes, q.id


@pytest.mark.parametrize("module_id", listed_modules())
def test_lesson_sections(course, module_id):
    module = course.module(module_id)
    lesson = module.lesson
    assert len(module.flashcards) >= 20, f"{module_id}: {len(module.flashcards)} cards, needs 20"
    assert len(lesson.steps) == 7
    assert sum(step.prediction is not None for step in lesson.steps) >= 4
    assert lesson.myths and lesson.expert_zone and lesson.pitfalls, module_id
    assert lesson.connections and lesson.takeaways, module_id
    assert lesson.mental_model.diagram.strip() and lesson.under_the_hood.diagram.strip()


def test_the_first_module_keeps_its_three_myths_pitfalls_and_connections(course):
    lesson = course.module("ml-technical-debt").lesson
    assert (len(lesson.myths), len(lesson.pitfalls), len(lesson.connections)) == (3, 3, 3)


@pytest.mark.parametrize("module_id", listed_modules())
def test_every_module_has_exercises_of_its_own(course, module_id):
    own = [e for e in course.exercises if e.module == module_id]
    assert len(own) >= 4, f"{module_id}: {len(own)} exercises, needs 4"


def test_the_course_path_starts_at_the_first_module(course):
    first = course.modules[0]
    assert first.id == "ml-technical-debt" and first.prerequisites == ()
    assert [m.id for m in course.next_of(first.id)] == ["ml-monitoring", "ml-testing"]
    for module in course.modules[1:]:
        assert first.id in module.prerequisites, f"{module.id} should name {first.id} in prerequisites"


def test_the_shipped_course_has_its_exercises(course):
    assert course.exercises, "course.yaml should name the exercises folder"
    for exercise in course.exercises:
        assert exercise.starter_dir.is_dir() and exercise.tests_dir.is_dir()
