"""`mlquiz study MODULE MODE --plain`: one study mode of a module as a plain prompt.

    $ printf 'A\\nq\\n' | mlquiz study ml-technical-debt practice --plain --learner ada

Modes: deep_dive, buildup, myths, practice, test, flashcards, pitfalls,
cheat_sheet (dashes work too: deep-dive). Answers go through the same core as
the app (`quiz.recorder.Recorder`, `quiz.practice_session`, `quiz.test_session`)
and it runs on the app's own `tui.context.AppContext` (no Textual in it): events, the
saved position and each mode's place are written by the same calls as the screens', so
progress, review and resume are shared with the full-screen app. Every
answer is committed when it is given; `q` or the end of the input stops and
exits 0. An unknown module or mode is one line on stderr and exit code 2.
Without --plain, a terminal opens the app on that mode instead.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from mlquiz.commands.plain_prompt import RATINGS, PlainPrompt, Quit, Stopwatch, plain_session, plural
from mlquiz.content.summaries import without_preamble
from mlquiz.errors import MlquizError

if TYPE_CHECKING:
    from mlquiz.content.models import Course, Module
    from mlquiz.tui.context import AppContext

# The text modes, in the app's order; review and exercises have commands of their own.
PLAIN_MODES: dict[str, str] = {
    "deep_dive": "Deep dive", "buildup": "Build-up", "myths": "Myth busters",
    "practice": "Practice", "test": "Test this pattern", "flashcards": "Flashcards",
    "pitfalls": "Pitfall clinic", "cheat_sheet": "Cheat sheet",
}
ELSEWHERE = {"review": "mlquiz review --plain", "exercises": "mlquiz exercises list"}


def mode_key(text: str) -> str:
    """The mode key a learner meant: mode_key("Deep-Dive") == "deep_dive"; MlquizError if none."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    key = {"build_up": "buildup", "cheatsheet": "cheat_sheet", "deepdive": "deep_dive",
           "cards": "flashcards"}.get(key, key)
    if key in PLAIN_MODES:
        return key
    if key in ELSEWHERE:
        raise MlquizError(f"{key} is not a study mode here; use `{ELSEWHERE[key]}`", exit_code=2)
    raise MlquizError(f"no study mode {text!r}; modes: {', '.join(PLAIN_MODES)}", exit_code=2)


def find_module(course: Course, module_id: str) -> Module:
    module = course.module(module_id)
    if module is None:
        raise MlquizError(f"no module {module_id!r} in the course {course.id}; modules: "
                          f"{', '.join(m.id for m in course.modules)}", exit_code=2)
    return module


def run(args) -> int:
    from mlquiz.content import load_course

    key = mode_key(args.mode)
    course = load_course(args.course)
    module = find_module(course, args.module)  # both checked before anything is opened
    if not getattr(args, "plain", False) and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("mlquiz: not a terminal, so study uses the plain prompt (--plain)", file=sys.stderr)
        args.plain = True
    if not getattr(args, "plain", False):
        return _open_app(args, course, module, key)
    return run_plain(args, course, module, key, sys.stdin, sys.stdout)


def _open_app(args, course: Course, module: Module, key: str) -> int:
    """The full-screen app on this module's mode: the mode is saved as the learner's
    position first (at its own saved place), so the app's start lands on it."""
    from mlquiz.commands import app
    from mlquiz.progress import ProgressStore
    from mlquiz.tui.context import AppContext

    if args.learner:
        with ProgressStore.open(args.db) as store:
            store.ensure_learner(args.learner)
            ctx = AppContext(course=course, store=store, learner=args.learner)
            ctx.save_position(module.id, key, ctx.mode_place(module.id, key))
    args.start = key
    return app.run(args)


def run_plain(args, course: Course, module: Module, key: str, stdin: TextIO,
              stdout: TextIO) -> int:
    from mlquiz.tui.context import AppContext

    with plain_session(args.db, args.learner) as (store, learner, session_id):
        ctx = AppContext(course=course, store=store, learner=learner, session_id=session_id)
        try:
            PlainStudy(ctx, module, key, PlainPrompt(stdin, stdout)).run()
        finally:
            ctx.close()
    return 0


