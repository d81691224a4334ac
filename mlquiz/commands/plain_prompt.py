"""The line-by-line prompt behind `mlquiz study --plain` and `mlquiz review --plain`.

Plain output (markdown rendered by `mlquiz.content.plain_text`), one answer per
input line, no colours and no cursor movement, so a screen reader, a pipe or
an ssh session reads it in order.

>>> prompt = PlainPrompt(sys.stdin, sys.stdout)                     # doctest: +SKIP
>>> prompt.markdown("**Why** it matters")                            # prints "Why it matters"
>>> prompt.choose(("Yes", "No"), yes_no=True)                        # doctest: +SKIP
'A'

Typing q (or quit) or reaching the end of the input raises `Quit`; the
caller has saved every answer already and exits 0.
"""
from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from mlquiz.content.models import LETTERS
from mlquiz.errors import MlquizError

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
VERBATIM_START = ("Code:", "Diagram:")  # the lines that open a block kept as written
VERBATIM_END = ("End of code.", "End of diagram.")
RATING_QUESTION = "How well did you know it? 1 Again, 2 Hard, 3 Good, 4 Easy"


@contextmanager
def plain_session(db, learner: str | None) -> Iterator[tuple[object, str, str]]:
    """(store, learner, session id) for one plain run, the session ended and the store closed
    after it. The learner defaults to the one chosen in the app (`progress.identity`).

    with plain_session(args.db, args.learner) as (store, learner, session_id): ...
    """
    from mlquiz.progress import ProgressStore
    from mlquiz.progress.identity import command_learner

    store = ProgressStore.open(db)
    try:
        learner = command_learner(store, learner)
        if not learner:
            raise MlquizError("no learner in this database yet; pass --learner NAME", exit_code=2)
        store.ensure_learner(learner)
        session_id = store.start_session(learner, client="plain")
        try:
            yield store, learner, session_id
        finally:
            store.end_session(session_id)
    finally:
        store.close()


class Quit(Exception):
    """The learner typed q, or the input ended."""


def rejected(answer: str, what: str) -> str:
    """rejected("x", "a rating") == "'x' is not a rating."; an empty line: "Nothing typed."."""
    return f"'{answer}' is not {what}." if answer else "Nothing typed."




