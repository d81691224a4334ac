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

if TYPE_CHECKING:
    from mlquiz.content.models import Course
    from mlquiz.progress.store import ProgressStore
    from mlquiz.progress.summary import ModuleSummary


def run(args: argparse.Namespace) -> int:
    from mlquiz.progress import dbfile

    db = Path(args.db)
    if dbfile.inspect(db) == "missing":
        dbfile.check_creatable(db)  # a path that could never hold progress is a usage error
        message = f"No progress yet: nothing has been recorded in {db}."
        if args.command == "export":
            print(message, file=sys.stderr)
            return 0
        return _nothing_yet(args, db, message)
    store = _open(db)
    try:
        if args.command == "export":
            return _export(store, args)
        return _progress(store, args)
    finally:
        store.close()


def _open(db: Path) -> ProgressStore:
    from mlquiz.progress import dbfile
    from mlquiz.progress.store import ProgressStore

    return ProgressStore.open(db, read_only=not dbfile.is_writable(db))


def _learner(store: ProgressStore, wanted: str | None) -> str | None:
    """--learner if it is in the database, else the only or most recently active learner."""
    if wanted is None:
        chosen = store.most_recent_learner()
        names = [learner.name for learner in store.learners()]
        if chosen is not None and len(names) > 1:
            print(f"mlquiz: {len(names)} learners in {store.path} ({', '.join(names)}); "
                  f"showing {chosen}, the most recently active; pass --learner NAME for another",
                  file=sys.stderr)
        return chosen
    if store.learner(wanted) is None:
        names = ", ".join(learner.name for learner in store.learners()) or "none yet"
        raise MlquizError(f"no learner named {wanted!r} in {store.path} (learners: {names}); "
                          "pass one of them to --learner", exit_code=2)
    return wanted


def _progress(store: ProgressStore, args: argparse.Namespace) -> int:
    from mlquiz.content import load_course

    if args.learner is not None and store.learner(args.learner) is None:
        # A new learner simply has no progress yet; not an error worth exit 2.
        names = ", ".join(learner.name for learner in store.learners()) or "none"
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
    """What `mlquiz progress` prints: a title, the table, where to resume."""
    from mlquiz.progress.summary import summarize

    lines = [f"Progress of {learner} ({store.path})", "",
             render_table(summarize(store, learner, course))]
    position = store.position(learner)
    if position is not None:
        where = " / ".join(part for part in (position.module, position.screen, position.item)
                           if part)
        lines += ["", f"Resume at: {where}"]
    return "\n".join(lines)


def _fraction(done: int | float | None, total: int | float | None) -> str:
    if done is None or total is None:
        return "-"
    return f"{done:g}/{total:g}"


def render_table(rows: list[ModuleSummary]) -> str:
    """A plain aligned table, one line per module."""
    header = ("Module", "Steps", "Predictions right", "Myths busted", "Questions",
              "Accuracy", "Best test", "Exercises", "Due now")
    lines = [header]
    for row in rows:
        lines.append((
            row.module, _fraction(row.steps_seen, row.steps_total),
            f"{row.predictions_right}/{row.predictions_made} of {row.predictions_total}",
            _fraction(row.myths_busted, row.myths_total),
            _fraction(row.questions_answered, row.questions_total),
            "-" if row.accuracy is None else f"{row.accuracy:.0%} of {row.answers}",
            _fraction(row.best_test_score, row.best_test_total),
            _fraction(row.exercises_passed, row.exercises_total), str(row.due_now)))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
                     for line in lines)


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
    if output is None:
        write_export(store, sys.stdout, fmt=args.format, learners=learners)
        return 0
    if output.exists() and output.resolve() == store.path.resolve():
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