class PlainStudy:
    """One mode of one module, walked on a PlainPrompt, over the app's context: events through
    `ctx.record`, answers through `ctx.recorder`, places through `ctx.save_position`."""

    def __init__(self, ctx: AppContext, module: Module, key: str, prompt: PlainPrompt) -> None:
        self.ctx = ctx
        self.recorder = ctx.recorder
        self.store = ctx.store
        self.learner = ctx.learner
        self.module = module
        self.key = key
        self.io = prompt
        self.answered = 0

    # --- shared ---------------------------------------------------------------

    def run(self) -> None:
        self.record("mode_opened", item=None, detail={"mode": self.key})
        self.io.say(f"{self.module.title}, {PLAIN_MODES[self.key]}, for {self.learner}.")
        try:
            getattr(self, self.key)()
        except Quit:
            self.io.say(f"Stopped. Saved {plural(self.answered, 'answer')}; "
                        "the next start resumes here.")

    def record(self, kind: str, **fields: Any) -> None:
        self.ctx.record(kind, module=self.module.id, **fields)

    def save_place(self, item: str | None) -> None:
        self.ctx.save_position(self.module.id, self.key, item)

    @property
    def place(self) -> str | None:
        """The item this mode of this module was left on, in the app or here."""
        return self.ctx.mode_place(self.module.id, self.key)

    def resume_index(self, ids: Sequence[str]) -> int:
        """Where the saved place of this mode stands among `ids` (the app's rule), else 0."""
        return list(ids).index(self.place) if self.place in ids else 0

    def last_answers(self, kind: str) -> dict[str, str]:
        events = self.store.events(self.learner, module=self.module.id, kind=kind)
        return {e.item: (e.answer or "") for e in events if e.item}

    def heading(self, text: str) -> None:
        self.io.say()
        self.io.say(text)

    def order(self, item_id: str, count: int) -> str:
        """The learner's shuffled order of an item's options (authored letters, shown order)."""
        from mlquiz.quiz.shuffle import order_for

        return order_for(self.learner, item_id, count)

    def shown_choices(self, item_id: str, choices: Sequence[str]) -> tuple[str, list[str]]:
        """(order, the choices in the order shown), printed as A., B., ..."""
        from mlquiz.quiz.shuffle import shown_options

        order = self.order(item_id, len(choices))
        shown = shown_options(order, tuple(choices))
        self.io.choices(shown)
        return order, shown

    def answer(self, item_id: str, letter: str, watch: Stopwatch, **kwargs: Any) -> bool:
        done = self.recorder.answer(item_id, letter, mode=self.key, time_spent_ms=watch.ms(),
                                    **kwargs)
        self.answered += 1
        return bool(done.correct)

    def walk(self, count: int, start: int, show, what: str) -> None:
        """Show items start..count-1 one by one (`show(index)`); Enter moves on, p goes back,
        a number goes to that item."""
        index = start
        while index < count:
            show(index)
            if index + 1 == count:
                break
            reply = self.io.pause(f"the next {what}, p for the previous one, or its number")
            if reply.isdigit() and 1 <= int(reply) <= count:
                index = int(reply) - 1
            elif reply in ("p", "prev", "previous"):
                index = max(0, index - 1)
            else:
                index += 1

    # --- deep dive --------------------------------------------------------------

    def deep_dive(self) -> None:
        from mlquiz.commands.plain_lesson import lesson_sections

        sections = lesson_sections(self.module)
        step_ids = {s.id for s in self.module.lesson.steps}
        self.io.say("Contents: " + "; ".join(f"{n}. {s.title}"
                                            for n, s in enumerate(sections, 1)) + ".")

        def show(index: int) -> None:
            section = sections[index]
            self.heading(f"Section {index + 1} of {len(sections)}: {section.title}")
            for block in section.blocks:
                self.io.say()
                self.io.say(block)
            if section.id in step_ids:
                self.record("step_viewed", item=section.id, detail={"mode": self.key})
            self.save_place(section.id)

        self.walk(len(sections), self.resume_index([s.id for s in sections]), show, "section")
        self.io.say()
        self.io.say("End of the lesson.")

    # --- build-up ------------------------------------------------------------------

    def buildup(self) -> None:
        from mlquiz.quiz.shuffle import authored_letter, show_letters, shown_letter
        from mlquiz.quiz.steps import shown_unpredicted

        steps = self.module.lesson.steps
        committed = self.last_answers("prediction_committed")  # authored letters
        shown_before = shown_unpredicted(self.store.events(
            self.learner, module=self.module.id, kind="solution_revealed"))

        def show(index: int) -> None:
            step = steps[index]
            self.heading(f"Step {index + 1} of {len(steps)}, {step.level}: {step.title}")
            self.io.markdown(step.concept)
            self.record("step_viewed", item=step.id, detail={"mode": self.key, "level": step.level})
            self.save_place(step.id)
            prediction = step.prediction
            if prediction is not None:
                self.io.say()
                self.io.say("Predict before the reveal.")
                self.io.markdown(without_preamble(prediction.prompt))
                order, shown = self.shown_choices(step.id, prediction.choices)
                picked = committed.get(step.id)  # authored
                if picked:
                    self.io.say(f"You committed to {shown_letter(order, picked)} earlier.")
                elif step.id in shown_before:
                    self.io.say("You chose to see the answer without predicting earlier.")
                else:
                    watch = Stopwatch()
                    reply = self.io.choose(shown, extra={
                        "s": "to see the answer without predicting"})
                    if reply == "s":  # an explicit choice, recorded
                        self.record("solution_revealed", item=step.id, detail={"mode": self.key})
                        shown_before.add(step.id)
                    else:
                        picked = authored_letter(order, reply)
                        self.answer(step.id, picked, watch, shown_order=order)
                        committed[step.id] = picked
                right = prediction.answer.upper()
                right_text = _inline(prediction.right_choice)
                if picked == right:
                    self.io.say("Your prediction was right.")
                elif picked:
                    self.io.say(f"Not quite: the answer is {shown_letter(order, right)}, {right_text}.")
                else:
                    self.io.say(f"The answer is {shown_letter(order, right)}, {right_text} "
                                "(shown without a prediction).")
                self.io.markdown(show_letters(order, prediction.explanation))
            for label, text in (("Explanation", step.explanation), ("Result", step.result),
                                ("Insight", step.insight)):
                self.io.say()
                self.io.markdown(text, label=label)

        self.walk(len(steps), self.resume_index([s.id for s in steps]), show, "step")
        self.io.say()
        self.io.say("That was the last step. Next: study test, to test this pattern.")

    # --- myths ----------------------------------------------------------------------

    def myths(self) -> None:
        myths = self.module.lesson.myths
        if not myths:
            self.io.say("This module has no myths.")
            return
        answers = self.last_answers("myth_answered")
        for index in range(self.resume_index([m.id for m in myths]), len(myths)):
            myth = myths[index]
            self.heading(f"Myth {index + 1} of {len(myths)}. Myth or fact? Commit first.")
            self.io.markdown(myth.question)
            self.save_place(myth.id)
            picked = answers.get(myth.id)
            if picked:
                self.io.say(f"You answered {'Yes' if picked == 'A' else 'No'} earlier.")
            else:
                watch = Stopwatch()
                picked = self.io.choose(("Yes", "No"), yes_no=True)
                self.answer(myth.id, picked, watch)
            right = "A" if myth.answer else "B"
            truth = "Yes" if myth.answer else "No"
            self.io.say(("Right. " if picked == right else "Not quite. ") + f"The answer is {truth}.")
            self.io.markdown(myth.belief, label="What many believe")
            self.io.markdown(myth.reality, label="Reality")
            self.io.markdown(myth.why_it_matters, label="Why it matters")
        self.io.say()
        self.io.say("That was the last myth.")

    # --- pitfalls ---------------------------------------------------------------------

    def pitfalls(self) -> None:
        from mlquiz.quiz.shuffle import authored_letter, show_letters, shown_letter

        pitfalls = self.module.lesson.pitfalls
        if not pitfalls:
            self.io.say("This module has no pitfalls.")
            return
        answers = self.last_answers("pitfall_answered")
        for index in range(self.resume_index([p.id for p in pitfalls]), len(pitfalls)):
            pitfall = pitfalls[index]
            diagnosis = pitfall.diagnosis
            self.heading(f"Pitfall {index + 1} of {len(pitfalls)}: {pitfall.title}")
            self.io.markdown(pitfall.wrong, label="The wrong approach")
            self.io.say()
            self.io.markdown(diagnosis.prompt)
            order, shown = self.shown_choices(pitfall.id, diagnosis.choices)
            self.save_place(pitfall.id)
            picked = answers.get(pitfall.id)  # authored
            if picked:
                self.io.say(f"You named {shown_letter(order, picked)} earlier.")
            else:
                watch = Stopwatch()
                picked = authored_letter(order, self.io.choose(shown))
                self.answer(pitfall.id, picked, watch, shown_order=order)
            right = diagnosis.answer.upper()
            if picked == right:
                self.io.say("Right: that is the root cause.")
            else:
                self.io.say(f"Not quite: the root cause is {shown_letter(order, right)}, "
                            f"{_inline(diagnosis.right_choice)}.")
            self.io.markdown(show_letters(order, diagnosis.explanation))
            self.io.markdown(pitfall.root_cause, label="Root cause")
            self.io.markdown(pitfall.correct, label="The correct approach")
        self.io.say()
        self.io.say("That was the last pitfall.")

    # --- flashcards ---------------------------------------------------------------------

    def flashcards(self) -> None:
        cards = self.module.flashcards
        if not cards:
            self.io.say("This module has no flashcards yet.")
            return
        for index in range(self.resume_index([c.id for c in cards]), len(cards)):
            card = cards[index]
            self.heading(f"Card {index + 1} of {len(cards)}, {card.kind}.")
            self.io.markdown(card.front, label="Front")
            self.save_place(card.id)
            watch = Stopwatch()
            self.io.ask("Press Enter to turn the card (q to quit): ")
            self.io.markdown(card.back, label="Back")
            rating = self.io.rating()
            self.recorder.rate_card(card.id, rating, mode=self.key, time_spent_ms=watch.ms())
            self.answered += 1
            self.io.say(f"{RATINGS[rating]}: saved.")
        self.io.say()
        self.io.say("End of the deck.")

    # --- practice -------------------------------------------------------------------------

    def practice(self) -> None:
        from mlquiz.quiz.practice_session import PracticeSession
        from mlquiz.quiz.shuffle import shown_letter

        module = self.module
        session = PracticeSession.from_events(
            module, self.store.events(self.learner, module=module.id),
            recorder=self.recorder, start_at=self.place, learner=self.learner)
        order = [q.id for q in module.questions]
        self.io.say("No test required: take your time, ask for a hint, see the worked solution.")
        while (question := session.current) is not None:
            self.heading(f"Question {order.index(question.id) + 1} of {len(order)}, "
                         f"{question.difficulty}; {session.remaining} to go in this round.")
            self.io.markdown(question.stem)
            numeric = question.is_numeric
            shown = [] if numeric else session.shown_options()  # typed letters are these
            if numeric:
                self.io.say(_number_instructions(question))
            else:
                self.io.choices(shown)
            self.save_place(question.id)
            watch = Stopwatch()
            extra = {"h": "for a hint", "s": "for the solution", "n": "to skip"}
            if session.hint_used():  # revealed earlier, not answered since: shown again
                self.io.markdown(question.hint, label="Hint")
                extra.pop("h")
            while True:
                reply = (self.io.number(question.number.units, extra=extra) if numeric
                         else self.io.choose(shown, extra=extra))
                if reply == "h":
                    self.io.markdown(session.hint(), label="Hint")
                    extra.pop("h")
                    continue
                break
            if reply == "n":
                session.skip()
                self.io.say("Skipped; it comes back later in the round.")
                continue
            if reply == "s":
                self.record("solution_revealed", item=question.id, detail={"mode": self.key})
                if numeric:
                    self.io.say(f"The answer is {question.right_option}.")
                    self._worked_solution(question, "")
                else:
                    right = shown_letter(session.order(), question.answer)
                    self.io.say(f"The answer is {right}, {_inline(question.right_option)}.")
                    self._worked_solution(question, session.order())
                self.io.say("It comes back later in the round.")
            else:
                feedback = session.answer_shown(reply, time_spent_ms=watch.ms())
                self.answered += 1
                if feedback.correct:
                    self.io.say(f"Right: {feedback.right_option}." if numeric else "Right.")
                elif numeric:
                    self.io.say(f"Not this time: you typed {feedback.chosen}; the answer is "
                                f"{feedback.right_option}.")
                else:
                    self.io.say(f"Not this time: the answer is {feedback.shown(feedback.right_letter)}, "
                                f"{_inline(feedback.right_option)}.")
                self.io.markdown(feedback.text(feedback.chosen_feedback))
                self.io.markdown(feedback.text(feedback.general_feedback))
                self._worked_solution(question, feedback.order)
            upcoming = session.advance()
            if upcoming is not None:
                self.io.pause("the next question")
        self.save_place(None)
        self.io.say()
        self.io.say("Every practice question of this module is answered right. Well done. "
                    "Next: study test, or mlquiz review --plain.")

    def _worked_solution(self, question, order: str) -> None:
        """The worked solution; letters it names are shown as the letters on screen."""
        from mlquiz.quiz.shuffle import show_letters

        def text(markdown: str) -> str:
            return show_letters(order, markdown)

        self.io.say()
        self.io.say("Worked solution.")
        for number, step in enumerate(question.solution, 1):
            self.io.markdown(text(f"{step.title}. {step.text}"), label=f"Step {number}")
        self.io.markdown(text(question.final_answer), label="Answer")
        self.io.markdown(text(question.quick_check), label="Quick check")
        if question.common_mistakes:
            self.io.say("Common mistakes:")
            for mistake in question.common_mistakes:
                self.io.say(f"- {_inline(text(mistake))}")

    # --- test ----------------------------------------------------------------------------------

    def test(self) -> None:
        """The app's test: an unfinished one is offered first; options in the learner's
        shuffled order (the letters shown are the letters typed; events keep authored ones)."""
        from mlquiz.quiz.test_session import (
            TestSession, open_test_id, pick_test_questions, practised_question_ids,
            seen_question_ids,
        )

        module = self.module
        events = self.store.events(self.learner, module=module.id)
        session = None
        open_id = open_test_id(events)
        if open_id is not None:
            session = TestSession.from_events(module, events, open_id, recorder=self.recorder,
                                              learner=self.learner)
        if session is not None and not session.closed:
            self.save_place(session.test_id)
            total = len(session.questions)
            self.io.say(f"You left a test half way: {session.answered} of {total} answered.")
            reply = self.io.ask(f"Press Enter to go on at question {session.answered + 1} of "
                                f"{total}, or type end to end it; an ended test is recorded as "
                                "abandoned and gets no score (q to quit): ").lower()
            if reply == "end":
                session.abandon("ended")
                self.io.say("Test ended; recorded as abandoned.")
                session = None
        if session is None or session.closed:
            questions = pick_test_questions(module, seen_question_ids(events),
                                            practised_ids=practised_question_ids(events))
            if not questions:
                self.io.say("This module has no questions yet.")
                return
            self.io.say(f"{plural(len(questions), 'question')} across easy, medium and hard, "
                        "mostly ones you have not met in Practice. No hints; the score comes at "
                        "the end, with a verdict per difficulty and what to revisit for each miss.")
            if self.certainty:
                self.io.say("Certainty marking is on: after each answer, say how sure you are, "
                            "1 to 3. A right answer earns 1, 2 or 3 marks; a wrong one costs "
                            "0, 2 or 6.")
            self.io.ask("Press Enter to start (q to quit): ")
            session = TestSession(module, questions, recorder=self.recorder, learner=self.learner)
        self.save_place(session.test_id)
        while (question := session.current) is not None:
            self.heading(f"Question {session.answered + 1} of {len(session.questions)}, "
                         f"{question.difficulty}.")
            self.io.markdown(question.stem)
            watch = Stopwatch()
            if question.is_numeric:
                self.io.say(_number_instructions(question))
                letter = self.io.number(question.number.units)
            else:
                options = session.shown_options(question.id)
                self.io.choices(options)
                watch = Stopwatch()
                letter = self.io.choose(options)
            sure = self._certainty() if self.certainty else None
            session.answer_shown(question.id, letter, sure, time_spent_ms=watch.ms())
            self.answered += 1
        result = session.finish()
        self.save_place(result.test_id)
        self._test_result(result, session.orders)

    @property
    def certainty(self) -> bool:
        return self.store.setting(self.learner, "test_certainty", "off") == "on"

    def _certainty(self) -> int:
        while True:
            reply = self.io.ask("How sure are you? 1 not sure, 2 fairly sure, 3 certain "
                                "(q to quit): ")
            if reply in ("1", "2", "3"):
                return int(reply)
            self.io.say("Type 1, 2 or 3, or q to quit.")

    def _test_result(self, result, orders: dict[str, str]) -> None:
        from mlquiz.content.summaries import summary
        from mlquiz.quiz.shuffle import shown_letter

        self.heading(f"Result: {result.score} of {result.total} right. Verdict: {result.verdict}.")
        for difficulty, score in result.by_difficulty.items():
            self.io.say(f"{difficulty.capitalize()}: {score.right} of {score.total}, {score.verdict}.")
        if result.cbm_total is not None:
            self.io.say(f"Certainty-based mark: {result.cbm_total} over "
                        f"{plural(result.cbm_answers, 'answer')}, {result.cbm_mean:+.2f} per "
                        "answer (best +3): a mean near +3 means your confidence was well placed.")
        if not result.misses:
            self.io.say("No misses. Nothing to revisit.")
            return
        self.io.say()
        self.io.say("What to revisit:")
        for number, miss in enumerate(result.misses, 1):
            if miss.numeric:
                picked = f"you typed {miss.chosen}" if miss.chosen else "not answered"
                self.io.say(f"{number}. {summary(miss.stem, 90)} ({picked}; right: "
                            f"{miss.right_option}). Revisit: {miss.revisit_title or 'the lesson'}.")
                self.io.markdown(miss.feedback, label="Why not")
                continue
            order = orders[miss.question_id]
            picked = (f"you chose {shown_letter(order, miss.chosen)}" if miss.chosen
                      else "not answered")
            self.io.say(f"{number}. {summary(miss.stem, 90)} ({picked}; right: "
                        f"{shown_letter(order, miss.right_letter)}, "
                        f"{_inline(miss.right_option)}). Revisit: {miss.revisit_title or 'the lesson'}.")
            question = self.module.question(miss.question_id)
            if miss.chosen and question is not None:
                self.io.markdown(question.feedback_for(miss.chosen), label="Why not")

    # --- cheat sheet ------------------------------------------------------------------------------

    def cheat_sheet(self) -> None:
        from mlquiz.commands.plain_lesson import cheat_sheet_blocks

        self.save_place(None)
        for block in cheat_sheet_blocks(self.module):
            self.io.say()
            self.io.say(block)


def _number_instructions(question) -> str:
    """The line under a numeric question's stem: what to type."""
    units = question.number.units
    if units:
        return f"Type a number, in {units} (the units may be typed or left off)."
    return "Type a number (a point for decimals, e.g. 0.25 or 2.5e-1)."


def _inline(markdown: str) -> str:
    from mlquiz.content.plain_text import inline_text

    return inline_text(markdown)
