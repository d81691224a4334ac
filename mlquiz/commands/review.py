"""`mlquiz review`: today's review. `--plain` asks line by line on stdin/stdout.

The plain prompt is for screen readers, a quick review over ssh, or a script:
lettered choices (a letter or its number), one answer per line, no colours, no cursor movement. It
answers through the same `Recorder` as the app, so it writes the same events.

    $ printf 'b\\nq\\n' | mlquiz review --plain --learner ada

When nothing is due it offers a short practice round (up to 5 questions).
`q` or end of input saves what was answered and exits 0.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from mlquiz.commands.plain_prompt import PlainPrompt, Quit, Stopwatch, plain_session, plural
from mlquiz.content.summaries import without_preamble
from mlquiz.errors import MlquizError

if TYPE_CHECKING:
    from mlquiz.quiz.items import ReviewItem
    from mlquiz.quiz.recorder import Recorder

KIND_NAMES = {"question": "question", "myth": "myth", "prediction": "prediction",
              "card": "flashcard", "pitfall": "pitfall"}


def run(args) -> int:
    if not getattr(args, "plain", False) and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # The full-screen app would draw into a pipe and wait for keys that never come.
        print("mlquiz: not a terminal, so review uses the plain prompt (--plain)",
              file=sys.stderr)
        args.plain = True
    if not getattr(args, "plain", False):
        from mlquiz.commands import app

        args.start = "review"
        return app.run(args)
    return run_plain(args, sys.stdin, sys.stdout)


def run_plain(args, stdin: TextIO, stdout: TextIO) -> int:
    from mlquiz.content import load_course
    from mlquiz.quiz.recorder import Recorder

    if args.limit is not None and args.limit < 1:
        raise MlquizError("--limit must be at least 1", exit_code=2)
    course = load_course(args.course)
    with plain_session(args.db, args.learner) as (store, learner, session_id):
        recorder = Recorder.for_course(store, learner, course, session_id=session_id)
        titles = {module.id: module.title for module in course.modules}
        _Prompt(recorder, stdin, stdout, titles).review(args.limit)
    return 0


class _Prompt:
    def __init__(self, recorder: Recorder, stdin: TextIO, stdout: TextIO,
                 titles: dict[str, str] | None = None) -> None:
        self.recorder = recorder
        self.io = PlainPrompt(stdin, stdout)
        self.titles = titles or {}  # module id -> title
        self.answered = 0
        self.right = 0

    def say(self, text: str = "") -> None:
        self.io.say(text)

    def review(self, limit: int | None) -> None:
        from mlquiz.quiz.practice_session import practice_round

        scheduler = self.recorder.scheduler
        learner = self.recorder.learner
        items = scheduler.queue(limit=limit)
        mode = "review"
        if items:
            self.say(f"{plural(len(items), 'item')} to review for {learner}. "
                     "Type q to stop; what you answered is saved.")
        else:
            items = practice_round(self.recorder)
            mode = "practice"
            if not items:
                self.say("Nothing is due and the course has no questions to practise.")
                return
            self.say(f"Nothing is due for {learner}. A short practice round of "
                     f"{plural(len(items), 'question')} instead. Type q to stop.")
        try:
            for number, item in enumerate(items, 1):
                self.say()
                module = self.titles.get(item.module, item.module)
                self.say(f"Item {number} of {len(items)}: a {KIND_NAMES[item.kind]} from {module}.")
                if item.self_rated:
                    self._card(item, mode)
                elif item.numeric:
                    self._number(item, mode)
                else:
                    self._choice(item, mode)
        except Quit:
            self.say(f"Saved {plural(self.answered, 'answer')}.")
            return
        counts = scheduler.due_counts()
        self.say()
        self.say(f"Done: {self.answered} answered, {self.right} right. "
                 f"Due today: {counts.today}, tomorrow: {counts.tomorrow}, "
                 f"this week: {counts.this_week}.")

    def _choice(self, item: ReviewItem, mode: str) -> None:
        from mlquiz.quiz.shuffle import (authored_letter, order_for, show_letters, shown_letter,
                                         shown_options)

        io = self.io
        if item.context:
            io.markdown(item.context, label="The approach")
        prompt = without_preamble(item.prompt) if item.kind == "prediction" else item.prompt
        io.markdown(prompt)
        myth = item.kind == "myth"
        # The learner's own order (a myth keeps Yes, No); typed letters are the ones shown.
        order = order_for(None if myth else self.recorder.learner, item.id, len(item.choices))
        choices = shown_options(order, item.choices)
        if not myth:
            io.choices(choices)
        extra = {"h": "for a hint"} if item.hint else {}
        hint_level = 0
        if item.hint and _hint_open(self.recorder, item.id):  # revealed earlier, not answered since
            hint_level = 1
            io.markdown(item.hint, label="Hint")
            extra = {}
        watch = Stopwatch()
        while True:
            letter = io.choose(choices, yes_no=myth, extra=extra)
            if letter != "h":
                break
            self.recorder.hint(item.id, mode=mode)
            hint_level = 1
            io.markdown(item.hint, label="Hint")
            extra = {}
        letter = authored_letter(order, letter)
        done = self.recorder.answer(item.id, letter, mode=mode, hint_level=hint_level,
                                    time_spent_ms=watch.ms(),
                                    shown_order=None if myth else order)
        self.answered += 1
        right = _inline(item.right_choice or "")
        if done.correct:
            self.right += 1
            self.say("Right.")
        elif myth:
            self.say(f"Not right. The answer is {right}.")
        else:
            self.say(f"Not right. The answer is {shown_letter(order, item.answer)}: {right}")
        io.markdown(show_letters(order, item.feedback_for(letter)),
                    label=None if done.correct else "Why not")
        io.markdown(show_letters(order, item.general_feedback))
        io.markdown(show_letters(order, item.explanation))

    def _number(self, item: ReviewItem, mode: str) -> None:
        """A numeric question: typed as a number (its units may follow), marked within tolerance."""
        from mlquiz.quiz.numeric import mark_number

        io = self.io
        io.markdown(item.prompt)
        units = item.number.units
        io.say(f"Type a number, in {units} (the units may be typed or left off)." if units
               else "Type a number (a point for decimals, e.g. 0.25 or 2.5e-1).")
        extra = {"h": "for a hint"} if item.hint else {}
        hint_level = 0
        if item.hint and _hint_open(self.recorder, item.id):
            hint_level = 1
            io.markdown(item.hint, label="Hint")
            extra = {}
        watch = Stopwatch()
        while True:
            typed = io.number(units, extra=extra)
            if typed != "h":
                break
            self.recorder.hint(item.id, mode=mode)
            hint_level = 1
            io.markdown(item.hint, label="Hint")
            extra = {}
        done = self.recorder.answer(item.id, typed, mode=mode, hint_level=hint_level,
                                    time_spent_ms=watch.ms())
        self.answered += 1
        mark = mark_number(item.number, typed)
        if done.correct:
            self.right += 1
            self.say(f"Right: {item.number.shown()}.")
        else:
            self.say(f"Not right. You typed {mark.text}; the answer is {item.number.shown()}.")
            io.markdown(mark.feedback, label="Why not")
        io.markdown(item.general_feedback)
        io.markdown(item.explanation)

    def _card(self, item: ReviewItem, mode: str) -> None:
        self.io.markdown(item.prompt, label="Front")
        watch = Stopwatch()
        self.io.ask("Press Enter to turn the card (q to quit): ")
        self.io.markdown(item.back, label="Back")
        rating = self.io.rating()
        done = self.recorder.rate_card(item.id, rating, mode=mode, time_spent_ms=watch.ms())
        self.answered += 1
        if done.correct:
            self.right += 1


def _inline(markdown: str) -> str:
    from mlquiz.content.plain_text import inline_text

    return inline_text(markdown)


def _hint_open(recorder: Recorder, item_id: str) -> bool:
    from mlquiz.quiz.practice_session import open_hints

    return item_id in open_hints(recorder.store.events(recorder.learner, item=item_id))
