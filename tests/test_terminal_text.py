"""What any command prints reaches a terminal without control characters or bidi overrides."""
from __future__ import annotations

import io
import sys

from mlquiz.cli import main
from mlquiz.terminal_text import clean, one_line, printing_safely

HOSTILE = "ana\x1b]0;title\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m\u202eevil\u2066x\u2069\r\n"


def test_clean_keeps_text_newlines_and_tabs_and_drops_what_a_terminal_acts_on():
    assert clean(HOSTILE) == "ana]0;title[2J]52;c;ZXZpbA==31mevilx\n"
    assert clean("plain\ttext\nüñï ✓") == "plain\ttext\nüñï ✓"
    assert clean("over\rwrite") == "overwrite"
    assert one_line("two\nlines\tand\x1btab") == "two lines andtab"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_data_into_a_pipe_is_left_exact_and_into_a_terminal_is_cleaned(monkeypatch):
    pipe, terminal = io.StringIO(), _Terminal()
    for stream in (pipe, terminal):
        monkeypatch.setattr(sys, "stdout", stream)
        with printing_safely(data=True):
            print(HOSTILE, end="")
    assert pipe.getvalue() == HOSTILE
    assert terminal.getvalue() == clean(HOSTILE)
    assert sys.stdout is terminal, "the stream is given back"


def test_an_error_naming_a_hostile_path_is_printed_inert(tmp_path, capsys):
    missing = tmp_path / "course\x1b]0;title\x07\u202e"
    assert main(["validate", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert "does not exist" in err
    assert "\x1b" not in out + err and "\x07" not in out + err and "\u202e" not in out + err
