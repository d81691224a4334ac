"""GIFT numerical questions: Moodle's forms read in, numeric questions written out, a round trip."""
from __future__ import annotations

import shutil

import pytest
import yaml

from mlquiz.cli import main
from mlquiz.content import load_course
from mlquiz.paths import builtin_course_dir
from mlquiz.workshop.gift import parse_gift

MODULE = "ml-monitoring"

# Moodle's own numerical examples (its GIFT documentation), and one with a 0% wrong value.
MOODLE_EXAMPLES = """\
When was Ulysses S. Grant born? {#1822:5}

What is the value of pi (to 3 decimal places)? {#3.141..3.142}

When was Ulysses S. Grant born? {#
    =1822:0      # Correct! Full credit.
    =%50%1822:2  # He was born in 1822. Half credit for being close.
}

::PSI:: PSI of the bins? {#=0.2282:0.005 =%0%-0.2282:0.005#The sign is flipped. ####Sum the terms.}

::Broken:: What? {#twelve}
"""


@pytest.fixture
def course_dir(tmp_path):
    target = tmp_path / "course"
    shutil.copytree(builtin_course_dir(), target)
    text = (target / "course.yaml").read_text()
    (target / "course.yaml").write_text(
        "\n".join(l for l in text.splitlines() if not l.startswith("exercises:")) + "\n")
    return target


def test_moodle_numerical_forms_are_read_as_numbers_and_a_bad_one_is_named():
    parsed = parse_gift(MOODLE_EXAMPLES, filename="bank.gift")
    grant, pi, grant_again, psi = parsed.questions
    assert (grant.number.value, grant.number.margin) == (1822, 5)
    assert pi.number.value == pytest.approx(3.1415) and pi.number.margin == pytest.approx(0.0005)
    assert (grant_again.number.value, grant_again.number.margin) == (1822, 0)
    assert grant_again.number.feedback == "Correct! Full credit."
    assert grant_again.number.wrong_values == ((1822, 2, "He was born in 1822. Half credit for "
                                                         "being close."),)
    assert any("partial credit (50%)" in w for w in parsed.warnings)
    assert psi.number.wrong_values == ((-0.2282, 0.005, "The sign is flipped."),)
    assert psi.general_feedback == "Sum the terms."
    assert parsed.skipped == 1
    assert any(w.startswith("bank.gift:12: 'Broken'") and "value:margin or min..max" in w
               for w in parsed.warnings)


def test_export_writes_the_numerical_form_and_import_brings_the_numbers_back(course_dir, tmp_path,
                                                                             capsys):
    out = tmp_path / "monitoring.gift"
    assert main(["gift", "export", MODULE, "--course", str(course_dir), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "q-latency-alert-threshold: GIFT has no units; 'ms' is dropped" in err
    text = out.read_text()
    assert "\t=0.2282:0.005\n" in text and "\t=%0%-0.2282:0.005#You took ln(e / a)" in text
    module = load_course(course_dir, use_cache=False).module(MODULE)
    # into a copy whose module has no numeric questions left: they come back, ids kept
    other = tmp_path / "other"
    shutil.copytree(course_dir, other)
    questions_file = other / MODULE / "questions.yaml"
    data = yaml.safe_load(questions_file.read_text())
    numeric_ids = [q["id"] for q in data["questions"] if q.get("answer_type") == "number"]
    assert len(numeric_ids) >= 3
    questions_file.write_text(yaml.safe_dump(
        {"questions": [q for q in data["questions"] if q.get("answer_type") != "number"]}))
    numeric_only = tmp_path / "numeric.gift"
    numeric_only.write_text("\n\n".join(block for block in text.split("\n\n")
                                        if any(f"::{i}::" in block for i in numeric_ids)))
    assert main(["gift", "import", str(numeric_only), "--module", MODULE,
                 "--course", str(other)]) == 0
    back = load_course(other, use_cache=False).module(MODULE)
    for qid in numeric_ids:
        original, again = module.question(qid), back.question(qid)
        assert again.is_numeric and again.answer_type == "number"
        assert again.number.value == original.number.value
        assert again.number.margin == pytest.approx(original.number.margin)
        assert [(w.value, w.tolerance, w.feedback.strip()) for w in again.number.wrong_values] == [
            (w.value, w.tolerance, w.feedback.strip()) for w in original.number.wrong_values]
        assert again.hint.strip() == original.hint.strip()
    assert back.question("q-latency-alert-threshold").number.units is None   # dropped, as warned
