"""`mlquiz progress [--json]` and `mlquiz export --format csv|json [--all] [-o FILE]`.

>>> run(argparse.Namespace(command="progress", db=Path("p.db"), learner=None,
...                        course=Path("course"), json=False))      # doctest: +SKIP
Progress of ada (p.db)
...
0

Both only read. They open the database read-write when they may (so an older
schema gets upgraded like the app would), and read-only when the file or its
folder is read-only: reading a learner's progress should work from a
read-only copy, a backup or a mounted share.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mlquiz.errors import MlquizError
from mlquiz.progress.identity import people

if TYPE_CHECKING:
    from mlquiz.content.models import Course
    from mlquiz.progress.store import ProgressStore
    from mlquiz.progress.summary import ModuleSummary


def run(args: argparse.Namespace) -> int:
    from mlquiz.progress import dbfile

    from mlquiz.progress.location import DatabaseURL

    db = args.db if isinstance(args.db, DatabaseURL) else Path(args.db)
    store = _open_url(db) if isinstance(db, DatabaseURL) else None
    if store is None and (isinstance(db, DatabaseURL) or dbfile.inspect(db) == "missing"):
        if not isinstance(db, DatabaseURL):
            dbfile.check_creatable(db)  # a path that could never hold progress is a usage error
        message = f"No progress yet: nothing has been recorded in {db}."
        if args.command == "export":
            print(message, file=sys.stderr)
            return 0
        return _nothing_yet(args, db, message)
    store = store or _open(db)
    try:
        if args.command == "export":
            return _export(store, args)
        return _progress(store, args)
    finally:
        store.close()


def _open_url(url) -> ProgressStore | None:
    """A room on a PostgreSQL server, read-only as a report reads it; None while it is empty."""
    from mlquiz.progress.errors import NothingRecorded
    from mlquiz.progress.store import ProgressStore

    try:
        return ProgressStore.open(url, read_only=True)
    except NothingRecorded:
        return None


def _open(db: Path) -> ProgressStore:
    from mlquiz.progress import dbfile
    from mlquiz.progress.store import ProgressStore

    return ProgressStore.open(db, read_only=not dbfile.is_writable(db))


def _learner(store: ProgressStore, wanted: str | None) -> str | None:
    """--learner if it is in the database, else the one chosen in the app, else the only or
    most recently active learner."""
    if wanted is None:
        from mlquiz.progress.identity import chosen_learner

        picked = chosen_learner(store)
        if picked is not None:
            return picked
        chosen = store.most_recent_learner()
        names = people(store)
        if chosen is not None and len(names) > 1:
            print(f"mlquiz: {len(names)} learners in {store.path} ({', '.join(names)}); "
                  f"showing {chosen}, the most recently active; pass --learner NAME for another",
                  file=sys.stderr)
        return chosen
    if store.learner(wanted) is None:
        names = ", ".join(people(store)) or "none yet"
        raise MlquizError(f"no learner named {wanted!r} in {store.path} (learners: {names}); "
                          "pass one of them to --learner", exit_code=2)
    return wanted


def _progress(store: ProgressStore, args: argparse.Namespace) -> int:
    from mlquiz.content import load_course

    if args.learner is not None and store.learner(args.learner) is None:
        # A new learner simply has no progress yet; not an error worth exit 2.
        names = ", ".join(people(store)) or "none"
        return _nothing_yet(args, store.path, f"No progress yet for {args.learner} in "
                            f"{store.path} (learners here: {names}).")
    learner = _learner(store, args.learner)
    if learner is None:
        return _nothing_yet(args, store.path, "No progress yet: no learner has recorded "
                            f"anything in {store.path}.")
    course = load_course(Path(args.course))
    if getattr(args, "json", False):
        print(json.dumps(progress_document(store, learner, course), indent=2))
    else:
        print(progress_text(store, learner, course))
    return 0


def _nothing_yet(args: argparse.Namespace, db: Path, message: str) -> int:
    """The message; with --json it goes to stderr and stdout still gets a JSON document."""
    if not getattr(args, "json", False):
        print(message)
        return 0
    print(message, file=sys.stderr)
    print(json.dumps({"learner": args.learner, "database": str(db), "course": None,
                      "position": None, "modules": []}, indent=2))
    return 0


def progress_document(store: ProgressStore, learner: str, course: Course) -> dict:
    """What `mlquiz progress --json` prints."""
    from mlquiz.progress.summary import summarize

    position = store.position(learner)
    return {
        "learner": learner, "database": str(store.path), "course": course.id,
        "position": None if position is None else {
            "module": position.module, "screen": position.screen, "item": position.item,
            "at": position.at.isoformat()},
        "modules": [row.as_dict() for row in summarize(store, learner, course)],
    }


def progress_text(store: ProgressStore, learner: str, course: Course) -> str:
    """What `mlquiz progress` prints: a title, one labelled block per module, where to resume.

    Module and exercise titles, not ids; each count says what it is out of.
    """
    from mlquiz.progress.summary import summarize

    exercises = exercise_stats(store, learner)
    lines = [f"Progress of {learner} ({store.path})"]
    for row in summarize(store, learner, course):
        lines += ["", *module_block(row, course, exercises)]
    lines += ["", "Accuracy counts every answer to a question, repeats included. A myth counts "
              "as busted when your latest answer to it is right, so a wrong first answer is "
              "made good by a right one later."]
    position = store.position(learner)
    if position is not None:
        lines += ["", f"Resume at: {where(course, position.module, position.screen, position.item)}"]
    return "\n".join(lines)


def _of(done: int | float | None, total: int | float | None) -> str:
    return "-" if done is None or total is None else f"{done:g} of {total:g}"


EXERCISE_KINDS = ("exercise_opened", "exercise_hint", "exercise_run", "exercise_passed",
                  "exercise_reset")


def exercise_stats(store: ProgressStore, learner: str) -> dict[str, dict[str, dict]]:
    """exercise id -> {event kind: its item_stats row}, from one filtered read."""
    by_item: dict[str, dict[str, dict]] = {}
    for stat in store.item_stats(learner, kinds=EXERCISE_KINDS):
        by_item.setdefault(stat["item"], {})[stat["kind"]] = stat
    return by_item


def module_block(row: ModuleSummary, course: Course, exercises: dict) -> list[str]:
    """One module's lines: 'Label: value', the label padded so the values line up."""
    accuracy = ("no answers yet" if row.accuracy is None else
                f"{row.accuracy:.0%} of {row.answers} answer{'s' * (row.answers != 1)} right")
    predictions = (f"{row.predictions_made} of {row.predictions_total} made, "
                   f"{row.predictions_right} right the first time")
    test = ("not taken yet" if row.best_test_score is None
            else _of(row.best_test_score, row.best_test_total))
    fields = [
        ("Steps seen", _of(row.steps_seen, row.steps_total)),
        ("Predictions", predictions),
        ("Myths busted", _of(row.myths_busted, row.myths_total)),
        ("Questions", f"{_of(row.questions_answered, row.questions_total)} answered"),
        ("Accuracy", accuracy),
        ("Best test", test),
        ("Exercises", f"{_of(row.exercises_passed, row.exercises_total)} passed"
         if row.exercises_total else "none in this module"),
        ("Due for review", f"{row.due_now} now"),
    ]
    width = max(len(label) for label, _ in fields) + 1
    lines = [row.title]
    lines += [f"  {label + ':':<{width}} {value}" for label, value in fields]
    lines += [f"    {title}: {state}"
              for title, state in exercise_states(course, row.module, exercises)]
    return lines


