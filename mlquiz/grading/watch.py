"""Watch mode: re-check the current exercise on every save, move on when it passes.

    watch_exercises(service, "training-serving-skew", report=print_outcome)

`wait_for_change(folder)` blocks until a file in the folder changes (watchfiles)
and returns False when watching should stop; tests pass their own.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from mlquiz.content.models import Exercise
from mlquiz.errors import MlquizError
from mlquiz.grading.service import CheckOutcome, ExerciseService


def wait_with_watchfiles(folder: Path, stop_event: threading.Event | None = None) -> bool:
    """Block until something in `folder` is saved; False if `stop_event` ended the wait."""
    from watchfiles import DefaultFilter, watch

    for _changes in watch(folder, watch_filter=DefaultFilter(), stop_event=stop_event,
                          raise_interrupt=True):
        return True
    return False


def watch_exercises(service: ExerciseService, start_id: str | None = None, *,
                    report: Callable[[Exercise, CheckOutcome | None, str], None],
                    wait_for_change: Callable[[Path], bool] = wait_with_watchfiles,
                    on_recheck: Callable[[int, int], None] | None = None) -> bool:
    """Check, wait for a save, check again; after a pass go on with the next unfinished one.

    `report(exercise, outcome, error)` is called after every check (outcome None and
    `error` set when the check could not run, e.g. a missing file); `on_recheck` goes to
    `ExerciseService.check` (the re-run of every exercise after the last). Returns True when
    every exercise passes, False when the wait was stopped first.
    """
    current = service.exercise(start_id) if start_id else service.next_unfinished()
    if current is None:
        return True
    service.open(current.id)
    service.warm_up(current.id)
    while True:
        try:
            outcome = service.check(current.id, on_recheck=on_recheck)
        except MlquizError as error:
            outcome = None
            report(current, None, str(error))
        else:
            report(current, outcome, "")
            if outcome.result.passed:
                if outcome.next_exercise is None:
                    return True
                current = outcome.next_exercise
                service.open(current.id)
                service.warm_up(current.id)
                continue
        if not wait_for_change(service.folder(current.id)):
            return False
