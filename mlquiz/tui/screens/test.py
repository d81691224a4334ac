"""Test this pattern: ten questions, no hints, a verdict per difficulty and the steps to revisit.

With certainty marking on (m), each answer takes a certainty 1-3 and the result
adds the certainty-based mark. Options are shown in the learner's own shuffled
order. Escape in the middle of a test asks whether to leave it for later or end
it; an unfinished test is offered for resume whenever the test is opened again.

>>> app.push_screen(TestScreen(ctx, "ml-technical-debt"))  # doctest: +SKIP

One rule keeps what is graded equal to what was seen: a key can only answer
the question whose widgets are on screen (`self._shown`), and the screen takes
no key while it is changing what it shows (`phase == "busy"`). Keys can reach a
screen before its `on_mount` has finished (Textual resolves a binding against
the current screen in the app's task, while `on_mount` runs in the screen's);
without the rule a key could start, answer or wipe a session nobody had seen.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, Static

from mlquiz.tui import keys
from mlquiz.tui.screens.base import ModeScreen
from mlquiz.tui.widgets.choices import ChoiceList
from mlquiz.tui.widgets.number_entry import NumberEntry
from mlquiz.tui.widgets.text import TitleBar, md

CERTAINTY_WORDS = {1: "not sure", 2: "fairly sure", 3: "certain"}
CBM_RULE = ("Certainty marking: a right answer earns 1, 2 or 3 marks for not sure, fairly sure "
            "or certain; a wrong one costs 0, 2 or 6. Say “certain” only when you are.")


class TestScreen(ModeScreen):
    __test__ = False  # not a pytest class
    MODE_KEY = "test"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        keys.binding("open", "start", "Start"),
        keys.binding("open", "resume", "Go on"),
        keys.binding("open", "retake", "New test"),
        keys.binding("marking", "toggle_certainty"),
        *keys.choice_bindings(),
        *keys.certainty_bindings(),
        keys.binding("end_test", "end_test"),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        self.session = None
        self.pending: str | None = None  # letter picked, waiting for a certainty
        self.use_certainty = ctx.setting("test_certainty", "off") == "on"
        # intro | offer (an unfinished test) | question | result | busy (changing what is shown)
        self.phase = "busy"
        self._shown: tuple[str, str] | None = None  # (test id, question id) on screen now

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield VerticalScroll(id="test")
        yield Footer()

    async def show_first(self) -> None:
        """Resume the test saved as this mode's place, else offer an unfinished one, else the intro."""
        from mlquiz.quiz.test_session import open_test_id

        events = self._events()
        test_id = self.start_item or open_test_id(events)
        session = self._load(test_id, events) if test_id else None
        if session is not None and not session.closed:
            await self._show_offer(session)
        elif session is not None and session.done and self.start_item:
            self.session = session
            await self.show_result()
        else:
            await self.show_intro()

    # --- state -----------------------------------------------------------------

    def _events(self):
        return self.ctx.store.events(self.ctx.learner, module=self.module_id)

    def _load(self, test_id: str, events):
        from mlquiz.quiz.test_session import TestSession

        return TestSession.from_events(self.module, events, test_id, recorder=self.ctx.recorder,
                                       learner=self.ctx.learner)

    def check_action(self, action: str, parameters) -> bool | None:
        """The Footer shows only the keys that do something at this moment."""
        phase = self.phase
        if phase == "busy" and action != "back":
            return False
        if action == "start":
            return phase == "intro"
        if action == "resume":
            return phase == "offer"
        if action == "retake":
            return phase == "result"
        if action == "toggle_certainty":
            return phase == "intro"
        if action == "end_test":
            return phase == "offer"
        if action == "choose":
            return phase == "question" and not self._numeric_shown()
        if action == "certainty":
            return phase == "question" and self.pending is not None
        return True

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self.refresh_bindings()

    def action_toggle_certainty(self) -> None:
        if self.phase != "intro":
            return
        self.use_certainty = not self.use_certainty
        self.ctx.set_setting("test_certainty", "on" if self.use_certainty else "off")
        self.notify(f"Certainty marking {'on: give 1-3 with each answer' if self.use_certainty else 'off'}",
                    timeout=3)
        intro = self.query("#test-intro")
        if intro:
            intro.first(Static).update(self._intro_text())

    # --- screens ---------------------------------------------------------------

    async def show_intro(self) -> None:
        self._set_phase("busy")
        self.session = None
        self.pending = None
        self._shown = None
        self.query_one("#title-bar", Static).update(self.title_text("ready"))
        body = self.query_one("#test", VerticalScroll)
        await body.remove_children()
        await body.mount(Static(self._intro_text(), id="test-intro"))
        self.save_place(None)
        self._set_phase("intro")

    def _intro_text(self) -> str:
        from mlquiz.quiz.test_session import TEST_LENGTH

        n = min(TEST_LENGTH, len(self.module.questions))
        state = "[b]on[/b]: say how sure you are (1-3) with each answer" if self.use_certainty \
            else "[b]off[/b]"
        return (f"[b]Test this pattern[/b]  ★ Recommended\n\n"
                f"{n} questions across easy, medium and hard, mostly ones you have not met in "
                f"Practice. No hints; the score comes at the end, with a verdict per difficulty "
                f"and the part of the lesson to revisit for each miss.\n\n"
                f"Certainty marking is {state} (m switches it).\n{CBM_RULE}\n\n"
                f"Press enter to start.")

    async def _show_offer(self, session) -> None:
        """An unfinished test: go on with it (enter) or end it on purpose (e)."""
        self._set_phase("busy")
        self.session = session
        self._shown = None
        total = len(session.questions)
        self.query_one("#title-bar", Static).update(self.title_text("unfinished test"))
        body = self.query_one("#test", VerticalScroll)
        await body.remove_children()
        await body.mount(Static(
            f"[b]You left a test half way[/b]: {session.answered} of {total} answered.\n\n"
            f"Press enter to go on at question {session.answered + 1} of {total}, or e to end "
            f"it now. An ended test is recorded as abandoned and gets no score.", id="test-offer"))
        self.save_place(session.test_id)
        self._set_phase("offer")

    async def action_resume(self) -> None:
        await self.action_start()

    async def action_retake(self) -> None:
        await self.action_start()

    async def action_start(self) -> None:
        """enter: start a new test (intro), resume the unfinished one (offer), or back to the intro (result)."""
        if self.phase == "offer":
            await self._show()
            return
        if self.phase == "result":
            await self.show_intro()
            return
        if self.phase != "intro":
            return
        self._set_phase("busy")
        from mlquiz.quiz.test_session import (
            TestSession, open_test_id, pick_test_questions, practised_question_ids,
            seen_question_ids,
        )

        events = self._events()
        open_id = open_test_id(events)
        if open_id is not None:  # opened elsewhere meanwhile: never replace it silently
            session = self._load(open_id, events)
            if session is not None and not session.closed:
                await self._show_offer(session)
                return
        questions = pick_test_questions(self.module, seen_question_ids(events), rng=self.ctx.seed,
                                        practised_ids=practised_question_ids(events))
        if not questions:
            self.notify("This module has no questions yet.", severity="warning")
            self._set_phase("intro")
            return
        self.session = TestSession(self.module, questions, recorder=self.ctx.recorder,
                                   learner=self.ctx.learner)
        await self._show()

    async def _show(self) -> None:
        """Show the session's current question; only then can a key answer it."""
        self._set_phase("busy")
        session = self.session
        self.pending = None
        self._shown = None
        if session.done:
            await self.show_result()
            return
        question = session.current
        self.query_one("#title-bar", Static).update(self.title_text(
            f"question {session.answered + 1} of {len(session.questions)} · {question.difficulty}"))
        body = self.query_one("#test", VerticalScroll)
        await body.remove_children()
        if question.is_numeric:
            how = "a number, then 1-3 for how sure you are" if self.use_certainty else "a number"
            options = NumberEntry(question.number.units, item_id=question.id, commands=(),
                                  id="number-entry")
        else:
            how = "a-d, then 1-3 for how sure you are" if self.use_certainty else "a-d"
            options = ChoiceList(session.shown_options(question.id), id="options")
            options.item_id = question.id
        await body.mount(Label(f"Answer with {how}. No hints in a test.", classes="prompt-label"),
                         md(question.stem, id="question-stem"),
                         options,
                         Static("", id="certainty-prompt"))
        body.scroll_home(animate=False)
        self.save_place(session.test_id)
        self._shown = (session.test_id, question.id)
        self._set_phase("question")

    def _showing(self, question_id: str | None = None) -> str | None:
        """The id of the question on screen, if a key may answer it now (and it is `question_id`)."""
        session = self.session
        if self.phase != "question" or session is None or self._shown is None:
            return None
        test_id, shown_id = self._shown
        current = session.current
        if test_id != session.test_id or current is None or current.id != shown_id:
            return None
        if question_id is not None and question_id != shown_id:
            return None
        return shown_id

    async def action_choose(self, choice: str, question_id: str | None = None) -> None:
        shown_id = self._showing(question_id)
        if shown_id is None:
            return
        if "ABCDEFGHIJ".index(choice) >= len(self.session.orders[shown_id]):
            return
        if self.use_certainty:
            self.pending = choice
            self.refresh_bindings()
            self.query_one("#options", ChoiceList).select(choice)
            self.query_one("#certainty-prompt", Static).update(
                f"You picked {choice}. How sure are you? "
                "1 not sure · 2 fairly sure · 3 certain")
            return
        await self._commit(shown_id, choice, None)

    async def action_certainty(self, level: int) -> None:
        shown_id = self._showing()
        if shown_id is None or self.pending is None:
            return
        await self._commit(shown_id, self.pending, level)

    async def _commit(self, question_id: str, shown: str, certainty: int | None) -> None:
        self._set_phase("busy")
        self._shown = None
        self.session.answer_shown(question_id, shown, certainty, time_spent_ms=self.elapsed_ms())
        await self._show()

    def _numeric_shown(self) -> bool:
        session = self.session
        current = session.current if session is not None else None
        return bool(current is not None and current.is_numeric)

    async def on_number_entry_answered(self, event: NumberEntry.Answered) -> None:
        """A typed number: committed, or with certainty marking held until 1-3 is pressed."""
        shown_id = self._showing(event.entry.item_id)
        if shown_id is None:
            return
        if self.use_certainty:
            from mlquiz.quiz.numeric import canonical, parse_number

            self.pending = event.text
            event.entry.freeze()  # the entry lets go of the keys, so 1-3 reach the screen
            self.refresh_bindings()
            value = canonical(parse_number(event.text, event.entry.units))
            self.query_one("#certainty-prompt", Static).update(
                f"You typed {value}. How sure are you? 1 not sure · 2 fairly sure · 3 certain")
            return
        await self._commit(shown_id, event.text, None)

    async def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        await self.action_choose(event.letter, getattr(event.choice_list, "item_id", None))

    async def show_result(self) -> None:
        from mlquiz.quiz.shuffle import show_letters, shown_letter

        self._set_phase("busy")
        self._shown = None
        session = self.session
        result = session.finish()
        self.query_one("#title-bar", Static).update(self.title_text("result"))
        body = self.query_one("#test", VerticalScroll)
        await body.remove_children()
        lines = [f"[b]Score: {result.score} / {result.total}[/b]  — overall: "
                 f"[b]{result.verdict}[/b]", ""]
        for difficulty, score in result.by_difficulty.items():
            lines.append(f"  {difficulty:<7} {score.right} / {score.total}  {score.verdict}")
        if result.cbm_total is not None:
            lines += ["", f"Certainty-based mark: [b]{result.cbm_total}[/b] over "
                          f"{result.cbm_answers} answers, {result.cbm_mean:+.2f} per answer "
                          f"(best +3). Right answers earned 1-3 by how sure you said you were, "
                          f"wrong ones cost 0, 2 or 6: a mean near +3 means your confidence "
                          f"was well placed."]
        widgets = [Static("\n".join(lines), id="test-score")]
        if result.misses:
            miss_lines = ["**What to revisit**", ""]
            for miss in result.misses:
                where = miss.revisit_title or "the lesson"
                if miss.numeric:
                    picked = f"you typed **{miss.chosen}**" if miss.chosen else "not answered"
                    miss_lines.append(f"- {_md_escape(miss.summary)}  \n  {picked}; right: "
                                      f"**{_md_escape(miss.right_option)}**. "
                                      f"Revisit: *{_md_escape(where)}*")
                    if miss.feedback:
                        miss_lines[-1] += f"  \n  *Why not:* {' '.join(miss.feedback.split())}"
                    continue
                order = session.orders[miss.question_id]
                question = self.module.question(miss.question_id)
                if miss.chosen:
                    picked = (f"you chose {shown_letter(order, miss.chosen)}, "
                              f"“{question.options['ABCDEFGHIJ'.index(miss.chosen)].strip()}”")
                else:
                    picked = "not answered"
                right = shown_letter(order, miss.right_letter)
                miss_lines.append(f"- {_md_escape(miss.summary)}  \n  {picked}; right: "
                                  f"**{right}**, “{miss.right_option.strip()}”. "
                                  f"Revisit: *{_md_escape(where)}*")
                why = show_letters(order, question.feedback_for(miss.chosen)) if miss.chosen else ""
                if why:  # the content's own words on the option picked, one paragraph in the item
                    miss_lines[-1] += f"  \n  *Why not:* {' '.join(why.split())}"
            widgets.append(md("\n".join(miss_lines), id="test-misses"))
        else:
            widgets.append(Static("No misses. Nothing to revisit.", id="test-misses"))
        widgets.append(Label("enter: a new test · escape: back", classes="prompt-label"))
        await body.mount(*widgets)
        body.scroll_home(animate=False)
        self.save_place(result.test_id)
        self._set_phase("result")

    # --- leaving and ending ------------------------------------------------------

    def action_back(self) -> None:
        """Escape mid-test asks: leave it for later, end it now, or stay."""
        session = self.session
        if self.phase not in ("question", "busy") or session is None or session.closed:
            self.app.pop_screen()
            return
        from mlquiz.tui.screens.ask import AskScreen

        total = len(session.questions)
        self.app.push_screen(AskScreen(
            f"Leave this test? You have answered {session.answered} of {total}.\n\n"
            "Leave: it waits for you; opening the test again offers to go on.\n"
            "End it: it is recorded as abandoned and gets no score.",
            [("l", "leave", "Leave, go on later"), ("e", "end", "End the test"),
             ("escape", None, "Stay")]), self._after_leave_question)

    async def _after_leave_question(self, answer) -> None:
        if answer == "leave":
            self.app.pop_screen()
        elif answer == "end":
            self._abandon()
            self.app.pop_screen()

    def action_end_test(self) -> None:
        """e on the unfinished-test offer: end it, after a yes."""
        if self.phase != "offer" or self.session is None:
            return
        from mlquiz.tui.screens.ask import confirm

        self.app.push_screen(confirm(
            f"End this test? {self.session.answered} of {len(self.session.questions)} are "
            "answered; it will be recorded as abandoned and get no score.",
            yes="End it", no="Keep it"), self._after_end_question)

    async def _after_end_question(self, yes) -> None:
        if yes and self.phase == "offer":
            self._abandon()
            await self.show_intro()

    def _abandon(self) -> None:
        if self.session is not None and not self.session.closed:
            self.session.abandon("ended")
            self.notify("Test ended; recorded as abandoned.", timeout=3)


def _md_escape(text: str) -> str:
    """Plain text that markdown shows as written (no emphasis, code or links)."""
    for mark in ("\\", "*", "_", "`", "[", "]", "<", "#"):
        text = text.replace(mark, "\\" + mark)
    return text
