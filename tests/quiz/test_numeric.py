"""Numeric answers: reading a typed number, marking it, recording it, and the plain modes."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from mlquiz.content.models import NumberAnswer, WrongValue
from mlquiz.quiz.numeric import NumberEntryError, mark_number, parse_number

from .conftest import FakeClock, write_course

PSI = NumberAnswer(0.2282, tolerance=0.005, wrong_values=(
    WrongValue(-0.2282, "The sign is flipped.", tolerance=0.005),
    WrongValue(22.82, "Use fractions.", tolerance=0.5)))
LATENCY = NumberAnswer(209.74, relative_tolerance=0.01, units="ms")


@pytest.mark.parametrize("typed, value", [
    ("0.2282", 0.2282), (" -0.23 ", -0.23), ("2.282e-1", 0.2282), (".5", 0.5), ("+3", 3.0),
    ("1E3", 1000.0)])
def test_plain_numbers_are_read(typed, value):
    assert parse_number(typed, None) == value


@pytest.mark.parametrize("typed, value", [("210 ms", 210.0), ("210ms", 210.0), ("210 MS", 210.0),
                                          ("210", 210.0)])
def test_units_may_be_typed_or_left_off(typed, value):
    assert parse_number(typed, "ms") == value


@pytest.mark.parametrize("typed", ["abc", "", "  ", "0,0875", "8.75%", "1e", "1.2.3", "ms",
                                   "210 s", "1e999", "nan", "inf"])
def test_what_is_not_a_number_is_one_line_saying_what_is_accepted(typed):
    with pytest.raises(NumberEntryError) as error:
        parse_number(typed, "ms")
    message = str(error.value)
    assert "\n" not in message and "like 0.0875 or 8.75e-2" in message


def test_absolute_tolerance_is_inclusive_and_wrong_values_get_their_feedback():
    assert mark_number(PSI, "0.2332").correct and mark_number(PSI, "0.2232").correct
    assert not mark_number(PSI, "0.2333").correct
    assert mark_number(PSI, "-0.23").feedback == "The sign is flipped."
    assert mark_number(PSI, "22.5").feedback == "Use fractions."
    assert mark_number(PSI, "0.5").feedback == ""


def test_relative_tolerance_is_a_share_of_the_value():
    assert LATENCY.margin == pytest.approx(2.0974)
    assert mark_number(LATENCY, "211.8 ms").correct
    assert not mark_number(LATENCY, "212 ms").correct
    assert LATENCY.shown() == "209.74 ms (± 1%)"


NUMERIC_QUESTION = {
    "id": "q-num", "difficulty": "easy", "kind": "calculation", "answer_type": "number",
    "stem": "What is the threshold?",
    "number": {"value": 209.74, "tolerance": 0.5, "units": "ms",
               "wrong_values": [{"value": 196.01, "tolerance": 0.5,
                                 "feedback": "One deviation, not three."}]},
    "hint": "Mean plus three deviations.", "solution": [{"title": "Add", "text": "189.14 + 20.6"}],
    "final_answer": "About 209.7 ms.", "quick_check": "Above the highest day?",
    "common_mistakes": ["One deviation."], "tags": ["step-a"]}


@pytest.fixture
def course_dir(tmp_path):
    course = write_course(tmp_path)
    questions = course / "mod-a" / "questions.yaml"
    data = yaml.safe_load(questions.read_text())
    for question in data["questions"]:  # the numeric one is the only easy one: first in a test
        if question["difficulty"] == "easy":
            question["difficulty"] = "medium"
    data["questions"].insert(0, NUMERIC_QUESTION)
    questions.write_text(yaml.safe_dump(data))
    return course


def study(tmp_path, course_dir, mode, text):
    env = {"MLQUIZ_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "mlquiz", "study", "mod-a", mode, "--plain", "--course",
         str(course_dir), "--db", str(tmp_path / "p.db"), "--learner", "ada"],
        input=text, capture_output=True, text=True, env=env, timeout=60)


def answered(tmp_path):
    from mlquiz.progress import ProgressStore

    store = ProgressStore.open(tmp_path / "p.db")
    try:
        return [e for e in store.events("ada") if e.kind == "question_answered"]
    finally:
        store.close()


def test_plain_practice_types_a_number_and_refuses_what_is_not_one(tmp_path, course_dir):
    done = study(tmp_path, course_dir, "practice", "abc\n\n0,2\nh\n196 ms\nq\n")
    assert done.returncode == 0 and done.stderr == ""
    out = done.stdout
    assert "Type a number, in ms (the units may be typed or left off)." in out
    assert "'abc' is not a number: type digits with a point for decimals" in out
    assert "No number typed: type digits" in out
    assert "'0,2' is not a number" in out
    assert "Hint: Mean plus three deviations." in out
    assert "Not this time: you typed 196; the answer is 209.74 ms (± 0.5)." in out
    assert "One deviation, not three." in out
    assert "Step 1: Add." in out
    [event] = answered(tmp_path)
    assert (event.item, event.answer, event.correct, event.hint_level) == ("q-num", "196", False, 1)
    assert event.detail["typed"] == "196 ms" and event.detail["answer_type"] == "number"


def test_plain_test_takes_a_number_and_its_misses_show_value_right_and_why(tmp_path, course_dir):
    from mlquiz.progress import ProgressStore

    store = ProgressStore.open(tmp_path / "p.db")
    store.ensure_learner("ada")
    store.set_setting("ada", "test_certainty", "on")
    store.close()
    # the numeric question is the only easy one: first in the test; the three others follow
    done = study(tmp_path, course_dir, "test", "\n1e\n196.2ms\n3\nA\n1\nA\n1\nA\n1\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "'1e' is not a number" in out
    assert "you typed 196.2; right: 209.74 ms (± 0.5)" in out
    assert "Why not: One deviation, not three." in out
    first = answered(tmp_path)[0]
    assert (first.item, first.answer, first.correct, first.detail["certainty"]) == (
        "q-num", "196.2", False, 3)
    assert first.detail["mode"] == "test"


def test_plain_review_asks_a_due_numeric_item(tmp_path, course_dir, monkeypatch, capsys):
    from mlquiz.cli import main
    from mlquiz.content import load_course
    from mlquiz.progress import ProgressStore
    from mlquiz.quiz.recorder import Recorder

    db = tmp_path / "r.db"
    store = ProgressStore.open(db)
    clock = FakeClock(datetime.now(timezone.utc) - timedelta(days=30))
    Recorder.for_course(store, "ada", load_course(course_dir), clock=clock, fuzz=False).answer(
        "q-num", "100", mode="practice")
    store.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO("fast\n209.9\n"))
    code = main(["review", "--plain", "--course", str(course_dir), "--db", str(db),
                 "--learner", "ada"])
    out = capsys.readouterr().out
    assert code == 0
    assert "'fast' is not a number" in out
    assert "Right: 209.74 ms (± 0.5)." in out
    store = ProgressStore.open(db)
    reviewed = [e for e in store.events("ada", kind="question_answered")
                if e.detail["mode"] == "review"]
    store.close()
    assert [(e.item, e.answer, e.correct) for e in reviewed] == [("q-num", "209.9", True)]
