"""GIFT in and out: an instructor's Moodle questions become validated YAML."""
from __future__ import annotations

import shutil

import pytest

from mlquiz.cli import main
from mlquiz.content import load_course
from mlquiz.paths import builtin_course_dir
from mlquiz.workshop.gift import parse_gift

BANK = """\
// An instructor's bank
$CATEGORY: $course$/mlops/easy

::Glue:: Which code moves data in and out of a generic ML package? {
  =Glue code#Right: adapters around the package.
  ~A pipeline jungle#That is tangled preparation steps.
  ~Dead experimental code
  ####Sculley et al. say mature systems are mostly glue.
}

::Feedback TF:: A model can influence its own future training data. {T#It can: think of a recommender.#Yes.}

::Short:: Name the CACE principle {=changing anything changes everything}

::Partial:: Pick the drift measure {=PSI ~%50%Mean shift ~Accuracy}
"""


@pytest.fixture
def course_dir(tmp_path):
    target = tmp_path / "course"
    shutil.copytree(builtin_course_dir(), target)
    text = (target / "course.yaml").read_text()
    (target / "course.yaml").write_text(
        "\n".join(l for l in text.splitlines() if not l.startswith("exercises:")) + "\n")
    return target


def test_import_writes_validated_questions_and_names_what_it_could_not_carry(course_dir, tmp_path, capsys):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK)
    code = main(["gift", "import", str(bank), "--module", "ml-technical-debt", "--course", str(course_dir)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "'Short' is a short-answer question" in captured.err
    assert "partial credit (50%)" in captured.err
    assert "no hint, worked solution" in captured.err
    before = {q.id for q in load_course(builtin_course_dir()).module("ml-technical-debt").questions}
    module = load_course(course_dir, use_cache=False).module("ml-technical-debt")
    imported = {q.id: q for q in module.questions if q.id not in before}
    glue = imported["q-glue"]
    assert glue.difficulty == "easy", "difficulty comes from the category"
    assert glue.right_option == "Glue code"
    assert glue.feedback_for("B") == "That is tangled preparation steps."
    assert "mostly glue" in glue.general_feedback
    tf = imported["q-feedback-tf"]
    assert tf.options == ("True", "False") and tf.answer == "A"
    assert tf.feedback_for("A") == "Yes." and tf.feedback_for("B").startswith("It can")
    assert len(imported) == 3


def test_export_then_import_round_trips_options_and_answers(course_dir, tmp_path, capsys):
    out = tmp_path / "module.gift"
    assert main(["gift", "export", "ml-technical-debt", "--course", str(course_dir), "-o", str(out)]) == 0
    assert "GIFT cannot express hint" in capsys.readouterr().err
    module = load_course(course_dir, use_cache=False).module("ml-technical-debt")
    parsed = parse_gift(out.read_text())
    assert parsed.warnings == []
    assert len(parsed.questions) == len(module.questions)
    exported = {q.name: q for q in parsed.questions}
    for original in module.questions:
        back = exported[original.id]
        assert back.options == original.options
        assert back.answer == original.answer
        assert back.stem == original.stem.strip(), "code blocks and logs survive the trip"
        assert back.category.endswith(original.difficulty)


def test_import_into_unknown_module_is_one_line_exit_2(course_dir, tmp_path, capsys):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK)
    assert main(["gift", "import", str(bank), "--module", "nope", "--course", str(course_dir)]) == 2
    err = capsys.readouterr().err
    assert "no module 'nope'" in err and "Traceback" not in err


def test_import_of_a_file_without_usable_questions_exits_1(course_dir, tmp_path, capsys):
    bank = tmp_path / "essay.gift"
    bank.write_text("::E:: Write about debt {}\n")
    assert main(["gift", "import", str(bank), "--module", "ml-technical-debt", "--course", str(course_dir)]) == 1
    assert "essay question" in capsys.readouterr().err
    assert not (course_dir / "ml-technical-debt" / "questions-essay.yaml").exists()


def test_output_into_a_missing_folder_is_one_line_exit_2(course_dir, tmp_path, capsys):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK)
    missing = tmp_path / "no-such-folder"
    assert main(["gift", "export", "ml-technical-debt", "--course", str(course_dir),
                 "-o", str(missing / "out.gift")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"mlquiz: cannot write {missing / 'out.gift'}: No such file or directory; "
        "pass another --output FILE")
    assert main(["gift", "import", str(bank), "--module", "ml-technical-debt",
                 "--course", str(course_dir), "-o", str(missing / "bank.yaml")]) == 2
    assert "cannot write" in capsys.readouterr().err.splitlines()[-1]


def test_importing_the_same_file_twice_is_refused_in_one_line(course_dir, tmp_path, capsys):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK)
    argv = ["gift", "import", str(bank), "--module", "ml-technical-debt", "--course", str(course_dir)]
    assert main(argv) == 0
    written = course_dir / "ml-technical-debt" / "questions-bank.yaml"
    before = written.read_text()
    capsys.readouterr()
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"mlquiz: {written} already exists; pass --output to write elsewhere"]
    assert written.read_text() == before
