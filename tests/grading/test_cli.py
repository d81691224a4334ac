"""`mlquiz exercises ...` through mlquiz.cli.main: output a learner reads and exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlquiz.cli import main
from mlquiz.grading.workspace import learner_folder
from mlquiz.progress import ProgressStore
from tests.grading.conftest import CALC_FIXED, make_course


@pytest.fixture
def run(tmp_path, capsys):
    course = make_course(tmp_path, [{"id": "calc"}, {"id": "calc-two"}])
    options = ["--course", str(course), "--db", str(tmp_path / "p.db"),
               "--workspace", str(tmp_path / "ws")]

    def invoke(*argv: str, learner: str | None = "ada") -> tuple[int, str, str]:
        extra = ["--learner", learner] if learner else []
        code = main([*options, *extra, "exercises", *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def folder(learner: str) -> Path:
        """Each learner's own exercise folders under the --workspace root."""
        with ProgressStore.open(tmp_path / "p.db") as store:  # made here: its uuid names the folder
            return learner_folder(tmp_path / "ws", store.database_id, learner)

    invoke.folder = folder
    invoke.workspace = folder("ada")
    invoke.course = course
    return invoke


def test_check_exits_1_on_failure_and_0_on_pass(run):
    code, out, _ = run("check", "calc")
    assert code == 1
    assert "calc: 0 of 3 checks pass" in out
    assert "FAIL  Double of two is four" in out and "double(2) should be 4, got 5" in out
    assert "hint 1 of 3" in out
    (run.workspace / "calc" / "calc.py").write_text(CALC_FIXED)
    code, out, _ = run("check", "calc")
    assert code == 0
    assert "PASSED" in out and "Next: calc-two" in out
    assert "checking the other" not in out
    run("show", "calc-two")
    (run.workspace / "calc-two" / "calc.py").write_text(CALC_FIXED)
    code, out, _ = run("check", "calc-two")
    assert code == 0
    assert out.index("That was the last one: checking the other 1 exercise again") < out.index("PASSED")


def test_check_json_is_machine_readable(run):
    code, out, _ = run("check", "calc", "--json")
    document = json.loads(out)
    assert code == 1
    assert document["passed"] is False and document["state"] == "in progress"
    assert document["result"]["tests"][0]["message"] == "double(2) should be 4, got 5"


def test_an_unknown_id_exits_2_with_a_suggestion(run):
    code, out, err = run("check", "calc-tow")
    assert code == 2
    assert err.strip() == "mlquiz: no exercise 'calc-tow'; did you mean calc-two?"


def test_a_syntax_error_prints_like_a_compiler(run):
    run("show", "calc")
    (run.workspace / "calc" / "calc.py").write_text("def double(x)\n    return 2 * x\n")
    code, out, _ = run("check", "calc")
    assert code == 1
    assert "calc.py:1:14: SyntaxError: expected ':'" in out
    assert "    def double(x)\n                 ^" in out


def test_a_missing_workspace_file_exits_2_and_says_how_to_recover(run):
    run("show", "calc")
    (run.workspace / "calc" / "calc.py").unlink()
    code, _, err = run("check", "calc")
    assert code == 2
    assert "calc.py is missing" in err and "mlquiz exercises reset calc" in err


def test_a_workspace_that_is_a_file_says_so(run, capsys):
    run.workspace.parent.mkdir(parents=True)
    run.workspace.write_text("not a folder\n")
    code, _, err = run("check", "calc")
    assert code == 2
    assert err.strip() == (f"mlquiz: cannot create the workspace for calc in {run.workspace}: "
                           f"{run.workspace} is a file, not a folder; pass another --workspace")
    assert run.workspace.read_text() == "not a folder\n"


def test_an_unreadable_workspace_file_exits_2_and_says_to_make_it_readable(run, monkeypatch):
    from pathlib import Path

    run("show", "calc")
    source = run.workspace / "calc" / "calc.py"
    real_read_bytes = Path.read_bytes

    def refuse(path):  # chmod 000 does not stop root, who runs these tests in CI
        if path == source:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    code, _, err = run("check", "calc")
    assert code == 2
    assert err.strip() == (f"mlquiz: {source} cannot be read (Permission denied); make it "
                           "readable (chmod u+r), or restore the starter files with `mlquiz "
                           "exercises reset calc` (your files are kept as a backup)")


def test_a_broken_exercise_yaml_reports_its_line(run):
    (run.course.parent / "exercises" / "calc" / "exercise.yaml").write_text("id: calc\ntitle: [\n")
    code, _, err = run("list")
    assert code == 1
    assert "exercises/calc/exercise.yaml:" in err
    assert "Traceback" not in err


