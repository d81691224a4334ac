"""The plain prompt is as honest as the screens: hints stay revealed, options are shuffled
per learner (typed letters are the letters shown; events keep the authored ones), and a
prediction can be left only by an explicit, recorded choice."""
from __future__ import annotations

from .test_study_plain import course_dir, stored, study  # noqa: F401  (course_dir: a fixture)


def test_a_plain_practice_hint_stays_revealed_in_the_next_run(tmp_path, course_dir):
    first = study(tmp_path, course_dir, "mod-a", "practice", "h\nq\n")
    assert "Hint: Hint 1" in first.stdout
    again = study(tmp_path, course_dir, "mod-a", "practice", "h\nq\n")
    before_answer = again.stdout.split("Your answer")[0]
    assert "Hint: Hint 1" in before_answer, "shown before the prompt, not on request"
    assert "h for a hint" not in again.stdout.split("\n\n")[-1]
    events, _ = stored(tmp_path)
    assert [e.item for e in events if e.kind == "hint_revealed"] == ["q1"]
