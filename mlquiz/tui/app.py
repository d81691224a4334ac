"""The Textual app: `make_app` builds the domain objects, `MlquizApp` shows them.

>>> app = make_app(Path("course"), Path("/tmp/p.db"), "ada", Path("/tmp/ws"))  # doctest: +SKIP
>>> app.run()  # doctest: +SKIP

Only what the home screen needs is imported here; every study mode is
imported when it is opened (see `mlquiz.tui.modes`).
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Callable

from textual.app import App
from textual.binding import Binding

from mlquiz.tui.context import AppContext, utc_now
from mlquiz.tui.modes import is_mode, load_screen

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
MIN_WIDTH, MIN_HEIGHT = 60, 20


def make_app(course_dir: Path, db_path: Path, learner: str | None, workspace: Path,
             clock: Callable[[], datetime] | None = None, *, start: str | None = None,
             seed: int | None = None, served: bool = False) -> MlquizApp:
    """Load the course, open the store and build the app; raises MlquizError on bad input.

    With `learner=None` the app opens as the learner last chosen in the app for this
    database (`progress.identity.app_learner`), else its only learner; on a fresh database
    the welcome screen asks for a name, with several learners and no choice the app asks
    which. A `learner` given here is this run's only: it changes no default. `workspace` is
    the root under which each learner of each database has a folder of their own. Tests
    pass a fixed `clock` (which also turns off the scheduler's fuzz) and a `seed` for test
    picks. `served=True` (a browser tab of `mlquiz serve`) starts on the profile screen instead.
    """
    from mlquiz.progress import ProgressStore
    from mlquiz.progress.identity import app_learner

    course = _load_course(Path(course_dir))
    store = ProgressStore.open(db_path)  # a file path or a postgresql:// URL
    if served:
        name = None
    elif learner:
        found = store.learner(learner)
        name = found.name if found else learner  # 'eve' opens as the 'Eve' first typed
    else:
        name = app_learner(store)
    ctx = AppContext(course=course, store=store, learner="", workspace=Path(workspace),
                     workspace_root=Path(workspace), clock=clock or utc_now,
                     review_fuzz=clock is None, seed=seed)
    if name:
        ctx.use_learner(name)
    return MlquizApp(ctx, start=start, served=served)


def _load_course(course_dir: Path):
    """The course from the content cache when it is fresh (no YAML parser imported),
    else parsed and checked by `mlquiz.content.load_course`."""
    from mlquiz.content import cache

    cached = cache.read(course_dir) if (course_dir / "course.yaml").is_file() else None
    if cached is not None:
        return cached
    from mlquiz.content import load_course

    return load_course(course_dir)


def _course_palette():
    from mlquiz.tui.palette import CoursePalette

    return CoursePalette


def _learner_palette():
    from mlquiz.tui.screens.learners import LearnerCommands

    return LearnerCommands


# What a local app offers before it knows who is learning (welcome, the learner list).
_WITHOUT_LEARNER = frozenset({"quit", "help", "toggle_theme"})


class MlquizApp(App):
    """Home -> module page -> one of ten study modes; everything is saved as it happens."""

    TITLE = "mlquiz"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        # In help and on the welcome screen, not the Footer: at 80 columns it pushed Help off.
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, ctx: AppContext, *, start: str | None = None, served: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.start = start
        self.served = served
        self.room_watch = None  # mlquiz.tui.room_watch.RoomWatch, once a learner is known
        self._room_watch_due = False
        self.adopted: str | None = None  # the line saying shared exercise folders were moved
        # Callables: the palette modules are imported on the first ctrl+p.
        self.COMMANDS = App.COMMANDS | {_course_palette, _learner_palette}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A served tab is a gate until a name (and code) is accepted: no palette, no key of
        the app. A local app without a learner yet offers only quit, help and theme."""
        if self.ctx.learner:
            return not (self.served and action == "switch_learner")  # a tab is one learner
        return not self.served and action in _WITHOUT_LEARNER

    def action_command_palette(self) -> None:
        if self.ctx.learner:  # also a click on the Footer's palette key
            super().action_command_palette()

    # --- start -------------------------------------------------------------

    def on_mount(self) -> None:
        if self.served and not self.ctx.learner:  # a browser tab: name (and code) first
            from mlquiz.tui.screens.profile import ProfileScreen

            self.theme = DARK_THEME
            self.push_screen(ProfileScreen(self.ctx), lambda _name: self.on_mount())
            self.call_after_refresh(self._signal_ready)
            return
        if self.ctx.learner:
            self._begin_session_soon()
            self.theme = self.ctx.setting("theme", DARK_THEME) or DARK_THEME
        else:
            self.theme = DARK_THEME
        from mlquiz.progress.identity import people
        from mlquiz.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen(self.ctx))
        if not self.ctx.learner and len(people(self.ctx.store)) > 1:
            from mlquiz.tui.screens.learners import LearnerScreen

            self.push_screen(LearnerScreen(self.ctx, asking=True), self._after_first_pick)
        elif not self.ctx.learner or self.ctx.setting("welcomed") != "yes":
            from mlquiz.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.ctx), self._after_welcome)
        elif self.start:
            self.open_screen(self._start_module(), self._take_start())
        self.call_after_refresh(self._signal_ready)

    def _begin_session(self) -> None:
        self.ctx.ensure_session()
        self._watch_room_soon()
        self._adopt_soon()

    def _adopt_soon(self) -> None:
        """After the first frame, in a thread: old shared exercise folders go to their learner."""
        if self.ctx.workspace_root is not None:
            # Behind the first frame's callbacks (the ready signal among them), as the room watch.
            self.call_after_refresh(self.call_later, self.run_worker, self._adopt, thread=True,
                                    group="adopt", exit_on_error=False)

    def _adopt(self) -> None:
        note = self.ctx.adopt_shared_folders()
        if note:
            self.adopted = note
            self.call_from_thread(self.notify, note[0].upper() + note[1:] + ".",
                                  title="Exercise files", timeout=20, markup=False)

    def _watch_room_soon(self) -> None:
        """After the first frame: the room's peer-instruction votes appear over any screen."""
        if not self._room_watch_due:
            self._room_watch_due = True
            # call_later queues it behind the first frame's other callbacks (the ready
            # signal among them): its import and first poll are not paid before keys work.
            self.call_after_refresh(self.call_later, self._watch_room)

    def _watch_room(self) -> None:
        from mlquiz.tui.room_watch import RoomWatch

        if self.room_watch is None and self.ctx.learner:
            self.room_watch = RoomWatch(self)
            self.room_watch.start()

    def _begin_session_soon(self) -> None:
        """Start the session after the first frame, in a thread: its commit waits for the
        disk, and the home screen does not need the id (anything that does waits for it)."""
        self.call_after_refresh(self.run_worker, self.ctx.ensure_session, thread=True,
                                group="session", exit_on_error=False)
        self._watch_room_soon()
        self._adopt_soon()

    def learner_chosen(self, name: str) -> None:
        """Study as `name`, chosen in the app (welcome, learner list, a served tab's name).

        Outside `mlquiz serve` the choice is remembered for this database in the user's
        config folder: the next start opens as `name`."""
        self.ctx.use_learner(name)
        if not self.served:
            from mlquiz.progress.identity import remember_choice

            remember_choice(self.ctx.store, name)
        self._begin_session()
        self.theme = self.ctx.setting("theme", self.theme) or self.theme
        self.refresh_bindings()

    def _after_first_pick(self, name: str | None) -> None:
        """The learner list at start (several learners, none chosen) has its answer."""
        if not name:
            return
        self.learner_chosen(name)
        if self.ctx.setting("welcomed") != "yes":
            from mlquiz.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.ctx), self._after_welcome)
            return
        self._after_welcome()

    def action_switch_learner(self) -> None:
        """Home's `l` and the palette: the learner list; picking one studies as them."""
        from mlquiz.tui.screens.learners import LearnerScreen

        if not self.served and not isinstance(self.screen, LearnerScreen):
            self.push_screen(LearnerScreen(self.ctx), self.switch_learner)

    def switch_learner(self, name: str | None) -> None:
        """Study as `name` from home (remembered); the welcome first for someone new."""
        if not name or self.served:
            return
        self._pop_to_home()
        if name != self.ctx.learner:
            self.learner_chosen(name)
            self.notify(f"Studying as {name}.", timeout=3, markup=False)
        if self.ctx.setting("welcomed") != "yes":
            from mlquiz.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.ctx), self._after_welcome)
            return
        refresh = getattr(self.screen, "refresh_summary", None)
        if refresh:
            refresh()

    def _after_welcome(self, _result: object = None) -> None:
        self.ctx.set_setting("welcomed", "yes")
        home = self.screen
        refresh = getattr(home, "refresh_summary", None)
        if refresh:
            refresh()
        if self.start:
            self.open_screen(self._start_module(), self._take_start())

    def _take_start(self) -> str:
        """The mode asked for on the command line, once (not again after a learner switch)."""
        start, self.start = self.start, None
        return start

    def _start_module(self) -> str:
        from mlquiz.tui.summary import current_module

        return current_module(self.ctx).id

    def _signal_ready(self) -> None:
        """The first screen can take keys; the startup bench waits for this."""
        marker = os.environ.get("MLQUIZ_BENCH_READY_FILE")
        if marker:
            import time

            Path(marker).write_text(f"ready {time.time():.6f}")  # the bench reads the moment
        if os.environ.get("MLQUIZ_BENCH_EXIT_ON_READY") == "1":
            self.exit()

    # --- navigation ----------------------------------------------------------

    def open_module(self, module_id: str) -> None:
        """Show the module page (its ten modes) on top of home."""
        from mlquiz.tui.screens.module import ModuleScreen

        self._pop_to_home()
        self.push_screen(ModuleScreen(self.ctx, module_id))

    def open_screen(self, module_id: str, screen: str, item: str | None = None) -> None:
        """Open a mode (or the module page, or progress) of a module, resuming on `item`."""
        if self.ctx.course.module(module_id) is None:
            self.notify(f"There is no module {module_id!r} in this course.", severity="error")
            return
        if screen == "module":
            self.open_module(module_id)
            return
        if screen == "progress":
            self.action_progress()
            return
        if not is_mode(screen):
            self.notify(f"There is no screen called {screen!r}.", severity="error")
            return
        screen_class = load_screen(screen)
        from mlquiz.tui.screens.module import ModuleScreen

        self._pop_to_home(keep_module=module_id)
        if not (isinstance(self.screen, ModuleScreen) and self.screen.module_id == module_id):
            self.push_screen(ModuleScreen(self.ctx, module_id))
        self.push_screen(screen_class(self.ctx, module_id, item))

    def _pop_to_home(self, keep_module: str | None = None) -> None:
        """Pop study screens; with `keep_module`, stop at that module's page."""
        from mlquiz.tui.screens.home import HomeScreen
        from mlquiz.tui.screens.module import ModuleScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            if isinstance(self.screen, ModuleScreen) and self.screen.module_id == keep_module:
                return
            self.pop_screen()

    def action_go_home(self) -> None:
        self._pop_to_home()
        refresh = getattr(self.screen, "refresh_summary", None)
        if refresh:
            refresh()

    def action_progress(self) -> None:
        from mlquiz.tui.screens.progress import ProgressScreen

        if not isinstance(self.screen, ProgressScreen):
            self.push_screen(ProgressScreen(self.ctx))

    def action_help(self) -> None:
        from mlquiz.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME
        if self.ctx.learner:
            self.ctx.set_setting("theme", self.theme)
        self.notify(f"Theme: {'light' if self.theme == LIGHT_THEME else 'dark'}", timeout=2)

    # --- size guard ----------------------------------------------------------

    def on_resize(self, event) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        # By name, so a terminal of a good size (every start) never imports the screen.
        showing = type(self.screen).__name__ == "TooSmallScreen"
        if small and not showing:
            from mlquiz.tui.screens.too_small import TooSmallScreen

            self.push_screen(TooSmallScreen())
        elif not small and showing:
            self.pop_screen()

    # --- end -----------------------------------------------------------------

    async def action_quit(self) -> None:
        self.exit()

    def on_unmount(self) -> None:
        self.ctx.close()
        with self.ctx._session_lock:  # a session starting in its worker gets its end too
            pass
        if self.ctx.session_id is not None:
            try:
                self.ctx.store.end_session(self.ctx.session_id)
            except Exception:  # the events are already committed; closing is best effort
                pass
