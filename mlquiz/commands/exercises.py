"""`mlquiz exercises list|show|check|hint|reset|solution|watch|verify`.

>>> main(["exercises", "check", "training-serving-skew"])  # doctest: +SKIP
training-serving-skew: 1 of 6 checks pass
...
1

Exit codes: 0 passed / done, 1 the check failed (or verify found a broken
exercise), 2 bad usage (an unknown id, a missing workspace file).
"""
from __future__ import annotations

import argparse
import difflib
import getpass
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from mlquiz.errors import MlquizError


def run(args: argparse.Namespace) -> int:
    from mlquiz.content import load_course

    course = load_course(Path(args.course))
    if args.action == "verify":
        return _verify(course, args.ids)
    with _service(args, course) as service:
        return _ACTIONS[args.action](service, args)


@contextmanager
def _service(args: argparse.Namespace, course):
    from mlquiz.grading.service import ExerciseService
    from mlquiz.progress import ProgressStore, dbfile

    # `list` only reads, so like `mlquiz progress` it works on a read-only database.
    read_only = (args.action == "list" and isinstance(args.db, Path) and args.db.exists()
                 and not dbfile.is_writable(args.db))
    store = ProgressStore.open(args.db, read_only=read_only)
    service = None
    try:
        from mlquiz.grading.workspace import adopt_shared_folders, learner_workspace
        from mlquiz.progress.identity import command_learner

        # --learner runs this command as that learner; it changes no default.
        learner = command_learner(store, args.learner) or _os_user()
        adopted = adopt_shared_folders(Path(args.workspace), store)
        if adopted:
            print(f"mlquiz: {adopted}", file=sys.stderr)
        service = ExerciseService(course, store, learner,
                                  learner_workspace(Path(args.workspace), store, learner))
        if args.action in ("check", "watch") and service.warning:
            print(f"mlquiz: {service.warning}", file=sys.stderr)
        yield service
    finally:
        if service is not None:
            service.close()
        store.close()


def _os_user() -> str:
    try:
        return getpass.getuser() or "learner"
    except Exception:  # no user name in this environment
        return "learner"


# --- list, show -----------------------------------------------------------------------


def _list(service, args) -> int:
    states = service.states()
    if not states:
        print("This course has no exercises.")
        return 0
    width = max(len(s.id) for s in states)
    for state in states:
        print(f"{state.state:<12} {state.exercise.difficulty:<7} {state.id:<{width}}  "
              f"{state.exercise.title}")
    done = sum(s.state == "passed" for s in states)
    unfinished = ([s for s in states if s.state == "in progress"]
                  or [s for s in states if s.state != "passed"])
    if not unfinished:
        print(f"\nAll {len(states)} passed.")
    else:
        verb = "Continue with" if unfinished[0].state == "in progress" else "Next"
        print(f"\n{done} of {len(states)} passed. {verb}: mlquiz exercises show "
              f"{unfinished[0].id}")
    return 0


def _show(service, args) -> int:
    opened = service.open(args.id)
    exercise, state = opened.exercise, service.state(args.id)
    print(f"{exercise.title}  ({exercise.id}, {exercise.difficulty}, {state.state})")
    print(f"Debt: {exercise.debt}\n")
    print(exercise.instructions.rstrip())
    print(f"\nYour files, in {opened.folder}:")
    for path in opened.files:
        print(f"  {path}")
    print(f"\nEdit them, then: mlquiz exercises check {exercise.id}   "
          f"(or `mlquiz exercises watch {exercise.id}`)")
    return 0


# --- check ------------------------------------------------------------------------------


def _indent(text: str, prefix: str, width: int | None = None) -> str:
    """Each line of `text` behind `prefix`; with a `width`, long lines are wrapped between
    words to fit it (a word longer than the line is left whole)."""
    if not width:
        return "\n".join(prefix + line for line in text.splitlines())
    import textwrap

    room = max(width - 1, len(prefix) + 20)
    return "\n".join(textwrap.fill(line, room, initial_indent=prefix, subsequent_indent=prefix,
                                   break_long_words=False, break_on_hyphens=False) or prefix
                     for line in text.splitlines())


