"""The learner's own copy of each exercise: `<workspace>/<exercise id>/`.

    ws = Workspace(Path("~/.local/share/mlquiz/workspace").expanduser())
    folder = ws.open(exercise)     # copies starter/ on first open, then leaves it alone
    backup = ws.reset(exercise)    # old files -> <workspace>/.backups/<id>-<timestamp>/, starter back

Hidden tests and solutions never enter a workspace.
"""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from mlquiz.content.models import Exercise
from mlquiz.errors import MlquizError


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, exercise: Exercise) -> Path:
        return self.root / exercise.id

    def exists(self, exercise: Exercise) -> bool:
        return self.folder(exercise).is_dir()

    def open(self, exercise: Exercise) -> Path:
        """The exercise folder, created from the starter files the first time."""
        folder = self.folder(exercise)
        if folder.is_dir():
            return folder
        for parent in (self.root, *self.root.parents):
            if parent.exists() and not parent.is_dir():
                raise MlquizError(f"cannot create the workspace for {exercise.id} in {self.root}: "
                                  f"{parent} is a file, not a folder; pass another --workspace",
                                  exit_code=2)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            partial = self.root / f".{exercise.id}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            shutil.copytree(exercise.starter_dir, partial,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            partial.rename(folder)  # a half-copied folder never looks opened
        except OSError as error:
            raise MlquizError(f"cannot create the workspace for {exercise.id} in {self.root}: "
                              f"{error.strerror or error}; pass another --workspace", exit_code=2)
        return folder

    def files(self, exercise: Exercise) -> list[Path]:
        """The files the learner edits (exercise.yaml `files`), main first, in the workspace."""
        folder = self.folder(exercise)
        return [folder / name for name in exercise.files]

    def problems(self, exercise: Exercise) -> list[str]:
        """One line per listed file that is missing or unreadable in the workspace."""
        found = []
        for path in self.files(exercise):
            if not path.is_file():
                found.append(f"{path} is missing")
                continue
            try:
                path.read_bytes()
            except OSError as error:
                found.append(f"{path} cannot be read ({error.strerror or error})")
        return found

    def ensure_complete(self, exercise: Exercise) -> Path:
        """The folder, opened if new; raises MlquizError naming a missing or unreadable file."""
        folder = self.open(exercise)
        problems = self.problems(exercise)
        if problems:
            chmod = "make it readable (chmod u+r), or " if " cannot be read (" in problems[0] else ""
            raise MlquizError(f"{problems[0]}; {chmod}restore the starter files with "
                              f"`mlquiz exercises reset {exercise.id}` (your files are kept "
                              "as a backup)", exit_code=2)
        return folder

    def reset(self, exercise: Exercise) -> Path | None:
        """Back to the starter. The old folder moves to `.backups/<id>-<timestamp>/` (returned)."""
        folder = self.folder(exercise)
        backup = None
        try:
            if folder.exists():
                stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
                backup = self.root / ".backups" / f"{exercise.id}-{stamp}"
                backup.parent.mkdir(parents=True, exist_ok=True)
                folder.rename(backup)
        except OSError as error:
            raise MlquizError(f"cannot move {folder} to a backup: {error.strerror or error}",
                              exit_code=2)
        self.open(exercise)
        return backup

    def backups(self, exercise: Exercise) -> list[Path]:
        """Earlier resets of this exercise, oldest first."""
        folder = self.root / ".backups"
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.name.startswith(f"{exercise.id}-"))
