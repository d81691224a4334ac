"""The instructor report: statistics against a small example computed by hand."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.cli import main
from mlquiz.progress import ProgressStore
from mlquiz.workshop.collect import collect
from mlquiz.workshop.report import build_report

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
QUESTIONS = ["q-debt-meaning", "q-debt-sign", "q-cace-term"]
RIGHT = {"q-debt-meaning": "B", "q-debt-sign": "D", "q-cace-term": "A"}
# Marks on the three questions of each learner's first test (worked by hand below).
FIRST_TEST = {"ana": [1, 1, 1], "ben": [1, 1, 0], "cy": [1, 0, 0], "dee": [0, 0, 0]}


def take_test(store, learner, marks, test_id, at, wrong="C"):
    store.record(learner, "test_started", module="ml-technical-debt", at=at,
                 detail={"test_id": test_id, "questions": QUESTIONS})
    for i, (qid, mark) in enumerate(zip(QUESTIONS, marks)):
        store.record(learner, "question_answered", module="ml-technical-debt", item=qid,
                     answer=RIGHT[qid] if mark else wrong, correct=bool(mark),
                     time_spent_ms=20_000, at=at + timedelta(seconds=30 * (i + 1)),
                     detail={"mode": "test", "test_id": test_id})
    store.record(learner, "test_finished", module="ml-technical-debt",
                 at=at + timedelta(minutes=5),
                 detail={"test_id": test_id, "score": sum(marks), "total": len(marks)})


@pytest.fixture
def room_db(tmp_path):
    path = tmp_path / "room.db"
    store = ProgressStore.open(path)
    for n, (learner, marks) in enumerate(FIRST_TEST.items()):
        take_test(store, learner, marks, f"t-{learner}-1", START + timedelta(hours=n))
    # dee tries again and gets all right: not a first attempt.
    take_test(store, "dee", [1, 1, 1], "t-dee-2", START + timedelta(days=1))
    store.close()
    return path


def by_id(report):
    return {q.id: q for q in report.questions}


def test_facility_discrimination_and_alpha_match_the_hand_computation(room_db):
    # q1 marks 1,1,1,0 with rest 2,1,0,0: cov .1875, V(x) .1875, V(rest) .6875 -> r .522
    # q2 marks 1,1,0,0 with rest 2,1,1,0: cov .25, V(x) .25, V(rest) .5 -> r .707
    # alpha: item variances .625, total variance 1.25, p=3 -> 1.5 * (1 - .5) = .75
    report = build_report(collect([room_db]))
    q = by_id(report)
    assert q["q-debt-meaning"].facility == pytest.approx(0.75)
    assert q["q-debt-sign"].facility == pytest.approx(0.5)
    assert q["q-cace-term"].facility == pytest.approx(0.25)
    assert q["q-debt-meaning"].discrimination == pytest.approx(0.5222, abs=1e-3)
    assert q["q-debt-sign"].discrimination == pytest.approx(0.7071, abs=1e-3)
    assert q["q-cace-term"].discrimination == pytest.approx(0.5222, abs=1e-3)
    assert report.cronbach_alpha == pytest.approx(0.75)
    assert report.tests_analysed == 4
    assert [r.id for r in report.questions][0] == "q-cace-term", "hardest first"


def test_every_attempt_counts_only_when_asked(room_db):
    report = build_report(collect([room_db]), all_attempts=True)
    assert report.tests_analysed == 5
    assert by_id(report)["q-cace-term"].facility == pytest.approx(2 / 5)


def test_the_same_file_twice_and_its_export_never_count_an_event_twice(room_db, tmp_path):
    export = tmp_path / "room.json"
    assert main(["export", "--db", str(room_db), "--all", "--format", "json", "-o", str(export)]) == 0
    once = collect([room_db])
    thrice = collect([room_db, room_db, export])
    assert len(thrice.events) == len(once.events)
    assert build_report(thrice).cronbach_alpha == pytest.approx(0.75)


def test_distractors_under_five_percent_are_flagged_with_the_course(room_db):
    from mlquiz.content import load_course
    from mlquiz.paths import builtin_course_dir

    report = build_report(collect([room_db]), load_course(builtin_course_dir()))
    q1 = by_id(report)["q-debt-meaning"]
    assert q1.option_shares == {"A": 0.0, "B": 0.75, "C": 0.25, "D": 0.0}
    assert q1.weak_distractors == ["A", "D"]
    assert q1.top_distractor == "C"


def test_report_skips_a_bad_source_with_one_warning_and_exit_1(room_db, tmp_path, capsys):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n")
    out = tmp_path / "report.json"
    code = main(["report", str(room_db), str(junk), "--format", "json", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"mlquiz: warning: skipped {junk}: is not an mlquiz export")
    assert "--db" not in err and err.count("warning") == 1
    data = json.loads(out.read_text())
    assert {row["name"] for row in data["learners"]} == set(FIRST_TEST)


def test_html_report_is_one_self_contained_page(room_db, tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", str(room_db), "--format", "html", "-o", str(out)]) == 0
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "<svg" in page
    assert "src=" not in page and "href=" not in page, "no outside files or links"
    assert "q-cace-term" in page


def test_table_names_learners_and_the_hardest_question(room_db, capsys):
    assert main(["report", str(room_db)]) == 0
    out = capsys.readouterr().out
    for learner in FIRST_TEST:
        assert learner in out
    assert "Cronbach's alpha 0.75" in out


def test_report_of_only_unreadable_sources_is_exit_2(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    assert main(["report", str(missing)]) == 2
    assert "nope.db" in capsys.readouterr().err


def test_a_database_of_an_older_mlquiz_is_read_without_touching_it(tmp_path):
    import hashlib
    import shutil
    from pathlib import Path

    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "progress_v1.db", old)
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    room = collect([old])
    assert room.warnings == []
    assert room.events, "the old database's events are in the report"
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"], "no sidecar or backup files"


def test_a_truncated_database_is_skipped_without_advice_meant_for_a_learners_db(room_db, tmp_path,
                                                                                capsys):
    cut = tmp_path / "cut.db"
    cut.write_bytes(room_db.read_bytes()[:20000])
    assert main(["report", str(room_db), str(cut)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"mlquiz: warning: skipped {cut}: is truncated (20000 of ")
    assert "--db" not in err and len(err.splitlines()) == 1


def test_a_database_of_a_newer_mlquiz_is_named_with_its_schema(room_db, tmp_path, capsys):
    import shutil
    import sqlite3
    from contextlib import closing

    newer = tmp_path / "newer.db"
    shutil.copy(room_db, newer)
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("PRAGMA user_version = 99")
        conn.commit()
    assert main(["report", str(room_db), str(newer)]) == 1
    warning = capsys.readouterr().err.strip()
    assert warning.startswith(f"mlquiz: warning: skipped {newer}: was written by a newer mlquiz")
    assert warning.count("(") == warning.count(")") and "--db" not in warning


def test_output_into_a_missing_folder_says_what_to_pass(room_db, tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "report.html"
    assert main(["report", str(room_db), "--format", "html", "-o", str(target)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"mlquiz: cannot write {target}: No such file or directory; pass another -o FILE")
