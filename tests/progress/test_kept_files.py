"""In a room on PostgreSQL, a learner's exercise files are kept at each save and check, so
another host of the room (or a host that lost the folder) opens them where the learner
left off. Real checks (the sandboxed grader) on a real PostgreSQL server."""
from __future__ import annotations

import pytest

from mlquiz.content import load_course
from mlquiz.grading.grader import Grader
from mlquiz.grading.service import ExerciseService
from mlquiz.progress import ProgressStore
from tests.grading.conftest import CALC_BROKEN, CALC_FIXED, FAST, make_course


@pytest.fixture(scope="module")
def grader():
    with Grader(FAST) as shared:
        yield shared


@pytest.fixture
def room(tmp_path, grader, pg_url):
    """One room database on PostgreSQL and two hosts, each with its own workspace root."""
    course = load_course(make_course(tmp_path))
    store = ProgressStore.open(pg_url)
    hosts = [ExerciseService(course, store, "ana", tmp_path / f"host-{n}", grader=grader)
             for n in (1, 2)]
    yield store, hosts
    store.close()


def test_another_host_opens_the_files_of_the_last_check(room):
    store, (first, second) = room
    first.open("calc")
    (first.folder("calc") / "calc.py").write_text(CALC_FIXED)
    assert first.check("calc").result.passed
    opened = second.open("calc")  # the proxy moved ana: this host never saw her folder
    assert (opened.folder / "calc.py").read_text() == CALC_FIXED
    assert second.check("calc").result.passed


def test_a_save_is_kept_too_and_an_unchanged_check_records_nothing_new(room):
    store, (first, second) = room
    first.open("calc")
    first.save_file("calc", "calc.py", "# halfway\n" + CALC_BROKEN)
    assert second.read_file("calc", "calc.py") == "# halfway\n" + CALC_BROKEN
    kept = len(store.events("ana", kind="workspace_saved", item="calc"))
    first.check("calc")
    first.check("calc")
    assert len(store.events("ana", kind="workspace_saved", item="calc")) == kept


def test_after_a_reset_a_new_host_starts_from_the_starter(room, tmp_path):
    store, (first, second) = room
    first.save_file("calc", "calc.py", CALC_FIXED)
    first.reset("calc")
    assert second.read_file("calc", "calc.py") == CALC_BROKEN


def test_a_folder_deleted_by_mistake_comes_back_from_the_store(room):
    import shutil

    store, (first, _second) = room
    first.save_file("calc", "calc.py", CALC_FIXED)
    shutil.rmtree(first.folder("calc"))
    assert first.read_file("calc", "calc.py") == CALC_FIXED


def test_a_sqlite_database_keeps_no_files(tmp_path, grader):
    """It lives beside its one host's folders: nothing to carry, nothing to bloat it."""
    course = load_course(make_course(tmp_path))
    with ProgressStore.open(tmp_path / "own.db") as store:
        service = ExerciseService(course, store, "ana", tmp_path / "ws", grader=grader)
        service.save_file("calc", "calc.py", CALC_FIXED)
        assert service.check("calc").result.passed
        assert store.events("ana", kind="workspace_saved") == []
