"""GIFT in and out: an instructor's Moodle questions become validated YAML, and back."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from mlquiz.cli import main
from mlquiz.content import load_course
from mlquiz.paths import builtin_course_dir
from mlquiz.workshop.gift import parse_gift
from mlquiz.workshop.gift_export import to_gift

FIXTURES = Path(__file__).parents[1] / "fixtures" / "gift"
MODULE = "ml-technical-debt"

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
    """The built-in course without its exercises."""
    target = tmp_path / "course"
    shutil.copytree(builtin_course_dir(), target)
    text = (target / "course.yaml").read_text()
    (target / "course.yaml").write_text(
        "\n".join(l for l in text.splitlines() if not l.startswith("exercises:")) + "\n")
    return target


def parse_fixture(name):
    return parse_gift((FIXTURES / name).read_bytes(), filename=name)


def by_line(parsed):
    return {q.line: q for q in parsed.questions}


def warned_lines(parsed, name):
    return {int(w.split(":")[1]) for w in parsed.warnings if w.startswith(f"{name}:")}


def skipped_lines(parsed, name):
    return {int(w.split(":")[1]) for w in parsed.warnings
            if w.startswith(f"{name}:") and w.endswith("; skipped")}


# --- every question of each fixture: imported faithfully or named with its line -------------


def test_a_moodle_export_is_imported_faithfully_or_each_question_named():
    parsed = parse_fixture("moodle_export.gift")
    questions = by_line(parsed)
    assert set(questions) == {6, 14, 21, 24, 31, 38, 62}   # 62: numerical, read as a number
    assert skipped_lines(parsed, "moodle_export.gift") == {45, 52, 55, 65}
    assert parsed.skipped == 4

    psi = questions[6]
    assert psi.name == "PSI reading"
    assert psi.stem == ("A weekly job reports a population stability index of **0.31** for "
                        "`days_since_signup`.\n\nWhat does it say?")
    assert psi.options == ("A major shift; investigate the feature",
                           "Noise; PSI only matters above 0.5", "The model lost 31% of its accuracy")
    assert psi.answer == "A"
    assert dict(psi.feedback) == {"A": "Right: above 0.25 is usually read as a major shift.",
                                  "B": "No: 0.5 is not the usual line."}
    assert psi.general_feedback.startswith("Common bands: under 0.1 stable")
    assert psi.category.endswith("/Drift/medium")

    skew = questions[14]
    assert skew.options == ("Training/serving skew", "Concept drift", "Label shift"), \
        "'->' in a feedback keeps it multiple choice; [moodle] does not stay in the option"
    assert dict(skew.feedback)["A"] == "Yes -> the two pipelines disagree."

    tf = questions[21]
    assert (tf.options, tf.answer) == (("True", "False"), "B")
    assert dict(tf.feedback) == {"A": "Think of how many alerts a 300-feature model would raise.",
                                 "B": "Right: alert fatigue is real."}

    code = questions[31]
    assert code.stem.endswith('```python\nif abs(live.mean() - train.mean()) > 3 * train.std():\n'
                              '    alert("shift")\n```'), "escaped ':' and '\\n' inside <pre>"

    for question in parsed.questions:
        for text in (question.stem, *question.options, *dict(question.feedback).values()):
            assert "<p>" not in text and "[html]" not in text and "[moodle]" not in text


def test_what_an_imported_question_loses_is_named_with_its_line():
    parsed = parse_fixture("moodle_export.gift")
    image = next(w for w in parsed.warnings if w.startswith("moodle_export.gift:24:"))
    assert "'Chart reading' stem: an image (psi bands.png) cannot be carried" in image
    assert by_line(parsed)[24].stem.endswith("[image: PSI bands over eight weeks]")
    partial, penalty = [w for w in parsed.warnings if w.startswith("moodle_export.gift:38:")]
    assert "option B partial credit (50%)" in partial and "counts as plainly wrong" in partial
    assert "option C a penalty (-25%)" in penalty
    reasons = {int(w.split(":")[1]): w for w in parsed.warnings}
    assert "multiple-answer question" in reasons[45]
    assert "essay question" in reasons[52]
    assert "matching question" in reasons[55]
    assert 62 not in reasons, "a numerical question is imported (tests/workshop/test_gift_numeric.py)"
    assert "no answer block" in reasons[65]


def test_a_hand_written_bank_with_categories_escapes_and_other_scripts():
    parsed = parse_fixture("hand_written.gift")
    questions = by_line(parsed)
    assert set(questions) == {3, 10, 18, 24, 26, 28} and parsed.skipped == 0

    stale = questions[3]
    assert stale.category == "monitoring/easy", "a question right under $CATEGORY is imported"
    assert stale.stem.endswith("an example of _____ debt.")
    assert any(w.startswith("hand_written.gift:3:") and "blank line" in w for w in parsed.warnings)

    assert questions[10].options[1] == "WARN feature 'age' has dtype object, expected float64"
    units = questions[18]
    assert units.stem.startswith("Which check catches a **silent** change of units (metres -> ")
    assert units.category == "monitoring/medium"
    assert questions[24].stem.startswith("Data drift means"), "[plain] removed"
    assert (questions[26].answer, dict(questions[26].feedback)["B"]) == (
        "A", "No: that is exactly concept drift.")
    escapes = questions[28]
    assert escapes.name == "Escapes: all of them"
    assert escapes.stem == "In GIFT, which characters need a backslash: ~ = # { } : ?"
    assert escapes.options[0] == "All six of ~ = # { } :"
    assert escapes.general_feedback == (
        "A newline inside a text is written \\n as two characters, like this\nsecond line.")


def test_a_broken_bank_names_each_bad_question_with_its_line_and_what_to_do():
    parsed = parse_fixture("broken.gift")
    assert set(by_line(parsed)) == {13, 17}
    assert skipped_lines(parsed, "broken.gift") == {3, 7, 9, 11, 15, 19, 21, 23, 25}
    reasons = {int(w.split(":")[1]): w for w in parsed.warnings}
    assert "never closes them with '}'" in reasons[3]
    assert "'}' on line 7 with no '{' before it" in reasons[7]
    assert "second '{' on line 9" in reasons[9] and "\\{" in reasons[9]
    assert "byte 0xE9 at line 11 col 22, which is not UTF-8" in reasons[11]
    assert "save it as UTF-8" in reasons[11]
    assert "one answer block per question" in reasons[15]
    assert "no right answer" in reasons[19]
    assert "2 right answers" in reasons[21]
    assert "no question text left" in reasons[23]
    assert "option A with no text left" in reasons[25]
    assert all(len(w.splitlines()) == 1 for w in parsed.warnings)


def test_a_utf16_file_from_a_windows_editor_reads_like_utf8():
    text = "::Größe:: Which unit? {=metres ~feet}\n"
    parsed = parse_gift(text.encode("utf-16"), filename="w.gift")
    assert [(q.name, q.options) for q in parsed.questions] == [("Größe", ("metres", "feet"))]


def test_html_that_cannot_be_converted_is_named_not_dropped(monkeypatch):
    from mlquiz.workshop import gift_html

    def fails(html, **options):
        raise ValueError("RecursionError: maximum recursion depth exceeded")
    monkeypatch.setattr(gift_html, "html_to_markdown", fails)
    parsed = parse_gift("::Deep:: [html]<p>x</p> {=<p>a</p> ~b}\n\n::Plain:: ok {=a ~b}\n",
                        filename="deep.gift")
    assert [q.name for q in parsed.questions] == ["Plain"]
    assert parsed.warnings == [
        "deep.gift:1: 'Deep' has stem HTML that cannot be converted (RecursionError: maximum "
        "recursion depth exceeded); simplify it in Moodle's editor and export again; skipped"]


# --- the command --------------------------------------------------------------------------


def import_argv(bank, course_dir, *extra):
    return ["gift", "import", str(bank), "--module", MODULE, "--course", str(course_dir), *extra]


def test_import_writes_validated_questions_and_exit_1_names_what_was_skipped(course_dir, tmp_path,
                                                                               capsys):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK)
    code = main(import_argv(bank, course_dir))
    captured = capsys.readouterr()
    assert code == 1, "a question was skipped"
    assert f"{bank}:13: 'Short' is a short-answer question" in captured.err
    assert "partial credit (50%)" in captured.err
    assert "imported 3 question(s)" in captured.out and "1 skipped" in captured.out
    before = {q.id for q in load_course(builtin_course_dir()).module(MODULE).questions}
    module = load_course(course_dir, use_cache=False).module(MODULE)
    imported = {q.id: q for q in module.questions if q.id not in before}
    assert set(imported) == {"q-glue", "q-feedback-tf", "q-partial"}
    glue = imported["q-glue"]
    assert glue.difficulty == "easy", "difficulty comes from the category"
    assert glue.right_option == "Glue code"
    assert glue.feedback_for("B") == "That is tangled preparation steps."
    assert "mostly glue" in glue.general_feedback
    tf = imported["q-feedback-tf"]
    assert tf.options == ("True", "False") and tf.answer == "A"
    assert tf.feedback_for("A") == "Yes." and tf.feedback_for("B").startswith("It can")


def test_a_broken_bank_imports_what_it_can_and_exits_1(course_dir, tmp_path, capsys):
    bank = tmp_path / "broken.gift"
    shutil.copy(FIXTURES / "broken.gift", bank)
    assert main(import_argv(bank, course_dir)) == 1
    captured = capsys.readouterr()
    skipped = [line for line in captured.err.splitlines() if line.endswith("; skipped")]
    assert len(skipped) == 9 and all(line.startswith(f"mlquiz: warning: {bank}:") for line in skipped)
    assert "Traceback" not in captured.err
    assert "imported 2 question(s)" in captured.out and "9 skipped" in captured.out
    ids = {q.id for q in load_course(course_dir, use_cache=False).module(MODULE).questions}
    assert {"q-fine", "q-bad-html"} <= ids


def test_importing_a_moodle_export_gives_questions_the_course_loads(course_dir, tmp_path, capsys):
    bank = tmp_path / "drift.gift"
    shutil.copy(FIXTURES / "moodle_export.gift", bank)
    assert main(import_argv(bank, course_dir)) == 1
    module = load_course(course_dir, use_cache=False).module(MODULE)
    psi = module.question("q-psi-reading")
    assert psi is not None and "**0.31**" in psi.stem and psi.difficulty == "medium"
    assert module.question("q-code-in-the-stem").stem.count("```") == 2


def test_ids_keep_non_ascii_names_readable(course_dir, tmp_path, capsys):
    bank = tmp_path / "hand.gift"
    shutil.copy(FIXTURES / "hand_written.gift", bank)
    assert main(import_argv(bank, course_dir)) == 0
    ids = {q.id for q in load_course(course_dir, use_cache=False).module(MODULE).questions}
    assert {"q-uberwachung-der-grosse", "q-dreif-dannykh", "q-escapes-all-of-them",
            "q-which-log-line-shows-a-feature"} <= ids
    err = capsys.readouterr().err
    assert "'数据漂移' has no letters an id can spell" in err


def test_output_anywhere_is_validated_as_if_it_sat_in_the_module(course_dir, tmp_path, capsys,
                                                                 monkeypatch):
    bank = tmp_path / "bank.gift"
    bank.write_text("::q-debt-meaning:: Same id as a built-in question? {=yes ~no}\n\n"
                    "::Tagged:: fine {=a ~b}\n")
    out = tmp_path / "elsewhere" / "bank.yaml"
    out.parent.mkdir()
    assert main(import_argv(bank, course_dir, "-o", str(out))) == 0
    assert "is already a question id in the course; imported as 'q-debt-meaning-2'" in \
        capsys.readouterr().err
    assert out.exists()
    # an entry that would not validate (its hint left out) is named with its GIFT line and
    # skipped; the rest is written
    import mlquiz.workshop.gift_yaml as gift_yaml
    original = gift_yaml.question_entry

    def without_hint_for_tagged(q, *args):
        entry = original(q, *args)
        if q.name == "Tagged":
            entry.pop("hint")
        return entry
    monkeypatch.setattr(gift_yaml, "question_entry", without_hint_for_tagged)
    out2 = tmp_path / "elsewhere" / "second.yaml"
    assert main(import_argv(bank, course_dir, "-o", str(out2))) == 1
    err = capsys.readouterr().err
    assert f"{bank}:3: 'Tagged' would not validate (questions[1].hint: missing field 'hint')" in err
    assert [q["id"] for q in yaml.safe_load(out2.read_text())["questions"]] == ["q-debt-meaning-2"]
    # when nothing is left, nothing is written
    monkeypatch.setattr(gift_yaml, "question_entry",
                        lambda *args: {k: v for k, v in original(*args).items() if k != "hint"})
    out3 = tmp_path / "elsewhere" / "third.yaml"
    assert main(import_argv(bank, course_dir, "-o", str(out3))) == 1
    assert "no question left that validates" in capsys.readouterr().err
    assert not out3.exists()


def test_import_of_a_file_without_usable_questions_exits_1(course_dir, tmp_path, capsys):
    bank = tmp_path / "essay.gift"
    bank.write_text("::E:: Write about debt {}\n")
    assert main(import_argv(bank, course_dir)) == 1
    assert "essay question" in capsys.readouterr().err
    assert not (course_dir / MODULE / "questions-essay.yaml").exists()


def test_import_into_unknown_module_is_one_line_exit_2(course_dir, tmp_path, capsys):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK)
    assert main(["gift", "import", str(bank), "--module", "nope", "--course", str(course_dir)]) == 2
    err = capsys.readouterr().err
    assert "no module 'nope'" in err and "Traceback" not in err


def test_output_into_a_missing_folder_is_one_line_exit_2(course_dir, tmp_path, capsys):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK)
    missing = tmp_path / "no-such-folder"
    assert main(["gift", "export", MODULE, "--course", str(course_dir),
                 "-o", str(missing / "out.gift")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"mlquiz: cannot write {missing / 'out.gift'}: No such file or directory; "
        "pass another --output FILE")
    assert main(import_argv(bank, course_dir, "-o", str(missing / "bank.yaml"))) == 2
    assert "cannot write" in capsys.readouterr().err.splitlines()[-1]


def test_importing_the_same_file_twice_is_refused_in_one_line(course_dir, tmp_path, capsys):
    bank = tmp_path / "bank.gift"
    bank.write_text(BANK)
    argv = import_argv(bank, course_dir)
    assert main(argv) == 1
    written = course_dir / MODULE / "questions-bank.yaml"
    before = written.read_text()
    capsys.readouterr()
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"mlquiz: {written} already exists; pass --output to write elsewhere"]
    assert written.read_text() == before


# --- export and the round trip --------------------------------------------------------------


def test_export_then_import_keeps_ids_options_answers_and_stems(course_dir, tmp_path, capsys):
    out = tmp_path / "module.gift"
    assert main(["gift", "export", MODULE, "--course", str(course_dir), "-o", str(out)]) == 0
    assert "GIFT cannot express hint" in capsys.readouterr().err
    module = load_course(course_dir, use_cache=False).module(MODULE)
    parsed = parse_gift(out.read_text())
    assert parsed.warnings == []
    exported = {q.name: q for q in parsed.questions}
    assert sorted(exported) == sorted(q.id for q in module.questions)
    for original in module.questions:
        back = exported[original.id]
        assert back.options == original.options
        assert back.answer == original.answer
        assert back.stem == original.stem.strip(), "code blocks and logs survive the trip"
        assert back.category.endswith(original.difficulty)
        assert back.hint == original.hint.strip(), "the hint comes back from its comment"
    # into a course that holds only the first of them: the others keep their ids, so the
    # learners' history still connects; the first cannot, and the warning says so
    other = tmp_path / "other"
    shutil.copytree(course_dir, other)
    questions_file = other / MODULE / "questions.yaml"
    data = yaml.safe_load(questions_file.read_text())
    questions_file.write_text(yaml.safe_dump({"questions": data["questions"][:1]}))
    capsys.readouterr()
    assert main(import_argv(out, other)) == 0
    first, *rest = [q.id for q in module.questions]
    ids = {q.id for q in load_course(other, use_cache=False).module(MODULE).questions}
    assert set(rest) | {first, f"{first}-2"} == ids
    again = load_course(other, use_cache=False).module(MODULE).question(rest[0])
    assert again.hint.strip() == module.question(rest[0]).hint.strip()
    assert f"'{first}' is already a question id in the course; imported as '{first}-2'" in \
        capsys.readouterr().err


RESERVED = [
    "%50% of the rows are null",
    "[plain] is a Moodle format name",
    "a -> b maps inputs to labels",
    "all of them: ~ = # { } \\ and a\nsecond line",
    "%-100% %100%",
]


def test_export_escapes_everything_gift_reserves(course_dir):
    module = load_course(course_dir, use_cache=False).module(MODULE)
    base = module.questions[0]
    question = dataclasses.replace(
        base, id="q-reserved", stem="Which -> is {this}? 50% ~ 100%\n```\nx = {'a': 1}\n```",
        options=tuple(RESERVED), answer="C",
        feedback=(("A", "[html] stays text"), ("C", "%25% is not a weight here")),
        general_feedback="#### is not a separator here")
    text, _ = to_gift(module.id, [question])
    body = text.split("::q-reserved::", 1)[1]
    assert "->" not in body.replace("-\\>", ""), "every -> is escaped"
    assert "\n\t~[markdown]%50% of the rows" in body
    parsed = parse_gift(text)
    assert parsed.warnings == []
    back = parsed.questions[0]
    assert back.name == "q-reserved" and back.stem == question.stem
    assert back.options == question.options and back.answer == "C"
    assert dict(back.feedback) == dict(question.feedback)
    assert back.general_feedback == question.general_feedback


def test_a_line_break_in_an_imported_option_leaves_no_backslash(course_dir, tmp_path, capsys):
    bank = tmp_path / "breaks.gift"
    bank.write_text("::Breaks:: [html]<p>Which one is <b>right</b>?<br>Pick one.</p> {\n"
                    "  =Glue<br>code#It wraps<br>the package.\n"
                    "  ~A pipeline<br/>jungle\n"
                    "  ~<p>Dead</p><p>code</p>\n"
                    "}\n")
    assert main(import_argv(bank, course_dir)) == 0, capsys.readouterr().err
    question = load_course(course_dir, use_cache=False).module(MODULE).question("q-breaks")
    assert question.options == ("Glue code", "A pipeline jungle", "Dead code")
    assert question.right_option == "Glue code"
    # Only option texts are one line: the stem and feedback keep their line breaks.
    assert "right**?\\\nPick one." in question.stem
    assert question.feedback_for("A") == "It wraps\\\nthe package."
