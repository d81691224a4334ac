"""Practice, no test required: one question at a time, a hint on request, then the worked solution.

>>> app.push_screen(PracticeScreen(ctx, "ml-technical-debt", "q-debt-meaning"))  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Label, Static

from mlquiz.content.models import index_of
from mlquiz.tui import keys
from mlquiz.tui.screens.base import ModeScreen, choice_bindings
from mlquiz.tui.widgets.choices import ChoiceList, inline_markdown
from mlquiz.tui.widgets.number_entry import NumberEntry
from mlquiz.tui.widgets.text import TitleBar, md


class PracticeScreen(ModeScreen):
    MODE_KEY = "practice"
    BINDINGS = [
        *ModeScreen.BINDINGS,
        *choice_bindings(4),
        keys.binding("hint", "hint"),
        keys.binding("solution", "solution"),
        keys.binding("next", "next", priority=True),
    ]

    def __init__(self, ctx, module_id: str, item: str | None = None) -> None:
        super().__init__(ctx, module_id, item)
        from mlquiz.quiz.practice_session import PracticeSession

        self.session = PracticeSession.from_events(
            self.module, ctx.store.events(ctx.learner, module=module_id),
            recorder=ctx.recorder, start_at=self.start_item, learner=ctx.learner)
        self.answered = False  # the current question's answer or solution is on screen

    def compose(self) -> ComposeResult:
        yield TitleBar()
        # Wide terminals: the question on the left, feedback and the worked solution
        # beside it. Narrow ones stack both and scroll them together (app.tcss).
        with VerticalScroll(id="practice-split"):
            yield Vertical(id="practice")
            yield Vertical(id="practice-side")
        yield Footer()

    async def show_first(self) -> None:
        await self.show_current()

    async def show_current(self) -> None:
        self.answered = False
        self.remove_class("-answered")
        self.refresh_bindings()
        body = self.query_one("#practice", Vertical)
        await body.remove_children()
        await self.query_one("#practice-side", Vertical).remove_children()
        question = self.session.current
        if question is None:
            self.query_one("#title-bar", Static).update(self.title_text("all done"))
            await body.mount(Static(
                "Every practice question of this module is answered right. Well done.\n"
                "Try Test this pattern (5 on the module page) or Review.", id="practice-done"))
            self.save_place(None)
            return
        number = [q.id for q in self.module.questions].index(question.id) + 1
        self.query_one("#title-bar", Static).update(self.title_text(
            f"question {number} · {question.difficulty} · {self.session.remaining} to go"))
        if question.is_numeric:
            entry = NumberEntry(question.number.units, item_id=question.id, id="number-entry")
        else:
            entry = ChoiceList(self.session.shown_options(), id="options")
        await body.mount(Label("No test required: h for a hint, → to skip (it comes back later).",
                               classes="prompt-label"),
                         md(question.stem, id="question-stem"), entry)
        if question.hint and self.session.hint_used():  # revealed before escape or a restart
            await self._mount_hint(question.hint)
        self.query_one("#practice-split").scroll_home(animate=False)
        self.save_place(question.id)

    async def action_hint(self) -> None:
        question = self.session.current
        if question is None or self.answered or self.session.hint_used():
            return
        hint = self.session.hint()
        self.refresh_bindings()
        await self._mount_hint(hint)

    async def _mount_hint(self, hint: str) -> None:
        await self.query_one("#practice", Vertical).mount(
            md(f"**Hint:** {hint}", id="hint", classes="hint"),
            before=self.query_one("#options, #number-entry"))

    async def action_choose(self, choice: str) -> None:
        question = self.session.current
        if question is None or self.answered or index_of(choice) >= len(question.options):
            return
        # `choice` is the letter on screen; the session records the authored one.
        feedback = self.session.answer_shown(choice, time_spent_ms=self.elapsed_ms())
        self.answered = True
        self.add_class("-answered")
        self.refresh_bindings()
        right = feedback.shown(feedback.right_letter)
        self.query_one("#options", ChoiceList).mark(feedback.shown(feedback.chosen), right)
        if feedback.correct:
            verdict = "✔ Right."
        else:
            verdict = f"✘ Not this time: the answer is {right}, {feedback.right_option}."
        widgets = [Static(inline_markdown(verdict), id="practice-verdict",
                          classes="-right" if feedback.correct else "-wrong")]
        if feedback.chosen_feedback:
            widgets.append(md(feedback.text(feedback.chosen_feedback), id="option-feedback"))
        if feedback.general_feedback:
            widgets.append(md(feedback.text(feedback.general_feedback), id="general-feedback"))
        widgets += self._solution_widgets()
        await self.query_one("#practice-side", Vertical).mount(*widgets)

    async def action_solution(self) -> None:
        """Show the worked solution without answering (recorded; the question comes back later)."""
        question = self.session.current
        if question is None or self.answered:
            return
        self.ctx.record("solution_revealed", module=self.module_id, item=question.id,
                        detail={"mode": self.MODE_KEY})
        self.answered = True
        self.add_class("-answered")
        self.refresh_bindings()
        from mlquiz.quiz.shuffle import shown_letter

        if question.is_numeric:
            self.query_one("#number-entry", NumberEntry).freeze()
            verdict = f"The answer is {question.right_option}."
        else:
            right = shown_letter(self.session.order(), question.answer)
            self.query_one("#options", ChoiceList).mark(None, right)
            verdict = f"The answer is {right}, {question.right_option}."
        await self.query_one("#practice-side", Vertical).mount(
            Static(inline_markdown(verdict), id="practice-verdict"), *self._solution_widgets())

    def _solution_widgets(self):
        from mlquiz.quiz.shuffle import show_letters

        question = self.session.current
        order = self.session.order()
        steps = "\n".join(f"{n}. **{s.title}.** {s.text}"
                          for n, s in enumerate(question.solution, start=1))
        mistakes = "\n".join(f"- {m}" for m in question.common_mistakes)
        # Letters the text names are the authored ones: shown as the letters on screen.
        return [md(show_letters(order, f"**Worked solution**\n\n{steps}\n\n**Answer:** "
                                       f"{question.final_answer}"), id="worked-solution"),
                md(show_letters(order, f"**Quick check:** {question.quick_check}"), id="quick-check"),
                md(show_letters(order, f"**Common mistakes**\n\n{mistakes}"), id="common-mistakes")]

    async def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        await self.action_choose(event.letter)

    async def on_number_entry_answered(self, event: NumberEntry.Answered) -> None:
        """A typed number (already known to be one): recorded, then the feedback beside it."""
        question = self.session.current
        if question is None or self.answered or event.entry.item_id != question.id:
            return
        feedback = self.session.answer(event.text, time_spent_ms=self.elapsed_ms())
        self.answered = True
        self.add_class("-answered")
        self.refresh_bindings()
        event.entry.freeze(feedback.chosen)
        if feedback.correct:
            verdict = f"✔ Right: {feedback.right_option}."
        else:
            verdict = f"✘ Not this time: you typed {feedback.chosen}; the answer is {feedback.right_option}."
        widgets = [Static(verdict, id="practice-verdict",
                          classes="-right" if feedback.correct else "-wrong")]
        if feedback.chosen_feedback:
            widgets.append(md(feedback.chosen_feedback, id="option-feedback"))
        if feedback.general_feedback:
            widgets.append(md(feedback.general_feedback, id="general-feedback"))
        widgets += self._solution_widgets()
        await self.query_one("#practice-side", Vertical).mount(*widgets)
        # No choice list marks the answer in place: on a narrow terminal, where the
        # feedback sits below the question, bring the verdict into view.
        self.call_after_refresh(widgets[0].scroll_visible, animate=False, top=True)

    async def on_number_entry_command(self, event: NumberEntry.Command) -> None:
        if event.key == "h":
            await self.action_hint()
        elif event.key == "s":
            await self.action_solution()

    def check_action(self, action: str, parameters) -> bool | None:
        """The Footer offers only what acts now: a-d, h and s before the answer."""
        current = self.session.current
        if action == "choose":
            return current is not None and not self.answered and not current.is_numeric
        if action == "solution":
            return current is not None and not self.answered
        if action == "hint":
            return current is not None and not self.answered and not self.session.hint_used()
        if action == "next":
            return current is not None
        return True

    async def action_next(self) -> None:
        """→: the next question; before answering, skip this one (it comes back later)."""
        if self.session.current is None:
            return
        if self.answered:
            self.session.advance()
        elif self.session.remaining > 1:
            self.session.skip()
            self.notify("Skipped: it comes back later in this round.", timeout=3)
        else:
            self.notify("This is the last question left: answer it, or s for the solution.",
                        timeout=3)
            return
        await self.show_current()
