"""One exercise: instructions, the learner's files in an editor, checks, hints, the solution.

ctrl+s saves every file and runs the hidden tests in a worker thread (the
ExerciseService records exercise_run / exercise_passed); ctrl+g shows the next
hint ("hint N of M"); after a pass the reference solution appears beside the
code. ctrl+o hands the file to $EDITOR (the app is suspended) and checks on
return; where suspending is impossible (tests, the browser) the built-in
editor stays, with a notice. Unsaved edits are written when the screen closes.

The learner may also fix a file in their own editor while this screen is open.
The screen compares each file on disk with the text it last read or wrote
(`saved`): a file changed on disk is reloaded when its buffer here has no
edits of its own, and when both changed the learner is asked which to keep.
No save ever writes over a change it has not seen.

>>> app.push_screen(ExerciseScreen(ctx, "ml-technical-debt", ctx.exercises.open("training-serving-skew")))  # doctest: +SKIP
"""
from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from textual import work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Label, Static, TabbedContent, TabPane, TextArea

from mlquiz.errors import MlquizError
from mlquiz.tui.modes import mode
from mlquiz.tui.summary import place
from mlquiz.tui.widgets.check_results import CheckResults
from mlquiz.tui.widgets.text import TitleBar, md


def language_for(name: str) -> str | None:
    """'python' for .py files when the tree-sitter grammar is installed, else plain text."""
    if not name.endswith(".py"):
        return None
    try:
        from textual._tree_sitter import get_language

        return "python" if get_language("python") is not None else None
    except ImportError:  # pragma: no cover - textual without its syntax extra
        return None


