"""Test this pattern: ten questions, no hints, a verdict per difficulty and the steps to revisit.

With certainty on (t), each answer takes a certainty 1-3 and the result adds
the certainty-based mark. A test left half way resumes on the same question.

>>> app.push_screen(TestScreen(ctx, "ml-technical-debt"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, Static

from mlquiz.content.models import index_of
from mlquiz.tui.screens.base import ModeScreen, choice_bindings
from mlquiz.tui.widgets.choices import ChoiceList
from mlquiz.tui.widgets.text import TitleBar, md

CERTAINTY_WORDS = {1: "not sure", 2: "fairly sure", 3: "certain"}


class TestScreen(ModeScreen):
    __test__ = False  # not a pytest class
    MODE_KEY = "test"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        Binding("enter,s", "start", "Start"),
        Binding("t", "toggle_certainty", "Certainty"),
        *choice_bindings(4, digits=False),
        Binding("1", "certainty(1)", "Sure 1-3", key_display="1-3"),
        Binding("2", "certainty(2)", show=False),
        Binding("3", "certainty(3)", show=False),
        Binding("r", "retake", "New test"),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.session = None
        self.pending: str | None = None  # letter picked, waiting for a certainty
        self.use_certainty = ctx.setting("test_certainty", "off") == "on"
        self._resume_id = item

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield VerticalScroll(id="test")
        yield Footer()

    async def show_first(self) -> None:
        if self._resume_id and self._restore(self._resume_id):
            await self._show()
        else:
            await self.show_intro()

    # --- state -----------------------------------------------------------------

    def check_action(self, action: str, parameters) -> bool | None:
        """The Footer shows only the keys that do something at this moment."""
        session = self.session
        if action in ("start", "toggle_certainty"):
            return session is None
        if action == "choose":
            return session is not None and not session.done
        if action == "certainty":
            return self.pending is not None
        if action == "retake":
            return session is not None and session.done
        return True

    def _restore(self, test_id: str) -> bool:
        """Rebuild an unfinished or finished test from its events; False if unknown."""
        from mlquiz.quiz.test_session import TestSession

        events = self.ctx.store.events(self.ctx.learner, module=self.module_id)
        started = next((e for e in events if e.kind == "test_started"
                        and (e.detail or {}).get("test_id") == test_id), None)
        if started is None:
            return False
        questions = [self.module.question(q) for q in started.detail.get("questions", [])]
        if not questions or any(q is None for q in questions):
            return False
        session = TestSession(self.module, questions, recorder=None, test_id=test_id)
        for e in events:
            detail = e.detail or {}
            if e.kind == "question_answered" and detail.get("test_id") == test_id and e.answer:
                if session.answer_of(e.item) is None:
                    session.answer(e.item, e.answer, certainty=detail.get("certainty"))
        finished = any(e.kind == "test_finished" and (e.detail or {}).get("test_id") == test_id
                       for e in events)
        if not finished:  # a finished test was recorded already: never record it twice
            session.recorder = self.ctx.recorder
        self.session = session
        return True

    def action_toggle_certainty(self) -> None:
        if self.session is not None and not self.session.done and self.session.answered:
            self.notify("Certainty can be changed before a test starts.", timeout=3)
            return
        self.use_certainty = not self.use_certainty
        self.ctx.set_setting("test_certainty", "on" if self.use_certainty else "off")
        self.notify(f"Certainty {'on: give 1-3 with each answer' if self.use_certainty else 'off'}",
                    timeout=3)
        intro = self.query("#test-intro")
        if intro:
            intro.first(Static).update(self._intro_text())

    # --- screens ---------------------------------------------------------------

    async def show_intro(self) -> None:
        self.session = None
        self.pending = None
        self.refresh_bindings()
        self.query_one("#title-bar", Static).update(self.title_text("ready"))
        body = self.query_one("#test", VerticalScroll)
        await body.remove_children()
        await body.mount(Static(self._intro_text(), id="test-intro"))
        self.save_place(None)

    def _intro_text(self) -> str:
        from mlquiz.quiz.test_session import TEST_LENGTH

        n = min(TEST_LENGTH, len(self.module.questions))
        certainty = ("on — you will say how sure you are (1-3) with each answer; "
                     "a confident wrong answer costs marks" if self.use_certainty else "off")
        return (f"[b]Test this pattern[/b]  ★ Recommended\n\n"
                f"{n} questions across easy, medium and hard. No hints; the score comes at "
                f"the end, with a verdict per difficulty and the step to revisit for each miss."
                f"\n\nCertainty: {certainty} (t toggles)\n\nPress enter to start.")

    async def action_start(self) -> None:
        if self.session is not None:
            return
        from mlquiz.quiz.test_session import TestSession, pick_test_questions, seen_question_ids

        seen = seen_question_ids(self.ctx.store.events(self.ctx.learner, module=self.module_id))
        questions = pick_test_questions(self.module, seen, rng=self.ctx.seed)
        if not questions:
            self.notify("This module has no questions yet.", severity="warning")
            return
        self.session = TestSession(self.module, questions, recorder=self.ctx.recorder)
        await self._show()

    async def _show(self) -> None:
        session = self.session
        self.pending = None
        self.refresh_bindings()
        if session.done:
            await self.show_result()
            return
        question = session.current
        self.query_one("#title-bar", Static).update(self.title_text(
            f"question {session.answered + 1} of {len(session.questions)} · {question.difficulty}"))
        body = self.query_one("#test", VerticalScroll)
        await body.remove_children()
        how = "a-d, then 1-3 for how sure you are" if self.use_certainty else "a-d"
        await body.mount(Label(f"Answer with {how}. No hints in a test.", classes="prompt-label"),
                         md(question.stem, id="question-stem"),
                         ChoiceList(question.options, id="options"),
                         Static("", id="certainty-prompt"))
        body.scroll_home(animate=False)
        self.save_place(session.test_id)

    async def action_choose(self, choice: str) -> None:
        session = self.session
        if session is None or session.done:
            return
        question = session.current
        if index_of(choice) >= len(question.options):
            return
        if self.use_certainty:
            self.pending = choice
            self.refresh_bindings()
            self.query_one("#options", ChoiceList).select(choice)
            self.query_one("#certainty-prompt", Static).update(
                f"You picked {choice}. How sure are you? "
                "1 not sure · 2 fairly sure · 3 certain")
            return
        await self._commit(choice, None)

    async def action_certainty(self, level: int) -> None:
        if self.session is None or self.session.done or self.pending is None:
            return
        await self._commit(self.pending, level)

    async def _commit(self, choice: str, certainty: int | None) -> None:
        question = self.session.current
        self.session.answer(question.id, choice, certainty, time_spent_ms=self.elapsed_ms())
        await self._show()

    async def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        await self.action_choose(event.letter)

    async def show_result(self) -> None:
        result = self.session.finish()
        self.query_one("#title-bar", Static).update(self.title_text("result"))
        body = self.query_one("#test", VerticalScroll)
        await body.remove_children()
        lines = [f"[b]Score: {result.score} / {result.total}[/b]  — overall: "
                 f"[b]{result.verdict}[/b]", ""]
        for difficulty, score in result.by_difficulty.items():
            lines.append(f"  {difficulty:<7} {score.right} / {score.total}  {score.verdict}")
        if result.cbm_total is not None:
            lines += ["", f"Certainty-based mark: [b]{result.cbm_total}[/b] over "
                          f"{result.cbm_answers} answers (mean {result.cbm_mean:+.2f}; "
                          "best 3 each, a confident miss costs 6)"]
        widgets = [Static("\n".join(lines), id="test-score")]
        if result.misses:
            miss_lines = ["**What to revisit**", ""]
            for miss in result.misses:
                where = miss.revisit_title or "the lesson"
                picked = f"you chose {miss.chosen}" if miss.chosen else "not answered"
                stem = miss.stem.strip().splitlines()[0][:70]
                miss_lines.append(f"- {stem} — {picked}; right: **{miss.right_letter}** "
                                  f"{miss.right_option}. Revisit: *{where}*")
            widgets.append(md("\n".join(miss_lines), id="test-misses"))
        else:
            widgets.append(Static("No misses. Nothing to revisit.", id="test-misses"))
        widgets.append(Label("r: a new test · escape: back", classes="prompt-label"))
        await body.mount(*widgets)
        body.scroll_home(animate=False)
        self.save_place(result.test_id)

    async def action_retake(self) -> None:
        if self.session is not None and self.session.done:
            await self.show_intro()
