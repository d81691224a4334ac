"""Each kind of bad content gives its own located line: path:line:col: field: message."""
from __future__ import annotations

from pathlib import Path

from mlquiz.content import validate

from .conftest import COURSE, EXERCISE, FLASHCARDS, LESSON, MODULE, QUESTIONS, replaced

Q = "course/m1/questions.yaml"
L = "course/m1/lesson.yaml"


def validate_lines() -> list[str]:
    """The problems of ./course (the `problems` fixture moved into tmp_path)."""
    return [str(p) for p in validate([Path("course")])]


def test_the_demo_course_has_no_problems(problems):
    assert problems() == []


def test_yaml_syntax_error_points_at_the_mark(problems):
    bad = replaced(QUESTIONS, "    hint: Think.", "    hint: Think: then answer.")
    [line] = problems(**{Q: bad})
    assert line.startswith(f"{Q}:8:16: YAML syntax: mapping values are not allowed")
    assert "quotes or a block (|)" in line


def test_empty_file_and_comment_only_file(problems):
    lines = problems(**{"course/m1/flashcards.yaml": "", Q: "# nothing yet\n"})
    assert lines == ["course/m1/flashcards.yaml:1:1: file is empty",
                     f"{Q}:1:1: file is empty (only comments)"]


def test_unknown_field_suggests_the_close_one(problems):
    bad = replaced(QUESTIONS, "    quick_check:", "    quik_check:")
    assert problems(**{Q: bad}) == [
        f"{Q}:2:5: questions[0].quick_check: missing field 'quick_check'",
        f"{Q}:13:5: questions[0].quik_check: unknown field 'quik_check' (did you mean 'quick_check'?)",
    ]


def test_unknown_field_without_a_close_match_lists_the_fields(problems):
    [line] = problems(**{"course/m1/module.yaml": MODULE + "colour: blue\n"})
    assert line.startswith("course/m1/module.yaml:9:1: colour: unknown field 'colour'; expected one of: id, title")


def test_missing_field_points_at_its_parent_mapping(problems):
    bad = replaced(LESSON, "    insight: I2\n", "")
    assert problems(**{L: bad}) == [f"{L}:28:5: steps[1].insight: missing field 'insight'"]


def test_wrong_types(problems):
    questions = replaced(QUESTIONS, "options: [first, second, third]", "options: first or second")
    module = replaced(MODULE, "minutes: 10", "minutes: ten")
    lesson = replaced(LESSON, "answer: false", "answer: [no]")
    assert problems(**{Q: questions, "course/m1/module.yaml": module, L: lesson}) == [
        f"{L}:43:13: myths[0].answer: expected true or false, got a list",
        "course/m1/module.yaml:4:10: minutes: expected a whole number, got text",
        f"{Q}:6:14: questions[0].options: expected a list, got text",
    ]


def test_text_written_as_a_plain_scalar_with_a_colon_explains_the_mapping(problems):
    bad = replaced(QUESTIONS, "    hint: Think.", "    hint:\n      Think: twice.")
    assert problems(**{Q: bad}) == [
        f"{Q}:9:7: questions[0].hint: expected text, got a mapping "
        "(plain text holding ': ' reads as a mapping; quote it or use a block |)"]


def test_bad_difficulty_level_kind_and_relation(problems):
    questions = replaced(replaced(QUESTIONS, "difficulty: easy", "difficulty: Easy"), "kind: term", "kind: trivia")
    lesson = replaced(replaced(LESSON, "level: Expert", "level: Master"), "relation: builds-on", "relation: builds_on")
    cards = replaced(FLASHCARDS, "kind: definition", "kind: defintion")
    assert problems(**{Q: questions, L: lesson, "course/m1/flashcards.yaml": cards}) == [
        "course/m1/flashcards.yaml:3:11: flashcards[0].kind: kind 'defintion' is not one of takeaway, definition, "
        "connection, myth, pitfall (did you mean 'definition'?)",
        f"{L}:29:12: steps[1].level: level 'Master' is not one of Foundation, Intermediate, Advanced, Expert",
        f"{L}:58:15: connections[0].relation: relation 'builds_on' is not one of builds-on, same-pattern, "
        "analogy (did you mean 'builds-on'?)",
        f"{Q}:3:17: questions[0].difficulty: difficulty 'Easy' is not one of easy, medium, hard "
        "(did you mean 'easy'?)",
        f"{Q}:4:11: questions[0].kind: kind 'trivia' is not one of term, spot-sign, code-risk, error-log, remedy, "
        "calculation",
    ]


