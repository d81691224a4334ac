"""What every screen of the app is given: the course, the store and who is learning.

Screens hold no rules of the course and no database handles of their own; they
receive one `AppContext` and ask it (and `mlquiz.quiz`) what to show.

>>> ctx = AppContext(course, store, "ada", session_id=1, workspace=Path("ws"))  # doctest: +SKIP
>>> ctx.record("step_viewed", module="ml-technical-debt", item="step-what-is-debt")  # doctest: +SKIP
>>> ctx.save_position("ml-technical-debt", "buildup", "step-what-is-debt")  # doctest: +SKIP
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from mlquiz.progress.events import utc_now

if TYPE_CHECKING:  # imported lazily at run time: startup pays only for what it uses
    from mlquiz.content.models import Course, Module
    from mlquiz.progress import ProgressStore


def _place_key(module: str, screen: str) -> str:
    return f"place:{module}:{screen}"


@dataclass
class AppContext:
    """The domain objects the screens share; built once by `make_app`.

    `clock` returns an aware UTC datetime; tests pass a fixed one so that
    snapshots and review dates are deterministic.
    """

    course: Course
    store: ProgressStore
    learner: str
    session_id: int | None = None
    workspace: Path = Path(".")
    clock: Callable[[], datetime] = field(default=utc_now)
    review_fuzz: bool = True  # tests turn it off so due dates are deterministic
    seed: int | None = None   # tests fix it so the picked test questions are deterministic
    # The --workspace root: `workspace` is then this learner's own folder below it
    # (grading.workspace.learner_folder), set again whenever the learner changes.
    workspace_root: Path | None = None
    _recorder: Any = field(default=None, init=False, repr=False)
    _recorder_key: Any = field(default=None, init=False, repr=False)
    _exercise_service: Any = field(default=None, init=False, repr=False)
    _session_lock: Any = field(default_factory=threading.Lock, init=False, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def module(self, module_id: str) -> Module:
        """The module with that id; KeyError if the course has none."""
        module = self.course.module(module_id)
        if module is None:
            raise KeyError(module_id)
        return module

    def use_learner(self, name: str) -> None:
        """Study as `name` from now on: their own exercise folder, a new session when one is
        needed; what the previous learner started (session, grading worker) ends here.

        >>> ctx.use_learner("bob")  # doctest: +SKIP
        """
        with self._session_lock:
            if self.session_id is not None and name != self.learner:
                try:
                    self.store.end_session(self.session_id)
                except Exception:  # its events are committed; the end is best effort
                    pass
                self.session_id = None
            self.learner = name
        self.close()
        self._recorder = self._recorder_key = None
        if self.workspace_root is not None and name:
            from mlquiz.progress.identity import learner_folder

            self.workspace = learner_folder(self.workspace_root, self.store.database_id, name)

    def adopt_shared_folders(self) -> str | None:
        """Give the old shared exercise folders to their learners (once; see
        grading.workspace.adopt_shared_folders); the line to show, or None."""
        if self.workspace_root is None or not self.learner:
            return None
        from mlquiz.grading.workspace import adopt_shared_folders

        return adopt_shared_folders(self.workspace_root, self.store)

    def ensure_session(self, client: str = "tui") -> int | None:
        """This learner's session id, starting the session (one committed row) on first call.

        The app calls it in a worker thread right after the first frame, so the
        commit's disk sync does not delay the home screen; anything that needs the
        id earlier calls it too and waits for (or does) that one start.

        >>> ctx.ensure_session()  # doctest: +SKIP
        7
        """
        with self._session_lock:
            if self.session_id is None and self.learner:
                self.store.ensure_learner(self.learner)
                self.session_id = self.store.start_session(self.learner, client=client)
            return self.session_id

    def record(self, kind: str, **fields: Any):
        """Append one event for this learner and session (committed on return).

        Answers to scheduled items go through `mlquiz.quiz`'s recorder instead,
        so that the review schedule is updated in the same call.
        """
        if "session_id" not in fields:
            fields["session_id"] = self.ensure_session()
        fields.setdefault("at", self.now())
        return self.store.record(self.learner, kind, **fields)

    def save_position(self, module: str | None, screen: str, item: str | None = None) -> None:
        """Remember where the learner is, so the next start resumes there, and the
        place in this mode, so opening the mode again (from the module page too) does."""
        self.store.set_position(self.learner, module=module, screen=screen, item=item)
        if module and screen != "module":
            self.store.set_setting(self.learner, _place_key(module, screen), item)

    def mode_place(self, module: str, screen: str) -> str | None:
        """The item the learner last had on screen in this mode of this module, if any.

        >>> ctx.mode_place("ml-technical-debt", "flashcards")  # doctest: +SKIP
        'card-cace'
        """
        return self.store.setting(self.learner, _place_key(module, screen)) if self.learner else None

    def setting(self, key: str, default: str | None = None) -> str | None:
        return self.store.setting(self.learner, key, default)

    def set_setting(self, key: str, value: str) -> None:
        self.store.set_setting(self.learner, key, value)

    @property
    def recorder(self):
        """The quiz recorder for this learner and session: answers become events
        and review-schedule updates in one call.

        >>> ctx.recorder.answer("q-debt-meaning", "C", mode="practice")  # doctest: +SKIP
        """
        key = (self.learner, self.ensure_session())
        if self._recorder is None or self._recorder_key != key:
            from mlquiz.quiz.recorder import Recorder

            self._recorder = Recorder.for_course(self.store, self.learner, self.course,
                                                 session_id=self.session_id, clock=self.clock,
                                                 fuzz=self.review_fuzz)
            self._recorder_key = key
        return self._recorder

    @property
    def exercises(self):
        """The learner's ExerciseService, made on first use (it starts a warm grading
        worker), shared by every exercise screen and stopped by `close()`.

        >>> ctx.exercises.check("training-serving-skew")  # doctest: +SKIP
        """
        if self._exercise_service is None:
            from mlquiz.grading.service import ExerciseService

            self.adopt_shared_folders()  # before a starter could take the place of its files

            self._exercise_service = ExerciseService(self.course, self.store, self.learner,
                                                     self.workspace, session_id=self.ensure_session(),
                                                     clock=self.clock)
        return self._exercise_service

    def close(self) -> None:
        """Stop what the context started (the grading worker); the store stays open."""
        if self._exercise_service is not None:
            self._exercise_service.close()
            self._exercise_service = None
