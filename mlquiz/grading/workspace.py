"""The learner's own copy of each exercise: `<root>/<database uuid>/<learner key>/<exercise id>/`.

    ws = learner_workspace(root, store, "ada")   # root: --workspace, MLQUIZ_WORKSPACE or the data dir's
    folder = ws.open(exercise)     # copies starter/ on first open, then leaves it alone
    backup = ws.reset(exercise)    # old files -> <learner folder>/.backups/<id>-<timestamp>/, starter back

One folder per learner and database, never shared: the database's uuid is stored
inside it (a copy or a move keeps its folders) and the learner key is the casefolded
name, escaped collision-free (`mlquiz.progress.identity.folder_key`). Folders of the
old shared layout (`<root>/<exercise id>/`) go to their learner on the first open
(`adopt_shared_folders`). Hidden tests and solutions never enter a workspace.
"""
from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from mlquiz.content.models import Exercise
from mlquiz.errors import MlquizError
from mlquiz.progress.identity import learner_folder  # noqa: F401 (part of this module's API)


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


# --- one folder per database and learner ---------------------------------------------

_DATABASE_FOLDER = re.compile(r"[0-9a-f]{32}")
# Every event that says a learner worked on an exercise (its item is the exercise id).
_EXERCISE_KINDS = ("exercise_run", "exercise_opened", "exercise_reset", "exercise_hint",
                   "exercise_passed", "solution_revealed")


def learner_workspace(root: Path, store, learner: str) -> "Workspace":
    """The Workspace of `learner` in the database `store`, under the workspace root."""
    return Workspace(learner_folder(root, store.database_id, learner))


def shared_folders(root: Path) -> list[Path]:
    """Folders of the old layout directly in the root: not hidden, not a database's folder."""
    try:
        children = list(Path(root).iterdir())
    except OSError:
        return []
    return sorted(child for child in children
                  if not child.name.startswith(".") and not _DATABASE_FOLDER.fullmatch(child.name)
                  and child.is_dir() and not child.is_symlink())


def _last_change(folder: Path) -> float:
    """The newest modification time of the files below `folder` (caches left out)."""
    newest = 0.0
    for parent, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", ".pytest_cache")]
        for name in files:
            try:
                newest = max(newest, os.lstat(os.path.join(parent, name)).st_mtime)
            except OSError:
                pass
    return newest


def owner_of_shared(store, exercise_id: str, last_change: float,
                    among: "set[str] | None" = None) -> str | None:
    """Which learner of `store` (of `among`, if given) keeps a shared folder of `exercise_id`
    last changed at `last_change` (a Unix time): of the learners whose last check came after
    that change (their check saw these files), the first to check them, who most likely wrote
    them; if no check saw them, the learner who worked on the exercise most recently; None if
    nobody in this database did (the folder is another database's)."""
    last_run: dict[str, datetime] = {}
    latest = None
    for kind in _EXERCISE_KINDS:
        for event in store.events(kind=kind, item=exercise_id):
            if among is not None and event.learner not in among:
                continue
            if kind == "exercise_run":
                last_run[event.learner] = max(event.at, last_run.get(event.learner, event.at))
            if latest is None or (event.at, event.id) > (latest.at, latest.id):
                latest = event
    # A check is dated when it ends, after it read the files: one that saw the files as they
    # are is dated at or after their last change (file times are never rounded up).
    saw_them = {name: at for name, at in last_run.items()
                if at.timestamp() >= last_change}
    if saw_them:
        return min(saw_them, key=lambda name: saw_them[name])
    return latest.learner if latest is not None else None


def old_room_slug(name: str) -> str:
    """The folder name `mlquiz serve` gave a learner before (lossy: 'Eve Smith' and
    'eve-smith' shared one); only used to find those folders again."""
    return re.sub(r"[^\w.-]+", "-", name.strip().lower()).strip("-.") or "learner"


def _plan(root: Path, store) -> list[tuple[Path, list[tuple[Path, str]]]]:
    """(top folder to back up, [(exercise folder, owner)]) for every old folder of `root`:
    `<root>/<exercise>/` shared by everyone, or `<root>/<old room slug>/<exercise>/` of the
    learners whose names made that slug."""
    plan = []
    slugs: dict[str, set[str]] | None = None
    for folder in shared_folders(root):
        owner = owner_of_shared(store, folder.name, _last_change(folder))
        if owner is not None:
            plan.append((folder, [(folder, owner)]))
            continue
        if slugs is None:
            slugs = {}
            for learner in store.learners():
                slugs.setdefault(old_room_slug(learner.name), set()).add(learner.name)
        names = slugs.get(folder.name)
        if not names:
            continue  # not this database's: left where it is
        pairs = []
        for exercise in shared_folders(folder):
            owner = owner_of_shared(store, exercise.name, _last_change(exercise), among=names)
            if owner is not None:
                pairs.append((exercise, owner))
        if pairs:
            plan.append((folder, pairs))
    return plan


@contextmanager
def _held(lock_path: Path):
    """An exclusive lock on `lock_path` between processes (served tabs start together)."""
    try:
        import fcntl
    except ImportError:  # no POSIX locks here: one process at a time is the user's doing
        yield
        return
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def adopt_shared_folders(root: Path, store, *, now: datetime | None = None) -> str | None:
    """Give each folder of the old shared layout, `<root>/<exercise id>/`, to the learner of
    `store` who keeps it (`owner_of_shared`), as `<root>/<uuid>/<key>/<exercise id>/`; the
    other learners start from the starter when they open it. A served room's old folders,
    `<root>/<old_room_slug(name)>/<exercise id>/`, go the same way among the learners whose
    names made that slug. The old folders move, whole, to `<root>/.backups/shared-<time>/`. Returns the one line to print (naming the backup),
    or None when there was nothing of this database's to adopt.

    Copy first, then move the shared folder away: a run that stops half-way leaves every
    line where the next run finds it again. Folders no learner of this database worked on
    stay where they are, for the database they belong to.
    """
    root = Path(root)
    if store.database_id is None or store.read_only or not shared_folders(root):
        return None
    given: list[str] = []
    backup = None
    with _held(root / ".adopting.lock"):
        for top, pairs in _plan(root, store):  # planned under the lock: one process adopts
            for source, owner in pairs:
                target = learner_folder(root, store.database_id, owner) / source.name
                where = source.name if source == top else f"{top.name}/{source.name}"
                if target.exists():  # made since (a copy stopped half-way, or opened anew)
                    given.append(f"{where} stays in the backup ({owner} already has a "
                                 "folder of it)")
                    continue
                try:
                    partial = target.with_name(f".{source.name}.adopting")
                    shutil.rmtree(partial, ignore_errors=True)
                    partial.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copytree(source, partial, symlinks=True)
                    partial.rename(target)
                except OSError as error:
                    raise MlquizError(f"cannot copy the shared exercise folder {source} to "
                                      f"{owner}'s own folder: {error.strerror or error}; "
                                      "nothing was lost (it is still there)", exit_code=2)
                given.append(f"{where} to {owner}")
            try:
                if backup is None:
                    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
                    backup = root / ".backups" / f"shared-{stamp}"
                    backup.mkdir(parents=True, exist_ok=True)
                top.rename(backup / top.name)
            except OSError as error:
                raise MlquizError(f"cannot move the shared exercise folder {top} to {backup}: "
                                  f"{error.strerror or error}; its learners' copies are made, "
                                  "nothing was lost", exit_code=2)
    if not given:
        return None
    return (f"exercise files are now kept per learner: {', '.join(given)}; the shared "
            f"folders are backed up in {backup}")
