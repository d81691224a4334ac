"""content.plain_text: markdown read aloud in order, with none of its syntax left."""
from mlquiz.content.plain_text import inline_text, labelled, plain_text, prose_paragraphs
from mlquiz.content.summaries import shorten, summary


def test_headings_are_words_and_code_blocks_are_set_off():
    text = plain_text("## Under the hood\n\nThe `fit()` call is **slow**.\n\n"
                      "```python\nmodel.fit(x)  # `x` stays as written\n```\n\nAfter.")
    assert text == ("Heading: Under the hood\n\nThe fit() call is slow.\n\n"
                    "Code:\nmodel.fit(x)  # `x` stays as written\nEnd of code.\n\nAfter.")


def test_lists_quotes_links_and_tables_keep_their_words_only():
    text = plain_text("- one *two*\n- three\n  1. nested\n\n> quoted **so**\n\n"
                      "See [the paper](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert text == ("- one two\n- three\n  1. nested\n\nQuote:\nquoted so\nEnd of quote.\n\n"
                    "See the paper (https://example.org).\n\nTable: a, b\nRow 1: a: 1; b: 2")
    assert "*" not in text and "[" not in text and "|" not in text


def test_inline_and_labelled_text():
    assert inline_text("*Changing* anything\nchanges `everything`") == "Changing anything changes everything"
    assert labelled("Reality", "*Not* so.") == "Reality: Not so."
    assert labelled("Hint", "```\nx\n```") == "Hint:\nCode:\nx\nEnd of code."
    assert labelled("Empty", "") == ""


def test_summary_skips_code_and_cuts_at_a_word():
    stem = "```text\nERROR 42 at step 7\n```\n\nWhat does *this* log show about the pipeline?"
    assert summary(stem) == "What does this log show about the pipeline?"
    assert summary(stem, 30) == "What does this log show about…"
    assert summary("```\nonly code here\n```") == "only code here"
    assert prose_paragraphs("> quoted\n\n# Title\n\n- item") == ["Title", "item"]
    assert shorten("short", 10) == "short"
