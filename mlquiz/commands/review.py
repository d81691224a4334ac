"""`mlquiz review`: today's review. `--plain` asks line by line on stdin/stdout.

The plain prompt is for screen readers, a quick review over ssh, or a script:
numbered choices, one answer per line, no colours, no cursor movement. It
answers through the same `Recorder` as the app, so it writes the same events.

    $ printf '2\\nq\\n' | mlquiz review --plain --learner ada

When nothing is due it offers a short practice round (up to 5 questions).
`q` or end of input saves what was answered and exits 0.
"""
from __future__ import annotations

import re
import sys
import time
from typing import TYPE_CHECKING, TextIO

from mlquiz.errors import MlquizError

if TYPE_CHECKING:
    from mlquiz.quiz.items import ReviewItem
    from mlquiz.quiz.recorder import Recorder

KIND_NAMES = {"question": "Question", "myth": "Myth", "prediction": "Prediction",
              "card": "Flashcard", "pitfall": "Pitfall"}
RATING_PROMPT = "How well did you recall it? 1 Again, 2 Hard, 3 Good, 4 Easy (q to quit): "


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)



_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])")


def plain_text(markdown: str) -> str:
    """Markdown emphasis dropped for a plain prompt: plain_text("**C**: *so*") == "C: so"."""
    return _EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", markdown))

def _rejected(answer: str, what: str) -> str:
    """_rejected("x", "a rating") == "'x' is not a rating."; an empty line: "Nothing typed."."""
    return f"'{answer}' is not {what}." if answer else "Nothing typed."


class _Quit(Exception):
    """The learner typed q or the input ended."""


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
    from mlquiz.progress import ProgressStore
    from mlquiz.quiz.recorder import Recorder

    if args.limit is not None and args.limit < 1:
        raise MlquizError("--limit must be at least 1", exit_code=2)
    course = load_course(args.course)
    store = ProgressStore.open(args.db)
    try:
        learner = args.learner or store.most_recent_learner()
        if not learner:
            raise MlquizError("no learner in this database yet; pass --learner NAME", exit_code=2)
        store.ensure_learner(learner)
        session_id = store.start_session(learner, client="plain")
        try:
            recorder = Recorder.for_course(store, learner, course, session_id=session_id)
            _Prompt(recorder, stdin, stdout).review(args.limit)
        finally:
            store.end_session(session_id)
    finally:
        store.close()
    return 0


class _Prompt:
    def __init__(self, recorder: Recorder, stdin: TextIO, stdout: TextIO) -> None:
        self.recorder = recorder
        self.stdin = stdin
        self.out = stdout
        self.answered = 0
        self.right = 0

    def say(self, text: str = "") -> None:
        self.out.write(plain_text(text) + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise _Quit
        answer = line.strip()
        if answer.lower() in ("q", "quit"):
            raise _Quit
        return answer

    def review(self, limit: int | None) -> None:
        from mlquiz.quiz.practice_session import practice_round

        scheduler = self.recorder.scheduler
        learner = self.recorder.learner
        items = scheduler.queue(limit=limit)
        mode = "review"
        if items:
            self.say(f"{len(items)} item{'s' if len(items) != 1 else ''} to review for {learner}. "
                     "Type q to stop; what you answered is saved.")
        else:
            items = practice_round(self.recorder)
            mode = "practice"
            if not items:
                self.say("Nothing is due and the course has no questions to practise.")
                return
            self.say(f"Nothing is due for {learner}. A short practice round of "
                     f"{len(items)} question{'s' if len(items) != 1 else ''} instead. Type q to stop.")
        try:
            for number, item in enumerate(items, 1):
                self.say()
                self.say(f"[{number}/{len(items)}] {KIND_NAMES[item.kind]} ({item.module})")
                if item.self_rated:
                    self._card(item, mode)
                else:
                    self._choice(item, mode)
        except _Quit:
            self.say(f"Saved {self.answered} answer{'s' if self.answered != 1 else ''}.")
            return
        counts = scheduler.due_counts()
        self.say()
        self.say(f"Done: {self.answered} answered, {self.right} right. "
                 f"Due today: {counts.today}, tomorrow: {counts.tomorrow}, "
                 f"this week: {counts.this_week}.")

    def _choice(self, item: ReviewItem, mode: str) -> None:
        if item.context:
            self.say(f"The approach: {item.context}")
        self.say(item.prompt)
        for number, choice in enumerate(item.choices, 1):
            self.say(f"  {number}. {choice}")
        valid = [str(n) for n in range(1, len(item.choices) + 1)]
        letters = [letter.lower() for letter in item.letters]  # a-d work as in the app
        extra = ["h"] if item.hint else []
        hint_level = 0
        started = time.monotonic()
        prompt = f"Your answer (1-{len(valid)}{', h for a hint' if extra else ''}, q to quit): "
        while True:
            answer = self.ask(prompt).lower()
            if answer in letters and answer not in extra:
                answer = str(letters.index(answer) + 1)
            if answer in valid:
                break
            if answer == "h" and extra:
                if not hint_level:
                    self.recorder.hint(item.id, mode=mode)
                hint_level = 1
                self.say(f"Hint: {item.hint}")
                continue
            self.say(f"{_rejected(answer, 'one of the choices')} Valid answers: "
                     f"{', '.join(valid + extra + ['q'])} (or the letters "
                     f"{letters[0]}-{letters[-1]}).")
        letter = item.letters[int(answer) - 1]
        done = self.recorder.answer(item.id, letter, mode=mode, hint_level=hint_level,
                                    time_spent_ms=_elapsed_ms(started))
        self.answered += 1
        right_number = item.letters.index(item.answer) + 1
        if done.correct:
            self.right += 1
            self.say("Right.")
        else:
            self.say(f"Not right. The answer is {right_number} ({item.answer}): {item.right_choice}")
        if item.explanation:
            self.say(item.explanation)

    def _card(self, item: ReviewItem, mode: str) -> None:
        self.say(item.prompt)
        started = time.monotonic()
        self.ask("Press Enter to see the back (q to quit): ")
        self.say(item.back)
        while True:
            answer = self.ask(RATING_PROMPT)
            if answer in ("1", "2", "3", "4"):
                break
            self.say(f"{_rejected(answer, 'a rating')} Valid answers: 1, 2, 3, 4, q.")
        done = self.recorder.rate_card(item.id, int(answer), mode=mode,
                                       time_spent_ms=_elapsed_ms(started))
        self.answered += 1
        if done.correct:
            self.right += 1
