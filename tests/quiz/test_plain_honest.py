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


def _shown(order: str, texts: list[str]) -> list[str]:
    return [texts["ABC".index(a)] for a in order]


def test_plain_practice_shows_the_learners_order_and_keeps_authored_letters(tmp_path, course_dir):
    from mlquiz.quiz.shuffle import shown_order

    order = shown_order("ada", "q1", 3)
    assert order != "ABC", "the test needs a shuffled order"
    texts = ["q1 first", "q1 second", "q1 third"]
    typed = "ABC"[order.index("B")]                   # the right option, where ada sees it
    done = study(tmp_path, course_dir, "mod-a", "practice", f"{typed.lower()}\nq\n")
    assert done.returncode == 0, done.stderr
    lines = "".join(f"{letter}. {text}\n" for letter, text in zip("ABC", _shown(order, texts)))
    assert lines in done.stdout
    assert "Right." in done.stdout
    events, _ = stored(tmp_path)
    answered = [e for e in events if e.kind == "question_answered"]
    assert [(e.item, e.answer, e.correct, e.detail["shown_order"]) for e in answered] == [
        ("q1", "B", True, order)]


def test_plain_buildup_shuffles_and_can_show_the_answer_without_predicting(tmp_path, course_dir):
    from mlquiz.quiz.shuffle import shown_order

    order = shown_order("ada", "step-a", 2)
    texts = ["It grows", "It vanishes"]
    done = study(tmp_path, course_dir, "mod-a", "buildup", "s\nq\n")
    assert done.returncode == 0, done.stderr
    lines = "".join(f"{letter}. {text}\n" for letter, text in zip("AB", _shown(order, texts)))
    assert lines in done.stdout
    assert "s to see the answer without predicting" in done.stdout
    right = "AB"[order.index("A")]
    assert f"The answer is {right}, It grows (shown without a prediction)." in done.stdout
    events, _ = stored(tmp_path)
    assert [e.kind for e in events if e.kind in ("prediction_committed", "solution_revealed")] \
        == ["solution_revealed"]
    again = study(tmp_path, course_dir, "mod-a", "buildup", "q\n")
    assert "You chose to see the answer without predicting" in again.stdout


def test_plain_review_shows_the_learners_order(tmp_path, monkeypatch, capsys):
    from .test_review_plain import run_plain, seed_due
    from .conftest import write_course
    from mlquiz.quiz.shuffle import shown_order

    course = write_course(tmp_path)
    db = tmp_path / "p.db"
    seed_due(db, course, [("q1", "A")])
    order = shown_order("ada", "q1", 3)
    typed = "ABC"[order.index("B")]
    code, out, err = run_plain(monkeypatch, capsys, course, db, f"{typed}\n")
    assert code == 0, err
    texts = ["q1 first", "q1 second", "q1 third"]
    assert "".join(f"{l}. {texts['ABC'.index(a)]}\n" for l, a in zip("ABC", order)) in out
    assert "Right." in out
    with __import__("mlquiz.progress", fromlist=["ProgressStore"]).ProgressStore.open(db) as store:
        last = store.events("ada", kind="question_answered")[-1]
    assert (last.answer, last.correct, last.detail["shown_order"]) == ("B", True, order)
