"""The instructor report on numeric questions: the same statistics, values instead of letters."""
from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.content import load_course
from mlquiz.paths import builtin_course_dir
from mlquiz.progress import ProgressStore
from mlquiz.workshop.collect import collect
from mlquiz.workshop.render import render_table
from mlquiz.workshop.report import build_report

MODULE = "ml-monitoring"
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
QUESTIONS = ["q-psi-four-bins", "q-ks-two-samples", "q-covariate-shift-term"]
# The same marks as tests/workshop/test_report.py, so the same hand-computed figures:
# facility .6 / .4 / .6, discrimination 0 / .15/sqrt(.21) / .25/sqrt(.15).
TYPED = {  # learner -> what each typed or picked
    "ana": ["0.2282", "0.6", "RIGHT"],
    "ben": ["0.23", "0.4", "RIGHT"],
    "cy": ["-0.2282", "0.6", "RIGHT"],
    "dee": ["0.228", "3", "WRONG"],
    "eli": ["0.5", "0.4", "WRONG"],
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    target = tmp_path_factory.mktemp("course") / "course"
    shutil.copytree(builtin_course_dir(), target)
    text = (target / "course.yaml").read_text()
    (target / "course.yaml").write_text(
        "\n".join(l for l in text.splitlines() if not l.startswith("exercises:")) + "\n")
    return load_course(target, use_cache=False)


@pytest.fixture
def room_db(tmp_path, course):
    from mlquiz.quiz.items import catalogue

    items = catalogue(course)
    choice = course.module(MODULE).question("q-covariate-shift-term")
    wrong_letter = next(l for l in "ABCD" if l != choice.answer)
    path = tmp_path / "room.db"
    store = ProgressStore.open(path)
    for n, (learner, answers) in enumerate(TYPED.items()):
        at = START + timedelta(hours=n)
        test_id = uuid.uuid4().hex
        store.record(learner, "test_started", module=MODULE, at=at,
                     detail={"test_id": test_id, "questions": QUESTIONS})
        for i, (qid, typed) in enumerate(zip(QUESTIONS, answers)):
            answer = {"RIGHT": choice.answer, "WRONG": wrong_letter}.get(typed, typed)
            store.record(learner, "question_answered", module=MODULE, item=qid, answer=answer,
                         correct=items[qid].is_right(answer), at=at + timedelta(seconds=30 * (i + 1)),
                         detail={"mode": "test", "test_id": test_id})
        store.record(learner, "test_finished", module=MODULE, at=at + timedelta(minutes=5),
                     detail={"test_id": test_id})
    store.close()
    return path


def test_a_numeric_item_gets_facility_and_discrimination_and_a_table_of_typed_values(room_db,
                                                                                     course):
    report = build_report(collect([room_db]), course)
    rows = {q.id: q for q in report.questions}
    psi, ks = rows["q-psi-four-bins"], rows["q-ks-two-samples"]
    assert [rows[i].facility for i in QUESTIONS] == pytest.approx([0.6, 0.4, 0.6])
    assert ks.discrimination == pytest.approx(0.15 / 0.21 ** 0.5)
    assert psi.answer == "0.2282"
    assert psi.option_shares == pytest.approx(
        {"0.2282": 0.6, "-0.2282": 0.2, "0.1064": 0.0, "0.0991": 0.0, "22.82": 0.0, "other": 0.2})
    assert psi.weak_distractors == ["0.1064", "0.0991", "22.82"]   # never 'other'
    assert psi.top_distractor in ("-0.2282", "other")
    assert ks.option_shares == pytest.approx({"0.6": 0.4, "0.4": 0.4, "3": 0.2, "8": 0.0,
                                              "other": 0.0})
    assert psi.options["0.2282"] == "right: 0.2282 (± 0.005)"
    assert psi.options["-0.2282"].startswith("You took ln(e / a)")
    table = render_table(report)
    assert "-0.2282" in table and "right: 0.2282 (± 0.005)" in table
