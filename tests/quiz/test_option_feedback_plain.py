"""Per-option feedback in the plain modes: study practice and test, and review.

A learner who picks a wrong option reads why it is wrong, whichever way they
answered. The course's questions explain their first and third options (the
right one is the second).
"""
import io
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from mlquiz.cli import main
from mlquiz.content import load_course
from mlquiz.progress import ProgressStore
from mlquiz.quiz.recorder import Recorder

from .conftest import FakeClock, write_course


@pytest.fixture
def course_dir(tmp_path):
    course = write_course(tmp_path, n_questions=1)
    path = course / "mod-a" / "questions.yaml"
    data = yaml.safe_load(path.read_text())
    for q in data["questions"]:
        q["feedback"] = {"A": f"First is too early for {q['id']}.",
                         "C": f"Third is too late for {q['id']}."}
        q["general_feedback"] = "Timing is the whole point."
    path.write_text(yaml.safe_dump(data))
    return course


def study(tmp_path, course_dir, mode, text):
    env = {"MLQUIZ_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "mlquiz", "study", "mod-a", mode, "--plain", "--course", str(course_dir),
         "--db", str(tmp_path / "p.db"), "--learner", "ada"],
        input=text, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout


def test_practice_plain_says_why_the_option_picked_is_wrong(tmp_path, course_dir):
    from mlquiz.quiz.shuffle import shown_letter, shown_order

    third = shown_letter(shown_order("ada", "q1", 3), "C")   # options are shuffled per learner
    out = study(tmp_path, course_dir, "practice", f"{third}\n")
    assert "Not this time: the answer is B, q1 second." in out
    assert "Third is too late for q1.\nTiming is the whole point." in out
    assert "First is too early" not in out


def test_the_plain_tests_result_says_why_each_missed_choice_is_wrong(tmp_path, course_dir):
    from mlquiz.quiz.shuffle import shown_letter, shown_order

    shown = shown_letter(shown_order("ada", "q1", 3), "A")   # the letter "q1 first" is shown under
    out = study(tmp_path, course_dir, "test", f"\n{shown.lower()}\n")
    assert f"{shown}. q1 first" in out
    assert "Result: 0 of 1 right." in out
    assert out.index("What to revisit:") < out.index("Why not: First is too early for q1.")
    assert "Third is too late" not in out


def test_review_plain_says_why_the_option_picked_is_wrong(tmp_path, monkeypatch, capsys, course_dir):
    db = tmp_path / "p.db"
    store = ProgressStore.open(db)
    clock = FakeClock(datetime.now(timezone.utc) - timedelta(days=30))
    Recorder.for_course(store, "ada", load_course(course_dir), clock=clock, fuzz=False).answer(
        "q1", "A", mode="practice")
    store.close()
    from mlquiz.quiz.shuffle import shown_letter, shown_order

    first = shown_letter(shown_order("ada", "q1", 3), "A")   # options are shuffled per learner
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{first}\n"))
    code = main(["review", "--plain", "--course", str(course_dir), "--db", str(db), "--learner", "ada"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Not right. The answer is B: q1 second" in out
    assert "Why not: First is too early for q1.\nTiming is the whole point.\nAnswer 1" in out
