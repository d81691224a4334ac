"""Text that is safe to print to a terminal: no control characters, no bidi overrides.

Learner names, answers, exercise output and imported questions are written by
people other than the one reading the terminal. An escape sequence among them
could retitle the window, clear the screen or write to the clipboard; a bidi
override could make a line read differently from what it holds. Every command
prints through `CleanStream` (cli.main wraps stdout and stderr), so what reaches
the terminal is only printable text, newlines and tabs.

>>> clean("ana\\x1b]0;pwned\\x07\\u202eevil")
'ana]0;pwnedevil'
>>> one_line("two\\nlines\\tand a tab")
'two lines and a tab'

May be imported from any layer (like `mlquiz.paths`): it imports nothing of mlquiz.
"""
from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

# C0 controls but tab and newline, DEL, C1 controls; the bidi embeddings, overrides and
# isolates, the directional marks (LRM, RLM, ALM); the line and paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069\u2028\u2029]")
_BREAKS = re.compile("[\t\n]+")


def clean(text: str) -> str:
    """`text` without the characters a terminal would act on; newlines and tabs kept.

    A carriage return goes too (it would let a line overwrite the one before it),
    except as part of a Windows line end, which becomes a plain newline.
    """
    if text.isprintable() and "\r" not in text:
        return text  # the common case: nothing to look at twice
    return _UNSAFE.sub("", text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """`clean(text)` on one line: newlines and tabs become single spaces (names, cells)."""
    return _BREAKS.sub(" ", clean(text))


def is_clean(text: str) -> bool:
    """True when `clean` would leave `text` as it is."""
    return clean(text) == text


class CleanStream:
    """A text stream whose `write` passes `clean(text)` on: what any command prints.

    >>> import io
    >>> out = io.StringIO(); CleanStream(out).write("a\\x1b[2Jb"); out.getvalue()
    5
    'a[2Jb'
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(clean(text))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    @property
    def wrapped(self) -> TextIO:
        return self._stream

    def __getattr__(self, name: str):  # flush, isatty, fileno, encoding, buffer ...
        return getattr(self._stream, name)


@contextmanager
def printing_safely(*, data: bool = False) -> Iterator[None]:
    """Every print of a command cleaned, for its duration: stderr always; stdout too, unless
    the command writes data (`--format csv|json|html`, `--json`) into a file or a pipe,
    which then gets the bytes as they are (a terminal always gets them cleaned).

    >>> with printing_safely():          # doctest: +SKIP
    ...     print("\\x1b]52;c;...\\x07")   # prints ']52;c;...'
    """
    saved = sys.stdout, sys.stderr
    if sys.stderr is not None and not isinstance(sys.stderr, CleanStream):
        sys.stderr = CleanStream(sys.stderr)
    out = sys.stdout
    if out is not None and not isinstance(out, CleanStream) and not (data and not _is_terminal(out)):
        sys.stdout = CleanStream(out)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
