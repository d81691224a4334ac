"""Everything a learner does with exercises, recorded in progress: the one API for CLI and app.

    service = ExerciseService(course, store, "ada", Path("workspace"))
    service.states()                      # [ExerciseState(exercise, state="pending", ...), ...]
    opened = service.open("training-serving-skew")   # folder + files, records exercise_opened
    outcome = service.check("training-serving-skew") # CheckOutcome; records exercise_run (+ passed)
    service.next_hint("training-serving-skew")       # Hint(number=1, total=4, text=...), "hint 1 of 4"
    service.solution("training-serving-skew")        # after a pass, or force=True (recorded)
    service.reset("training-serving-skew")           # backup folder, starter restored
    service.close()                                   # stops the warm worker

State of an exercise, from the event log: "passed" when its latest run (or
re-check) passed; "pending" when it was never touched or a re-check after the
last pass found it broken; "in progress" otherwise. A reset counts as a new
start ("in progress").

In a room on PostgreSQL (one database, several serve hosts), the files themselves
are kept in the room too: each save and each check records the exercise's listed
files (`workspace_saved`, only when they changed; at most 256 KiB). A learner
whose folder is not on this host (the proxy moved them after a host was lost, or
the folder was deleted) gets the last saved or checked files back on open, unless
a reset came after them. A SQLite database lives beside its one host's folders,
so nothing is kept there.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import weakref
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from mlquiz.content.models import Course, Exercise
from mlquiz.errors import MlquizError
from mlquiz.grading.grader import Grader, learner_files
from mlquiz.grading.results import CheckResult
from mlquiz.grading.spec import Limits
from mlquiz.grading.workspace import Workspace
from mlquiz.progress.events import utc_now

PENDING, IN_PROGRESS, PASSED = "pending", "in progress", "passed"
SNAPSHOT_CAP = 256 << 10  # files larger than this together are not kept in the store
_KINDS = ("exercise_opened", "exercise_run", "exercise_passed", "exercise_reset",
          "exercise_hint", "solution_revealed")


@dataclass(frozen=True, slots=True)
class ExerciseState:
    exercise: Exercise
    state: str  # PENDING | IN_PROGRESS | PASSED
    hints_shown: int
    runs: int
    ever_passed: bool
    last_summary: str = ""  # summary line of the latest run, "" if never run

    @property
    def id(self) -> str:
        return self.exercise.id

    @property
    def hints_total(self) -> int:
        return len(self.exercise.hints)


@dataclass(frozen=True, slots=True)
class Hint:
    number: int  # 1-based
    total: int
    text: str

    @property
    def label(self) -> str:
        return f"hint {self.number} of {self.total}"

    @property
    def is_last(self) -> bool:
        return self.number >= self.total


@dataclass(frozen=True, slots=True)
class OpenedExercise:
    exercise: Exercise
    folder: Path
    files: tuple[Path, ...]  # the files to edit, main first


@dataclass(frozen=True, slots=True)
class SolutionFile:
    name: str
    text: str  # the reference
    yours: str | None  # the learner's file of the same name, if any


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    result: CheckResult
    state: str  # the exercise's state after this check
    newly_passed: bool  # this check moved it to passed
    rechecked: tuple[tuple[str, bool], ...] = ()  # (id, passes) after the last exercise passed
    next_exercise: Exercise | None = None  # first unfinished exercise, after a pass

    @property
    def back_to_pending(self) -> list[str]:
        return [exercise_id for exercise_id, passes in self.rechecked if not passes]


def _nothing() -> None:
    pass


class ExerciseService:
    """One learner's exercises: workspace, grading, hints, solutions, all recorded in `store`."""

    def __init__(self, course: Course, store, learner: str, workspace: Path | Workspace, *,
                 limits: Limits | None = None, grader: Grader | None = None,
                 session_id: int | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.course = course
        self.store = store
        self.learner = learner
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        self.session_id = session_id
        # Events are dated by this clock (aware UTC), the app's own when it passes one.
        self.clock = clock or utc_now
        self._grader = grader or Grader(limits)
        # A grader made here is stopped on close(), when the service is dropped, or at
        # interpreter exit; one passed in belongs to the caller.
        self._closer = weakref.finalize(self, self._grader.close if grader is None else _nothing)
        self._kept: dict[str, str] = {}  # exercise id -> digest of the files last kept in the store

    # --- lifecycle ------------------------------------------------------------------

    @property
    def warning(self) -> str:
        """One line when checks run without the sandbox on this machine, else ''."""
        return self._grader.warning

    def warm_up(self, exercise_id: str | None = None) -> None:
        """Start the grader's worker now, so the first check is as fast as the rest; with
        the exercise on screen, its hidden tests are loaded before the learner checks."""
        self._grader.warm_up(self.exercise(exercise_id) if exercise_id else None)

    def close(self) -> None:
        self._closer()

    def __enter__(self) -> "ExerciseService":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- finding exercises --------------------------------------------------------------

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return self.course.exercises

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id; MlquizError (exit 2) with a did-you-mean otherwise."""
        found = self.course.exercise(exercise_id)
        if found is not None:
            return found
        ids = [e.id for e in self.exercises]
        close = difflib.get_close_matches(exercise_id, ids, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]}?" if close else (
            f"; one of {', '.join(ids)}" if ids else "; this course has no exercises")
        raise MlquizError(f"no exercise {exercise_id!r}{hint}", exit_code=2)

    # --- state ------------------------------------------------------------------------

    def _events(self, item: str | None = None) -> dict[str, dict[str, list]]:
        """item -> kind -> events, for the exercise kinds only (of one exercise if `item`)."""
        grouped: dict[str, dict[str, list]] = {}
        for kind in _KINDS:
            for event in self.store.events(self.learner, kind=kind, item=item):
                grouped.setdefault(event.item or "", {}).setdefault(kind, []).append(event)
        return grouped

    @staticmethod
    def _state_of(exercise: Exercise, events: dict[str, list]) -> ExerciseState:
        runs = events.get("exercise_run", [])
        resets = events.get("exercise_reset", [])
        latest = max(runs + resets, key=lambda e: (e.at, e.id), default=None)
        if latest is None:
            touched = events.get("exercise_opened") or events.get("exercise_hint")
            state = IN_PROGRESS if touched else PENDING
        elif latest.kind == "exercise_reset":
            state = IN_PROGRESS
        elif latest.correct:
            state = PASSED
        elif (latest.detail or {}).get("recheck"):
            state = PENDING
        else:
            state = IN_PROGRESS
        last_run = runs[-1] if runs else None
        summary = ""
        if last_run is not None:
            detail = last_run.detail or {}
            summary = "passed" if last_run.correct else (
                detail.get("reason") or f"{len(detail.get('failed_tests') or [])} checks fail")
        return ExerciseState(exercise, state, len(events.get("exercise_hint", [])), len(runs),
                             bool(events.get("exercise_passed")), summary)

    def states(self) -> list[ExerciseState]:
        """Every exercise of the course, in course order, with its state."""
        grouped = self._events()
        return [self._state_of(e, grouped.get(e.id, {})) for e in self.exercises]

    def state(self, exercise_id: str) -> ExerciseState:
        exercise = self.exercise(exercise_id)
        return self._state_of(exercise, self._events(exercise.id).get(exercise.id, {}))

    def next_unfinished(self, after: str | None = None, *,
                        states: list[ExerciseState] | None = None) -> Exercise | None:
        """The first exercise not passed, looking after `after` first, then from the start."""
        states = self.states() if states is None else states
        ids = [s.id for s in states]
        start = ids.index(after) + 1 if after in ids else 0
        for state in states[start:] + states[:start]:
            if state.state != PASSED and state.id != after:
                return state.exercise
        return None

    # --- doing things -------------------------------------------------------------------

    def _record(self, kind: str, exercise: Exercise, **fields) -> None:
        fields.setdefault("at", self.clock())
        self.store.record(self.learner, kind, module=exercise.module, item=exercise.id,
                          session_id=self.session_id, **fields)

    def open(self, exercise_id: str) -> OpenedExercise:
        """Create the workspace folder on first open (from the files the store kept, else the
        starter); records exercise_opened."""
        exercise = self.exercise(exercise_id)
        folder = self._open_folder(exercise)
        self._record("exercise_opened", exercise)
        return OpenedExercise(exercise, folder, tuple(self.workspace.files(exercise)))

    def folder(self, exercise_id: str) -> Path:
        """The workspace folder (created if needed, as `open` does), without recording."""
        return self._open_folder(self.exercise(exercise_id))

    def _open_folder(self, exercise: Exercise) -> Path:
        """The workspace folder; a missing one gets the files the store kept last (after
        the last reset), else the starter."""
        if self.workspace.exists(exercise):
            return self.workspace.folder(exercise)
        kept = self._kept_files(exercise) if self._room_keeps_files else {}
        folder = self.workspace.open(exercise)
        for name, text in kept.items():
            if name in exercise.files:
                (folder / name).write_text(text, encoding="utf-8")
        return folder

    @property
    def _room_keeps_files(self) -> bool:
        """Whether the store is a room several hosts share (PostgreSQL)."""
        return getattr(self.store, "backend", "sqlite") == "postgresql"

    def _kept_files(self, exercise: Exercise) -> dict[str, str]:
        """The files of the latest workspace_saved event, unless a reset came after it."""
        saved = self.store.events(self.learner, kind="workspace_saved", item=exercise.id)
        resets = self.store.events(self.learner, kind="exercise_reset", item=exercise.id)
        if not saved or (resets and (resets[-1].at, resets[-1].id) > (saved[-1].at, saved[-1].id)):
            return {}
        files = (saved[-1].detail or {}).get("files")
        if not isinstance(files, dict):
            return {}
        return {name: text for name, text in files.items()
                if isinstance(name, str) and isinstance(text, str)}

    def _keep_files(self, exercise: Exercise, why: str) -> None:
        """Record the exercise's listed files when they changed since they were last kept."""
        if not self._room_keeps_files:
            return
        files, total = {}, 0
        for name in exercise.files:
            try:
                text = (self.workspace.folder(exercise) / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return
            total += len(text.encode("utf-8"))
            if total > SNAPSHOT_CAP:
                return
            files[name] = text
        digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
        if exercise.id not in self._kept:
            latest = self.store.events(self.learner, kind="workspace_saved", item=exercise.id)
            self._kept[exercise.id] = (latest[-1].detail or {}).get("digest", "") if latest else ""
        if self._kept[exercise.id] == digest:
            return
        self._record("workspace_saved", exercise, detail={"files": files, "digest": digest, "why": why})
        self._kept[exercise.id] = digest

    def read_file(self, exercise_id: str, name: str) -> str:
        """The text of one listed workspace file (for an in-app editor)."""
        return self._listed(exercise_id, name).read_text(encoding="utf-8")

    def save_file(self, exercise_id: str, name: str, text: str) -> Path:
        """Write one listed workspace file (for an in-app editor)."""
        path = self._listed(exercise_id, name)
        path.write_text(text, encoding="utf-8")
        self._keep_files(self.exercise(exercise_id), "save")
        return path

    def _listed(self, exercise_id: str, name: str) -> Path:
        exercise = self.exercise(exercise_id)
        if name not in exercise.files:
            raise MlquizError(f"{name} is not a file of {exercise.id}; "
                              f"its files are {', '.join(exercise.files)}", exit_code=2)
        return self._open_folder(exercise) / name

    def check(self, exercise_id: str, *, on_recheck=None) -> CheckOutcome:
        """Run the hidden tests on the workspace; records exercise_run, and exercise_passed
        when it newly passes. After the last unfinished exercise passes, every other one is
        checked again (`CheckOutcome.rechecked`); `on_recheck(done, total)` is called before
        each of those checks and once after the last (say so: they take a few seconds)."""
        exercise = self.exercise(exercise_id)
        before = self.state(exercise.id)
        self._open_folder(exercise)
        folder = self.workspace.ensure_complete(exercise)
        self._keep_files(exercise, "check")
        result = self._grader.check(exercise, folder)
        self._record("exercise_run", exercise, correct=result.passed,
                     detail=result.event_detail())
        newly = result.passed and before.state != PASSED
        if newly:
            self._record("exercise_passed", exercise, hint_level=before.hints_shown,
                         detail={"runs": before.runs + 1, "hints": before.hints_shown})
        rechecked: tuple[tuple[str, bool], ...] = ()
        states = self.states()
        if newly and all(s.state == PASSED for s in states):
            rechecked = tuple(self.recheck_all(skip={exercise.id}, on_progress=on_recheck))
            states = self.states()
        next_exercise = (self.next_unfinished(exercise.id, states=states) if result.passed
                         else None)
        state = next(s.state for s in states if s.id == exercise.id)
        return CheckOutcome(result, state, newly, rechecked, next_exercise)

    def recheck_all(self, skip: set[str] | frozenset[str] = frozenset(),
                    on_progress=None) -> list[tuple[str, bool]]:
        """Check every exercise again; one that no longer passes goes back to pending.
        `on_progress(done, total)` before each check and after the last."""
        found = []
        todo = [e for e in self.exercises if e.id not in skip]
        for number, exercise in enumerate(todo):
            if on_progress is not None:
                on_progress(number, len(todo))
            following = todo[number + 1] if number + 1 < len(todo) else None
            if self.workspace.exists(exercise) and not self.workspace.problems(exercise):
                result = self._grader.check(exercise, self.workspace.folder(exercise),
                                            next_exercise=following)
                detail = result.event_detail()
            else:
                result = None
                detail = {"passed": False, "failed_tests": [],
                          "reason": "the workspace files are missing", "duration_ms": 0}
            passes = bool(result and result.passed)
            detail["recheck"] = True
            self._record("exercise_run", exercise, correct=passes, detail=detail)
            found.append((exercise.id, passes))
        if on_progress is not None and todo:
            on_progress(len(todo), len(todo))
        return found

    def hints(self, exercise_id: str) -> list[Hint]:
        """The hints shown so far, first to last."""
        exercise = self.exercise(exercise_id)
        shown = min(self.state(exercise.id).hints_shown, len(exercise.hints))
        return [Hint(n, len(exercise.hints), exercise.hints[n - 1]) for n in range(1, shown + 1)]

    def next_hint(self, exercise_id: str) -> Hint:
        """The next hint of the ladder, recorded (exercise_hint, hint_level=N); the last one
        again, not recorded, once all are shown."""
        exercise = self.exercise(exercise_id)
        total = len(exercise.hints)
        if total == 0:
            raise MlquizError(f"{exercise.id} has no hints", exit_code=1)
        shown = self.state(exercise.id).hints_shown
        number = min(shown + 1, total)
        if shown < total:
            self._record("exercise_hint", exercise, hint_level=number)
        return Hint(number, total, exercise.hints[number - 1])

    def can_see_solution(self, exercise_id: str) -> bool:
        return self.state(exercise_id).ever_passed

    def solution(self, exercise_id: str, *, force: bool = False) -> list[SolutionFile]:
        """The reference files beside the learner's; only after a pass unless `force`.
        Records solution_revealed (detail {"forced": true} when it came before a pass)."""
        exercise = self.exercise(exercise_id)
        passed = self.state(exercise.id).ever_passed
        if not passed and not force:
            raise MlquizError(f"the solution of {exercise.id} opens once its checks pass; "
                              f"run `mlquiz exercises check {exercise.id}`, or add --force "
                              "to see it now (recorded)", exit_code=1)
        folder = self.workspace.folder(exercise)
        order = {name: index for index, name in enumerate(exercise.files)}
        paths = sorted(learner_files(exercise.solution_dir),
                       key=lambda p: (order.get(p.relative_to(exercise.solution_dir).as_posix(), 99),
                                      p.as_posix()))
        files = []
        for path in paths:
            name = path.relative_to(exercise.solution_dir).as_posix()
            mine = folder / name
            try:
                yours = mine.read_text(encoding="utf-8") if mine.is_file() else None
            except (OSError, UnicodeDecodeError):
                yours = None
            files.append(SolutionFile(name, path.read_text(encoding="utf-8"), yours))
        self._record("solution_revealed", exercise, detail={"forced": not passed})
        return files

    def reset(self, exercise_id: str) -> Path | None:
        """Back to the starter files; returns the backup folder of the old ones (None if none).
        Records exercise_reset with the backup path."""
        exercise = self.exercise(exercise_id)
        backup = self.workspace.reset(exercise)
        self._record("exercise_reset", exercise, detail={"backup": str(backup) if backup else None})
        self._kept.pop(exercise.id, None)
        return backup
