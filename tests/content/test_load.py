"""Loading a valid course gives frozen, typed objects with exact diagrams."""
from __future__ import annotations

import dataclasses

import pytest

from mlquiz.content import load_course, load_exercise
from mlquiz.errors import MlquizError

from .conftest import make_course


def test_course_loads_modules_lesson_questions_cards_and_exercises(tmp_path):
    course = load_course(make_course(tmp_path))
    module = course.module("m1")
    assert [m.id for m in course.modules] == ["m1"]
    assert module.lesson.steps[0].prediction.right_choice == "no"
    assert module.lesson.myths[0].answer is False
    assert module.question("q-one").right_option == "third"
    assert [c.id for c in module.flashcards] == ["card-one"]
    assert [e.id for e in course.exercises] == ["ex-one"]
    assert course.exercise("ex-one").starter_dir.joinpath("main.py").is_file()
    with pytest.raises(dataclasses.FrozenInstanceError):
        module.title = "changed"


def test_diagram_keeps_its_exact_spacing(tmp_path):
    lesson = load_course(make_course(tmp_path)).modules[0].lesson
    assert lesson.mental_model.diagram == "+---+   +---+\n| a |-->| b |\n+---+   +---+"


def test_model_paths_are_absolute_even_for_a_relative_course_dir(tmp_path, monkeypatch):
    make_course(tmp_path)
    monkeypatch.chdir(tmp_path)
    course = load_course(tmp_path.joinpath("course").relative_to(tmp_path))
    assert course.path.is_absolute() and course.modules[0].path.is_absolute()
    assert course.exercises[0].path == tmp_path / "exercises" / "ex-one"


def test_exercise_root_skips_hidden_private_and_non_exercise_folders(tmp_path):
    root = make_course(tmp_path).parent / "exercises"
    for name in (".hidden", "_template", "notes"):
        (root / name).mkdir()
    (root / "_template" / "exercise.yaml").write_text("not: valid")
    assert [e.id for e in load_course(tmp_path / "course").exercises] == ["ex-one"]


def test_load_exercise_reads_one_folder(tmp_path):
    make_course(tmp_path)
    exercise = load_exercise(tmp_path / "exercises" / "ex-one")
    assert exercise.files == ("main.py",) and len(exercise.hints) == 3
    assert exercise.path.is_absolute()


def test_a_missing_course_folder_is_a_usage_error(tmp_path):
    with pytest.raises(MlquizError) as caught:
        load_course(tmp_path / "nowhere")
    assert caught.value.exit_code == 2
    assert "does not exist" in str(caught.value)
    assert "pass another --course" in str(caught.value)  # and how to fix it
    (tmp_path / "empty").mkdir()
    with pytest.raises(MlquizError) as caught:
        load_course(tmp_path / "empty")
    assert str(caught.value).endswith("pass the folder that holds course.yaml")


def test_lowercase_answer_letter_is_read_as_the_capital(tmp_path):
    from .conftest import QUESTIONS
    course = load_course(make_course(tmp_path, **{"course/m1/questions.yaml":
                                                  QUESTIONS.replace("answer: C", "answer: c")}))
    assert course.modules[0].questions[0].answer == "C"


def test_diagram_keeps_inner_indents_trailing_spaces_and_blank_lines(tmp_path):
    from .conftest import LESSON, replaced
    diagram = "  diagram: |\n    x\n"
    exact = "  diagram: |\n    top   box\n      |  \n\n      v\n    [end]\n"
    course = load_course(make_course(tmp_path, **{"course/m1/lesson.yaml": replaced(LESSON, diagram, exact)}))
    assert course.modules[0].lesson.under_the_hood.diagram == "top   box\n  |  \n\n  v\n[end]"
