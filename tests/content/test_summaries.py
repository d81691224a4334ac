"""content.summaries: one plain line per item, and shortening that never cuts a word."""
from __future__ import annotations

from mlquiz.content.plain_text import prose_paragraphs
from mlquiz.content.summaries import shorten, summary


def test_a_stem_that_opens_with_code_is_summarised_by_its_question():
    stem = "```python\ndef fit(path):\n    return model\n```\n\nWhich risk of debt hides here?\n"
    assert summary(stem) == "Which risk of debt hides here?"


def test_a_stem_that_opens_with_a_log_is_summarised_by_its_question():
    stem = ("```text\n2025-03-02 07:00:09 ERROR request failed\nTraceback (most recent call last):\n"
            "```\n\nWhich underlying debt most likely causes this?")
    assert summary(stem) == "Which underlying debt most likely causes this?"


def test_markdown_syntax_does_not_leak_into_the_summary():
    stem = ("Sculley et al. sum it up as *Changing\nAnything Changes Everything* (CACE), "
            "and **bold** with `flags.holiday_boost_2021` [a link](http://x).")
    line = summary(stem)
    assert "*" not in line and "`" not in line and "](" not in line
    assert "Changing Anything Changes Everything (CACE)" in line
    assert "flags.holiday_boost_2021" in line


def test_only_the_first_paragraph_and_one_line():
    assert summary("First line\nwraps here.\n\nSecond paragraph.") == "First line wraps here."


def test_a_prediction_preamble_is_dropped():
    assert summary("Before reading on: does debt only slow you down?") == "Does debt only slow you down?"


def test_code_only_falls_back_to_its_first_line():
    assert summary("```\nprint('x')\n```") == "print('x')"


def test_shorten_ends_in_an_ellipsis_at_a_word_boundary():
    text = "Keeping ML debt under control"
    for width in range(9, len(text)):  # from the first word plus "…" on
        short = shorten(text, width)
        assert len(short) <= width and short.endswith("…")
        assert text.startswith(short[:-1]) and text[len(short) - 1] == " "
    assert shorten(text, 100) == text


def test_summaries_are_drawn_from_prose_not_quotes_or_code():
    assert prose_paragraphs("## Heading\n\n- one\n- two\n\n> quoted") == ["Heading", "one", "two"]
    assert summary("> WARN drift on `income`\n\nWhat should the on-call do first?") == (
        "What should the on-call do first?")


def test_a_lead_in_ending_in_a_colon_gives_way_to_the_question_after_the_code():
    stem = "A run retrains the model without each feature and prints:\n\n```\nx 0.1\n```\n\nWhich feature goes?"
    assert summary(stem) == "Which feature goes?"
