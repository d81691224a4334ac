"""`mlquiz review --plain` end to end: cli.main, a real SQLite file, piped stdin."""
import io
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.cli import main
from mlquiz.content import load_course
from mlquiz.progress import ProgressStore
from mlquiz.quiz.recorder import Recorder

from .conftest import FakeClock, write_course
from .test_study_plain import listed, shown


@pytest.fixture
def course_dir(tmp_path):
    return write_course(tmp_path)


def seed_due(db, course_dir, answers):
    """Answer items 30 days ago through the recorder, so they are due now."""
    store = ProgressStore.open(db)
    clock = FakeClock(datetime.now(timezone.utc) - timedelta(days=30))
    rec = Recorder.for_course(store, "ada", load_course(course_dir), clock=clock, fuzz=False)
    for item_id, answer in answers:
        if item_id.startswith("card"):
            rec.rate_card(item_id, answer)
        else:
            rec.answer(item_id, answer, mode="practice")
        clock.advance(minutes=1)
    store.close()


def run_plain(monkeypatch, capsys, course_dir, db, text, *extra):
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = main(["review", "--plain", "--course", str(course_dir), "--db", str(db),
                 "--learner", "ada", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def events_since(db, count_before):
    store = ProgressStore.open(db)
    try:
        return store.events("ada")[count_before:]
    finally:
        store.close()


def test_due_items_are_asked_and_a_wrong_choice_is_asked_again(tmp_path, monkeypatch, capsys,
                                                               course_dir):
    db = tmp_path / "p.db"
    seed_due(db, course_dir, [("q1", "A"), ("myth-1", "B"), ("card-1", 3), ("pitfall-1", "A")])
    # due order: q1, myth-1, card-1, pitfall-1 (answered a minute apart, same interval)
    pitfall_number = "AB".index(shown("pitfall-1", "A", 2)) + 1  # a choice's number works too
    text = (f"7\nx\n\n{'ABC'.index(shown('q1', 'B')) + 1}\n" "b\n" "\n5\n\n3\n"
            f"{pitfall_number}\n")  # the myth answered with its letter
    code, out, err = run_plain(monkeypatch, capsys, course_dir, db, text)
    assert code == 0 and err == ""
    assert "4 items to review for ada" in out
    assert out.count("'7' is not one of the choices. Type a letter A to C, h, or q to quit.") == 1
    assert "'x' is not one of the choices" in out
    assert out.count("Nothing typed. Type ") == 2  # not "'' is not one of ..."
    assert "''" not in out
    assert listed("q1", ["q1 first", "q1 second", "q1 third"]) in out
    assert "Your answer (y for yes, n for no, q to quit): " in out
    assert "Back: Changing anything changes everything." in out
    assert "'5' is not a rating. Type 1, 2, 3 or 4, or q to quit." in out
    assert "The approach: Deploy and forget." in out
    assert "Done: 4 answered, 4 right." in out
    new = events_since(db, 4)
    assert [(e.kind, e.item, e.correct, e.detail["mode"]) for e in new] == [
        ("question_answered", "q1", True, "review"), ("myth_answered", "myth-1", True, "review"),
        ("card_reviewed", "card-1", True, "review"), ("pitfall_answered", "pitfall-1", True, "review")]
    assert all(e.session_id is not None and e.time_spent_ms is not None for e in new)
    assert new[2].detail["rating"] == 3
    store = ProgressStore.open(db)
    assert store.count_due("ada", datetime.now(timezone.utc)) == 0  # rescheduled into the future
    store.close()


def test_q_saves_what_was_answered_and_exits_zero(tmp_path, monkeypatch, capsys, course_dir):
    db = tmp_path / "p.db"
    seed_due(db, course_dir, [("q1", "B"), ("q2", "B"), ("q3", "B")])
    code, out, _ = run_plain(monkeypatch, capsys, course_dir, db, f"{shown('q1', 'A')}\nq\n2\n")
    assert code == 0
    assert f"Not right. The answer is {shown('q1', 'B')}: q1 second" in out
    assert "Saved 1 answer." in out
    new = events_since(db, 3)
    assert [(e.item, e.answer, e.correct) for e in new] == [("q1", "A", False)]


def test_end_of_input_exits_zero_and_keeps_answers(tmp_path, monkeypatch, capsys, course_dir):
    db = tmp_path / "p.db"
    seed_due(db, course_dir, [("q1", "B"), ("q2", "B")])
    code, out, _ = run_plain(monkeypatch, capsys, course_dir, db, "h\n2\n")
    assert code == 0 and "Hint: Hint 1" in out and "Saved 1 answer." in out
    new = events_since(db, 2)
    assert [(e.kind, e.item) for e in new] == [("hint_revealed", "q1"), ("question_answered", "q1")]
    assert new[1].hint_level == 1 and new[1].correct


def test_nothing_due_gives_a_short_practice_round(tmp_path, monkeypatch, capsys, course_dir):
    db = tmp_path / "p.db"
    code, out, _ = run_plain(monkeypatch, capsys, course_dir, db,
                             f"{shown('q1', 'B')}\n{shown('q2', 'B')}\n{shown('q3', 'A')}\n")
    assert code == 0
    assert "Nothing is due for ada. A short practice round of 3 questions" in out
    assert "Done: 3 answered, 2 right." in out
    new = events_since(db, 0)
    assert [(e.kind, e.item, e.detail["mode"]) for e in new] == [
        ("question_answered", f"q{i}", "practice") for i in (1, 2, 3)]


def test_the_plain_prompt_runs_as_a_real_command_with_piped_stdin(tmp_path, course_dir):
    db = tmp_path / "p.db"
    env = {"MLQUIZ_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "mlquiz", "review", "--plain", "--course", str(course_dir),
         "--db", str(db), "--learner", "ada"],
        input="9\n2\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "'9' is not one of the choices. Type a letter A to C, h, or q to quit." in done.stdout
    assert "Saved 1 answer." in done.stdout and done.stderr == ""


def test_no_learner_is_one_clear_line_and_exit_2(tmp_path, monkeypatch, capsys, course_dir):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["review", "--plain", "--course", str(course_dir), "--db", str(tmp_path / "p.db")])
    _, err = capsys.readouterr()
    assert code == 2 and err.strip() == "mlquiz: no learner in this database yet; pass --learner NAME"


def test_review_without_a_terminal_falls_back_to_the_plain_prompt(tmp_path, course_dir):
    """Piped into a script, `mlquiz review` must not draw the full-screen app and hang."""
    db = tmp_path / "p.db"
    done = subprocess.run(
        [sys.executable, "-m", "mlquiz", "review", "--course", str(course_dir), "--db", str(db),
         "--learner", "ada"],
        input="q\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "plain prompt" in done.stderr
    assert "\x1b[" not in done.stdout
    assert "Your answer" in done.stdout


def edit_course(course_dir, filename, change):
    """Load one YAML file of mod-a, let `change` edit the data, write it back."""
    import yaml

    path = course_dir / "mod-a" / filename
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_markdown_is_printed_as_plain_text(tmp_path, monkeypatch, capsys, course_dir):
    def markdown_stem(data):
        q1 = data["questions"][0]
        q1["stem"] = ("A log from the **nightly** job:\n\n```text\nERROR skew in `price`\n```\n\n"
                      "What does *this* show?")
        q1["options"][1] = "Training/serving `skew`"
        q1["final_answer"] = "**B**: the skew."
    edit_course(course_dir, "questions.yaml", markdown_stem)
    db = tmp_path / "p.db"
    seed_due(db, course_dir, [("q1", "B")])
    code, out, _ = run_plain(monkeypatch, capsys, course_dir, db, "b\n")
    assert code == 0
    assert ("A log from the nightly job:\n\nCode:\nERROR skew in `price`\nEnd of code.\n\n"
            "What does this show?\n") in out  # the code block's own text stays as written
    assert "B. Training/serving skew\n" in out
    assert "B: the skew." in out
    assert "```" not in out and "**" not in out and "*this*" not in out


def test_the_letters_shown_are_accepted(tmp_path, monkeypatch, capsys, course_dir):
    db = tmp_path / "p.db"
    seed_due(db, course_dir, [("q1", "A"), ("q2", "A"), ("myth-1", "A")])
    code, out, _ = run_plain(monkeypatch, capsys, course_dir, db,
                             f"{shown('q1', 'B')}\n{shown('q2', 'C').lower()}\nn\n")
    assert code == 0 and "not one of the choices" not in out
    new = events_since(db, 3)
    assert [(e.item, e.answer, e.correct) for e in new] == [
        ("q1", "B", True), ("q2", "C", False), ("myth-1", "B", True)]


def test_prediction_items_do_not_begin_before_reading_on(tmp_path, monkeypatch, capsys,
                                                          course_dir):
    def with_prediction(data):
        data["steps"][0]["prediction"] = {
            "prompt": "Before reading on: what happens to the *interest*?",
            "choices": ["It grows", "It vanishes"], "answer": "A", "explanation": "It compounds."}
    edit_course(course_dir, "lesson.yaml", with_prediction)
    db = tmp_path / "p.db"
    seed_due(db, course_dir, [("step-a", "B")])
    code, out, _ = run_plain(monkeypatch, capsys, course_dir, db, f"{shown('step-a', 'A', 2)}\n")
    assert code == 0
    assert "Item 1 of 1: a prediction from Module A.\nWhat happens to the interest?\n" in out
    assert "before reading on" not in out.lower()
    assert [(e.kind, e.answer, e.correct) for e in events_since(db, 1)] == [
        ("prediction_committed", "A", True)]


def test_a_new_database_with_a_learner_name_starts_and_the_summary_sees_it(tmp_path, course_dir):
    db = tmp_path / "new" / "folder" / "p.db"
    env = {"MLQUIZ_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    args = ["--course", str(course_dir), "--db", str(db), "--learner", "zoe"]
    done = subprocess.run([sys.executable, "-m", "mlquiz", "review", "--plain", *args],
                          input="b\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Nothing is due for zoe. A short practice round of 3 questions" in done.stdout
    assert "Saved 1 answer." in done.stdout
    summary = subprocess.run([sys.executable, "-m", "mlquiz", "progress", "--json", *args],
                             capture_output=True, text=True, env=env, timeout=60)
    import json

    module = json.loads(summary.stdout)["modules"][0]
    assert (module["questions_answered"], module["answers_right"]) == (1, 1)
