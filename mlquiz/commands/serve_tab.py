"""What the zygote of `mlquiz serve` preloads, and what each forked tab runs.

>>> Zygote.start("mlquiz.commands.serve_tab:preload", "mlquiz.commands.serve_tab:run_tab",
...              env)                                                   # doctest: +SKIP

`preload()` imports what a tab needs up to its first screen (Textual, the
web driver, the app and its first screens, the course from the content
cache), so each forked tab starts with them in shared pages. `run_tab(argv)`
is `mlquiz --db D --course C --workspace W` in the child: the app command,
with its errors as one line, as `python -m mlquiz` would run it.
"""
from __future__ import annotations

import os
from pathlib import Path

PRELOAD_COURSE_ENV = "MLQUIZ_PRELOAD_COURSE"


def preload() -> None:
    import textual.app  # noqa: F401
    import textual.drivers.web_driver  # noqa: F401
    import textual.widgets  # noqa: F401

    import mlquiz.commands.app  # noqa: F401
    import mlquiz.tui.screens.home  # noqa: F401
    import mlquiz.tui.screens.profile  # noqa: F401
    from mlquiz.tui import app

    course = os.environ.pop(PRELOAD_COURSE_ENV, None)
    if course:
        try:
            app._load_course(Path(course))  # imports what unpickling the course needs
        except Exception:  # noqa: BLE001 - a tab reports a broken course itself
            pass
    _warm_widgets()


def _warm_widgets() -> None:
    """Widgets load their module on first attribute access; touch the ones a tab draws first."""
    from textual import widgets

    for name in ("Button", "Footer", "Header", "Input", "Label", "Static", "DataTable",
                 "ProgressBar", "Markdown", "OptionList", "ListView"):
        getattr(widgets, name, None)


def run_tab(argv: list[str]) -> int:
    """`argv` is what `_tab_argv` in commands/serve.py builds: --db, --course, --workspace."""
    import sys
    from argparse import Namespace

    from mlquiz.commands import app
    from mlquiz.errors import MlquizError

    options = dict(zip(argv[0::2], argv[1::2]))
    args = Namespace(db=Path(options["--db"]), course=Path(options["--course"]),
                     workspace=Path(options["--workspace"]), learner=None, start=None,
                     instructor=False)
    try:
        return int(app.run(args) or 0)
    except MlquizError as error:
        print(f"mlquiz: {error}", file=sys.stderr)
        return error.exit_code
    except Exception as error:  # the last net: one line, never a traceback
        if os.environ.get("MLQUIZ_DEBUG"):
            raise
        print(f"mlquiz: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
