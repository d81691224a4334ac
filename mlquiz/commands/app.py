"""`mlquiz` with no command: open the app, resuming where the learner left off.

>>> run(argparse.Namespace(course=Path("course"), db=Path("p.db"), learner=None,
...                        workspace=Path("ws"), start=None, instructor=False))  # doctest: +SKIP
0

Broken content or an unusable database is reported here, before the screen
switches to the full-screen app, so the located lines stay readable.
"""
from __future__ import annotations

import os
import sys

from mlquiz.errors import MlquizError


def run(args) -> int:
    if getattr(args, "instructor", False):
        return _run_instructor(args)
    try:
        from mlquiz.tui.app import make_app

        # The same check as mlquiz.workshop.serve.is_served, without importing serve.
        served = os.environ.get("MLQUIZ_SERVED") == "1"
        app = make_app(args.course, args.db, args.learner, args.workspace,
                       start=getattr(args, "start", None), served=served)
    except MlquizError as error:
        return _report(error, db=args.db)
    if not _has_terminal():
        app.ctx.close()
        return _report(MlquizError(
            "the app needs a terminal, and standard input or output is not one; "
            "for a plain prompt use `mlquiz review --plain`, for a summary `mlquiz progress`"))
    app.run()
    if app.adopted:  # also shown in the app; printed so it stays in the terminal
        print(f"mlquiz: {app.adopted}", file=sys.stderr)
    return int(app.return_code or 0)


def _has_terminal() -> bool:
    """A terminal on both ends, or a Textual driver chosen for us (the browser, headless runs)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def _report(error: MlquizError, db=None) -> int:
    from mlquiz.content import ContentError
    from mlquiz.progress import StoreError

    print(str(error) if "\n" in str(error) else f"mlquiz: {error}", file=sys.stderr)
    if isinstance(error, ContentError):
        print("The course has problems; run `mlquiz validate` to see each one.", file=sys.stderr)
    elif isinstance(error, StoreError) and db is not None:
        _offer_fresh_database(db)
    return error.exit_code


def _offer_fresh_database(db) -> None:
    """A bad database stays as it is; say how to start afresh beside it."""
    from mlquiz.progress import dbfile

    from mlquiz.progress.location import DatabaseURL

    if isinstance(db, DatabaseURL) or not db.is_file() or not dbfile.has_write_bits(db.parent):
        return
    try:
        fresh = dbfile.fresh_path_beside(db)
    except MlquizError:
        return
    print(f"{db} is left untouched. To start afresh beside it: mlquiz --db {fresh}",
          file=sys.stderr)


def _run_instructor(args) -> int:
    """`mlquiz --instructor --db FILE`: the room's live view (mlquiz.tui.screens.instructor)."""
    from mlquiz.tui.screens import instructor

    return int(instructor.run(args) or 0)
