"""`mlquiz --instructor --db FILE`: the room's progress, refreshed while learners work.

>>> app = make_instructor_app(Path("room.db"), Path("course"))   # doctest: +SKIP
>>> app.run()                                                    # doctest: +SKIP

Every few seconds (and on r) a thread worker asks `mlquiz.workshop.live.LiveRoom`
for the room: the first read takes every event, later ones only the events
stored since, so a refresh costs what is new, not the size of the room. The
learners who may need help come first. e writes the full HTML report.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

REFRESH_SECONDS = 3.0


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "—"
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return moment.strftime("%Y-%m-%d")


def _help_lines(stuck, shown: int = 5) -> str:
    """'Needs help: eve: failed test_x 4 times in a row' lines, the first few of them."""
    lines = [f"Needs help: {l.name}: {l.stuck}" for l in stuck[:shown]]
    if len(stuck) > shown:
        lines.append(f"… and {len(stuck) - shown} more (marked ! below)")
    return "\n".join(lines)


class InstructorScreen(Screen[None]):
    DEFAULT_CSS = """
    #room-status { background: $panel; padding: 0 1; height: 1; }
    #room-note { padding: 0 1; color: $text-muted; height: auto; }
    #room-help { padding: 0 1; color: $warning; height: auto; max-height: 7; }
    #room-body { height: 1fr; padding: 0 1; }
    #room-body Label { text-style: bold; margin-top: 1; }
    #room-body DataTable { height: auto; max-height: 20; }
    """
    BINDINGS = [
        Binding("r", "refresh_now", "Refresh"),
        Binding("e", "export", "Export HTML"),
        Binding("v", "peer_instruction", "Vote (peer instruction)"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, db: Path, course=None, *, refresh_every: float = REFRESH_SECONDS,
                 export_dir: Path | None = None, live=None) -> None:
        """`live` is an open LiveRoom (the screen closes it); else one is opened on `db`."""
        super().__init__()
        from mlquiz.progress.location import parse_db

        self.db = parse_db(db)  # a Path, or a DatabaseURL (str() without the password)
        self.course = course
        self.refresh_every = refresh_every
        self.export_dir = export_dir
        self.live = live
        self.snapshot = None  # the last RoomView shown
        self.refreshes = 0
        self.last_export: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Room · {self.db} · reading…", id="room-status")
        yield Static("", id="room-note")
        yield Static("", id="room-help")
        with VerticalScroll(id="room-body"):
            yield Label("Learners (! may need help, ● active now)")
            yield DataTable(id="room-learners", cursor_type="row", zebra_stripes=True)
            yield Label("Hardest questions so far (first answers, any mode)", id="room-questions-title")
            yield DataTable(id="room-questions", cursor_type="row", zebra_stripes=True)
            yield Label("Exercises with the most failed checks")
            yield DataTable(id="room-exercises", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#room-learners", DataTable).add_columns(
            "Learner", "Now", "Where", "Last active", "Steps", "Best test", "Exercises passed")
        self.query_one("#room-questions", DataTable).add_columns(
            "Question", "Module", "Answered", "Facility", "Room fell for")
        self.query_one("#room-exercises", DataTable).add_columns(
            "Exercise", "Tried", "Passed", "Failed checks", "Most failed test")
        self.load_room()
        self.set_interval(self.refresh_every, self.load_room)

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.close()

    # --- reading (in a thread) -----------------------------------------------

    @work(thread=True, exclusive=True, group="room")
    def load_room(self) -> None:
        from mlquiz.errors import MlquizError
        from mlquiz.workshop.live import LiveRoom

        try:
            if self.live is None:
                self.live = LiveRoom.open(self.db, self.course)
            view = self.live.refresh()
        except MlquizError as error:  # e.g. the file was replaced by something else
            self.app.call_from_thread(self._show_problem, str(error))
            return
        self.app.call_from_thread(self._show, view)

    def _show_problem(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#room-note", Static).update(text)

    def _show(self, view) -> None:
        if not self.is_attached:  # a read that finished while the app was closing
            return
        self.snapshot = view
        self.refreshes += 1
        now = view.taken_at
        help_count = len(view.stuck)
        self.query_one("#room-status", Static).update(
            f"Room · {self.db.name} · {len(view.learners)} learners, {view.active_count} active "
            f"now, {help_count} may need help · {view.events} events · updated "
            f"{now.astimezone().strftime('%H:%M:%S')}")
        note = "Waiting for the first learner to join." if not view.learners else ""
        if self.last_export:
            note = (note + "  " if note else "") + f"Report written to {self.last_export}"
        self.query_one("#room-note", Static).update(note)
        self.query_one("#room-help", Static).update(_help_lines(view.stuck))
        self._fill("#room-learners", [
            (l.name, "!" if l.stuck else "●" if l.active_now else "", l.where,
             _ago(l.last_active, now), str(l.steps_seen), _percent(l.best_test),
             str(l.exercises_passed)) for l in view.learners])
        few = f"; {view.few_answers} more with fewer answers" if view.few_answers else ""
        self.query_one("#room-questions-title", Label).update(
            f"Hardest questions so far (first answers, any mode; at least {view.min_answers} "
            f"learners{few})")
        self._fill("#room-questions", [
            (q.id, q.module, str(q.answered), _percent(q.facility),
             f"{q.top_distractor} ({q.distractor_share:.0%})" if q.top_distractor else "—")
            for q in view.hardest])
        self._fill("#room-exercises", [
            (x.id, str(x.tried), str(x.passed), str(x.failed_checks), x.most_failed_test or "—")
            for x in view.exercises])

    def _fill(self, selector: str, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one(selector, DataTable)
        cursor = table.cursor_row
        table.clear()
        table.add_rows(rows)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))

    # --- keys --------------------------------------------------------------------

    def action_refresh_now(self) -> None:
        self.load_room()

    def action_export(self) -> None:
        stamp = datetime.now(timezone.utc).astimezone().strftime("%Y%m%d-%H%M%S")
        folder = self.export_dir or (self.db.resolve().parent if isinstance(self.db, Path)
                                     else Path.cwd())
        self.notify("Writing the report…", timeout=3)
        self.write_report(folder / f"{self.db.stem}-report-{stamp}.html")

    @work(thread=True, exclusive=True, group="export")
    def write_report(self, target: Path) -> None:
        """The full report reads the whole room once: off the screen's thread."""
        from mlquiz.workshop.live import export_html

        try:
            export_html(self.db, self.course, target)
        except OSError as error:
            self.app.call_from_thread(self.notify, f"Cannot write {target}: {error.strerror}",
                                      severity="error")
            return
        self.app.call_from_thread(self._exported, target)

    def _exported(self, target: Path) -> None:
        self.last_export = target
        if self.is_attached:
            self.query_one("#room-note", Static).update(f"Report written to {target}")
        self.notify(f"Report written to {target}", title="Exported", timeout=8)


    def action_peer_instruction(self) -> None:
        """The peer-instruction console on this room (mlquiz.tui.screens.peer_console)."""
        if self.course is None:
            self.notify("Peer instruction needs the course: pass --course DIR", severity="error")
            return
        from mlquiz.progress import ProgressStore
        from mlquiz.tui.screens.peer_console import PeerConsoleScreen

        store = getattr(self.app, "room_store", None)
        if store is None:  # one read-write store for this process (see docs/internals.md)
            store = self.app.room_store = ProgressStore.open(self.db)
            if self.live is not None:
                self.live.feed.use_store(store)  # the live view reads through it too
        self.app.push_screen(PeerConsoleScreen(store, self.course))


