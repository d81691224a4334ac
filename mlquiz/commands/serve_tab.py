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
    course = os.environ.pop(PRELOAD_COURSE_ENV, None)
    _warm_widgets()
    _share_parsed_css()
    if course:
        try:
            _warm_up(Path(course))
        except Exception:  # noqa: BLE001 - a tab reports a broken course itself
            pass


def _warm_up(course: Path) -> None:
    """Run one tab to its first screen, headless, on a throwaway database.

    Textual parses selectors and styles through caches and imports parts on first
    use; a run fills them once here instead of in every forked tab (a warm tab costs
    about a third of a cold one). Nothing of the run is left: no thread, no open file.
    """
    import tempfile
    import threading

    from mlquiz.tui.app import make_app

    saved = dict(os.environ)
    os.environ.update(MLQUIZ_SERVED="1", MLQUIZ_BENCH_EXIT_ON_READY="1")
    os.environ.pop("MLQUIZ_BENCH_READY_FILE", None)
    try:
        with tempfile.TemporaryDirectory(prefix="mlquiz-launcher-") as folder:
            warm = make_app(course, Path(folder) / "warm.db", None, Path(folder) / "ws",
                            served=True)
            warm.run(headless=True, size=(120, 40))
            for thread in threading.enumerate():
                if thread is not threading.main_thread():
                    thread.join(5)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _share_parsed_css() -> None:
    """Every Stylesheet made with the same CSS variables starts from one parse cache.

    Textual keeps parsed CSS per Stylesheet, keyed by the CSS text but not by the
    variables (it clears the cache when they change). Keyed by the variables too,
    the warm-up's parses serve each forked tab, which would otherwise parse the
    same sources again (a third of a warm tab's CPU). Only the zygote does this.
    """
    from textual.cache import LRUCache
    from textual.css.stylesheet import Stylesheet

    caches: dict[tuple, tuple[LRUCache, LRUCache]] = {}
    original_init, original_set = Stylesheet.__init__, Stylesheet.set_variables

    def use_shared(sheet: Stylesheet) -> None:
        key = tuple(sorted(sheet._variables.items()))
        if key not in caches:
            caches[key] = (LRUCache(256), LRUCache(1024 * 4))
        sheet._parse_cache, sheet._style_parse_cache = caches[key]

    def init(self, *args, **kwargs) -> None:
        original_init(self, *args, **kwargs)
        use_shared(self)

    def set_variables(self, variables) -> None:
        self._parse_cache, self._style_parse_cache = LRUCache(1), LRUCache(1)  # cleared, not ours
        original_set(self, variables)
        use_shared(self)

    Stylesheet.__init__, Stylesheet.set_variables = init, set_variables


def _warm_widgets() -> None:
    """Widgets load their module on first attribute access; touch the ones a tab draws first."""
    from textual import widgets

    for name in ("Button", "Footer", "Header", "Input", "Label", "Static", "DataTable",
                 "ProgressBar", "Markdown", "OptionList", "ListView"):
        getattr(widgets, name, None)


def run_tab(argv: list[str]) -> int:
    """`argv` is what `_tab_argv` in commands/serve.py builds: --db, --course, --workspace,
    and --instructor for the instructor's tab."""
    import sys
    from argparse import Namespace

    from mlquiz.commands import app
    from mlquiz.errors import MlquizError

    instructor = "--instructor" in argv  # the instructor's tab (/instructor)
    pairs = [part for part in argv if part != "--instructor"]
    options = dict(zip(pairs[0::2], pairs[1::2]))
    from mlquiz.progress.location import parse_db

    args = Namespace(db=parse_db(options["--db"]), course=Path(options["--course"]),
                     workspace=Path(options["--workspace"]), learner=None, start=None,
                     instructor=instructor)
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
