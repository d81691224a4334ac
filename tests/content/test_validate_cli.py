"""`mlquiz validate` and `mlquiz schema` as an author uses them."""
from __future__ import annotations

import json
import subprocess
import sys

from mlquiz.cli import main

from .conftest import EXERCISE, QUESTIONS, make_course, replaced


def run_cli(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_clean_course_prints_what_it_checked(tmp_path, capsys):
    course_dir = make_course(tmp_path)
    code, out, err = run_cli(capsys, "validate", str(course_dir))
    assert (code, out, err) == (0, ["course OK: 1 module, 1 question, 1 flashcard, 1 exercise"], "")


def test_warnings_are_printed_in_place_and_exit_0_unless_a_problem_is_found(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    unexplained = replaced(QUESTIONS, "{A: Not the first., B: Not the second.}", "{A: Not the first.}")
    make_course(tmp_path, **{"course/m1/questions.yaml": unexplained})
    code, out, err = run_cli(capsys, "validate", "course")
    warning = ("course/m1/questions.yaml:16:15: questions[0].feedback: warning: no feedback for the wrong "
               "option B: tell the learner who picks one why it is wrong (feedback: {B: ...})")
    assert (code, out, err) == (0, [warning, "course OK: 1 module, 1 question, 1 flashcard, 1 exercise "
                                             "(1 warning)"], "")
    make_course(tmp_path, **{"course/m1/questions.yaml": replaced(
        replaced(unexplained, "{A: Not the first.}", "{A: Not the first., F: No such option.}"),
        "tags: [step-one, concept-a]", "tags: [step-ten]")})
    code, out, _ = run_cli(capsys, "validate", "course")
    assert code == 1 and out[-1] == "2 problems in 1 file (1 warning)"
    assert out[1].startswith("course/m1/questions.yaml:16:15: questions[0].feedback: warning:")
    assert out[2].startswith("course/m1/questions.yaml:16:35: questions[0].feedback.F: feedback for 'F', "
                             "which is not among the options (A-C)")


def test_default_is_the_course_option(tmp_path, capsys):
    course_dir = make_course(tmp_path)
    code, out, _ = run_cli(capsys, "validate", "--course", str(course_dir))
    assert code == 0 and out[-1].startswith("course OK")


def test_problems_are_printed_one_per_line_with_a_summary_and_exit_1(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_course(tmp_path, **{
        "course/m1/questions.yaml": replaced(QUESTIONS, "answer: C", "answer: F"),
        "exercises/ex-one/exercise.yaml": replaced(EXERCISE, "difficulty: easy", "difficulty: tough"),
    })
    code, out, err = run_cli(capsys, "validate", "course")
    assert code == 1 and err == ""
    assert out == [
        "course/m1/questions.yaml:7:13: questions[0].answer: answer 'F' is not among the options (A-C)",
        "exercises/ex-one/exercise.yaml:3:13: difficulty: difficulty 'tough' is not one of easy, medium, hard",
        "2 problems in 2 files",
    ]


def test_a_module_folder_a_single_file_and_an_exercise_root(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_course(tmp_path, **{"course/m1/questions.yaml": replaced(QUESTIONS, "tags: [step-one, concept-a]",
                                                                  "tags: [step-ten]")})
    code, out, _ = run_cli(capsys, "validate", "course/m1")
    assert code == 1 and out[0].startswith("course/m1/questions.yaml:15:12: questions[0].tags[0]: tag 'step-ten'")
    code, out, _ = run_cli(capsys, "validate", "course/m1/flashcards.yaml")
    assert (code, out) == (0, ["OK: 1 file"])
    code, out, _ = run_cli(capsys, "validate", "course/m1/questions.yaml")
    assert code == 1 and out[-1] == "1 problem in 1 file"
    code, out, _ = run_cli(capsys, "validate", "exercises")
    assert (code, out) == (0, ["OK: 1 exercise"])
    code, out, _ = run_cli(capsys, "validate", "exercises/ex-one/exercise.yaml")
    assert (code, out) == (0, ["OK: 1 file"])


def test_a_missing_path_is_exit_2_with_one_line_on_stderr(tmp_path, capsys):
    code, out, err = run_cli(capsys, "validate", str(tmp_path / "nowhere"))
    assert code == 2 and out == []
    assert err.strip().splitlines() == [f"mlquiz: {tmp_path / 'nowhere'} does not exist; pass "
                                        "a course, module or exercise folder, or a content file"]


def test_a_folder_that_is_not_content_is_exit_2(tmp_path, capsys):
    code, _, err = run_cli(capsys, "validate", str(tmp_path))
    assert code == 2 and "holds no course.yaml, module.yaml or exercise.yaml" in err


def test_a_file_that_is_not_content_is_exit_2(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    code, _, err = run_cli(capsys, "validate", str(tmp_path / "notes.txt"))
    assert code == 2 and "is not a content file" in err


def test_broken_yaml_in_a_child_process_gives_lines_not_a_traceback(tmp_path):
    course_dir = make_course(tmp_path, **{"course/m1/lesson.yaml": "overview: [unclosed\n",
                                          "course/m1/flashcards.yaml": "\x00\x01 binary"})
    (course_dir / "m1" / "questions.yaml").write_bytes(b"\xff\xfe\x00 not utf-8")
    done = subprocess.run([sys.executable, "-m", "mlquiz", "validate", str(course_dir)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "3 problems in 3 files"
    assert any("lesson.yaml:2:1: YAML syntax" in line for line in lines)
    assert any("questions.yaml:1:1: not UTF-8 text" in line for line in lines)
    assert any("flashcards.yaml:1:1: YAML syntax: unacceptable character" in line for line in lines)


def test_schema_prints_one_document_with_every_file(capsys):
    code, out, _ = run_cli(capsys, "schema")
    doc = json.loads("\n".join(out))
    assert code == 0
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"CourseFile", "ModuleFile", "Lesson", "QuestionsFile", "FlashcardsFile", "Exercise"} <= set(doc["$defs"])


def test_schema_of_one_kind(capsys):
    code, out, _ = run_cli(capsys, "schema", "--file", "lesson")
    doc = json.loads("\n".join(out))
    step = doc["$defs"]["Step"]
    assert code == 0 and doc["title"] == "mlquiz lesson.yaml"
    assert step["properties"]["level"]["enum"] == ["Foundation", "Intermediate", "Advanced", "Expert"]
    assert "description" in step["properties"]["prediction"]


def test_a_learners_command_on_broken_content_says_what_to_do(tmp_path, capsys):
    course_dir = make_course(tmp_path, **{
        "exercises/ex-one/exercise.yaml": "title: [unclosed\n"})
    from mlquiz.progress import ProgressStore

    with ProgressStore.open(tmp_path / "p.db") as store:
        store.record("ada", "mode_opened")
    code, out, err = run_cli(capsys, "--db", str(tmp_path / "p.db"), "--course", str(course_dir),
                             "progress")
    lines = err.splitlines()
    assert code == 1 and out == []
    assert "exercise.yaml:2:1: YAML syntax" in lines[0]
    assert lines[-1] == (f"mlquiz: the course in {course_dir} has 1 problem (above); fix it "
                         f"(check with `mlquiz validate {course_dir}`) or pass another --course")