def _terminal_width() -> int | None:
    """The terminal's width when printing to one; None (no wrapping) into a pipe or file."""
    import shutil

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def outcome_text(service, outcome, width: int | None = None) -> str:
    """The check as a learner reads it in a terminal; test messages wrapped to `width`."""
    result = outcome.result
    exercise_id = result.exercise_id
    lines = []
    if result.syntax_error is not None:
        lines += [f"{exercise_id}: your code does not compile", "",
                  result.syntax_error.render()]
    else:
        lines.append(f"{exercise_id}: {'PASSED, ' if result.passed else ''}{result.summary}")
        if result.reason and result.tests:
            lines.append(f"  ({result.passed_count} of {len(result.tests)} checks pass)")
        for test in result.tests:
            lines.append(f"  {'pass' if test.passed else 'FAIL'}  {test.name}")
            if not test.passed and test.message and test.message != "did not run":
                lines.append(_indent(test.message, "        ", width))
                if test.location:
                    lines.append(f"        (at {test.location})")
        if not result.passed and result.output.strip():
            tail = result.output.strip().splitlines()[-15:]
            lines += ["", "Your code printed (last lines):", _indent("\n".join(tail), "  | ")]
    if result.passed:
        if outcome.newly_passed:
            lines += ["", f"Well done. The reference solution: mlquiz exercises solution {exercise_id}"]
        for other, passes in outcome.rechecked:
            if not passes:
                lines.append(f"Re-checked everything: {other} no longer passes, back to pending.")
        if outcome.rechecked and not outcome.back_to_pending:
            lines.append("Re-checked every exercise: all pass. The course's exercises are done.")
        if outcome.next_exercise is not None:
            nxt = outcome.next_exercise
            lines.append(f"Next: {nxt.id} ({nxt.title}) -> mlquiz exercises show {nxt.id}")
    else:
        state = service.state(exercise_id)
        total = state.hints_total
        if total and state.hints_shown < total:
            lines += ["", f"Stuck? mlquiz exercises hint {exercise_id}  "
                          f"(hint {state.hints_shown + 1} of {total})"]
    return "\n".join(lines)


def announce_recheck(done: int, total: int) -> None:
    """`on_recheck` for the CLI: one line before the other exercises are checked again."""
    if done == 0:
        noun = "exercise" if total == 1 else "exercises"
        print(f"That was the last one: checking the other {total} {noun} again...", flush=True)


def _check(service, args) -> int:
    outcome = service.check(args.id, on_recheck=None if args.json else announce_recheck)
    if args.json:
        document = {
            "exercise": args.id, "passed": outcome.result.passed, "state": outcome.state,
            "newly_passed": outcome.newly_passed, "result": outcome.result.to_dict(),
            "rechecked": [{"exercise": i, "passes": p} for i, p in outcome.rechecked],
            "next": outcome.next_exercise.id if outcome.next_exercise else None,
        }
        print(json.dumps(document, indent=2))
    else:
        print(outcome_text(service, outcome, _terminal_width()))
    return 0 if outcome.result.passed else 1


# --- hint, solution, reset ------------------------------------------------------------------


def _hint(service, args) -> int:
    hint = service.next_hint(args.id)
    print(f"{args.id}: {hint.label}\n")
    print(hint.text.rstrip())
    if hint.is_last:
        print("\nThat was the last hint. After a pass, `mlquiz exercises solution "
              f"{args.id}` shows the reference.")
    return 0


def _solution(service, args) -> int:
    files = service.solution(args.id, force=args.force)
    for file in files:
        print(f"==== {file.name} (reference) ====")
        print(file.text.rstrip())
        if file.yours is not None and file.yours != file.text:
            diff = difflib.unified_diff(file.yours.splitlines(), file.text.splitlines(),
                                        f"{file.name} (yours)", f"{file.name} (reference)",
                                        lineterm="")
            print("\n---- yours -> reference ----")
            print("\n".join(diff))
        print()
    return 0