class InstructorApp(App):
    TITLE = "mlquiz · instructor"

    def __init__(self, db: Path, course=None, *, refresh_every: float = REFRESH_SECONDS,
                 export_dir: Path | None = None, live=None, gate=None) -> None:
        """`gate`: the server's instructor gate (a tab of `mlquiz serve` at /instructor),
        found in the environment when not given; the room opens once it takes the code."""
        super().__init__()
        self.room_screen = InstructorScreen(db, course, refresh_every=refresh_every,
                                            export_dir=export_dir, live=live)
        if gate is None:
            from mlquiz.workshop.gate import RemoteGate

            gate = RemoteGate.from_environment()
        self.gate = gate if gate is not None and gate.required else None

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if self.gate is None:
            self.push_screen(self.room_screen)
            return
        from mlquiz.tui.screens.instructor_code import InstructorCodeScreen

        self.push_screen(InstructorCodeScreen(self.gate), self._code_taken)

    def _code_taken(self, ok: bool | None) -> None:
        if ok:
            self.push_screen(self.room_screen)

    def on_unmount(self) -> None:
        store = getattr(self, "room_store", None)  # opened by the peer-instruction console
        if store is not None:
            store.close()


def make_instructor_app(db: Path, course_dir: Path | None = None, **options) -> InstructorApp:
    """The live view of the room in `db`; the course (if it loads) names the right options."""
    from mlquiz.content import load_course
    from mlquiz.errors import MlquizError

    course = None
    if course_dir is not None:
        try:
            course = load_course(Path(course_dir))
        except MlquizError:
            course = None  # the view still works from the events alone
    from mlquiz.progress.location import parse_db

    return InstructorApp(parse_db(db), course, **options)


def run(args) -> int:
    """`mlquiz --instructor --db FILE` (called by mlquiz.commands.app).

    A missing file, a folder or something that is not a room's database is one
    line and exit code 2, before the screen starts.
    """
    from mlquiz.errors import MlquizError
    from mlquiz.workshop.live import LiveRoom

    from mlquiz.progress.location import parse_db

    db = parse_db(args.db)
    try:
        live = LiveRoom.open(db)
    except MlquizError as error:
        print(f"mlquiz: {error}", file=sys.stderr)
        return error.exit_code
    app = make_instructor_app(db, getattr(args, "course", None), live=live)
    live.state.course = app.room_screen.course
    app.run()
    return int(app.return_code or 0)
