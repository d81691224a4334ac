"""The instructor report: Moodle's statistics against a small example computed by hand."""
from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from contextlib import closing
from datetime import datetime, timedelta, timezone

import pytest

from mlquiz.cli import main
from mlquiz.content import load_course
from mlquiz.paths import builtin_course_dir
from mlquiz.progress import ProgressStore
from mlquiz.workshop.collect import collect
from mlquiz.workshop.report import build_report

MODULE = "ml-technical-debt"
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
QUESTIONS = ["q-debt-meaning", "q-debt-sign", "q-cace-term"]
RIGHT = {"q-debt-meaning": "B", "q-debt-sign": "D", "q-cace-term": "A"}
# Marks on the three questions of each learner's first finished test. By hand (Moodle's
# calculator, n - 1 divisors; x = mark, r = rest of the test):
#   facility      q1 3/5 = .6          q2 2/5 = .4              q3 3/5 = .6
#   rest r        q1 2,1,2,0,0         q2 2,2,1,1,0             q3 2,1,1,1,0
#   Cov(x, r)     q1 0                 q2 .6/4 = .15            q3 1/4 = .25
#   V(x), V(r)    q1 .3, .7            q2 .3, .7                q3 .3, .5
#   discrimination  q1 0               q2 .15/sqrt(.21) = .3273  q3 .25/sqrt(.15) = .6455
#   max covariance (x and r both sorted): q2 1.6/4 = .4 -> efficiency .375; q3 .25 -> 1.0
#   alpha: item variances .3 * 3 = .9, totals 3,2,2,1,0 -> V 1.3; 3/2 * (1 - .9/1.3) = .4615
FIRST_TEST = {"ana": [1, 1, 1], "ben": [1, 0, 1], "cy": [0, 1, 1], "dee": [1, 0, 0],
              "eli": [0, 0, 0]}


def take_test(store, learner, marks, at, *, module=MODULE, questions=QUESTIONS, right=RIGHT,
              finish=True, wrong="C"):
    test_id = uuid.uuid4().hex
    store.record(learner, "test_started", module=module, at=at,
                 detail={"test_id": test_id, "questions": questions})
    for i, (qid, mark) in enumerate(zip(questions, marks)):
        store.record(learner, "question_answered", module=module, item=qid,
                     answer=right[qid] if mark else wrong, correct=bool(mark),
                     time_spent_ms=20_000, at=at + timedelta(seconds=30 * (i + 1)),
                     detail={"mode": "test", "test_id": test_id})
    if finish:
        store.record(learner, "test_finished", module=module, at=at + timedelta(minutes=5),
                     detail={"test_id": test_id, "score": sum(marks), "total": len(questions)})
    return test_id


def abandon(store, learner, test_id, at):
    """The TUI's 'end this test' event."""
    store.record(learner, "test_abandoned", module=MODULE, at=at, detail={"test_id": test_id})


