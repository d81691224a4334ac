"""The `mlquiz` command line: parse, call one command module, print, exit code.

Each command lives in `mlquiz/commands/<name>.py` as `run(args) -> int` and is
imported only when chosen, so `mlquiz validate` never loads the UI.

>>> main(["validate", "course"])  # doctest: +SKIP
0
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from mlquiz import __version__


def _add_app_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """--course/--db/--learner/--workspace, accepted before or after a command."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--course", type=Path, default=default, metavar="DIR",
                        help="course folder (env MLQUIZ_COURSE; default: the built-in course)")
    parser.add_argument("--db", default=default, metavar="FILE|URL",
                        help="progress database: a SQLite file or a postgresql:// URL "
                        "(env MLQUIZ_DB; default: a file in the user data folder)")
    parser.add_argument("--learner", default=default, metavar="NAME",
                        help="run as this learner, this once; the app remembers only a "
                        "learner chosen in it (env MLQUIZ_LEARNER)")
    parser.add_argument("--workspace", type=Path, default=default, metavar="DIR",
                        help="root of the exercise folders, one per learner and database "
                        "(env MLQUIZ_WORKSPACE)")


def _app_parser() -> argparse.ArgumentParser:
    """The options of `mlquiz` itself, without the commands."""
    parser = argparse.ArgumentParser(
        prog="mlquiz",
        description="A terminal course and quiz engine. With no command, opens the app "
        "and resumes where you left off.",
    )
    parser.add_argument("--version", action="version", version=f"mlquiz {__version__}")
    _add_app_options(parser)
    parser.add_argument("--instructor", action="store_true",
                        help="show the room's live progress (with --db FILE)")
    return parser


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line parsed. Opening the app (no command word, no --help) skips building
    the commands' parsers, a few milliseconds of every start; anything else it does not
    take goes to the full parser, which also words the errors."""
    words = sys.argv[1:] if argv is None else list(argv)
    if not any(word in _COMMAND_MODULES or word in ("-h", "--help") for word in words):
        args, rest = _app_parser().parse_known_args(words)
        if not rest:
            args.command = None
            return args
    return build_parser().parse_args(words)


def build_parser() -> argparse.ArgumentParser:
    parser = _app_parser()
    common = argparse.ArgumentParser(add_help=False)
    _add_app_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", parents=[common], help="check course content; exit 1 if problems")
    p.add_argument("paths", nargs="*", type=Path, metavar="DIR",
                   help="course or module folders, or content files (default: the course)")

    p = sub.add_parser("schema", parents=[common], help="print the JSON Schema of the content files")
    p.add_argument("--file", choices=["course", "module", "lesson", "questions", "flashcards", "exercise"],
                   help="only the schema of one kind of file")

    p = sub.add_parser("exercises", parents=[common], help="hands-on exercises")
    ex = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ex.add_parser("list", parents=[common], help="every exercise and its state")
    for name, help_text in [("show", "instructions and files of one exercise"),
                            ("hint", "the next hint (recorded)"),
                            ("reset", "back to the starter files (old files kept as a backup)"),
                            ("solution", "the reference solution, after a pass")]:
        a = ex.add_parser(name, parents=[common], help=help_text)
        a.add_argument("id", help="exercise id (see `mlquiz exercises list`)")
        if name == "reset":
            a.add_argument("--yes", "-y", action="store_true", help="do not ask to confirm")
        if name == "solution":
            a.add_argument("--force", action="store_true", help="show it before passing (recorded)")
    a = ex.add_parser("check", parents=[common], help="run the hidden tests; exit 0 pass, 1 fail")
    a.add_argument("id", help="exercise id (see `mlquiz exercises list`)")
    a.add_argument("--json", action="store_true", help="print the result as JSON")
    a = ex.add_parser("watch", parents=[common], help="re-check on every save, move on when it passes")
    a.add_argument("id", nargs="?", help="exercise to start with (default: the first pending)")
    a = ex.add_parser("verify", parents=[common],
                      help="prove each exercise fails on its starter and passes on its solution")
    a.add_argument("ids", nargs="*", metavar="ID", help="exercises to verify (default: all)")

    p = sub.add_parser("study", parents=[common], help="one study mode of a module (--plain: line by line)")
    p.add_argument("module", metavar="MODULE", help="module id, as listed under modules: in course.yaml")
    p.add_argument("mode", metavar="MODE", help="deep_dive, buildup, myths, practice, test, "
                   "flashcards, pitfalls or cheat_sheet")
    p.add_argument("--plain", action="store_true", help="a plain line-by-line prompt (no full screen)")

    p = sub.add_parser("review", parents=[common], help="today's review")
    p.add_argument("--plain", action="store_true", help="a plain line-by-line prompt (no full screen)")
    p.add_argument("--limit", type=int, default=20, metavar="N",
                   help="at most this many items (default: 20)")

    p = sub.add_parser("progress", parents=[common], help="the learner's summary")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")

    p = sub.add_parser("export", parents=[common], help="the learner's event log")
    p.add_argument("--format", choices=["csv", "json"], default="json",
                   help="file format (default: json)")
    p.add_argument("--output", "-o", type=Path, metavar="FILE",
                   help="write to FILE instead of standard output")
    p.add_argument("--all", action="store_true", help="every learner in the database")

    p = sub.add_parser("report", parents=[common], help="instructor report over learner databases")
    p.add_argument("sources", nargs="+", metavar="DB",
                   help="databases (files or postgresql:// URLs) or exports")
    p.add_argument("--format", choices=["table", "csv", "json", "html"], default="table",
                   help="output format (default: table)")
    p.add_argument("--output", "-o", type=Path, metavar="FILE",
                   help="write to FILE instead of standard output")
    p.add_argument("--all-attempts", action="store_true",
                   help="item statistics over every finished test, not only each learner's first")

    p = sub.add_parser("serve", parents=[common], help="the app in a browser, one session per tab")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--code", metavar="CODE", help="workshop code learners must enter (required off loopback; "
                   "env MLQUIZ_WORKSHOP_CODE keeps it out of the process list)")
    p.add_argument("--public-url", metavar="URL", help="the address browsers use, when behind a proxy")
    p.add_argument("--instructor-code", metavar="CODE",
                   help="code of the instructor's tab at /instructor (live view, peer-instruction "
                   "votes); generated when not given; env MLQUIZ_INSTRUCTOR_CODE")
    p.add_argument("--allow-unsandboxed-checks", action="store_true",
                   help="run exercise checks even where the bubblewrap sandbox cannot start; "
                   "learners' code then runs with your rights on this machine")
    p.add_argument("--log", type=Path, metavar="FILE",
                   help="append every web request (and the server's log) to FILE; the console "
                   "shows only the addresses, the codes and warnings")

    from mlquiz.commands import db, live
    live.add_parser(sub, common)
    db.add_parser(sub, common)

    p = sub.add_parser("gift", parents=[common], help="Moodle GIFT questions in and out")
    g = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = g.add_parser("import", parents=[common], help="GIFT file -> validated YAML questions")
    a.add_argument("file", type=Path, help="the GIFT file to import")
    a.add_argument("--module", required=True, metavar="ID", help="module that gets the questions")
    a.add_argument("--output", "-o", type=Path, metavar="FILE",
                   help="YAML file to write (default: in the module folder)")
    a = g.add_parser("export", parents=[common], help="a module's questions as GIFT")
    a.add_argument("module", metavar="MODULE", help="module id, as listed under modules: in course.yaml")
    a.add_argument("--output", "-o", type=Path, metavar="FILE",
                   help="write to FILE instead of standard output")
    return parser


def resolve_settings(args: argparse.Namespace) -> argparse.Namespace:
    """Fill --course/--db/--learner/--workspace from the environment and defaults."""
    from mlquiz import paths

    args.course = Path(args.course) if getattr(args, "course", None) else paths.default_course_dir()
    from mlquiz.errors import MlquizError
    from mlquiz.progress.location import db_setting

    try:  # a file path or a postgresql:// URL, never a URL taken for a file name
        args.db = db_setting(getattr(args, "db", None))
    except MlquizError as error:
        print(f"mlquiz: {error}", file=sys.stderr)
        raise SystemExit(error.exit_code) from None
    # Stripped as the app's name field is, so "ada " names the same learner as "ada".
    given = getattr(args, "learner", None)
    args.learner_given = given is not None  # `--learner ""` is refused, an empty MLQUIZ_LEARNER ignored
    learner = given if given is not None else os.environ.get("MLQUIZ_LEARNER") or ""
    args.learner = learner.strip() or None
    args.workspace = (Path(args.workspace) if getattr(args, "workspace", None)
                      else paths.default_workspace_dir())
    return args


_COMMAND_MODULES = {
    None: "app", "validate": "validate", "schema": "validate", "exercises": "exercises",
    "study": "study", "review": "review", "progress": "progress", "export": "progress", "report": "report",
    "serve": "serve", "gift": "gift", "live": "live", "db": "db",
}


def _say_how_to_fix_the_course(error: Exception, args: argparse.Namespace) -> None:
    """After located content problems met by a learner's command, one line on what to do."""
    from mlquiz.content import ContentError

    if isinstance(error, ContentError) and args.command != "validate":
        count = len(error.problems)
        print(f"mlquiz: the course in {args.course} has {count} problem{'s' * (count != 1)} "
              f"(above); fix {'it' if count == 1 else 'them'} (check with `mlquiz validate {args.course}`) "
              "or pass another --course", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = resolve_settings(parse(argv))
    from mlquiz.terminal_text import printing_safely

    if args.command == "serve":  # its log is Rich's, already stripped of control codes, in colour
        return _run(args)
    # Names, answers and exercise output reach the terminal without control characters.
    data = getattr(args, "format", "table") != "table" or getattr(args, "json", False)
    with printing_safely(data=data or args.command == "schema"):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from mlquiz.errors import MlquizError

    try:
        if args.learner is not None or getattr(args, "learner_given", False):
            from mlquiz.progress.identity import check_learner_name

            args.learner = check_learner_name(args.learner)  # one line, exit 2, if unusable
        module = importlib.import_module(f"mlquiz.commands.{_COMMAND_MODULES[args.command]}")
        return int(module.run(args) or 0)
    except MlquizError as error:
        print(f"mlquiz: {error}" if "\n" not in str(error) else str(error), file=sys.stderr)
        _say_how_to_fix_the_course(error, args)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # the last net: one line, never a traceback
        if os.environ.get("MLQUIZ_DEBUG"):
            raise
        print(f"mlquiz: internal error: {type(error).__name__}: {error} "
              "(set MLQUIZ_DEBUG=1 to see where)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
