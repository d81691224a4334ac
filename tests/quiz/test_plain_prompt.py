"""The plain prompt at a terminal: prose wraps at words, code and diagrams never do."""
import io
import os
import shutil

from mlquiz.commands.plain_prompt import PlainPrompt


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_prose_wraps_at_words_and_code_is_kept_as_written(monkeypatch):
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((41, 24)))
    out = Terminal()
    prompt = PlainPrompt(io.StringIO(""), out)
    long_code = "x = compute_the_features(rows, with_a_long_argument_name=True)"
    prompt.say("Every later change pays interest on the shortcut you took today.")
    prompt.say(f"Code:\n{long_code}\nEnd of code.")
    prompt.say("- a list item that is long enough to need a second line")
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["Every later change pays interest on the", "shortcut you took today."]
    assert long_code in lines  # never cut
    assert lines[-2:] == ["- a list item that is long enough to", "  need a second line"]


def test_a_pipe_gets_one_line_per_paragraph():
    out = io.StringIO()
    PlainPrompt(io.StringIO(""), out).say("word " * 40)
    assert len(out.getvalue().splitlines()) == 1