def test_answer_letter_not_among_the_options_or_choices(problems):
    questions = replaced(QUESTIONS, "answer: C", "answer: D")
    lesson = replaced(LESSON, "      answer: A", "      answer: C")
    assert problems(**{Q: questions, L: lesson}) == [
        f"{L}:69:15: pitfalls[0].diagnosis.answer: answer 'C' is not among the choices (A-B)",
        f"{Q}:7:13: questions[0].answer: answer 'D' is not among the options (A-C)",
    ]


def test_feedback_for_a_letter_that_is_not_an_option(problems):
    bad = replaced(QUESTIONS, "    feedback: {A: Not the first., B: Not the second.}\n",
                   "    feedback:\n      A: Too early.\n      B: Too late.\n      E: No such option.\n")
    assert problems(**{Q: bad}) == [
        f"{Q}:19:7: questions[0].feedback.E: feedback for 'E', which is not among the options (A-C)"]


def warning_lines(tmp_path, questions: str) -> tuple[list[str], list[str]]:
    """(problems, warnings) of ./course with its questions file replaced, as validate prints them."""
    from mlquiz.content.validation import check_paths

    from .conftest import make_course

    make_course(tmp_path, **{Q: questions})
    report = check_paths([Path("course")])
    return [str(p) for p in report.problems], [str(w) for w in report.warnings]


