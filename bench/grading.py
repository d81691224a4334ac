"""Checking an exercise through mlquiz vs `python -m pytest` run cold on the same files.

    .venv/bin/python bench/grading.py [EXERCISE_ID] [--runs 20]

Both sides check the same learner files (the exercise's solution over its
starter) against the same hidden tests, 20 times each, in the same run. The
mlquiz side is `ExerciseService.check` (sandbox, warm worker, a recorded event);
the baseline is a fresh `python -m pytest` per check. The baseline runs with
PYTEST_DISABLE_PLUGIN_AUTOLOAD=1, the stricter choice: with this virtualenv's
test plugins autoloaded, plain `python -m pytest` is several times slower
(printed too, for reference). The last line is the ratio of medians.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlquiz.content import load_exercise  # noqa: E402
from mlquiz.paths import builtin_exercises_dir  # noqa: E402


def _learner_copy(exercise, target: Path) -> None:
    shutil.copytree(exercise.starter_dir, target)
    shutil.copytree(exercise.solution_dir, target, dirs_exist_ok=True)


def _time_interleaved(actions: list, runs: int) -> list[list[float]]:
    """Run the actions in turn, `runs` rounds, so a busy machine slows each alike."""
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for action, spent in zip(actions, times):
            started = time.perf_counter()
            action()
            spent.append(time.perf_counter() - started)
    return times


def _describe(label: str, times: list[float]) -> str:
    return (f"{label:<44} median {statistics.median(times) * 1000:7.1f} ms   "
            f"worst {max(times) * 1000:7.1f} ms")


def _save_to_result(service, exercise, folder: Path, rounds: int) -> list[float]:
    """Seconds from saving a learner file to `mlquiz exercises watch` reporting its result,
    with the real watch loop (watchfiles) in a thread."""
    import threading

    from mlquiz.grading.watch import wait_with_watchfiles, watch_exercises

    reported = threading.Event()
    stop = threading.Event()

    def report(_exercise, _outcome, _error):
        reported.set()

    def wait(path):
        return not stop.is_set() and wait_with_watchfiles(path, stop)

    # watch stops after a pass and moves on; a failing file keeps it on this exercise
    target = folder / exercise.files[0]
    original = target.read_text(encoding="utf-8")
    target.write_text(original + "\nraise SystemExit('not yet')\n", encoding="utf-8")
    thread = threading.Thread(target=watch_exercises, args=(service, exercise.id),
                              kwargs={"report": report, "wait_for_change": wait}, daemon=True)
    thread.start()
    assert reported.wait(30), "watch mode never reported its first check"
    times = []
    for round_number in range(rounds):
        time.sleep(0.2)  # let the watcher settle on the folder
        reported.clear()
        started = time.perf_counter()
        target.write_text(original + f"\nraise SystemExit('not yet {round_number}')\n", encoding="utf-8")
        assert reported.wait(30), "watch mode did not report a saved file"
        times.append(time.perf_counter() - started)
    stop.set()
    target.write_text(original, encoding="utf-8")
    thread.join(5)
    return times


def _judge_sandbox_start(exercise, rounds: int) -> tuple[list[float], list[float]]:
    """The judge sandbox's own cost: seconds to start its zygote (once per worker, pytest
    imported), and from asking it for a judge to that judge having the hidden tests
    collected (before each check, off its clock)."""
    from mlquiz.grading.sandbox import sandbox_problem
    from mlquiz.grading.spare import CheckArea, Spare
    from mlquiz.grading.spec import Limits

    starts, forks = [], []
    for _ in range(max(2, rounds // 3)):
        area = CheckArea.create(not sandbox_problem())
        try:
            started = time.perf_counter()
            area.zygote()
            starts.append(time.perf_counter() - started)
        finally:
            area.close()
    area = CheckArea.create(not sandbox_problem())
    spare = Spare.start(area, Limits())
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            spare.expect(str(exercise.tests_dir))
            spare.judge._wait_until_ready()
            forks.append(time.perf_counter() - started)
    finally:
        spare.discard()
        area.close()
    return starts, forks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("exercise", nargs="?", default="training-serving-skew")
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()

    from mlquiz.content.models import Course
    from mlquiz.grading.service import ExerciseService
    from mlquiz.progress import ProgressStore

    exercise = load_exercise(builtin_exercises_dir() / options.exercise)
    base = Path(tempfile.mkdtemp(prefix="mlquiz-bench-"))
    try:
        # the baseline: learner files at the root, the hidden tests beside them
        plain = base / "plain"
        _learner_copy(exercise, plain)
        shutil.copytree(exercise.tests_dir, plain / "tests")
        # the hidden tests need a `subject`: an in-process one, the cheapest possible
        shutil.copyfile(Path(__file__).with_name("inprocess_subject.py"), plain / "tests" / "conftest.py")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
        strict_env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}

        def cold_pytest(env=strict_env):
            done = subprocess.run(command, cwd=plain, env=env, capture_output=True)
            assert done.returncode == 0, done.stdout.decode()[-2000:]

        # mlquiz: a service with its own store and workspace
        course = Course(id="bench", title="bench", description="", modules=(), exercises=(exercise,))
        store = ProgressStore.open(base / "progress.db")
        service = ExerciseService(course, store, "bench", base / "workspace")
        folder = service.folder(exercise.id)
        shutil.rmtree(folder)
        _learner_copy(exercise, folder)

        def through_mlquiz():
            assert service.check(exercise.id).result.passed

        started = time.perf_counter()
        service.warm_up(exercise.id)  # as the exercise screen does when it opens
        startup = time.perf_counter() - started
        through_mlquiz()  # first check after start-up, not counted
        mlquiz_times, pytest_times = _time_interleaved([through_mlquiz, cold_pytest], options.runs)
        watch_times = _save_to_result(service, exercise, folder, max(5, options.runs // 2))
        (autoload_times,) = _time_interleaved([lambda: cold_pytest(dict(os.environ))],
                                              max(3, options.runs // 4))
        service.close()
        store.close()
        zygote_times, judge_times = _judge_sandbox_start(exercise, max(5, options.runs // 2))
    finally:
        shutil.rmtree(base, ignore_errors=True)

    print(f"exercise {exercise.id}: {options.runs} checks each")
    print(f"warm worker start-up, once per app: {startup * 1000:.0f} ms")
    print(_describe("mlquiz exercises check (warm worker)", mlquiz_times))
    print(_describe("python -m pytest, cold (no plugin autoload)", pytest_times))
    print(_describe("python -m pytest, cold (plugins autoloaded)", autoload_times))
    print(_describe("watch mode: file saved -> result reported", watch_times))
    print(_describe("judge sandbox: start, pytest imported", zygote_times)
          + "   (once per worker)")
    print(_describe("judge sandbox: fork -> tests collected", judge_times)
          + "   (before each check, off its clock)")
    print(f"watch: save-to-result {statistics.median(watch_times) / statistics.median(pytest_times):.2f}x "
          f"a cold pytest ({statistics.median(watch_times) * 1000:.0f} ms; rustlings users report "
          "about 2 s; aim < 300 ms)")
    ratio = statistics.median(mlquiz_times) / statistics.median(pytest_times)
    print(f"grading: {ratio:.2f}x (goal <= 0.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
