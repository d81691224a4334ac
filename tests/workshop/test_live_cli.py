"""`mlquiz live`: a session plan validated like content, and a whole vote from the command line."""
from __future__ import annotations

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