def editor_command(path: Path) -> list[str]:
    """$VISUAL or $EDITOR (with its own arguments) and the file; vi when neither is set."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return [*shlex.split(editor), str(path)]


def editor_is_chosen() -> bool:
    """True when the learner named an editor ($VISUAL or $EDITOR)."""
    return bool(os.environ.get("VISUAL") or os.environ.get("EDITOR"))


class ConfirmReset(ModalScreen[bool]):
    """Asks before the learner's files go back to the starter (they are kept as a backup)."""

    BINDINGS = [Binding("y", "answer(True)", "Yes, reset"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.exercise_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-reset"):
            yield Static(f"Reset “{self.exercise_title}” to the starter files?\n"
                         "Your current files are kept in a backup folder.", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Reset (y)", id="confirm-yes", variant="error")
                yield Button("Keep my files (n)", id="confirm-no", variant="primary")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


class ExerciseScreen(Screen):
    """Opened with the `OpenedExercise` from `ctx.exercises.open(id)`; `file` resumes on a file."""

    CSS_PATH = [Path(__file__).parent.parent / "study.tcss",
                Path(__file__).parent.parent / "exercises.tcss"]
    BINDINGS = [
        Binding("escape", "back", "Back", priority=True),  # the editor would only move focus
        Binding("ctrl+s", "save_and_check", "Check"),
        Binding("ctrl+g", "hint", "Hint"),
        Binding("ctrl+n", "next_file", "File"),
        Binding("ctrl+o", "external_editor", "Editor"),
        Binding("ctrl+l", "solution", "Solution"),  # offered once every check passes
        Binding("f2", "toggle_task", "Task"),
        Binding("ctrl+r", "reset", "Reset", show=False),  # in help (f1); the Footer keeps Help at 80
        Binding("f1", "app.help", "Help"),  # ? types into the editor here
    ]

    def __init__(self, ctx, module_id: str, opened, file: str | None = None) -> None:
        super().__init__(classes="mode-screen exercise-screen")
        self.ctx = ctx
        self.module_id = module_id
        self.module = ctx.module(module_id)
        self.exercise = opened.exercise
        self.folder = opened.folder
        self.files = list(self.exercise.files)
        self.start_file = file if file in self.files else self.files[0]
        self.saved: dict[str, str] = {name: self._read(name) for name in self.files}
        self.solution_files: dict[str, str] | None = None
        self.editors: dict[str, TextArea] = {}  # kept after unmount, so the last edits can be saved
        self.checking = False
        self.stamps: dict[str, tuple[int, int] | None] = {n: self._stamp(n) for n in self.files}
        self.conflicts: set[str] = set()  # changed on disk and here: asked, never written blind
        self._asking = False

    @property
    def service(self):
        return self.ctx.exercises

    DISK_POLL_S = 1.0  # how often the files on disk are compared with the buffers

    def _stamp(self, name: str) -> tuple[int, int] | None:
        """(mtime_ns, size) of the file on disk; None when it cannot be read."""
        try:
            info = (self.folder / name).stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def _read(self, name: str) -> str:
        try:
            return self.service.read_file(self.exercise.id, name)
        except (MlquizError, OSError, UnicodeDecodeError):
            return ""  # shown empty; the check names the missing file and ctrl+r restores it

    # --- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="exercise-body"):
            with VerticalScroll(id="exercise-task"):
                yield md(self._task_markdown(), id="exercise-instructions")
            with Vertical(id="exercise-code"):
                with TabbedContent(id="exercise-files", initial=self._pane_id(self.start_file)):
                    for index, name in enumerate(self.files):
                        with TabPane(name, id=f"file-{index}"):
                            editor = TextArea.code_editor(self.saved[name], language=language_for(name),
                                                          id=f"editor-{index}",
                                                          classes="exercise-editor")
                            self.editors[name] = editor
                            yield editor
                with VerticalScroll(id="exercise-feedback"):
                    yield CheckResults(id="exercise-results")
                    yield md("", id="exercise-hints")
            with Vertical(id="exercise-solution"):
                yield Label("", id="solution-label")
                yield TextArea.code_editor("", read_only=True, id="solution-editor")
        yield Footer()

    def _task_markdown(self) -> str:
        e = self.exercise
        files = ", ".join(f"`{name}`" for name in e.files)
        return (f"## {e.title}\n\n**{e.difficulty}** · {e.debt}\n\nFiles: {files}\n\n"
                f"Your files live in `{self.folder}`: edit them here or in your own editor "
                f"(ctrl+o), then ctrl+s checks.\n\n{e.instructions}")

    def _pane_id(self, name: str) -> str:
        return f"file-{self.files.index(name)}"

    def on_mount(self) -> None:
        self.update_title()
        state = self.service.state(self.exercise.id)
        if state.state == "passed":
            self.query_one("#exercise-results", CheckResults).idle(
                "✓ This exercise passes. ctrl+l shows the reference solution; ctrl+s checks again.")
        elif state.last_summary:
            self.query_one("#exercise-results", CheckResults).idle(
                f"Last check: {state.last_summary}. ctrl+s saves and checks again.")
        self.show_hints()
        self.current_editor().focus()
        self.save_place()
        self.warm_up()
        self.set_interval(self.DISK_POLL_S, self.check_disk, name="disk-poll")

    # --- files changed on disk -----------------------------------------------------------

    def changed_on_disk(self) -> list[str]:
        """Files whose text on disk differs from what this screen last read or wrote."""
        changed = []
        for name in self.files:
            stamp = self._stamp(name)
            if stamp == self.stamps.get(name):
                continue
            self.stamps[name] = stamp
            if self._read(name) != self.saved[name]:
                changed.append(name)
        return changed

    def check_disk(self) -> list[str]:
        """Reload files changed on disk whose buffer is clean; ask about those edited here too.

        Returns the files left in conflict (not to be written until the learner decides).
        """
        if not self.is_attached:
            return sorted(self.conflicts)
        reloaded = []
        for name in self.changed_on_disk():
            editor = self.editor_for(name)
            if editor.text == self.saved[name] and name not in self.conflicts:
                self.saved[name] = self._read(name)
                editor.load_text(self.saved[name])
                reloaded.append(name)
            else:
                self.conflicts.add(name)
        if reloaded:
            self.notify(f"{', '.join(reloaded)} changed on disk (your own editor?): reloaded here.",
                        title="Reloaded", timeout=5)
            if self.solution_files is not None:
                self.show_solution_file()
        if self.conflicts and not self._asking:
            self._ask_about_conflict(sorted(self.conflicts)[0])
        return sorted(self.conflicts)

    def _ask_about_conflict(self, name: str) -> None:
        from mlquiz.tui.screens.ask import AskScreen

        self._asking = True
        self.app.push_screen(AskScreen(
            f"{name} changed on disk while you were editing it here.\n\n"
            "d: use the file on disk (your edits here are kept in a backup)\n"
            "w: keep the text here and write it over the file on disk\n"
            "escape: decide later (neither is written until you do)",
            [("d", "disk", "Use the file on disk"), ("w", "here", "Write mine over it"),
             ("escape", None, "Later")]), lambda answer: self._resolve_conflict(name, answer))

    def _resolve_conflict(self, name: str, answer) -> None:
        self._asking = False
        if answer == "disk":
            self._back_up_buffer(name)
            self.saved[name] = self._read(name)
            self.stamps[name] = self._stamp(name)
            self.editor_for(name).load_text(self.saved[name])
            self.conflicts.discard(name)
            self.notify(f"{name}: the file on disk is shown now.", timeout=4)
        elif answer == "here":
            self.saved[name] = self._read(name)  # seen: writing over it is now a choice
            self.conflicts.discard(name)
            self.save_all()
        else:
            self.notify(f"{name} is not saved until you choose (ctrl+s asks again).", timeout=5)
            return
        if self.conflicts:
            self._ask_about_conflict(sorted(self.conflicts)[0])

    def _back_up_buffer(self, name: str) -> Path | None:
        """Keep an edit that lost a conflict beside the workspace's other backups."""
        import time

        text = self.editor_for(name).text
        if text == self.saved[name]:
            return None
        backup = (self.folder.parent / ".backups" /
                  f"{self.exercise.id}-unsaved-{time.strftime('%Y%m%d-%H%M%S')}" / name)
        try:
            backup.parent.mkdir(parents=True, exist_ok=True)
            backup.write_text(text, encoding="utf-8")
        except OSError:
            return None
        return backup

    @work(thread=True, group="warm-up")
    def warm_up(self) -> None:
        """Start the grader's worker while the learner reads, so the first check is quick."""
        try:
            self.service.warm_up(self.exercise.id)
        except Exception:  # a cold check still works; warming is only an optimisation
            pass
        warning = self.service.warning  # checks without the sandbox: say so once, in one line
        if warning and self.is_attached:
            self.app.call_from_thread(self.notify, warning, severity="warning", timeout=12)

    def update_title(self) -> None:
        state = self.service.state(self.exercise.id).state
        self.query_one("#title-bar", Static).update(
            f"{state.capitalize()} · {self.exercise.title} · {self.exercise.difficulty} · "
            f"{self.module.title} › {mode('exercises').title}")

    def current_file(self) -> str:
        active = self.query_one("#exercise-files", TabbedContent).active or "file-0"
        return self.files[int(active.removeprefix("file-"))]

    def current_editor(self) -> TextArea:
        return self.editor_for(self.current_file())

    def editor_for(self, name: str) -> TextArea:
        return self.editors[name]

    def save_place(self) -> None:
        self.ctx.save_position(self.module_id, "exercises", place(self.exercise.id, self.current_file()))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.save_place()
        self.show_solution_file()
        self.current_editor().focus()

    def action_next_file(self) -> None:
        index = (self.files.index(self.current_file()) + 1) % len(self.files)
        self.query_one("#exercise-files", TabbedContent).active = f"file-{index}"

    def action_toggle_task(self) -> None:
        """Below 120 columns: swap the code for the instructions and back (beside it when wide)."""
        self.toggle_class("-show-task")
        if self.has_class("-show-task"):
            self.query_one("#exercise-task").focus()
        else:
            self.current_editor().focus()

    # --- saving and checking ---------------------------------------------------------

    def save_all(self, *, quiet: bool = False) -> bool:
        """Write every edited file to the workspace; False (with a notice) if one cannot be.

        A file changed on disk since it was read is never written over: a clean
        buffer takes the new text, an edited one waits for the learner's choice.
        """
        if quiet:  # closing: no question can be asked now, so a conflict keeps both
            for name in self.changed_on_disk():
                self.conflicts.add(name)
            for name in sorted(self.conflicts):
                self._back_up_buffer(name)
        elif self.check_disk():
            return False
        for name in self.files:
            text = self.editor_for(name).text
            if text == self.saved[name] or name in self.conflicts:
                continue
            try:
                self.service.save_file(self.exercise.id, name, text)
            except (MlquizError, OSError) as error:
                if not quiet:
                    self.notify(f"Cannot save {name}: {error}", severity="error")
                return False
            self.saved[name] = text
            self.stamps[name] = self._stamp(name)
        return True

    def action_save_and_check(self) -> None:
        if self.checking:
            self.notify("A check is already running.", timeout=2)
            return
        if not self.save_all():
            return
        self.checking = True
        self.query_one("#exercise-results", CheckResults).checking()
        self.run_check()

    @work(thread=True, exclusive=True, group="check")
    def run_check(self) -> None:
        """Run the hidden tests (a child process) off the event loop; the result comes back here."""
        def rechecking(done: int, total: int) -> None:
            if done < total:
                self._from_thread(self._show_recheck, done, total)

        try:
            outcome = self.service.check(self.exercise.id, on_recheck=rechecking)
        except MlquizError as error:
            self._from_thread(self.check_failed, str(error))
        except Exception as error:  # the app keeps running whatever the grader hit
            self._from_thread(self.check_failed, f"the check could not run: {error}")
        else:
            self._from_thread(self.show_outcome, outcome)

    def _from_thread(self, callback, *args) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed while the check ran; its events are saved
            pass

    def _show_recheck(self, done: int, total: int) -> None:
        if self.is_attached:
            self.query_one("#exercise-results", CheckResults).rechecking(done, total)

    def check_failed(self, message: str) -> None:
        self.checking = False
        if self.is_attached:
            self.query_one("#exercise-results", CheckResults).show_error(message)

    def show_outcome(self, outcome) -> None:
        self.checking = False
        if not self.is_attached:
            return
        result = outcome.result
        self.query_one("#exercise-results", CheckResults).show(result)
        self.query_one("#exercise-feedback", VerticalScroll).scroll_home(animate=False)
        self.update_title()
        if result.syntax_error is not None:
            self.jump_to(result.syntax_error)
        if outcome.back_to_pending:
            self.notify("These exercises no longer pass and are pending again: "
                        + ", ".join(outcome.back_to_pending), severity="warning", timeout=8)
        if not result.passed:
            return
        self.show_hints()  # no more "Stuck?" once it passes
        if outcome.newly_passed:
            after = f" Next: {outcome.next_exercise.title}." if outcome.next_exercise else ""
            where = ("in place of your code (ctrl+l switches between them)" if self.has_class("-narrow")
                     else "beside your code (ctrl+l hides it)")
            self.notify(f"All checks pass: the reference solution is {where}.{after}",
                        title=f"Passed · {self.exercise.title}", timeout=8)
        self.reveal_solution()

    def jump_to(self, problem) -> None:
        """Put the cursor on the line and column a syntax error names."""
        if problem.file not in self.files:
            return
        self.query_one("#exercise-files", TabbedContent).active = self._pane_id(problem.file)
        editor = self.editor_for(problem.file)
        editor.cursor_location = (max(problem.line - 1, 0), max(problem.col - 1, 0))
        editor.focus()

    # --- hints and the solution ----------------------------------------------------------

    def action_hint(self) -> None:
        try:
            hint = self.service.next_hint(self.exercise.id)
        except MlquizError as error:
            self.notify(str(error), severity="warning")
            return
        self.show_hints()
        self.query_one("#exercise-feedback", VerticalScroll).scroll_end(animate=False)
        if hint.is_last:  # next_hint has then shown (recorded) every hint
            self.notify(f"That was the last hint ({hint.label}).", timeout=3)

    def show_hints(self) -> None:
        hints = self.service.hints(self.exercise.id)
        total = len(self.exercise.hints)
        text = "\n\n".join(f"**Hint {h.number} of {h.total}:** {h.text}" for h in hints)
        if not hints and total and self.service.state(self.exercise.id).state != "passed":
            text = f"Stuck? ctrl+g shows a hint ({total} in all, from a nudge to nearly the answer)."
        self.query_one("#exercise-hints").update(text)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "solution":  # offered only once the exercise passes
            return self.solution_files is not None or self.service.can_see_solution(self.exercise.id)
        return True

    def action_solution(self) -> None:
        """ctrl+l: show or hide the reference solution; below 120 columns it takes the code's
        place, and ctrl+l switches between the two."""
        if self.has_class("-solution"):
            if self.has_class("-narrow"):
                self.toggle_class("-show-code")
                if self.has_class("-show-code"):
                    self.current_editor().focus()
            else:
                self.remove_class("-solution")
            return
        if not self.service.can_see_solution(self.exercise.id):
            self.notify("The reference solution opens once every check passes (ctrl+s).",
                        timeout=4)
            return
        self.reveal_solution()

    def reveal_solution(self) -> None:
        if self.solution_files is None:
            files = self.service.solution(self.exercise.id)  # records solution_revealed
            self.solution_files = {f.name: f.text for f in files}
        self.add_class("-solution")
        self.remove_class("-show-code")
        self.refresh_bindings()
        self.show_solution_file()

    def show_solution_file(self) -> None:
        if self.solution_files is None:
            return
        name = self.current_file()
        text = self.solution_files.get(name)
        self.query_one("#solution-label", Label).update(
            f"Reference solution · {name}" if text is not None else f"{name} is unchanged in the reference")
        solution = self.query_one("#solution-editor", TextArea)
        solution.language = language_for(name)
        solution.load_text(text if text is not None else self.saved[name])

    # --- $EDITOR and reset -------------------------------------------------------------------

    def action_external_editor(self) -> None:
        if not editor_is_chosen():
            from mlquiz.tui.screens.ask import confirm

            self.app.push_screen(confirm(
                "$EDITOR is not set, so your own editor would be vi (save and leave it with "
                ":wq). To use another, quit and start mlquiz with EDITOR set, e.g. "
                "EDITOR=nano mlquiz.\n\nOpen this file in vi now?", yes="Open vi",
                no="Stay in the built-in editor"),
                lambda yes: self._hand_over() if yes else self.current_editor().focus())
            return
        self._hand_over()

    def _hand_over(self) -> None:
        if not self.save_all():
            return
        name = self.current_file()
        command = editor_command(self.folder / name)
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to $EDITOR here (a browser or a test): "
                        "edit in the built-in editor and press ctrl+s to check.",
                        title="Built-in editor", severity="warning", timeout=6)
            self.current_editor().focus()
            return
        except OSError as error:
            self.notify(f"Cannot start {command[0]}: {error.strerror or error}. "
                        "Set $EDITOR, or edit here and press ctrl+s.", severity="error")
            return
        self.reload_files()
        self.action_save_and_check()

    def reload_files(self) -> None:
        """Show what is on disk now (after $EDITOR or a reset)."""
        self.conflicts.clear()
        for name in self.files:
            self.saved[name] = self._read(name)
            self.stamps[name] = self._stamp(name)
            editor = self.editor_for(name)
            if editor.text != self.saved[name]:
                editor.load_text(self.saved[name])

    def action_reset(self) -> None:
        self.app.push_screen(ConfirmReset(self.exercise.title), self._after_confirm)

    def _after_confirm(self, yes: bool | None) -> None:
        if not yes:
            return
        self.save_all(quiet=True)  # unsaved edits go into the backup too
        try:
            backup = self.service.reset(self.exercise.id)
        except MlquizError as error:
            self.notify(str(error), severity="error")
            return
        self.reload_files()
        self.query_one("#exercise-results", CheckResults).idle(
            "Back to the starter files. ctrl+s checks them.")
        self.remove_class("-solution")
        self.update_title()
        kept = f" Your files are kept in {backup}." if backup else ""
        self.notify(f"Reset to the starter files.{kept}", timeout=6)

    # --- leaving -----------------------------------------------------------------------

    def action_back(self) -> None:
        self.save_all()
        self.ctx.save_position(self.module_id, "exercises", None)
        self.app.pop_screen()

    def on_unmount(self) -> None:
        self.save_all(quiet=True)  # quitting never loses an edit
