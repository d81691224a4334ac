"""Each learner of each database has their own exercise files (real CLI processes, real SQLite).

The folder is `<workspace root>/<database uuid>/<casefolded name, escaped>/<exercise>/`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlquiz.grading.service import ExerciseService
from mlquiz.grading.workspace import Workspace, learner_folder
from mlquiz.progress import ProgressStore
from tests.grading.conftest import CALC_BROKEN, CALC_FIXED, FAST, make_course


@pytest.fixture
def room(tmp_path):
    course = make_course(tmp_path, [{"id": "calc"}, {"id": "calc-two"}])
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "MLQUIZ_CACHE_DIR": str(tmp_path / "cache")}
    for name in ("MLQUIZ_DB", "MLQUIZ_LEARNER", "MLQUIZ_WORKSPACE", "MLQUIZ_COURSE"):
        env.pop(name, None)

    def cli(*argv: str, db: str = "p.db", workspace: Path | None = None):
        root = workspace or tmp_path / "ws"
        return subprocess.run(
            [sys.executable, "-m", "mlquiz", "--course", str(course), "--db",
             str(tmp_path / db), "--workspace", str(root), *argv],
            capture_output=True, text=True, env=env, timeout=120)

    def folder(learner: str, db: str = "p.db", root: Path | None = None) -> Path:
        with ProgressStore.open(tmp_path / db, read_only=True) as store:
            return learner_folder(root or tmp_path / "ws", store.database_id, learner)

    cli.folder, cli.course, cli.tmp = folder, course, tmp_path
    return cli


def test_a_pass_by_one_learner_is_not_another_learners_pass(room):
    assert room("exercises", "show", "calc", "--learner", "ana").returncode == 0
    ana = room.folder("ana") / "calc" / "calc.py"
    ana.write_text(CALC_FIXED)
    assert room("exercises", "check", "calc", "--learner", "ana").returncode == 0

    carol = room("exercises", "check", "calc", "--learner", "carol")
    assert carol.returncode == 1, carol.stdout  # her own starter files, not ana's fix
    assert "PASSED" not in carol.stdout
    assert (room.folder("carol") / "calc" / "calc.py").read_text() == CALC_BROKEN

    assert room("exercises", "reset", "calc", "--yes", "--learner", "carol").returncode == 0
    assert ana.read_text() == CALC_FIXED  # carol's reset leaves ana's files alone


def test_a_learner_of_another_database_never_sees_these_files(room):
    room("exercises", "show", "calc", "--learner", "ana")
    (room.folder("ana") / "calc" / "calc.py").write_text("# ana's work\n")
    shown = room("exercises", "show", "calc", "--learner", "bob", db="other.db")
    assert shown.returncode == 0
    bob = room.folder("bob", db="other.db")
    assert (bob / "calc" / "calc.py").read_text() == CALC_BROKEN
    assert str(bob / "calc") in shown.stdout
    with ProgressStore.open(room.tmp / "p.db", read_only=True) as one, \
            ProgressStore.open(room.tmp / "other.db", read_only=True) as other:
        assert one.database_id != other.database_id
        assert room.folder("ana").parent.name == one.database_id


def test_names_a_slug_would_merge_get_their_own_folders_and_case_does_not_split_one(room):
    for name in ("Eve Smith", "eve-smith", "EVE SMITH"):
        assert room("exercises", "show", "calc", "--learner", name).returncode == 0
    (room.folder("Eve Smith") / "calc" / "calc.py").write_text("# Eve Smith\n")
    assert (room.folder("eve-smith") / "calc" / "calc.py").read_text() == CALC_BROKEN
    assert room.folder("EVE SMITH") == room.folder("Eve Smith")
    assert room.folder("Eve Smith").name == "eve%20smith"
    assert room.folder("eve-smith").name == "eve-smith"


def test_a_copied_database_keeps_its_learners_folders(room):
    room("exercises", "show", "calc", "--learner", "ana")
    (room.folder("ana") / "calc" / "calc.py").write_text("# ana's work\n")
    shutil.copy(room.tmp / "p.db", room.tmp / "moved.db")
    shown = room("exercises", "show", "calc", "--learner", "ana", db="moved.db")
    assert str(room.folder("ana") / "calc") in shown.stdout


@pytest.mark.parametrize("name", ["", "   ", "---", "?!.", "ana\u202egnp.exe", "x\x1b]0;owned\x07",
                                  "tab\there", "zero\u200bwidth"])
def test_unusable_learner_names_are_refused_with_one_line(room, name):
    result = room("exercises", "show", "calc", f"--learner={name}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mlquiz: a learner name "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    if (room.tmp / "p.db").exists():
        with ProgressStore.open(room.tmp / "p.db", read_only=True) as store:
            assert store.learners() == []


def test_the_shared_folders_of_before_go_to_the_learner_whose_check_saw_them(room, grader):
    """A real shared workspace: two learners checked in the old layout (`<root>/<exercise>`)."""
    from mlquiz.content import load_course

    course = load_course(room.course)
    shared = room.tmp / "shared-ws"
    with ProgressStore.open(room.tmp / "p.db") as store:
        old_layout = Workspace(shared)
        ana = ExerciseService(course, store, "ana", old_layout, grader=grader)
        carol = ExerciseService(course, store, "carol", old_layout, grader=grader)
        # calc: ana fixes it and passes; carol then checks the same files without an edit.
        ana.save_file("calc", "calc.py", CALC_FIXED)
        assert ana.check("calc").result.passed
        assert carol.check("calc").result.passed
        # calc-two: ana checks the starter; carol then edits it and checks.
        assert not ana.check("calc-two").result.passed
        carol.save_file("calc-two", "calc.py", "def double(x):\n    return x * 2  # carol\n")
        assert carol.check("calc-two").result.passed
    copy = room.tmp / "copy-of-shared"
    shutil.copytree(shared, copy)

    result = room("exercises", "show", "calc", "--learner", "carol", workspace=copy)
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "per learner" in line]
    backups = list((copy / ".backups").glob("shared-*"))
    assert len(backups) == 1 and str(backups[0]) in line
    assert "calc to ana" in line and "calc-two to carol" in line

    ana_folder, carol_folder = room.folder("ana", root=copy), room.folder("carol", root=copy)
    assert (ana_folder / "calc" / "calc.py").read_text() == CALC_FIXED
    assert (carol_folder / "calc" / "calc.py").read_text() == CALC_BROKEN  # from the starter
    assert "# carol" in (carol_folder / "calc-two" / "calc.py").read_text()
    assert not (ana_folder / "calc-two").exists()  # she starts it from the starter
    # Not a line lost: the backup holds the shared folders exactly as they were.
    for exercise in ("calc", "calc-two"):
        assert ((backups[0] / exercise / "calc.py").read_text()
                == (shared / exercise / "calc.py").read_text())
        assert not (copy / exercise).exists()

    again = room("exercises", "show", "calc", "--learner", "ana", workspace=copy)
    assert "per learner" not in again.stderr  # once only
    assert str(ana_folder / "calc") in again.stdout


def test_a_served_rooms_slug_folders_go_to_the_learners_whose_names_made_them(tmp_path):
    """Before, `Eve Smith` and `eve-smith` shared `<root>/eve-smith/`; each gets her own files."""
    from datetime import datetime, timezone

    from mlquiz.grading.workspace import adopt_shared_folders

    root = tmp_path / "room-ws"
    old = root / "eve-smith" / "calc"
    old.mkdir(parents=True)
    (old / "calc.py").write_text("# written by eve-smith, checked by her last\n")
    os.utime(old / "calc.py", (1_700_000_000, 1_700_000_000))
    other = root / "someone-elses-folder" / "calc"  # no learner of this room: left alone
    other.mkdir(parents=True)
    (other / "calc.py").write_text("# not this room's\n")
    with ProgressStore.open(tmp_path / "room.db") as store:
        at = datetime.fromtimestamp(1_600_000_000, timezone.utc)  # before the last edit
        store.record("Eve Smith", "exercise_run", module="tiny-debt", item="calc", at=at)
        store.record("eve-smith", "exercise_run", module="tiny-debt", item="calc",
                     at=datetime.fromtimestamp(1_700_000_100, timezone.utc))
        store.record("grace", "exercise_run", module="tiny-debt", item="calc",
                     at=datetime.fromtimestamp(1_800_000_000, timezone.utc))
        line = adopt_shared_folders(root, store)
        assert line and "eve-smith/calc to eve-smith" in line and "grace" not in line
        hers = learner_folder(root, store.database_id, "eve-smith") / "calc" / "calc.py"
        assert hers.read_text().startswith("# written by eve-smith")
        assert not (learner_folder(root, store.database_id, "Eve Smith") / "calc").exists()
        assert (other / "calc.py").exists()
        (backup,) = (root / ".backups").glob("shared-*")
        assert str(backup) in line
        assert (backup / "eve-smith" / "calc" / "calc.py").exists()
        assert adopt_shared_folders(root, store) is None


def test_a_learner_who_already_has_a_folder_keeps_it_and_the_line_says_where_the_shared_one_is(
        tmp_path):
    from datetime import datetime, timezone

    from mlquiz.grading.workspace import adopt_shared_folders

    root = tmp_path / "ws"
    (root / "calc").mkdir(parents=True)
    (root / "calc" / "calc.py").write_text("# shared\n")
    os.utime(root / "calc" / "calc.py", (1_700_000_000, 1_700_000_000))
    with ProgressStore.open(tmp_path / "p.db") as store:
        store.record("ana", "exercise_run", module="tiny-debt", item="calc",
                     at=datetime.fromtimestamp(1_700_000_100, timezone.utc))
        own = learner_folder(root, store.database_id, "ana") / "calc"
        own.mkdir(parents=True)
        (own / "calc.py").write_text("# ana's own, made since\n")
        line = adopt_shared_folders(root, store)
    assert line and "calc stays in the backup (ana already has a folder of it)" in line
    assert (own / "calc.py").read_text() == "# ana's own, made since\n"
    (backup,) = (root / ".backups").glob("shared-*")
    assert (backup / "calc" / "calc.py").read_text() == "# shared\n" and str(backup) in line
