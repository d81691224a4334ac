"""Numeric questions: each bad input gives its own located line, and a good one loads typed."""
from __future__ import annotations

from .conftest import QUESTIONS

Q = "course/m1/questions.yaml"

NUMERIC = """\
  - id: q-num
    difficulty: medium
    kind: calculation
    answer_type: number
    stem: What is 1/8?
    number:
      value: 0.125
      tolerance: 0.001
      units: ms
      wrong_values:
        - {value: 8, feedback: You inverted it.}
    hint: Divide.
    solution:
      - title: Step
        text: One over eight.
    final_answer: One eighth, 0.125.
    quick_check: Smaller than one?
    common_mistakes: [inverting]
    tags: [step-one]
"""


def with_numeric(old: str = "", new: str = "") -> str:
    block = NUMERIC.replace(old, new, 1) if old else NUMERIC
    assert old in NUMERIC, old
    return QUESTIONS + block


def test_a_numeric_question_loads_with_its_number(problems, tmp_path):
    from mlquiz.content import load_course

    assert problems(**{Q: with_numeric()}) == []
    question = load_course(tmp_path / "course", use_cache=False).module("m1").question("q-num")
    assert question.is_numeric and question.options == () and question.answer == ""
    assert question.number.units == "ms" and question.number.wrong_values[0].value == 8.0
    assert question.right_option == "0.125 ms (± 0.001)"


def test_a_negative_tolerance(problems):
    assert problems(**{Q: with_numeric("tolerance: 0.001", "tolerance: -0.001")}) == [
        f"{Q}:24:18: questions[1].number.tolerance: tolerance must be 0 or more, got -0.001"]


def test_a_numeric_question_with_options(problems):
    assert problems(**{Q: with_numeric("    stem: What is 1/8?\n",
                                       "    stem: What is 1/8?\n    options: [a, b]\n")}) == [
        f"{Q}:22:14: questions[1].options: a numeric question has no options; give the right "
        "value in 'number: {value: ...}' (and wrong values in number.wrong_values)"]


def test_empty_units(problems):
    [line] = problems(**{Q: with_numeric("units: ms", "units: ''")})
    assert line.startswith(f"{Q}:25:14: questions[1].number.units: ")
    assert "empty" in line


def test_a_value_that_is_not_a_number(problems):
    assert problems(**{Q: with_numeric("value: 0.125", "value: one eighth")}) == [
        f"{Q}:23:14: questions[1].number.value: expected a number, got text"]


def test_a_value_that_is_not_finite(problems):
    assert problems(**{Q: with_numeric("value: 0.125", "value: .inf")}) == [
        f"{Q}:23:14: questions[1].number.value: value must be a finite number, got inf"]


def test_both_tolerances(problems):
    assert problems(**{Q: with_numeric("tolerance: 0.001",
                                       "tolerance: 0.001\n      relative_tolerance: 0.01")}) == [
        f"{Q}:25:27: questions[1].number.relative_tolerance: give tolerance (absolute) or "
        "relative_tolerance, not both"]


def test_answer_type_number_without_a_number_block(problems):
    block = with_numeric().split("    number:\n")[0] + "    hint: Divide." + \
        with_numeric().split("    hint: Divide.", 1)[1]
    assert problems(**{Q: block}) == [
        f"{Q}:17:5: questions[1].number: answer_type number needs "
        "'number: {value: ..., tolerance: ...}'"]


def test_a_number_block_without_answer_type_number(problems):
    lines = problems(**{Q: with_numeric("    answer_type: number\n", "")})
    assert f"{Q}:22:7: questions[1].number: a 'number' block needs 'answer_type: number' " \
           "(a question is a choice by default)" in lines
    assert f"{Q}:17:5: questions[1].options: missing field 'options'" in lines


def test_an_unknown_answer_type_suggests_the_close_one(problems):
    [line] = problems(**{Q: with_numeric("answer_type: number", "answer_type: numeric")})
    assert line == (f"{Q}:20:18: questions[1].answer_type: answer_type 'numeric' is not one of "
                    "choice, number (did you mean 'number'?)")


def test_a_wrong_value_inside_the_right_margin(problems):
    assert problems(**{Q: with_numeric("{value: 8,", "{value: 0.1255,")}) == [
        f"{Q}:27:19: questions[1].number.wrong_values[0].value: wrong value 0.1255 is within the "
        "right answer's margin (0.125 ms (± 0.001)), so it would be marked right"]


def test_a_negative_wrong_value_tolerance(problems):
    assert problems(**{Q: with_numeric("{value: 8,", "{value: 8, tolerance: -1,")}) == [
        f"{Q}:27:33: questions[1].number.wrong_values[0].tolerance: tolerance must be 0 or more, "
        "got -1"]


def test_the_schema_knows_the_number_block():
    from mlquiz.content.schema import json_schema

    defs = json_schema("questions")["$defs"]
    assert defs["Question"]["properties"]["answer_type"]["enum"] == ["choice", "number"]
    assert defs["NumberAnswer"]["properties"]["tolerance"] == {
        "description": defs["NumberAnswer"]["properties"]["tolerance"]["description"],
        "type": "number", "minimum": 0}
    assert defs["NumberAnswer"]["required"] == ["value"]
    assert defs["WrongValue"]["required"] == ["value", "feedback"]


def test_the_schema_accepts_a_numeric_question_and_refuses_one_with_options():
    import jsonschema
    import pytest
    import yaml

    from mlquiz.content.schema import json_schema

    schema = json_schema("questions")
    good = yaml.safe_load(QUESTIONS + NUMERIC)
    jsonschema.validate(good, schema)
    bad = yaml.safe_load(QUESTIONS + NUMERIC.replace("    stem: What is 1/8?\n",
                                                     "    stem: What is 1/8?\n    options: [a, b]\n"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    no_number = yaml.safe_load(QUESTIONS + NUMERIC)
    del no_number["questions"][1]["number"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(no_number, schema)
