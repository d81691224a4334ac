"""The course's order, and the prerequisites and next modules a module.yaml names.

A prerequisite or next module that does not exist is one located line from
`mlquiz validate`, like every other broken reference.
"""
from __future__ import annotations

import re

from mlquiz.cli import main
from mlquiz.content import load_course

from .conftest import COURSE, FLASHCARDS, LESSON, MODULE, QUESTIONS, make_course, replaced

_M1_IDS = re.compile(r"\b(concept-a|step-one|step-two|myth-one|pitfall-one|q-one|card-one)\b")


def as_m2(text: str) -> str:
    """A file of module m1 rewritten for a second module m2 (ids are unique course-wide)."""
    return _M1_IDS.sub(r"m2-\1", text.replace("id: m1\n", "id: m2\n").replace("Module one", "Module two"))


def two_modules(tmp_path, *, m1_extra: str = "", m2_extra: str = "", modules: str = "[m1, m2]"):
    """The demo course with a second module; `*_extra` lines are appended to each module.yaml."""
    return make_course(tmp_path, **{
        "course/course.yaml": replaced(COURSE, "modules: [m1]", f"modules: {modules}"),
        "course/m1/module.yaml": MODULE + m1_extra,
        "course/m2/module.yaml": as_m2(MODULE) + m2_extra,
        "course/m2/lesson.yaml": as_m2(LESSON),
        "course/m2/questions.yaml": as_m2(QUESTIONS),
        "course/m2/flashcards.yaml": as_m2(FLASHCARDS),
    })


def validate_out(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out.splitlines()


def test_a_course_path_loads_in_order_with_its_prerequisites_and_next(tmp_path):
    course_dir = two_modules(tmp_path, m1_extra="next: [m2]\n", m2_extra="prerequisites: [m1]\n")
    course = load_course(course_dir, use_cache=False)
    assert [m.id for m in course.modules] == ["m1", "m2"]
    assert (course.position("m1"), course.position("m2"), course.position("nope")) == (1, 2, None)
    assert course.module("m2").prerequisites == ("m1",)
    assert [m.title for m in course.prerequisites_of("m2")] == ["Module one"]
    assert [m.id for m in course.next_of("m1")] == ["m2"]
    assert course.prerequisites_of("m1") == () and course.next_of("m2") == ()


def test_the_order_is_course_yamls_not_the_folders(tmp_path):
    course_dir = two_modules(tmp_path, modules="[m2, m1]", m1_extra="prerequisites: [m2]\n")
    assert [m.id for m in load_course(course_dir, use_cache=False).modules] == ["m2", "m1"]


def test_a_prerequisite_that_does_not_exist_is_a_located_problem(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    two_modules(tmp_path, m2_extra="prerequisites: [m1, ml-basics]\n")
    code, out = validate_out(capsys, "course")
    assert code == 1
    assert out == ["course/m2/module.yaml:9:21: prerequisites[1]: module 'ml-basics' is not in the course; "
                   "modules: m1, m2",
                   "1 problem in 1 file"]


def test_a_next_module_that_does_not_exist_suggests_the_close_one(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    two_modules(tmp_path, m1_extra="next:\n  - m3\n  - m22\n")
    code, out = validate_out(capsys, "course")
    assert code == 1
    assert out[:2] == [
        "course/m1/module.yaml:10:5: next[0]: module 'm3' is not in the course; "
        "modules: m1, m2",
        "course/m1/module.yaml:11:5: next[1]: module 'm22' is not in the course (did you mean 'm2'?); "
        "modules: m1, m2",
    ]


def test_a_prerequisite_taught_later_and_a_module_naming_itself(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    two_modules(tmp_path, m1_extra="prerequisites: [m2]\nnext: [m1]\n")
    code, out = validate_out(capsys, "course")
    assert code == 1
    assert out == [
        "course/m1/module.yaml:9:17: prerequisites[0]: module 'm2' comes after 'm1' in course.yaml's modules; "
        "list a prerequisite before the modules that need it",
        "course/m1/module.yaml:10:8: next[0]: module 'm1' is this module; name another one",
        "2 problems in 1 file",
    ]


def test_a_module_folder_validated_alone_checks_its_path_against_the_course(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    two_modules(tmp_path, m2_extra="next: [m9]\n")
    code, out = validate_out(capsys, "course/m2")
    assert code == 1 and out[0].startswith("course/m2/module.yaml:9:8: next[0]: module 'm9' is not in the course")


def test_a_path_field_of_the_wrong_type_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    two_modules(tmp_path, m2_extra="prerequisites: m1\n")
    code, out = validate_out(capsys, "course")
    assert code == 1
    assert out == ["course/m2/module.yaml:9:16: prerequisites: expected a list, got text", "1 problem in 1 file"]


def test_the_schema_tells_editors_about_prerequisites_and_next():
    from mlquiz.content import json_schema

    properties = json_schema("module")["properties"]
    for name in ("prerequisites", "next"):
        assert properties[name]["type"] == "array", name
        assert properties[name]["items"]["type"] == "string", name
        assert "module" in properties[name]["description"].lower(), name
    assert "prerequisites" not in json_schema("module").get("required", [])