def _reset(service, args) -> int:
    exercise = service.exercise(args.id)
    if not args.yes:
        print(f"Put {exercise.id} back to its starter files? Your current files "
              "are kept as a backup. [y/N] ", end="", flush=True)
        answer = sys.stdin.readline()
        if not answer:  # no terminal and nothing piped in: never reset unasked
            print()
            raise MlquizError("nothing was reset: no answer to the question; "
                              "pass --yes to reset without asking", exit_code=1)
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 0
    backup = service.reset(exercise.id)
    print(f"{exercise.id} is back to its starter files in {service.workspace.folder(exercise)}")
    if backup is not None:
        print(f"Your previous files are in {backup}")
    return 0


# --- watch ------------------------------------------------------------------------------------


def _watch(service, args) -> int:
    from mlquiz.grading.watch import watch_exercises

    def report(exercise, outcome, error: str) -> None:
        print("\n" + "-" * 60)
        if outcome is None:
            print(f"{exercise.id}: {error}")
        else:
            print(outcome_text(service, outcome, _terminal_width()))
            if outcome.result.passed:
                return
        print(f"\nWatching {service.workspace.folder(exercise)}\n"
              "Save a file to check again (Ctrl-C to stop).", flush=True)

    try:
        done = watch_exercises(service, args.id, report=report, on_recheck=announce_recheck)
    except KeyboardInterrupt:
        print("\nStopped watching.")
        return 0
    if done:
        print("Every exercise passes.")
    return 0


# --- verify -------------------------------------------------------------------------------------


def verify_exercise(grader, exercise) -> tuple[bool, str]:
    """(ok, one line): the hidden tests fail on the starter with messages and pass on the solution."""
    from mlquiz.grading.feedback import NO_MESSAGE

    starter = grader.check(exercise, exercise.starter_dir)
    solution = grader.check(exercise, exercise.starter_dir, overlay=exercise.solution_dir)
    failing = [t for t in starter.tests if not t.passed]
    problems = []
    if starter.syntax_error is not None or starter.reason:
        problems.append(f"on the starter the tests did not run cleanly: {starter.summary}")
    elif starter.passed or not failing:
        problems.append("the starter already passes every hidden test")
    else:
        silent = [t.name for t in failing if not t.message or t.message == NO_MESSAGE]
        if silent:
            problems.append(f"failing without a message on the starter: {', '.join(silent)}")
    if not solution.passed:
        problems.append(f"the solution does not pass: {solution.summary}"
                        + "".join(f"; {t.name}: {t.message}" for t in solution.tests
                                  if not t.passed)[:300])
    if problems:
        return False, "; ".join(problems)
    return True, (f"starter fails {len(failing)} of {len(starter.tests)} checks, "
                  f"solution passes {len(solution.tests)} of {len(solution.tests)}")


def _verify(course, ids: list[str]) -> int:
    from mlquiz.grading.grader import Grader

    exercises = list(course.exercises)
    if ids:
        known = {e.id: e for e in exercises}
        unknown = [i for i in ids if i not in known]
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(known), n=1, cutoff=0.5)
            hint = (f"; did you mean {close[0]}?" if close
                    else f"; one of {', '.join(known)}" if known
                    else "; this course has no exercises")
            raise MlquizError(f"no exercise {unknown[0]!r}{hint}", exit_code=2)
        exercises = [known[i] for i in ids]
    if not exercises:
        print("No exercises to verify.")
        return 0
    width = max(len(e.id) for e in exercises)
    broken = 0
    with Grader() as grader:
        for exercise in exercises:
            ok, line = verify_exercise(grader, exercise)
            broken += not ok
            print(f"{'ok  ' if ok else 'FAIL'}  {exercise.id:<{width}}  {line}", flush=True)
    print(f"{len(exercises) - broken} of {len(exercises)} exercises verified")
    return 1 if broken else 0


_ACTIONS = {"list": _list, "show": _show, "check": _check, "hint": _hint,
            "solution": _solution, "reset": _reset, "watch": _watch}