@pytest.fixture
def room_db(tmp_path):
    path = tmp_path / "room.db"
    store = ProgressStore.open(path)
    for n, (learner, marks) in enumerate(FIRST_TEST.items()):
        take_test(store, learner, marks, START + timedelta(hours=n))
    # eli tries again and gets all right: not a first attempt.
    take_test(store, "eli", [1, 1, 1], START + timedelta(days=1))
    store.close()
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The built-in course without its exercises."""
    target = tmp_path_factory.mktemp("course") / "course"
    shutil.copytree(builtin_course_dir(), target)
    text = (target / "course.yaml").read_text()
    (target / "course.yaml").write_text(
        "\n".join(l for l in text.splitlines() if not l.startswith("exercises:")) + "\n")
    return load_course(target, use_cache=False)


def by_id(report):
    return {q.id: q for q in report.questions}


def test_facility_discrimination_efficiency_and_alpha_match_the_hand_computation(room_db):
    report = build_report(collect([room_db]))
    module = report.module(MODULE)
    q = by_id(report)
    assert [q[i].facility for i in QUESTIONS] == pytest.approx([0.6, 0.4, 0.6])
    assert q["q-debt-meaning"].discrimination == pytest.approx(0.0, abs=1e-12)
    assert q["q-debt-sign"].discrimination == pytest.approx(0.15 / 0.21 ** 0.5)
    assert q["q-cace-term"].discrimination == pytest.approx(0.25 / 0.15 ** 0.5)
    assert q["q-debt-sign"].efficiency == pytest.approx(0.375)
    assert q["q-cace-term"].efficiency == pytest.approx(1.0)
    assert module.cronbach_alpha == pytest.approx(1.5 * (1 - 0.9 / 1.3))
    assert module.tests_analysed == 5
    assert [r.id for r in module.questions][0] == "q-debt-sign", "hardest first"


def test_every_finished_attempt_counts_only_when_asked(room_db):
    report = build_report(collect([room_db]), all_attempts=True)
    assert report.tests_analysed == 6
    assert by_id(report)["q-debt-sign"].facility == pytest.approx(3 / 6)


def test_abandoned_and_unfinished_tests_stay_out_and_are_reported_with_where_they_stopped(
        room_db, course):
    store = ProgressStore.open(room_db)
    # fay ends her first test on purpose after one answer, then finishes a second one
    first = take_test(store, "fay", [0], START + timedelta(days=2), finish=False)
    abandon(store, "fay", first, START + timedelta(days=2, minutes=2))
    take_test(store, "fay", [1, 1, 1], START + timedelta(days=3))
    # gus answers two questions and closes the app
    take_test(store, "gus", [1, 1], START + timedelta(days=2), finish=False)
    store.close()

    report = build_report(collect([room_db]), course)
    module = report.module(MODULE)
    assert module.tests_analysed == 6, "fay's first *finished* test counts, gus's none"
    assert by_id(report)["q-debt-meaning"].facility == pytest.approx(4 / 6)
    unfinished = module.unfinished
    assert (unfinished.count, unfinished.abandoned, unfinished.left_open) == (2, 1, 1)
    stops = {(s.position, s.question) for s in unfinished.stopped_at}
    assert stops == {(2, "q-debt-sign"), (3, "q-cace-term")}
    table = main_output(["report", str(room_db), "--course", str(course.path)])
    assert "2 tests not finished (1 ended on purpose, 1 left open)" in table
    stem = course.module(MODULE).question("q-cace-term").stem.strip().splitlines()[0]
    assert f'question 3 of 3 "{stem[:30]}' in table


def test_a_question_left_blank_in_a_finished_test_counts_as_a_wrong_mark(tmp_path):
    path = tmp_path / "room.db"
    with ProgressStore.open(path) as store:
        for n, marks in enumerate([[1, 1, 1], [1, 1], [0, 1, 0]]):  # the second skips q3
            take_test(store, f"l{n}", marks, START + timedelta(hours=n))
    q3 = by_id(build_report(collect([path])))["q-cace-term"]
    assert (q3.attempts, q3.unanswered, q3.facility) == (3, 1, pytest.approx(1 / 3))


def test_each_module_gets_its_own_statistics(room_db):
    other = ["q-a", "q-b", "q-c"]
    store = ProgressStore.open(room_db)
    for n, marks in enumerate([[1, 0, 0], [0, 1, 1], [1, 1, 0], [0, 0, 1]]):
        take_test(store, f"m{n}", marks, START + timedelta(hours=n), module="ml-monitoring",
                  questions=other, right={q: "A" for q in other})
    store.close()
    report = build_report(collect([room_db]))
    assert [m.module for m in report.modules] == ["ml-monitoring", MODULE]
    assert report.module(MODULE).cronbach_alpha == pytest.approx(1.5 * (1 - 0.9 / 1.3)), \
        "a second module's tests do not change the first module's alpha"
    assert report.module("ml-monitoring").tests_analysed == 4
    assert {q.module for q in report.module("ml-monitoring").questions} == {"ml-monitoring"}
    data = json.loads(main_output(["report", str(room_db), "--format", "json"]))
    assert [m["module"] for m in data["modules"]] == ["ml-monitoring", MODULE]


def test_few_answers_are_marked_instead_of_flagged_and_many_are_flagged(tmp_path):
    def room(copies):
        path = tmp_path / f"room-{copies}.db"
        with ProgressStore.open(path) as store:
            for c in range(copies):
                for n, (name, marks) in enumerate(FIRST_TEST.items()):
                    take_test(store, f"{name}{c}", marks, START + timedelta(hours=n, days=c))
        return build_report(collect([path]))

    small = by_id(room(1))["q-debt-meaning"]          # n = 5, discrimination 0
    assert small.few_answers and not small.flagged
    large = by_id(room(4))["q-debt-meaning"]          # n = 20, the same answers four times
    assert large.attempts == 20 and not large.few_answers
    assert large.flagged, "discrimination 0 with 20 answers needs checking"


def test_numbers_by_a_threshold_get_the_digits_that_agree_with_their_flag():
    from mlquiz.workshop.render import discrimination_text, facility_text

    assert discrimination_text(0.2996) == "0.2996"
    assert discrimination_text(0.3004) == "0.30"
    assert discrimination_text(0.52) == "0.52"
    assert facility_text(0.3496) == "34.96%"
    assert facility_text(0.25) == "25%"


def test_table_and_html_speak_in_stems_and_option_texts(room_db, course, tmp_path):
    question = course.module(MODULE).question("q-debt-sign")
    table = main_output(["report", str(room_db), "--course", str(course.path)])
    stem_line = question.stem.strip().splitlines()[0]
    assert stem_line[:40] in table
    for option in question.options:
        assert option[:40] in table
    out = tmp_path / "r.html"
    assert main(["report", str(room_db), "--course", str(course.path), "--format", "html",
                 "-o", str(out)]) == 0
    page = out.read_text()
    import html
    for option in question.options:
        assert html.escape(option[:40]) in page


def test_a_summary_function_gives_the_stems_and_option_texts(room_db, course):
    report = build_report(collect([room_db]), course, summary=lambda text: text.upper())
    question = course.module(MODULE).question("q-cace-term")
    row = by_id(report)["q-cace-term"]
    assert row.stem == question.stem.upper()
    assert row.options["B"] == question.options[1].upper()


def test_time_spent_counts_reading_and_exercise_work_but_not_breaks(tmp_path):
    path = tmp_path / "room.db"
    with ProgressStore.open(path) as store:
        at = START
        for step in range(4):  # a browser learner: steps read 3 minutes apart, no answer times
            store.record("bo", "step_viewed", module=MODULE, item=f"step-{step}", at=at)
            at += timedelta(minutes=3)
        at += timedelta(hours=3)  # lunch
        store.record("bo", "exercise_opened", item="ex-1", at=at)
        store.record("bo", "exercise_run", item="ex-1", at=at + timedelta(minutes=6),
                     detail={"passed": False, "failed_tests": ["t"]})
    row = build_report(collect([path])).learners[0]
    assert row.time_spent_s == (9 + 6) * 60


def test_the_same_file_twice_and_its_export_never_count_an_event_twice(room_db, tmp_path):
    export = tmp_path / "room.json"
    assert main(["export", "--db", str(room_db), "--all", "--format", "json", "-o", str(export)]) == 0
    once = collect([room_db])
    thrice = collect([room_db, room_db, export])
    assert len(thrice.events) == len(once.events)
    assert build_report(thrice).module(MODULE).cronbach_alpha == pytest.approx(1.5 * (1 - 0.9 / 1.3))


def test_distractors_under_five_percent_are_named_with_the_course(room_db, course):
    q1 = by_id(build_report(collect([room_db]), course))["q-debt-meaning"]
    assert q1.option_shares == {"A": 0.0, "B": 0.6, "C": 0.4, "D": 0.0}
    assert q1.weak_distractors == ["A", "D"]
    assert q1.top_distractor == "C"
    assert q1.options["B"] == course.module(MODULE).question("q-debt-meaning").options[1]


def main_output(argv):
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    assert code == 0
    return out.getvalue()


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


def test_table_names_learners_and_each_modules_alpha(room_db, capsys):
    assert main(["report", str(room_db)]) == 0
    out = capsys.readouterr().out
    for learner in FIRST_TEST:
        assert learner in out
    assert "Cronbach's alpha 0.46 (not satisfactory)" in out
    assert "few answers (n=5 < 20)" in out


def test_report_of_only_unreadable_sources_is_exit_2(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    assert main(["report", str(missing)]) == 2
    assert "nope.db" in capsys.readouterr().err


def test_a_database_of_an_older_mlquiz_is_read_without_touching_it(tmp_path):
    import hashlib
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
