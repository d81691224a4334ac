"""The learner's folder per exercise: created from the starter, reset with a backup."""
from __future__ import annotations

import pytest

from mlquiz.errors import MlquizError
from mlquiz.grading.workspace import Workspace
from tests.grading.conftest import CALC_BROKEN, make_exercise


def test_first_open_copies_only_the_starter(tmp_path):
    exercise = make_exercise(tmp_path / "exercises")
    folder = Workspace(tmp_path / "ws").open(exercise)
    assert folder == tmp_path / "ws" / "calc"
    assert sorted(p.name for p in folder.rglob("*")) == ["calc.py"]
    assert (folder / "calc.py").read_text() == CALC_BROKEN


def test_a_second_open_keeps_the_learner_s_edits(tmp_path):
    exercise = make_exercise(tmp_path / "exercises")
    workspace = Workspace(tmp_path / "ws")
    (workspace.open(exercise) / "calc.py").write_text("# mine\n")
    assert (workspace.open(exercise) / "calc.py").read_text() == "# mine\n"


def test_reset_keeps_a_backup_and_restores_the_starter(tmp_path):
    exercise = make_exercise(tmp_path / "exercises")
    workspace = Workspace(tmp_path / "ws")
    (workspace.open(exercise) / "calc.py").write_text("# mine\n")
    backup = workspace.reset(exercise)
    assert backup.parent == tmp_path / "ws" / ".backups"
    assert backup.name.startswith("calc-")
    assert (backup / "calc.py").read_text() == "# mine\n"
    assert (workspace.folder(exercise) / "calc.py").read_text() == CALC_BROKEN
    assert workspace.backups(exercise) == [backup]


def test_a_missing_file_names_the_file_and_the_way_back(tmp_path):
    exercise = make_exercise(tmp_path / "exercises")
    workspace = Workspace(tmp_path / "ws")
    (workspace.open(exercise) / "calc.py").unlink()
    with pytest.raises(MlquizError) as caught:
        workspace.ensure_complete(exercise)
    assert caught.value.exit_code == 2
    assert "calc.py is missing" in str(caught.value)
    assert "mlquiz exercises reset calc" in str(caught.value)


def test_an_unwritable_workspace_is_a_clear_error(tmp_path):
    exercise = make_exercise(tmp_path / "exercises")
    blocker = tmp_path / "ws"
    blocker.write_text("a file where the workspace folder should be")
    with pytest.raises(MlquizError) as caught:
        Workspace(blocker).open(exercise)
    assert "cannot create the workspace for calc" in str(caught.value)