def plural(count: int, word: str) -> str:
    """plural(1, "answer") == "1 answer"; plural(2, "answer") == "2 answers"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


class PlainPrompt:
    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin = stdin
        self.out = stdout
        self.echo_off = _is_terminal(stdin)
        # At a terminal, prose wraps at word boundaries; a pipe gets one line per paragraph.
        self.width = _terminal_width(stdout)
        self._verbatim = False  # inside a code block or diagram: lines kept as written

    # --- output -------------------------------------------------------------

    def say(self, text: str = "") -> None:
        """One line (or lines) of plain text; wrapped at words on a terminal."""
        if self.width:
            text = "\n".join(self._wrapped(line) for line in text.split("\n"))
        self.out.write(text + "\n")
        self.out.flush()

    def _wrapped(self, line: str) -> str:
        if line in VERBATIM_START:
            self._verbatim = True
            return line
        if self._verbatim:
            self._verbatim = line not in VERBATIM_END
            return line
        if len(line) <= self.width:
            return line
        import textwrap

        stripped = line.lstrip(" ")
        marker = next((m for m in ("- ", *(f"{n}. " for n in range(1, 10))) if
                       stripped.startswith(m)), "")
        indent = " " * (len(line) - len(stripped))
        return textwrap.fill(line, self.width, subsequent_indent=indent + " " * len(marker),
                             break_long_words=False, break_on_hyphens=False)

    def markdown(self, text: str, label: str | None = None) -> None:
        """Content markdown as plain text; with `label`, "Label: its words"."""
        from mlquiz.content.plain_text import labelled, plain_text

        body = labelled(label, text) if label else plain_text(text)
        if body:
            self.say(body)

    def choices(self, choices: Sequence[str]) -> None:
        """Lettered choices, one per line: "A. text"."""
        from mlquiz.content.plain_text import plain_text

        for letter, text in zip(LETTERS, choices):
            body = plain_text(text) or text
            self.say(f"{letter}. " + body.replace("\n", "\n   "))

    # --- input ----------------------------------------------------------------

    def ask(self, prompt: str) -> str:
        """Print `prompt` (no newline) and read one line; Quit on q or end of input."""
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise Quit
        answer = line.strip()
        if not self.echo_off:
            self.say(answer)  # piped input is not echoed: keep the transcript readable
        if answer.lower() in ("q", "quit"):
            raise Quit
        return answer

    def pause(self, what: str) -> str:
        """Wait for Enter (or another key word the caller understands): `what` names the step."""
        return self.ask(f"Press Enter for {what} (q to stop): ").lower()

    def choose(self, choices: Sequence[str], *, yes_no: bool = False,
               extra: dict[str, str] | None = None) -> str:
        """Read a choice: its letter (any case) or its number; y/n too for yes/no.

        Returns the letter ("A"...), or one of the `extra` keys (e.g. {"h": "for a hint"}).
        """
        letters = LETTERS[: len(choices)]
        extra = extra or {}
        keys = [f"{letters[0]}-{letters[-1]}" if len(letters) > 1 else letters[0]]
        if yes_no:
            keys = ["y for yes", "n for no"]
        keys += [f"{key} {meaning}" for key, meaning in extra.items()]
        prompt = f"Your answer ({', '.join(keys)}, q to quit): "
        while True:
            answer = self.ask(prompt).lower()
            if answer in extra:
                return answer
            if yes_no and answer in ("y", "yes", "n", "no"):
                return "A" if answer.startswith("y") else "B"
            if len(answer) == 1 and answer.upper() in letters:
                return answer.upper()
            if answer.isdigit() and 1 <= int(answer) <= len(letters):
                return letters[int(answer) - 1]
            valid = "y, n" if yes_no else (f"a letter {letters[0]} to {letters[-1]}"
                                          if len(letters) > 1 else letters[0])
            self.say(f"{rejected(answer, 'one of the choices')} Type {valid}"
                     f"{''.join(', ' + key for key in extra)}, or q to quit.")

    def number(self, units: str | None = None, *, extra: dict[str, str] | None = None) -> str:
        """Read a typed number (the question's `units` may follow it, or be left off).

        Returns the text typed, already known to be a number, or one of the `extra`
        keys. Anything else gets one line saying what is accepted, and is asked again:
        it is never an answer.
        """
        from mlquiz.quiz.numeric import NumberEntryError, parse_number

        extra = extra or {}
        keys = [f"a number{' in ' + units if units else ''}"]
        keys += [f"{key} {meaning}" for key, meaning in extra.items()]
        prompt = f"Your answer ({', '.join(keys)}, q to quit): "
        while True:
            answer = self.ask(prompt)
            if answer.lower() in extra:
                return answer.lower()
            try:
                parse_number(answer, units)
            except NumberEntryError as error:
                self.say(f"{str(error)[:1].upper()}{str(error)[1:]}. Try again.")
                continue
            return answer

    def rating(self) -> int:
        """A flashcard rating 1-4 (or its name)."""
        names = {name.lower(): number for number, name in RATINGS.items()}
        while True:
            answer = self.ask(f"{RATING_QUESTION} (q to quit): ").lower()
            if answer in ("1", "2", "3", "4"):
                return int(answer)
            if answer in names:
                return names[answer]
            self.say(f"{rejected(answer, 'a rating')} Type 1, 2, 3 or 4, or q to quit.")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _terminal_width(stream: TextIO) -> int | None:
    if not _is_terminal(stream):
        return None
    import shutil

    return max(40, shutil.get_terminal_size().columns - 1)


class Stopwatch:
    """Milliseconds since the item was shown: `watch = Stopwatch(); ...; watch.ms()`."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)
