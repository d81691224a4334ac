"""`mlquiz live`: a session plan validated like content, and a whole vote from the command line."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from mlquiz.cli import main
from mlquiz.progress import ProgressStore

COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"


def live(db, *args, learner=None):
    extra = ["--learner", learner] if learner else []
    return main(["--db", str(db), "--course", str(COURSE), *extra, "live", *args])


def test_a_plan_naming_an_unknown_question_gets_a_located_problem(tmp_path, capsys):
    plan = tmp_path / "week2.yaml"
    plan.write_text("title: Week 2\npolls:\n  - module: tiny-debt\n    item: q-nope\n",
                    encoding="utf-8")
    assert live(tmp_path / "room.db", "plan", str(plan)) == 1
    err = capsys.readouterr().err
    assert f"{plan}:4:11: polls[0].item: tiny-debt has no question" in err
    assert "has 1 problem (above); nothing was queued" in err
    assert "the course" not in err, "a plan's problem is not the course's"


def test_actions_on_a_database_that_does_not_exist_are_refused_without_creating_it(tmp_path,
                                                                                  capsys):
    missing = tmp_path / "nowhere" / "room.db"
    assert live(missing, "close") == 2
    assert "is not a room's database yet" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_a_plan_is_queued_and_stepped_through_with_next(tmp_path, capsys):
    db, plan = tmp_path / "room.db", tmp_path / "plan.yaml"
    plan.write_text("polls:\n  - {module: tiny-debt, item: q-1}\n",
                    encoding="utf-8")
    assert live(db, "plan", str(plan)) == 0
    assert live(db, "next") == 0
    assert "q-1 · voting" in capsys.readouterr().out
    assert live(db, "vote", "a", "--confidence", "3", learner="ada") == 0
    assert live(db, "vote", "B", learner="bo") == 0
    assert live(db, "close") == 0
    out = capsys.readouterr().out
    assert "voted: 2 of 2 present" in out and "first vote: 50% right" in out
    assert "suggestion: discuss" in out
    assert live(db, "vote", "B", learner="cy") == 1
    assert "the vote has closed; your answer was not counted" in capsys.readouterr().err
    assert live(db, "reveal") == 0
    assert live(db, "next") == 1
    assert "every question of the plan has been asked" in capsys.readouterr().err
    with ProgressStore.open(db) as store:
        kinds = [e.kind for e in store.events()]
    assert kinds == ["poll_opened", "poll_vote", "poll_vote", "poll_closed", "poll_revealed"]


def run_live(db, *args, learner=None):
    """`mlquiz live ...` in its own process, as an instructor types it."""
    import os
    import subprocess
    import sys

    extra = ["--learner", learner] if learner else []
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")}
    return subprocess.run([sys.executable, "-m", "mlquiz", "--db", str(db), "--course",
                           str(COURSE), *extra, "live", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_a_vote_opened_with_a_timer_counts_down_and_says_when_it_closes(tmp_path):
    db = tmp_path / "room.db"
    ProgressStore.open(db).close()
    opened = run_live(db, "open", "tiny-debt", "q-1", "--timer", "90s")
    assert opened.returncode == 0, opened.stderr
    assert "time left: 1:30" in opened.stdout or "time left: 1:29" in opened.stdout
    with ProgressStore.open(db) as store:
        (event,) = store.events("@room")
    assert event.detail["settings"]["timer"] == 90 and "ends_at" in event.detail
    # the timer runs out: its end moves into the past, as time would move it
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE events SET detail = ? WHERE id = ?",
                     (json.dumps(dict(event.detail, ends_at="2000-01-01T00:00:00+00:00")),
                      event.id))
    late = run_live(db, "vote", "A", learner="ada")
    assert late.returncode == 1 and "time is up" in late.stderr
    status = run_live(db, "status")
    assert "closed by the timer" in status.stdout, status.stdout
    with ProgressStore.open(db) as store:
        assert [(e.kind, e.detail.get("by")) for e in store.events("@room")] == [
            ("poll_opened", "instructor"), ("poll_closed", "timer")]


def test_a_bad_timer_is_one_line_and_the_plan_sets_every_votes_timer(tmp_path):
    db, plan = tmp_path / "room.db", tmp_path / "plan.yaml"
    ProgressStore.open(db).close()
    bad = run_live(db, "open", "tiny-debt", "q-1", "--timer", "soon")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "vote timer" in bad.stderr
    plan.write_text("vote_timer: 45s\npolls:\n  - {module: tiny-debt, item: q-1}\n",
                    encoding="utf-8")
    assert run_live(db, "plan", str(plan)).returncode == 0
    shown = run_live(db, "plan").stdout
    assert "45 s to vote" in shown
    assert run_live(db, "next").returncode == 0
    with ProgressStore.open(db) as store:
        assert store.events("@room")[-1].detail["settings"]["timer"] == 45
    plan.write_text("vote_timer: later\npolls:\n  - {module: tiny-debt, item: q-1}\n",
                    encoding="utf-8")
    checked = run_live(db, "plan", "--check", str(plan))
    assert checked.returncode == 1 and f"{plan}:1:13: vote_timer:" in checked.stderr