def test_list_shows_state_difficulty_and_title(run):
    (run.workspace / "calc").mkdir(parents=True)
    run("show", "calc")
    (run.workspace / "calc" / "calc.py").write_text(CALC_FIXED)
    run("check", "calc")
    code, out, _ = run("list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["passed", "easy", "calc", "Exercise", "calc"]
    assert lines[1].split()[:2] == ["pending", "easy"]
    assert lines[-1] == "1 of 2 passed. Next: mlquiz exercises show calc-two"
    run("check", "calc-two")
    assert run("list")[1].splitlines()[-1] == (
        "1 of 2 passed. Continue with: mlquiz exercises show calc-two")


def test_the_learner_defaults_to_the_most_recent_one(run):
    run("show", "calc")
    run("show", "calc", learner="grace")
    (run.folder("grace") / "calc" / "calc.py").write_text(CALC_FIXED)
    run("check", "calc", learner="grace")
    _, out, _ = run("list", learner=None)
    assert out.splitlines()[0].startswith("passed")


def test_hint_counts_and_solution_is_gated(run):
    code, out, _ = run("hint", "calc")
    assert code == 0 and out.startswith("calc: hint 1 of 3\n\nlook at double")
    code, _, err = run("solution", "calc")
    assert code == 1 and "--force" in err
    code, out, _ = run("solution", "calc", "--force")
    assert code == 0 and "==== calc.py (reference) ====" in out and "return 2 * x" in out


def test_reset_without_a_tty_needs_no_confirmation_and_keeps_a_backup(run):
    run("show", "calc")
    (run.workspace / "calc" / "calc.py").write_text("# mine\n")
    code, out, _ = run("reset", "calc", "--yes")
    assert code == 0 and "Your previous files are in" in out
    (backup,) = (run.workspace / ".backups").iterdir()
    assert (backup / "calc.py").read_text() == "# mine\n"
    assert "x + x + 1" in (run.workspace / "calc" / "calc.py").read_text()


def test_verify_passes_good_exercises_and_flags_a_starter_that_already_passes(run):
    code, out, _ = run("verify")
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["ok", "calc"]
    (run.course.parent / "exercises" / "calc" / "starter" / "calc.py").write_text(CALC_FIXED)
    code, out, _ = run("verify", "calc")
    assert code == 1
    assert "FAIL  calc  the starter already passes every hidden test" in out


def test_verify_flags_a_test_without_a_message_and_a_wrong_solution(run):
    exercise = run.course.parent / "exercises" / "calc"
    (exercise / "tests" / "test_calc.py").write_text(
        "def test_two(subject):\n    assert subject.call('calc.double', 2) == 4\n")
    (exercise / "solution" / "calc.py").write_text("def double(x):\n    return 0\n")
    code, out, _ = run("verify", "calc")
    assert code == 1
    assert "failing without a message on the starter: Two" in out
    assert "the solution does not pass" in out


def test_verify_of_an_unknown_id_exits_2(run):
    code, _, err = run("verify", "nope")
    assert code == 2
    assert err.strip() == "mlquiz: no exercise 'nope'; one of calc, calc-two"  # as check says


def test_reset_asks_first_and_takes_the_answer_from_standard_input(run, monkeypatch):
    import io

    run("show", "calc")
    (run.workspace / "calc" / "calc.py").write_text("# mine\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out, _ = run("reset", "calc")
    assert code == 0 and out.strip().endswith("Nothing changed.")
    assert (run.workspace / "calc" / "calc.py").read_text() == "# mine\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    run("reset", "calc")
    assert "x + x + 1" in (run.workspace / "calc" / "calc.py").read_text()


def test_reset_with_no_answer_at_all_resets_nothing(run, monkeypatch):
    import io

    run("show", "calc")
    (run.workspace / "calc" / "calc.py").write_text("# mine\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run("reset", "calc")
    assert code == 1 and "pass --yes" in err
    assert (run.workspace / "calc" / "calc.py").read_text() == "# mine\n"


def test_list_reads_a_read_only_database_without_changing_it(run, tmp_path):
    (run.workspace / "calc").mkdir(parents=True)
    run("show", "calc")
    (run.workspace / "calc" / "calc.py").write_text(CALC_FIXED)
    run("check", "calc")
    db = tmp_path / "p.db"
    db.chmod(0o444)
    before = db.read_bytes()
    code, out, err = run("list")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("passed")
    assert db.read_bytes() == before
    code, _, err = run("hint", "calc")  # a command that records still says why it cannot
    assert code == 2 and "read-only" in err


def test_check_messages_wrap_between_words_to_the_terminal(run, monkeypatch):
    long_message = ("the served score differs from the trained one for the customer with "
                    "the longest tenure in the whole golden set of twenty records")
    course_tests = run.course.parent / "exercises" / "calc" / "tests" / "test_calc.py"
    course_tests.write_text("def test_long(subject):\n"
                            f"    assert subject.call('calc.double', 2) == 4, {long_message!r}\n")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a, **k: __import__("os").terminal_size((50, 20)))
    _, out, _ = run("check", "calc")
    message_lines = [line for line in out.splitlines() if line.startswith("        ")]
    assert len(message_lines) > 1 and all(len(line) < 50 for line in message_lines), out
    assert " ".join(line.strip() for line in message_lines) == long_message  # no word is cut
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    _, piped, _ = run("check", "calc")
    assert f"        {long_message}" in piped.splitlines()  # into a pipe: one line, for grep
