"""One answer is one transaction: the event and its review state commit together, once."""
import pytest

from mlquiz.progress import ProgressStore
from mlquiz.quiz.recorder import Recorder

from .conftest import make_course, make_module, make_question


def commits(store):
    """Count the COMMITs the store's connection runs from now on."""
    seen = []
    store._conn.set_trace_callback(lambda sql: seen.append(sql) if sql == "COMMIT" else None)
    return seen


def test_an_answer_commits_once_with_its_review_state(store, clock):
    module = make_module(questions=(make_question("q1"),))
    rec = Recorder.for_course(store, "ada", make_course(module), clock=clock)
    seen = commits(store)
    rec.answer("q1", "B", mode="practice")
    assert seen == ["COMMIT"]  # was two: the event, then the review state
    assert [e.item for e in store.events("ada")] == ["q1"]
    assert store.review_state("ada", "q1") is not None


def test_a_failing_schedule_update_leaves_no_answer_behind(store, clock, monkeypatch):
    module = make_module(questions=(make_question("q1"),))
    rec = Recorder.for_course(store, "ada", make_course(module), clock=clock)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rec.scheduler, "record", broken)
    with pytest.raises(RuntimeError):
        rec.answer("q1", "B", mode="practice")
    assert store.events("ada") == [] and store.item_stats("ada") == []
    monkeypatch.undo()  # the store is usable afterwards
    rec.answer("q1", "B", mode="practice")
    assert len(store.events("ada")) == 1


def test_store_transactions_nest_and_roll_back_as_one(tmp_path):
    with ProgressStore.open(tmp_path / "p.db") as store:
        with pytest.raises(ValueError):
            with store.transaction():
                store.record("ada", "step_viewed", item="s1")
                with store.transaction():
                    store.set_setting("ada", "theme", "light")
                raise ValueError("changed my mind")
        assert store.learner("ada") is None and store.events() == []
        with store.transaction():
            store.record("ada", "step_viewed", item="s1")
            store.record("ada", "step_viewed", item="s2")
    with ProgressStore.open(tmp_path / "p.db") as again:  # committed to the file
        assert [e.item for e in again.events("ada")] == ["s1", "s2"]
