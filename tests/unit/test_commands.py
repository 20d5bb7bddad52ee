"""Tests for bot.commands: `/nps …` text becomes a query, or help with a reason."""

from __future__ import annotations

import pytest

from bot.commands import HELP_TEXT, MAX_COMMAND_CHARS, Help, help_text, parse


@pytest.mark.parametrize("text", ["help", "HELP", "  help  ", "help me please", ""])
def test_help_or_nothing_gives_plain_help(text: str) -> None:
    assert parse(text) == Help()


def test_unknown_word_gives_help_with_a_reason_naming_it() -> None:
    query = parse("  stats eus")
    assert query.reason == "I don't know the command 'stats'"


def test_very_long_unknown_word_is_cut_in_the_reason() -> None:
    query = parse("x" * 100)
    assert query.reason is not None
    assert "x" * 30 in query.reason
    assert "x" * 31 not in query.reason


def test_command_longer_than_the_limit_gives_a_reason() -> None:
    query = parse("help " + "x" * MAX_COMMAND_CHARS)
    assert query.reason == f"that command is longer than {MAX_COMMAND_CHARS} characters"


def test_command_of_exactly_the_limit_is_not_rejected_as_too_long() -> None:
    assert parse("help".ljust(MAX_COMMAND_CHARS, "!")) == Help(
        reason=f"I don't know the command '{'help'.ljust(30, '!')}'"
    )


def test_help_text_puts_the_reason_first() -> None:
    assert help_text(Help()) == HELP_TEXT
    assert help_text(parse("stats")) == (
        "I don't know the command 'stats'. `/nps help` lists every command, with examples."
    )
