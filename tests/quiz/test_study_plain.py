"""`mlquiz study MODULE MODE --plain` end to end: a real `mlquiz` child, piped stdin, a real
SQLite file, and what the app reads back from it (summary, position, review state)."""
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from mlquiz.content import load_course
from mlquiz.progress import ProgressStore, summarize

from .conftest import write_course


@pytest.fixture
def course_dir(tmp_path):
    course = write_course(tmp_path)
    lesson = course / "mod-a" / "lesson.yaml"
    data = yaml.safe_load(lesson.read_text())
    data["steps"][0]["prediction"] = {
        "prompt": "Before reading on: what does the **interest** do?",
        "choices": ["It grows", "It vanishes"], "answer": "A", "explanation": "It compounds."}
    data["steps"][0]["explanation"] = "Every change pays `interest`."
    data["mental_model"]["diagram"] = "data --> model"
    lesson.write_text(yaml.safe_dump(data))
    return course


def study(tmp_path, course_dir, module, mode, text, *, learner="ada"):
    env = {"MLQUIZ_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "mlquiz", "study", module, mode, "--plain", "--course",
         str(course_dir), "--db", str(tmp_path / "p.db"), "--learner", learner],
        input=text, capture_output=True, text=True, env=env, timeout=60)


def stored(tmp_path):
    store = ProgressStore.open(tmp_path / "p.db")
    try:
        return store.events("ada"), store.position("ada", "mod-a")
    finally:
        store.close()


def answers(events):
    return [(e.kind, e.item, e.answer, e.correct, e.detail.get("mode")) for e in events
            if e.kind not in ("mode_opened", "step_viewed")]


def test_practice_hint_answer_and_worked_solution(tmp_path, course_dir):
    done = study(tmp_path, course_dir, "mod-a", "practice", f"h\n{shown('q1', 'A')}\n")
    assert done.returncode == 0 and done.stderr == ""
    out = done.stdout
    assert "Question 1 of 3, medium; 3 to go in this round." in out
    assert listed("q1", ["q1 first", "q1 second", "q1 third"]) in out
    assert "Hint: Hint 1" in out
    assert f"Not this time: the answer is {shown('q1', 'B')}, q1 second." in out
    assert "Worked solution.\nStep 1: Think. t\nAnswer: Answer 1\nQuick check: qc" in out
    assert out.rstrip().endswith("Stopped. Saved 1 answer; the next start resumes here.")
    events, position = stored(tmp_path)
    assert answers(events) == [("hint_revealed", "q1", None, None, "practice"),
                               ("question_answered", "q1", "A", False, "practice")]
    assert events[0].kind == "mode_opened" and events[0].detail == {"mode": "practice"}
    assert all(e.session_id is not None for e in events)
    assert (position.screen, position.item) == ("practice", "q1")
    # the same rule as the app: a question answered wrong stays in the round
    again = study(tmp_path, course_dir, "mod-a", "practice", f"{shown('q1', 'B')}\n")
    assert "Question 1 of 3" in again.stdout and "Right." in again.stdout


def test_buildup_asks_for_the_prediction_before_the_reveal(tmp_path, course_dir):
    quit_early = study(tmp_path, course_dir, "mod-a", "buildup", "q\n")
    assert quit_early.returncode == 0
    assert ("Predict before the reveal.\nWhat does the interest do?\n"
            + listed("step-a", ["It grows", "It vanishes"])) in quit_early.stdout
    assert "It compounds" not in quit_early.stdout and "Explanation" not in quit_early.stdout
    assert answers(stored(tmp_path)[0]) == []

    done = study(tmp_path, course_dir, "mod-a", "buildup", f"{shown('step-a', 'B', 2)}\n")
    out = done.stdout
    assert out.index("Your answer (A-B, ") < out.index(
        f"Not quite: the answer is {shown('step-a', 'A', 2)}, It grows.")
    assert out.index("It compounds.") < out.index("Explanation: Every change pays interest.")
    assert "before reading on" not in out.lower() and "`" not in out and "**" not in out
    events, position = stored(tmp_path)
    assert answers(events) == [("prediction_committed", "step-a", "B", False, "buildup")]
    assert [e.item for e in events if e.kind == "step_viewed"] == ["step-a", "step-a"]
    assert (position.screen, position.item) == ("buildup", "step-a")
    # committed once: coming back shows the commitment instead of asking again
    back = study(tmp_path, course_dir, "mod-a", "buildup", "")
    assert f"You committed to {shown('step-a', 'B', 2)} earlier." in back.stdout
    assert "Your answer" not in back.stdout


