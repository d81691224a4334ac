"""Review: what is due today across modules and kinds, most overdue first.

Every answer goes through the app's one `Recorder` (event + schedule update),
then the screen says right or wrong and when the item comes back. Flashcards
are flipped (space) and self-rated 1-4. When nothing is due, the screen says
when the next item falls due and offers a short practice round.

>>> app.push_screen(ReviewScreen(ctx, "ml-technical-debt"))           # doctest: +SKIP
>>> comes_back(datetime(2026, 1, 6, 9, 0), datetime(2026, 1, 5, 9, 0))
'tomorrow'
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Label, Static

from mlquiz.content.models import index_of
from mlquiz.tui import keys
from mlquiz.tui.screens.base import ModeScreen, choice_bindings
from mlquiz.tui.widgets.choices import ChoiceList, inline_markdown
from mlquiz.tui.widgets.text import TitleBar, md

if TYPE_CHECKING:
    from mlquiz.quiz.items import ReviewItem
    from mlquiz.quiz.scheduler import DueCounts

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
KIND_LABELS = {
    "question": "Question",
    "myth": "Myth or fact? Is this statement true? y yes · n no",
    "prediction": "Prediction",
    "card": "Flashcard",
    "pitfall": "Pitfall clinic: name the root cause",
}


def comes_back(due: datetime, now: datetime) -> str:
    """When an item is due again, in everyday words, by the learner's local calendar.

    >>> comes_back(datetime(2026, 1, 5, 9, 10), datetime(2026, 1, 5, 9, 0))
    'in about 10 minutes, later in this sitting'
    """
    seconds = (due - now).total_seconds()
    if seconds < 90:
        return "in a minute or two, later in this sitting"
    if seconds < 45 * 60:
        return f"in about {round(seconds / 60)} minutes, later in this sitting"
    local_due, local_now = due.astimezone(), now.astimezone()
    days = (local_due.date() - local_now.date()).days
    if days == 0:
        return f"later today, around {local_due:%H:%M}"
    if days == 1:
        return "tomorrow"
    if days < 7:
        return f"on {local_due:%A} (in {days} days)"
    if days < 60:
        weeks = round(days / 7)
        return f"in about {weeks} week{'s' if weeks != 1 else ''}, on {local_due:%a %d %b}"
    return f"in about {round(days / 30)} months, in {local_due:%B %Y}"


def counts_line(counts: DueCounts) -> str:
    """'3 due now · 2 tomorrow · 9 this week' (later today only when there are some)."""
    parts = [f"{counts.now} due now"]
    later = counts.today - counts.now
    if later > 0:
        parts.append(f"{later} later today")
    parts += [f"{counts.tomorrow} tomorrow", f"{counts.this_week} this week"]
    return " · ".join(parts)


def _start_module(ctx, item: str | None) -> str:
    """The module a review opened without one is saved under: the item's, else the first."""
    if item:
        from mlquiz.quiz.items import catalogue

        found = catalogue(ctx.course).get(item)
        if found is not None:
            return found.module
    return ctx.course.modules[0].id