def test_a_wrong_option_without_feedback_is_a_located_warning(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one_missing = replaced(QUESTIONS, "{A: Not the first., B: Not the second.}", "{A: Not the first.}")
    assert warning_lines(tmp_path, one_missing) == ([], [
        f"{Q}:16:15: questions[0].feedback: warning: no feedback for the wrong option B: tell the learner "
        "who picks one why it is wrong (feedback: {B: ...})"])
    # no feedback at all: the warning points at the question itself
    none = replaced(QUESTIONS, "    feedback: {A: Not the first., B: Not the second.}\n", "")
    [], [line] = warning_lines(tmp_path, none)
    assert line.startswith(f"{Q}:2:5: questions[0].feedback: warning: no feedback for the wrong options A, B:")
    # feedback on the right option does not stand in for a wrong one
    right_only = replaced(QUESTIONS, "{A: Not the first., B: Not the second.}", "{A: Not the first., C: Yes.}")
    [], [line] = warning_lines(tmp_path, right_only)
    assert "the wrong option B:" in line


def test_a_course_with_only_warnings_still_loads(tmp_path, monkeypatch):
    from mlquiz.content import load_course

    from .conftest import make_course

    monkeypatch.chdir(tmp_path)
    course_dir = make_course(tmp_path, **{Q: replaced(QUESTIONS, "    feedback: {A: Not the first., B: Not the "
                                                                 "second.}\n", "")})
    assert load_course(course_dir, use_cache=False).modules[0].questions[0].feedback == ()


def test_a_prediction_without_its_answer(problems):
    bad = replaced(LESSON, "      answer: B\n", "")
    assert problems(**{L: bad}) == [
        f"{L}:24:7: steps[0].prediction.answer: the prediction has no answer; "
        "add 'answer:' with the letter of the right choice (A-C)"]


def test_duplicate_ids_across_files_say_where_the_first_one_is(problems):
    cards = replaced(FLASHCARDS, "id: card-one", "id: q-one")
    lesson = replaced(LESSON, "id: myth-one", "id: step-two")
    assert problems(**{"course/m1/flashcards.yaml": cards, L: lesson}) == [
        f"course/m1/flashcards.yaml:2:9: flashcards[0].id: duplicate id 'q-one'; the question at "
        f"{Q}:2:9 already uses it",
        f"{L}:41:9: myths[0].id: duplicate id 'step-two'; the step at {L}:28:9 already uses it",
    ]


def test_duplicate_ids_across_modules_and_exercises(problems):
    course = replaced(COURSE, "modules: [m1]", "modules: [m1, m2]")
    module2 = replaced(replaced(MODULE, "id: m1", "id: m2"), "id: concept-a", "id: concept-b")
    exercise = replaced(EXERCISE, "links: [step-one]", "links: []")
    lines = problems(**{"course/course.yaml": course, "course/m2/module.yaml": module2,
                        "course/m2/lesson.yaml": LESSON,
                        "exercises/step-one/exercise.yaml": replaced(exercise, "id: ex-one", "id: step-one"),
                        "exercises/step-one/starter/main.py": "", "exercises/step-one/solution/main.py": "",
                        "exercises/step-one/tests/test_x.py": ""})
    assert f"course/m2/lesson.yaml:16:9: steps[0].id: duplicate id 'step-one'; the step at {L}:16:9 already uses it" in lines
    assert f"exercises/step-one/exercise.yaml:1:5: id: duplicate id 'step-one'; the step at {L}:16:9 already uses it" in lines
    assert f"course/m2/lesson.yaml:41:9: myths[0].id: duplicate id 'myth-one'; the myth at {L}:41:9 already uses it" in lines


def test_a_tag_that_points_at_nothing_says_what_it_may_point_at(problems):
    bad = replaced(QUESTIONS, "tags: [step-one, concept-a]", "tags: [step-one, concept-b]")
    assert problems(**{Q: bad}) == [
        f"{Q}:15:22: questions[0].tags[1]: tag 'concept-b' points at nothing (did you mean 'concept-a'?); "
        "it may name a step (step-one, step-two) or a concept (concept-a) of module 'm1'"]


def test_an_exercise_link_and_module_that_point_at_nothing(problems):
    links = replaced(EXERCISE, "links: [step-one]", "links: [step-nine]")
    assert problems(**{"exercises/ex-one/exercise.yaml": links}) == [
        "exercises/ex-one/exercise.yaml:6:9: links[0]: link 'step-nine' points at nothing (did you mean "
        "'step-one'?); it may name a step (step-one, step-two) or a concept (concept-a) of module 'm1'"]


def test_an_exercise_module_that_is_not_in_the_course(problems):
    bad = replaced(EXERCISE, "module: m1", "module: m9")
    assert problems(**{"exercises/ex-one/exercise.yaml": bad}) == [
        "exercises/ex-one/exercise.yaml:5:9: module: module 'm9' is not in the course; modules: m1"]


def test_a_connection_to_a_module_that_is_not_in_the_course(problems):
    bad = replaced(LESSON, "    text: It builds on it.", "    text: It builds on it.\n    module: m2")
    assert problems(**{L: bad}) == [
        f"{L}:60:13: connections[0].module: module 'm2' is not in the course; modules: m1"]


def test_empty_and_whitespace_only_text(problems):
    bad = replaced(replaced(QUESTIONS, "hint: Think.", 'hint: "   "'), "quick_check: Sure?", "quick_check:")
    assert problems(**{Q: bad}) == [
        f"{Q}:8:11: questions[0].hint: text is empty",
        f"{Q}:13:5: questions[0].quick_check: text is empty",
    ]


def test_a_badly_formed_id(problems):
    bad = replaced(QUESTIONS, "id: q-one", "id: Q One")
    assert problems(**{Q: bad}) == [
        f"{Q}:2:9: questions[0].id: id 'Q One' must be lowercase letters, digits and dashes (like 'q-debt-meaning')"]


def test_module_id_must_equal_its_folder_name(problems):
    bad = replaced(MODULE, "id: m1", "id: module-one")
    assert problems(**{"course/m1/module.yaml": bad}) == [
        "course/m1/module.yaml:1:5: id: module id 'module-one' differs from its folder name 'm1'; they must be equal"]


def test_a_listed_module_without_a_folder(problems):
    bad = replaced(COURSE, "modules: [m1]", "modules: [m1, m-two]")
    assert problems(**{"course/course.yaml": bad}) == [
        "course/course.yaml:4:15: modules[1]: module 'm-two' has no folder m-two/ next to course.yaml"]


def test_a_module_folder_without_its_lesson_and_an_unknown_content_file(problems, tmp_path):
    assert problems() == []
    (tmp_path / "course/m1/lesson.yaml").rename(tmp_path / "course/m1/lesson.yml")
    assert validate_lines() == [
        "course/m1/lesson.yaml:1:1: file is missing: every module folder needs lesson.yaml",
        "course/m1/lesson.yml:1:1: unknown content file (did you mean 'lesson.yaml'?)",
    ]


def test_exercise_problems(problems, tmp_path):
    assert problems() == []
    for name in ("solution/main.py", "solution"):
        (tmp_path / "exercises/ex-one" / name).unlink() if name.endswith(".py") else \
            (tmp_path / "exercises/ex-one" / name).rmdir()
    bad = replaced(replaced(EXERCISE, "files: [main.py]", "files: [main.py, serve.py]"),
                   "hints: [nudge, more, nearly]", "hints: [nudge, more]")
    (tmp_path / "exercises/ex-one/exercise.yaml").write_text(bad)
    assert validate_lines() == [
        "exercises/ex-one/exercise.yaml:1:1: folder solution/ is missing next to exercise.yaml",
        "exercises/ex-one/exercise.yaml:7:18: files[1]: 'serve.py' is not in starter/",
        "exercises/ex-one/exercise.yaml:9:8: hints: needs at least 3 hints (a nudge first, nearly the answer "
        "last), got 2",
    ]


def test_an_exercise_without_hidden_tests(problems, tmp_path):
    assert problems() == []
    (tmp_path / "exercises/ex-one/tests/test_main.py").rename(tmp_path / "exercises/ex-one/tests/main.py")
    assert validate_lines() == [
        "exercises/ex-one/exercise.yaml:1:1: tests/ holds no test_*.py file for the grader to run"]


def test_exercise_id_must_equal_its_folder_name(problems):
    bad = replaced(EXERCISE, "id: ex-one", "id: exercise-one")
    assert problems(**{"exercises/ex-one/exercise.yaml": bad}) == [
        "exercises/ex-one/exercise.yaml:1:5: id: exercise id 'exercise-one' differs from its folder name "
        "'ex-one'; they must be equal"]


def test_every_problem_of_every_file_in_one_run_sorted_by_path_then_line(problems):
    lines = problems(**{
        Q: replaced(replaced(QUESTIONS, "answer: C", "answer: Z"), "difficulty: easy", "difficulty: simple"),
        L: replaced(LESSON, "level: Expert", "level: Pro"),
        "course/m1/flashcards.yaml": "",
        "course/m1/module.yaml": replaced(MODULE, "minutes: 10", "minutes: soon"),
    })
    assert [line.split(": ", 1)[0] for line in lines] == [
        "course/m1/flashcards.yaml:1:1", f"{L}:29:12", "course/m1/module.yaml:4:10",
        f"{Q}:3:17", f"{Q}:7:13"]


def test_a_module_folder_not_listed_in_course_yaml(problems):
    lines = problems(**{"course/m2/module.yaml": replaced(MODULE, "id: m1", "id: m2"),
                        "course/_draft/module.yaml": "id: draft\n"})
    assert lines == ["course/course.yaml:4:10: modules: folder m2/ holds a module that is not listed here; "
                     "list it, or start the folder name with '_' to keep it as a draft"]


def test_a_broken_course_yaml_still_checks_every_module_folder(problems):
    lines = problems(**{"course/course.yaml": "id: demo\ntitle: [unclosed\n",
                        Q: replaced(QUESTIONS, "answer: C", "answer: X")})
    assert [line.split(": ")[0] for line in lines] == ["course/course.yaml:3:1", f"{Q}:7:13"]


def test_a_module_entry_that_is_not_a_folder_name(problems):
    bad = replaced(COURSE, "modules: [m1]", "modules: [m1, ../elsewhere]")
    assert problems(**{"course/course.yaml": bad}) == [
        "course/course.yaml:4:15: modules[1]: module '../elsewhere' must be the name of a folder beside "
        "course.yaml: lowercase letters, digits, dashes"]


def test_exercise_files_must_stay_inside_starter(problems):
    bad = replaced(EXERCISE, "files: [main.py]", "files: [main.py, ../tests/test_main.py]")
    assert problems(**{"exercises/ex-one/exercise.yaml": bad}) == [
        "exercises/ex-one/exercise.yaml:7:18: files[1]: '../tests/test_main.py' must be a path inside "
        "starter/, like 'features.py'"]


def test_a_questions_file_that_is_a_bare_list_says_what_to_add(problems):
    bare = "\n".join(line[2:] for line in QUESTIONS.splitlines()[1:]) + "\n"
    assert problems(**{Q: bare}) == [
        f"{Q}:1:1: expected a mapping (key: value), got a list; start the file with 'questions:' "
        "and indent the list under it"]


def test_a_key_written_twice(problems):
    bad = replaced(QUESTIONS, "    hint: Think.\n", "    hint: Think.\n    hint: Think again.\n")
    assert problems(**{Q: bad}) == [f"{Q}:9:5: questions[0].hint: field 'hint' appears twice (first at line 8)"]


def test_a_tab_indent_is_named(problems):
    bad = QUESTIONS.replace("\n    ", "\n\t  ", 1)
    [line] = problems(**{Q: bad})
    assert line.startswith(f"{Q}:3:1: YAML syntax:") and line.endswith("YAML indents with spaces, not tabs")


def test_two_documents_in_one_file(problems):
    [line] = problems(**{"course/m1/flashcards.yaml": FLASHCARDS + "---\nflashcards: []\n"})
    assert line.startswith("course/m1/flashcards.yaml:7:1: YAML syntax: but found another document")


def test_merge_keys_are_expanded(problems):
    merged = ("flashcards:\n  - &card\n    id: card-one\n    kind: definition\n    front: F\n    back: B\n"
              "  - <<: *card\n    id: card-two\n")
    assert problems(**{"course/m1/flashcards.yaml": merged}) == []
    from mlquiz.content import load_course
    cards = load_course(Path("course"), use_cache=False).modules[0].flashcards
    assert [(c.id, c.front) for c in cards] == [("card-one", "F"), ("card-two", "F")]