def shown(question_id, authored, count=3):
    """The letter ada sees for an authored option (options are shuffled per learner)."""
    from mlquiz.quiz.shuffle import shown_letter, shown_order

    return shown_letter(shown_order("ada", question_id, count), authored)


def listed(item_id, texts):
    """The lettered choices as ada sees them: "A. ...\nB. ...\n"."""
    from mlquiz.quiz.shuffle import shown_order

    order = shown_order("ada", item_id, len(texts))
    return "".join(f"{letter}. {texts['ABCD'.index(a)]}\n" for letter, a in zip("ABCD", order))


def test_a_plain_test_resumes_gives_its_verdict_and_the_app_sees_it(tmp_path, course_dir):
    # easy q3, medium q1, hard q2 (write_course: difficulty by i % 3); B is right in each
    first = study(tmp_path, course_dir, "mod-a", "test", f"\n{shown('q3', 'B')}\nq\n")
    assert "3 questions across easy, medium and hard, mostly ones you have not met" in first.stdout
    assert "Question 1 of 3, easy." in first.stdout and first.returncode == 0
    wrong = next(letter for letter in "ABC" if letter != shown("q2", "B"))
    done = study(tmp_path, course_dir, "mod-a", "test", f"\n{shown('q1', 'B')}\n{wrong}\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "You left a test half way: 1 of 3 answered." in out
    assert "Question 2 of 3, medium." in out and "Question 1 of 3" not in out
    assert "Result: 2 of 3 right. Verdict: developing." in out
    assert "Easy: 1 of 1, strong." in out and "Hard: 0 of 1, weak." in out
    assert (f"What to revisit:\n1. Question 2? (you chose {wrong}; right: {shown('q2', 'B')}, "
            "q2 second). Revisit: Step A.") in out
    events, position = stored(tmp_path)
    started = [e for e in events if e.kind == "test_started"]
    assert len(started) == 1  # the same test, resumed: not a new one
    test_id = started[0].detail["test_id"]
    in_test = [e for e in events if e.kind == "question_answered"]
    assert [e.item for e in in_test] == started[0].detail["questions"] == ["q3", "q1", "q2"]
    assert [e.answer for e in in_test][:2] == ["B", "B"]  # authored letters, whatever was shown
    assert in_test[2].answer != "B" and in_test[2].detail["shown_order"] == \
        started[0].detail["shown_orders"]["q2"]
    assert {e.detail["test_id"] for e in in_test} == {test_id}
    finished = [e for e in events if e.kind == "test_finished"]
    assert len(finished) == 1 and finished[0].detail["score"] == 2
    assert (position.screen, position.item) == ("test", test_id)  # the app reopens this result
    store = ProgressStore.open(tmp_path / "p.db")
    try:
        row = summarize(store, "ada", load_course(course_dir))[0]
        later = datetime.now(timezone.utc) + timedelta(days=400)
        assert store.count_due("ada", later) == 3  # scheduled for review like the app's answers
    finally:
        store.close()
    assert (row.best_test_score, row.best_test_total, row.questions_answered) == (2, 3, 3)


def test_an_unfinished_test_can_be_ended_on_purpose(tmp_path, course_dir):
    study(tmp_path, course_dir, "mod-a", "test", f"\n{shown('q3', 'B')}\nq\n")
    done = study(tmp_path, course_dir, "mod-a", "test", "end\nq\n")
    assert "Test ended; recorded as abandoned." in done.stdout
    assert "3 questions across easy, medium and hard" in done.stdout  # a new test is offered
    events, _ = stored(tmp_path)
    abandoned = [e for e in events if e.kind == "test_abandoned"]
    assert len(abandoned) == 1 and abandoned[0].detail["answered"] == 1
    assert not [e for e in events if e.kind == "test_finished"]


def app_context(tmp_path, course_dir):
    """The app's context over the test's database (what a screen asks for its place)."""
    from mlquiz.tui.context import AppContext

    store = ProgressStore.open(tmp_path / "p.db")
    return AppContext(course=load_course(course_dir), store=store, learner="ada")


def test_a_place_left_in_the_app_is_where_the_plain_path_starts(tmp_path, course_dir):
    ctx = app_context(tmp_path, course_dir)
    ctx.store.ensure_learner("ada")
    ctx.save_position("mod-a", "deep_dive", "under-the-hood")  # what the deep dive screen does
    ctx.save_position("mod-a", "myths", None)  # then the learner went to another mode
    ctx.store.close()
    done = study(tmp_path, course_dir, "mod-a", "deep_dive", "q\n")
    assert "Section 4 of 8: Under the hood" in done.stdout and "Section 1 of" not in done.stdout


def test_practice_skips_and_the_skipped_question_comes_back(tmp_path, course_dir):
    right = [shown(q, "B") for q in ("q2", "q3", "q1")]
    done = study(tmp_path, course_dir, "mod-a", "practice",
                 f"n\n{right[0]}\n\n{right[1]}\n\n{right[2]}\n")
    out = done.stdout
    assert "Skipped; it comes back later in the round." in out
    asked = [line.split(",")[0] for line in out.splitlines() if line.startswith("Question ")
             and " of 3," in line]
    assert asked == ["Question 1 of 3", "Question 2 of 3", "Question 3 of 3", "Question 1 of 3"]
    assert out.rstrip().endswith("Next: study test, or mlquiz review --plain.")  # all right now
    assert [e.item for e in stored(tmp_path)[0] if e.kind == "question_answered"] == ["q2", "q3", "q1"]


def test_myths_take_yes_or_no(tmp_path, course_dir):
    done = study(tmp_path, course_dir, "mod-a", "myths", "maybe\nn\n")
    out = done.stdout
    assert "Myth 1 of 1. Myth or fact? Commit first.\nIs debt only messy code?" in out
    assert "'maybe' is not one of the choices. Type y, n, or q to quit." in out
    assert "Right. The answer is No.\nWhat many believe: b\nReality: Debt lives in data too." in out
    assert answers(stored(tmp_path)[0]) == [("myth_answered", "myth-1", "B", True, "myths")]


def test_flashcards_and_pitfalls(tmp_path, course_dir):
    cards = study(tmp_path, course_dir, "mod-a", "flashcards", "\ngood\n")
    assert "Front: What is CACE?\nPress Enter to turn the card (q to quit): \n" \
           "Back: Changing anything changes everything." in cards.stdout
    assert "Good: saved." in cards.stdout and "End of the deck." in cards.stdout
    pitfalls = study(tmp_path, course_dir, "mod-a", "pitfalls", f"{shown('pitfall-1', 'A', 2)}\n")
    assert "The wrong approach: Deploy and forget." in pitfalls.stdout
    assert "Right: that is the root cause." in pitfalls.stdout
    events, _ = stored(tmp_path)
    assert answers(events) == [("card_reviewed", "card-1", "good", True, "flashcards"),
                               ("pitfall_answered", "pitfall-1", "A", True, "pitfalls")]
    assert events[1].detail["rating"] == 3


def test_deep_dive_resumes_where_it_stopped_and_the_cheat_sheet_reads_plain(tmp_path, course_dir):
    first = study(tmp_path, course_dir, "mod-a", "deep-dive", "\n\nq\n")
    assert "Contents: 1. Overview; 2. Mental model; 3. Step 1: Step A; 4. Under the hood;" in first.stdout
    assert "Diagram:\ndata --> model\nEnd of diagram." in first.stdout
    events, position = stored(tmp_path)
    assert (position.screen, position.item) == ("deep_dive", "step-a")  # the app's section id
    assert [(e.item, e.detail) for e in events if e.kind == "step_viewed"] == [
        ("step-a", {"mode": "deep_dive"})]
    assert app_context(tmp_path, course_dir).mode_place("mod-a", "deep_dive") == "step-a"
    again = study(tmp_path, course_dir, "mod-a", "deep_dive", "7\np\nq\n")
    assert "Section 3 of 8: Step 1: Step A" in again.stdout
    assert "Section 1 of" not in again.stdout
    assert again.stdout.index("Section 7 of 8: Pitfalls") < again.stdout.index(
        "Section 6 of 8: When not to use")  # a number jumps, p goes back

    sheet = study(tmp_path, course_dir, "mod-a", "cheat_sheet", "")
    assert sheet.returncode == 0
    assert "Core idea: c\n\nAnalogy: a\n\nDiagram:\ndata --> model\nEnd of diagram.\n\n" \
           "Takeaways:\n- t\n" in sheet.stdout
    assert stored(tmp_path)[1].screen == "cheat_sheet"


@pytest.mark.parametrize("module, mode, message", [
    ("nope", "practice", "mlquiz: no module 'nope' in the course test-course; modules: mod-a"),
    ("mod-a", "quiz", "mlquiz: no study mode 'quiz'; modes: deep_dive, buildup, myths, practice, "
                      "test, flashcards, pitfalls, cheat_sheet"),
    ("mod-a", "review", "mlquiz: review is not a study mode here; use `mlquiz review --plain`"),
])
def test_a_bad_module_or_mode_is_one_line_and_exit_2(tmp_path, course_dir, module, mode, message):
    done = study(tmp_path, course_dir, module, mode, "")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [message] and done.stdout == ""
    assert not (tmp_path / "p.db").exists()
    piped = subprocess.run(  # without --plain in a pipe: still the one line, nothing else
        [sys.executable, "-m", "mlquiz", "study", module, mode, "--course", str(course_dir),
         "--db", str(tmp_path / "p.db"), "--learner", "ada"],
        input="", capture_output=True, text=True, timeout=60,
        env={"MLQUIZ_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
             "HOME": str(tmp_path)})
    assert (piped.returncode, piped.stderr.splitlines()) == (2, [message])


def test_study_without_a_terminal_uses_the_plain_prompt(tmp_path, course_dir):
    env = {"MLQUIZ_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "mlquiz", "study", "mod-a", "myths", "--course", str(course_dir),
         "--db", str(tmp_path / "p.db"), "--learner", "ada"],
        input="y\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "plain prompt" in done.stderr
    assert "\x1b[" not in done.stdout and "Not quite. The answer is No." in done.stdout
    summary = subprocess.run(
        [sys.executable, "-m", "mlquiz", "progress", "--json", "--course", str(course_dir),
         "--db", str(tmp_path / "p.db"), "--learner", "ada"],
        capture_output=True, text=True, env=env, timeout=60)
    module = json.loads(summary.stdout)["modules"][0]
    assert (module["myths_busted"], module["myths_total"]) == (0, 1)


@pytest.mark.parametrize("mode", ["deep_dive", "cheat_sheet"])
def test_the_shipped_course_reads_without_markdown_syntax(tmp_path, mode):
    """Every module of the built-in course: outside code blocks and diagrams, no fence,
    backtick, heading mark or quote mark reaches the learner."""
    from mlquiz import paths

    course = load_course(paths.builtin_course_dir())
    for module in course.modules:
        done = study(tmp_path, paths.builtin_course_dir(), module.id, mode, "\n" * 40)
        assert done.returncode == 0, done.stderr
        prose, verbatim = [], False
        for line in done.stdout.splitlines():
            if line in ("Code:", "Diagram:"):
                verbatim = True
            elif line in ("End of code.", "End of diagram."):
                verbatim = False
            elif not verbatim:
                prose.append(line)
        text = "\n".join(prose)
        assert "```" not in text and "`" not in text and "**" not in text, module.id
        assert not [line for line in prose if line.startswith(("#", "> "))], module.id
        assert "End of the lesson." in done.stdout or mode == "cheat_sheet"


def test_the_plain_deep_dive_has_the_app_deep_dives_sections():
    """One place id per section on both sides, or resuming across them would miss."""
    from mlquiz import paths
    from mlquiz.commands.plain_lesson import lesson_sections as plain_sections
    from mlquiz.tui.lesson_sections import lesson_sections as app_sections

    for module in load_course(paths.builtin_course_dir()).modules:
        assert [s.id for s in plain_sections(module)] == [s.id for s in app_sections(module)]