class ReviewScreen(ModeScreen):
    """The due queue, one item at a time; `item` resumes on that item while it is still due."""

    MODE_KEY = "review"
    CSS_PATH = [Path(__file__).parent.parent / "study.tcss",
                Path(__file__).parent.parent / "review.tcss"]
    BINDINGS = [
        *ModeScreen.BINDINGS,
        *choice_bindings(4),
        Binding("y", "yes_no('A')", keys.KEY_MAP["yes_no"].label, key_display="y / n"),
        Binding("n", "yes_no('B')", show=False),
        Binding("1", "number(1)", keys.KEY_MAP["rate"].label, key_display="1-4"),
        Binding("2", "number(2)", show=False),
        Binding("3", "number(3)", show=False),
        Binding("4", "number(4)", show=False),
        keys.binding("flip", "flip"),
        keys.binding("hint", "hint"),
        keys.binding("next", "next", priority=True),
        keys.binding("open", "practice_round", "Practice round"),
    ]

    def __init__(self, ctx, module_id: str | None = None, item: str | None = None) -> None:
        super().__init__(ctx, module_id or _start_module(ctx, item), item)
        self.recorder = ctx.recorder
        self.scheduler = self.recorder.scheduler
        self.queue: list[ReviewItem] = []
        self.index = 0
        self.round = "review"   # "practice" for the short round offered when nothing is due
        self.answered = False
        self.flipped = False
        self.hint_level = 0
        self.done = {"answered": 0, "right": 0}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="review-counts", markup=False)
        yield VerticalScroll(id="review")
        yield Footer()

    @property
    def current(self) -> ReviewItem | None:
        return self.queue[self.index] if self.index < len(self.queue) else None

    # --- showing -------------------------------------------------------------

    async def show_first(self) -> None:
        self.queue = self.scheduler.queue(self.ctx.now())
        ids = [item.id for item in self.queue]
        if self.start_item in ids:  # resume on the item left on screen, while it is due
            self.queue.insert(0, self.queue.pop(ids.index(self.start_item)))
        await self.show_current()

    def update_title(self) -> None:
        """'Review · 19 to go · Module': the items of this round not answered yet, so it
        agrees with '19 due now' beside it."""
        item = self.current
        if item is None:
            return
        round_name = "Practice round" if self.round == "practice" else "Review"
        module = self.ctx.course.module(item.module)
        left = len(self.queue) - self.index - (1 if self.answered else 0)
        self.query_one("#title-bar", Static).update(
            f"{round_name} · {left} to go · {module.title if module else item.module}")

    def update_counts(self) -> None:
        counts = self.scheduler.due_counts(self.ctx.now())
        self.query_one("#review-counts", Static).update(counts_line(counts))

    async def show_current(self) -> None:
        self.answered = self.flipped = False
        self.hint_level = 0
        self.update_counts()
        body = self.query_one("#review", VerticalScroll)
        await body.remove_children()
        item = self.current
        if item is None:
            await self.show_end(body)
            self.refresh_bindings()
            return
        self.update_title()
        kind = KIND_LABELS[item.kind]
        if item.difficulty:
            kind = f"{kind} · {item.difficulty}"
        widgets = [Label(kind, classes="prompt-label", id="review-kind")]
        if item.context:
            widgets.append(md(f"**The approach**\n\n{item.context}", id="review-context",
                              classes="wrong-approach"))
        if item.self_rated:
            widgets += [md(item.prompt, id="review-prompt", classes="card-face"),
                        Static("space: flip the card", id="review-card-hint")]
        elif item.numeric:
            from mlquiz.tui.widgets.number_entry import NumberEntry

            commands = ("h",) if item.hint else ()
            widgets += [md(item.prompt, id="review-prompt"),
                        NumberEntry(item.number.units, item_id=item.id, commands=commands,
                                    id="review-number")]
        else:
            from mlquiz.content.summaries import without_preamble

            from mlquiz.quiz.shuffle import shown_options

            widgets += [md(without_preamble(item.prompt), id="review-prompt"),
                        ChoiceList(shown_options(self.order(item), item.choices),
                                   id="review-choices",
                                   keys=("y", "n") if item.kind == "myth" else None)]
        await body.mount(*widgets)
        if item.hint and not item.self_rated and self._hint_open(item):
            await self._mount_hint(item)  # revealed before escape or a restart: still shown
        body.scroll_home(animate=False)
        self.save_place(item.id)
        self.refresh_bindings()

    def order(self, item: ReviewItem) -> str:
        """Authored letters in the order shown: the learner's own; a myth keeps Yes, No."""
        from mlquiz.quiz.shuffle import order_for

        return order_for(None if item.kind == "myth" else self.ctx.learner, item.id,
                         len(item.choices))

    def _hint_open(self, item: ReviewItem) -> bool:
        """The item's hint was revealed and it has not been answered since."""
        from mlquiz.quiz.practice_session import open_hints

        return item.id in open_hints(self.ctx.store.events(self.ctx.learner, item=item.id))

    async def show_end(self, body: VerticalScroll) -> None:
        """Nothing (more) is due: say so, when the next item falls due, and what to do."""
        answered, right = self.done["answered"], self.done["right"]
        self.query_one("#title-bar", Static).update("Review · nothing due")
        lines = []
        if answered:
            lines.append(f"Done: {answered} answered, {right} right. Everything is saved.")
        lines.append("Nothing is due for review right now.")
        lines.append(self.next_due_text())
        self.save_place(None)
        await body.mount(
            Static("\n".join(lines), id="review-empty", markup=False),
            Static("Press enter for a short practice round, or escape to go back.",
                   classes="prompt-label", id="review-offer"),
            Horizontal(Button("Short practice round", id="review-practice", variant="primary"),
                       Button("Back", id="review-back-button"), id="review-buttons"))

    def next_due_text(self) -> str:
        now = self.ctx.now()
        states = self.ctx.store.review_states(self.ctx.learner).values()
        upcoming = min((s.due for s in states if s.due > now), default=None)
        if upcoming is None:
            return ("No item is scheduled yet: answer questions, myths, predictions, "
                    "flashcards or pitfalls in any mode and they come back here.")
        local = upcoming.astimezone()
        return f"The next item falls due {comes_back(upcoming, now)} ({local:%a %d %b, %H:%M})."

    # --- answering -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        item = self.current
        if action == "choose":
            return item is not None and not item.self_rated and not item.numeric and not self.answered
        if action == "yes_no":
            return item is not None and item.kind == "myth" and not self.answered
        if action == "number":  # 1-4 rates a flipped card; choices are a-d
            return item is not None and item.self_rated and self.flipped and not self.answered
        if action == "flip":
            return item is not None and item.self_rated and not self.flipped
        if action == "hint":
            return item is not None and bool(item.hint) and not self.answered and not self.hint_level
        if action == "next":
            return item is not None and self.answered
        if action == "practice_round":
            return item is None
        return True

    async def action_choose(self, choice: str) -> None:
        item = self.current
        if item is None or item.self_rated or self.answered or index_of(choice) >= len(item.choices):
            return
        from mlquiz.quiz.shuffle import authored_letter, show_letters, shown_letter

        order = self.order(item)  # `choice` is the letter on screen; events keep the authored one
        authored = authored_letter(order, choice)
        answered = self.recorder.answer(item.id, authored, mode=self.round,
                                        hint_level=self.hint_level,
                                        time_spent_ms=self.elapsed_ms(),
                                        shown_order=None if item.kind == "myth" else order)
        right = shown_letter(order, item.answer)
        self.query_one("#review-choices", ChoiceList).mark(choice.upper(), right)
        if answered.correct:
            verdict = "✔ Right."
        else:
            verdict = f"✘ Not this time: the answer is {right}, {item.right_choice}."
        await self._after_answer(answered, verdict, show_letters(order, item.explanation),
                                 option_feedback=show_letters(order, item.feedback_for(authored)),
                                 general_feedback=show_letters(order, item.general_feedback))

    async def action_number(self, number: int) -> None:
        item = self.current
        if item is not None and item.self_rated and not self.answered:
            await self.rate(number)

    async def action_yes_no(self, choice: str) -> None:
        """y / n answer a myth (its choices are Yes, No)."""
        item = self.current
        if item is not None and item.kind == "myth":
            await self.action_choose(choice)

    async def action_flip(self) -> None:
        item = self.current
        if item is None or not item.self_rated or self.flipped:
            return
        self.flipped = True
        self.query_one("#review-card-hint", Static).update(
            "How well did you know it?  1 Again · 2 Hard · 3 Good · 4 Easy")
        await self.query_one("#review", VerticalScroll).mount(
            md(item.back, id="review-back", classes="card-face"),
            before=self.query_one("#review-card-hint"))
        self.refresh_bindings()

    async def rate(self, rating: int) -> None:
        item = self.current
        if item is None or not self.flipped or self.answered or rating not in RATINGS:
            return
        answered = self.recorder.rate_card(item.id, rating, mode=self.round,
                                           time_spent_ms=self.elapsed_ms())
        self.query_one("#review-card-hint", Static).update("")
        await self._after_answer(answered, f"Rated {RATINGS[rating]}.", "")

    async def action_hint(self) -> None:
        item = self.current
        if item is None or not item.hint or self.answered or self.hint_level:
            return
        self.recorder.hint(item.id, mode=self.round)
        await self._mount_hint(item)
        self.refresh_bindings()

    async def _mount_hint(self, item: ReviewItem) -> None:
        self.hint_level = 1
        await self.query_one("#review", VerticalScroll).mount(
            md(f"**Hint:** {item.hint}", id="review-hint", classes="hint"),
            before=self.query_one("#review-choices, #review-number"))

    async def _after_answer(self, answered, verdict: str, explanation: str, *,
                            option_feedback: str = "", general_feedback: str = "") -> None:
        """The verdict, when the item comes back, why the chosen option is (not) it, the explanation."""
        self.answered = True
        self.done["answered"] += 1
        self.done["right"] += bool(answered.correct)
        when = comes_back(answered.due, self.ctx.now())
        again = "again " if answered.rating == 1 else ""
        widgets = [Static(inline_markdown(verdict), id="review-verdict",
                          classes="-right" if answered.correct else "-wrong"),
                   Static(f"It comes back {again}{when}.", id="review-due", markup=False)]
        if option_feedback:  # the content's words on the option picked; "why not" when it was wrong
            why = option_feedback if answered.correct else f"**Why not:** {option_feedback}"
            widgets.append(md(why, id="review-option-feedback", classes="option-feedback"))
        if general_feedback:
            widgets.append(md(general_feedback, id="review-general-feedback"))
        if explanation:
            widgets.append(md(explanation, id="review-explanation"))
        widgets.append(Static("→ next", classes="prompt-label", id="review-next"))
        body = self.query_one("#review", VerticalScroll)
        await body.mount(*widgets)
        body.scroll_end(animate=False)
        self.update_counts()
        self.update_title()
        self.refresh_bindings()

    async def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        await self.action_choose(event.letter)

    async def on_number_entry_answered(self, event) -> None:
        """A typed number for a numeric question: recorded once, then its verdict and feedback."""
        from mlquiz.quiz.numeric import mark_number

        item = self.current
        if item is None or not item.numeric or self.answered or event.entry.item_id != item.id:
            return
        answered = self.recorder.answer(item.id, event.text, mode=self.round,
                                        hint_level=self.hint_level, time_spent_ms=self.elapsed_ms())
        mark = mark_number(item.number, event.text)
        event.entry.freeze(mark.text)
        if answered.correct:
            verdict = f"✔ Right: {item.number.shown()}."
        else:
            verdict = f"✘ Not this time: you typed {mark.text}; the answer is {item.number.shown()}."
        await self._after_answer(answered, verdict, item.explanation, option_feedback=mark.feedback,
                                 general_feedback=item.general_feedback)

    async def on_number_entry_command(self, event) -> None:
        if event.key == "h":
            await self.action_hint()

    async def on_click(self, event) -> None:
        widget = event.widget
        if widget is not None and widget.id == "review-prompt" or (
                widget is not None and any(a.id == "review-prompt" for a in widget.ancestors)):
            await self.action_flip()

    async def action_next(self) -> None:
        if self.current is None:
            return
        if not self.answered:
            self.notify("Answer first: a-d, or flip the card with space.", timeout=3)
            return
        self.index += 1
        if self.current is None and self.round == "review":
            # Items missed a while ago may be due again by now: carry on with them.
            again = self.scheduler.queue(self.ctx.now())
            if again:
                self.queue, self.index = again, 0
        await self.show_current()

    # --- when nothing is due ---------------------------------------------------

    async def action_practice_round(self) -> None:
        if self.current is not None:
            return
        items = self.practice_items()
        if not items:
            self.notify("This course has no questions to practise.", severity="warning")
            return
        self.round, self.queue, self.index = "practice", items, 0
        await self.show_current()

    def practice_items(self) -> list[ReviewItem]:
        """Up to five questions, those not yet answered right in practice first."""
        from mlquiz.quiz.practice_session import practice_round

        return practice_round(self.recorder)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "review-practice":
            await self.action_practice_round()
        elif event.button.id == "review-back-button":
            self.action_back()
