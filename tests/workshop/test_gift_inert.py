"""A GIFT bank is someone else's text: what `gift import` writes holds no control characters
or bidi overrides, so no learner's or author's terminal ever receives them from it."""
from __future__ import annotations

import yaml

from mlquiz.workshop.gift import parse_gift
from mlquiz.workshop.gift_yaml import gift_to_yaml

BANK = ("::q1:: What does \x1b]0;owned\x07 drift \u202emean? "
        "{=A change in the \x1b[2Jinput data ~A bug in \u2066the\u2069 code}\n")


def test_imported_stems_and_options_hold_no_control_or_direction_characters():
    parsed = parse_gift(BANK, filename="bank.gift")
    assert parsed.questions, parsed.warnings
    text, _ = gift_to_yaml(parsed.questions, taken_ids=set())
    question = yaml.safe_load(text)["questions"][0]
    written = yaml.safe_dump(question, allow_unicode=True)
    for actor in ("\x1b", "\x07", "\u202e", "\u2066", "\u2069"):
        assert actor not in written, repr(actor)
    assert "drift" in question["stem"] and "]0;owned" in question["stem"], "the words stay"
    assert any("input data" in option for option in question["options"])
