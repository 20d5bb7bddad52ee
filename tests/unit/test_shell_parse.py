"""The shell's command line: each role's commands, and a one-line reason for everything else."""

from __future__ import annotations

import pytest

from bot.callbacks_model import Outcome
from bot.handlers.shell.help import SHELL_HELP
from bot.handlers.shell.parse import (
    As,
    Claim,
    Close,
    Comment,
    Done,
    In,
    Mistake,
    Nothing,
    Nps,
    OptOut,
    Quit,
    Release,
    Score,
    ShellHelp,
    WhoAmI,
    parse,
)


def test_close_reads_the_ticket_the_way_the_issue_spells_it() -> None:
    line = 'close INC1 "Printer jammed" --team eus --requester ana@example.com'
    assert parse(line) == Close("INC1", "Printer jammed", "eus", "ana@example.com")
    with_agent = parse(line + " --agent bob@example.com --url https://itsm/INC1")
    assert with_agent == Close(
        "INC1", "Printer jammed", "eus", "ana@example.com", "bob@example.com", "https://itsm/INC1"
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('close INC1 "Printer jammed" --team eus', "usage: close TICKET"),
        ("close INC1 --requester ana@example.com", "usage: close TICKET"),
        ('close INC1 "x" --requester', "`--requester` needs a value"),
        ('close INC1 "x" --requester a@b.c --colour red', "unknown option `--colour`"),
        ('close INC1 "Printer jammed', "a quote is not closed"),
    ],
)
def test_a_bad_close_says_what_is_wrong_in_one_line(line: str, reason: str) -> None:
    result = parse(line)
    assert isinstance(result, Mistake)
    assert result.reason.startswith(reason), result.reason
    assert "\n" not in result.reason


def test_score_takes_the_last_survey_or_a_ticket() -> None:
    assert parse("score 3") == Score(None, 3)
    assert parse("score 0") == Score(None, 0)
    assert parse("answer INC1 10") == Score("INC1", 10)
    assert parse("score INC1 7", known={"INC1"}) == Score("INC1", 7)


@pytest.mark.parametrize("line", ["score", "score 11", "score -1", "score three", "score 1 2 3"])
def test_a_score_outside_0_to_10_is_refused(line: str) -> None:
    assert isinstance(parse(line), Mistake)


def test_comment_with_words_drivers_by_key_or_label_and_share() -> None:
    assert parse("comment") == Comment(None)
    got = parse('comment "Took three days" --drivers Timeliness,"resolution quality" --share')
    assert got == Comment(None, "Took three days", ("timeliness", "resolution_quality"), True)
    assert parse("comment INC1 fine", known={"INC1"}) == Comment("INC1", "fine")


def test_a_word_is_a_ticket_only_if_the_session_showed_that_ticket() -> None:
    assert parse("comment 2 days too slow", known={"INC1"}) == Comment(None, "2 days too slow")
    assert parse("optout INC1", known={"INC1"}) == OptOut("INC1")
    assert isinstance(parse("comment --drivers"), Mistake)


def test_lead_commands() -> None:
    assert parse("claim") == Claim(None)
    assert parse("claim INC9") == Claim("INC9")
    assert parse("release INC1", known={"INC1"}) == Release("INC1")
    assert parse("done") == Done(None)
    assert parse("done not_reached left a voicemail") == Done(
        None, Outcome.NOT_REACHED, "left a voicemail"
    )
    assert parse("done INC1 resolved", known={"INC1"}) == Done("INC1", Outcome.RESOLVED)
    assert parse("done INC1 called back", known={"INC1"}) == Done(
        "INC1", Outcome.REACHED, "called back"
    )
    assert parse("done not-resolved") == Done(None, Outcome.NOT_RESOLVED)
    assert isinstance(parse("claim INC1 INC2"), Mistake)


def test_nps_lines_go_to_the_chat_command_parser_untouched() -> None:
    assert parse("/nps team eus weeks 12") == Nps("/nps team eus weeks 12")
    assert parse("  /nps  ") == Nps("/nps")
    assert parse("nps teams") == Nps("nps teams")


def test_who_and_where_and_the_rest() -> None:
    assert parse("as Carol@Example.com") == As("carol@example.com")
    assert isinstance(parse("as carol"), Mistake)
    assert parse("in End User Services") == In("End User Services")
    assert parse("in dm") == In("dm")
    assert parse("whoami") == WhoAmI()
    assert parse("help") == ShellHelp()
    assert parse("quit") == parse("exit") == Quit()
    assert parse("   ") == Nothing()
    assert isinstance(parse("help me"), Mistake)


def test_an_unknown_command_is_named_and_cut() -> None:
    result = parse("x" * 500)
    assert isinstance(result, Mistake)
    assert result.reason == f"I don't know the command '{'x' * 30}'"


def test_help_documents_every_command_the_parser_knows() -> None:
    for verb in (
        "close",
        "score",
        "answer",
        "comment",
        "optout",
        "claim",
        "done",
        "release",
        "/nps",
        "as EMAIL",
        "in TEAM",
        "whoami",
        "help",
        "quit",
        "Ctrl-D",
    ):
        assert verb in SHELL_HELP, verb
    for outcome in Outcome:
        assert outcome.value in SHELL_HELP
