"""`mlquiz --instructor --db FILE`: the room's progress, refreshed while learners work.

>>> app = make_instructor_app(Path("room.db"), Path("course"))   # doctest: +SKIP
>>> app.run()                                                    # doctest: +SKIP

Every few seconds (and on r) a thread worker reads the database read-only
through `mlquiz.workshop.live`; the tables are redrawn when it is done, so
the screen never waits on the disk. e writes the full HTML report.
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


class InstructorScreen(Screen[None]):
    DEFAULT_CSS = """
    #room-status { background: $panel; padding: 0 1; height: 1; }
    #room-note { padding: 0 1; color: $text-muted; height: auto; }
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
                 export_dir: Path | None = None) -> None:
        super().__init__()
        self.db = Path(db)
        self.course = course
        self.refresh_every = refresh_every
        self.export_dir = export_dir
        self.snapshot = None
        self.refreshes = 0
        self.last_export: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Room · {self.db} · reading…", id="room-status")
        yield Static("", id="room-note")
        with VerticalScroll(id="room-body"):
            yield Label("Learners")
            yield DataTable(id="room-learners", cursor_type="row", zebra_stripes=True)
            yield Label("Hardest questions so far (first answers, any mode)")
            yield DataTable(id="room-questions", cursor_type="row", zebra_stripes=True)
            yield Label("Exercises with the most failed checks")
            yield DataTable(id="room-exercises", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#room-learners", DataTable).add_columns(
            "Learner", "Now", "Steps seen", "Best test", "Exercises passed", "Last active")
        self.query_one("#room-questions", DataTable).add_columns(
            "Question", "Module", "Answered", "Facility", "Room fell for")
        self.query_one("#room-exercises", DataTable).add_columns(
            "Exercise", "Tried", "Passed", "Failed checks", "Most failed test")
        self.load_room()
        self.set_interval(self.refresh_every, self.load_room)

    # --- reading (in a thread) -----------------------------------------------

    @work(thread=True, exclusive=True, group="room")
    def load_room(self) -> None:
        from mlquiz.errors import MlquizError
        from mlquiz.workshop.live import room_snapshot

        try:
            snapshot = room_snapshot(self.db, self.course)
        except MlquizError as error:  # e.g. the room's database is not there yet
            self.app.call_from_thread(self._show_problem, str(error))
            return
        self.app.call_from_thread(self._show, snapshot)

    def _show_problem(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#room-note", Static).update(text)

    def _show(self, snap) -> None:
        if not self.is_attached:  # a read that finished while the app was closing
            return
        self.snapshot = snap
        self.refreshes += 1
        now = snap.taken_at
        self.query_one("#room-status", Static).update(
            f"Room · {self.db.name} · {len(snap.learners)} learners, {snap.active_count} active "
            f"now · {snap.events} events · updated {now.astimezone().strftime('%H:%M:%S')}")
        note = "; ".join(snap.warnings) if snap.warnings else (
            "Waiting for the first learner to join." if not snap.learners else "")
        if self.last_export:
            note = (note + "  " if note else "") + f"Report written to {self.last_export}"
        self.query_one("#room-note", Static).update(note)
        self._fill("#room-learners", [
            (l.name, "●" if l.active_now else "", str(l.steps_seen), _percent(l.best_test),
             str(l.exercises_passed), _ago(l.last_active, now)) for l in snap.learners])
        self._fill("#room-questions", [
            (q.id, q.module, str(q.answered), _percent(q.facility),
             f"{q.top_distractor} ({q.distractor_share:.0%})" if q.top_distractor else "—")
            for q in snap.hardest])
        self._fill("#room-exercises", [
            (x.id, str(x.tried), str(x.passed), str(x.failed_checks), x.most_failed_test or "—")
            for x in snap.exercises])

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
        from mlquiz.workshop.live import export_html

        if self.snapshot is None:
            self.notify("Nothing read yet; try again in a moment.", severity="warning")
            return
        stamp = datetime.now(timezone.utc).astimezone().strftime("%Y%m%d-%H%M%S")
        folder = self.export_dir or self.db.resolve().parent
        target = folder / f"{self.db.stem}-report-{stamp}.html"
        try:
            export_html(self.snapshot, target)
        except OSError as error:
            self.notify(f"Cannot write {target}: {error.strerror}", severity="error")
            return
        self.last_export = target
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
        self.app.push_screen(PeerConsoleScreen(store, self.course))


class InstructorApp(App):
    TITLE = "mlquiz · instructor"

    def __init__(self, db: Path, course=None, *, refresh_every: float = REFRESH_SECONDS,
                 export_dir: Path | None = None) -> None:
        super().__init__()
        self.room_screen = InstructorScreen(db, course, refresh_every=refresh_every,
                                            export_dir=export_dir)

    def on_mount(self) -> None:
        self.theme = "textual-dark"
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
    return InstructorApp(Path(db), course, **options)


def run(args) -> int:
    """`mlquiz --instructor --db FILE` (called by mlquiz.commands.app)."""
    db = Path(args.db)
    if db.exists() and db.is_dir():
        print(f"mlquiz: {db} is a folder; pass the room's database file with --db",
              file=sys.stderr)
        return 2
    app = make_instructor_app(db, getattr(args, "course", None))
    app.run()
    return int(app.return_code or 0)