def exercise_states(course: Course, module_id: str, exercises: dict) -> list[tuple[str, str]]:
    """(title, "passed" | "tried N times" | "opened" | "not started") per exercise of the module,
    from `exercise_stats`. "passed" follows `summarize` (exercise_passed, or a run that passed).
    """
    states = []
    for exercise in course.exercises:
        if exercise.module != module_id:
            continue
        seen = exercises.get(exercise.id, {})
        run = seen.get("exercise_run")
        if "exercise_passed" in seen or (run and run["n_correct"]):
            state = "passed"
        elif run:
            state = f"tried {run['n']} time{'s' * (run['n'] != 1)}, not passed yet"
        elif seen:
            state = "opened"
        else:
            state = "not started"
        states.append((exercise.title, state))
    return states


def where(course: Course, module_id: str | None, screen: str | None, item: str | None) -> str:
    """A saved position in words: 'Technical debt in ML systems, Practice, question 3'."""
    from mlquiz.tui.modes import is_mode, mode

    module = course.module(module_id) if module_id else None
    parts = [module.title if module else (module_id or "")]
    if screen:
        parts.append(mode(screen).title if is_mode(screen) else screen.replace("_", " ").capitalize())
    if item and module is not None:
        parts.append(_item_words(module, screen, item))
    return ", ".join(part for part in parts if part)


_SECTIONS = {"overview": "Overview", "mental-model": "Mental model",
             "under-the-hood": "Under the hood", "myths": "Myths", "expert-zone": "Expert zone",
             "when-not-to-use": "When not to use", "production-patterns": "Production patterns",
             "connections": "Connections", "pitfalls": "Pitfalls", "takeaways": "Takeaways"}


def _item_words(module, screen: str | None, item: str) -> str:
    lesson = module.lesson
    for number, step in enumerate(lesson.steps, 1):
        if step.id == item:
            return f"step {number}, {step.title}"
    for kind, ids in (("question", [q.id for q in module.questions]),
                      ("myth", [m.id for m in lesson.myths]),
                      ("card", [c.id for c in module.flashcards])):
        if item in ids:
            return f"{kind} {ids.index(item) + 1} of {len(ids)}"
    pitfall = next((p for p in lesson.pitfalls if p.id == item), None)
    if pitfall is not None:
        return f"pitfall {pitfall.title}"
    if item in _SECTIONS:
        return f"section {_SECTIONS[item]}"
    return "a test" if screen == "test" else item


def _export(store: ProgressStore, args: argparse.Namespace) -> int:
    from mlquiz.progress.export import write_export

    if args.all:
        learners = None
    else:
        learner = _learner(store, args.learner)
        if learner is None:
            print(f"No progress yet: no learner has recorded anything in {store.path}.",
                  file=sys.stderr)
            return 0
        learners = [learner]
    output: Path | None = args.output
    if output is not None and str(output).lower().startswith(("postgresql:", "postgres:")):
        raise MlquizError(f"-o {output} is a PostgreSQL URL, not a file: an export is a file "
                          "(to move a room to a server: mlquiz db copy SRC URL)", exit_code=2)
    if output is None:
        write_export(store, sys.stdout, fmt=args.format, learners=learners)
        return 0
    if output.exists() and isinstance(store.path, Path) and output.resolve() == store.path.resolve():
        raise MlquizError(f"-o {output} is the progress database itself; "
                          "pass another output file", exit_code=2)
    try:
        with output.open("w", encoding="utf-8", newline="") as out:
            count = write_export(store, out, fmt=args.format, learners=learners)
    except OSError as error:
        raise MlquizError(f"cannot write {output} ({error.strerror}); pass another -o FILE",
                          exit_code=2) from None
    print(f"Exported {count} events to {output}.", file=sys.stderr)
    return 0

