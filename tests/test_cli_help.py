"""`mlquiz COMMAND --help` explains every option a new user sees."""
from __future__ import annotations

import argparse

from mlquiz.cli import build_parser


def _parsers(parser: argparse.ArgumentParser, name: str = "mlquiz"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def test_every_option_and_argument_of_every_command_has_a_help_text():
    missing = [f"{name}: {action.option_strings or action.dest}"
               for name, parser in _parsers(build_parser())
               for action in parser._actions
               if not isinstance(action, argparse._SubParsersAction) and not action.help]
    assert missing == []


def test_output_options_name_a_file_not_the_argument_dest():
    for name, parser in _parsers(build_parser()):
        assert "OUTPUT" not in parser.format_help(), name


def test_opening_the_app_parses_as_the_full_parser_would():
    """`parse` skips the commands' parsers when no command is named; same namespace."""
    import pytest

    from mlquiz.cli import parse

    for argv in ([], ["--db", "p.db", "--learner", "ada"], ["--instructor", "--db", "room.db"],
                 ["--db", "review"], ["--course", "c", "study", "m", "test", "--plain"]):
        assert vars(parse(argv)) == vars(build_parser().parse_args(argv)), argv
    for typo in (["revew"], ["--bogus"]):  # worded by the full parser, exit 2
        with pytest.raises(SystemExit) as stopped:
            parse(typo)
        assert stopped.value.code == 2
