"""One home for the words: the catalogue in bot/texts.py, and no sentence or helper written twice
in the Slack and Teams adapters (issue 10, item 9)."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path
from string import Formatter

import pytest

from bot.callbacks_model import Callback, CallbackStatus, NotOwner, OwnedByOther, UnknownCallback
from bot.ports import retry_after_seconds
from bot.texts import TEXTS, Plural, pieces, refusal, say

ADAPTERS = Path(__file__).parents[2] / "bot" / "handlers"
AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _literals(folder: str) -> set[str]:
    """Every string literal of an adapter, f-strings' fixed parts included, spaces collapsed.
    shape.py is left out: its reasons answer a malformed request in the HTTP body, for whoever
    sent it, and are never shown in a chat."""
    found = set()
    for path in (ADAPTERS / folder).rglob("*.py"):
        if path.name == "shape.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(" ".join(node.value.split()))
    return found


def _sentences(folder: str) -> set[str]:
    """The literals a person could read as a sentence: four words or more."""
    words = {s: re.findall(r"[A-Za-z][A-Za-z']*", s) for s in _literals(folder) if s not in TEXTS}
    return {s for s, found in words.items() if len(found) >= 4}


def test_no_sentence_of_four_words_is_written_in_both_adapters() -> None:
    slack, teams = _literals("slack"), _literals("teams")
    twice = {s for s in _sentences("slack") if any(s in t for t in teams)}
    twice |= {s for s in _sentences("teams") if any(s in t for t in slack)}
    assert not twice, f"say these once, in bot/texts.py: {sorted(twice)}"


def _bodies(folder: str) -> dict[str, str]:
    bodies = {}
    for path in (ADAPTERS / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body = ast.Module(body=node.body, type_ignores=[])
                bodies[ast.dump(body)] = f"{path.name}:{node.name}"
    return bodies


def test_no_helper_is_written_in_both_adapters() -> None:
    """Twins such as the Retry-After parser or the score notice live once, in the core."""
    slack, teams = _bodies("slack"), _bodies("teams")
    assert not [(slack[k], teams[k]) for k in slack.keys() & teams.keys()]


def test_plural_forms_follow_the_count() -> None:
    assert say("answers", count=1) == "1 answer"
    assert say("answers", count=2) == "2 answers"
    assert say("answers", count=0) == "0 answers"
    assert say("list.summary", count=1) == "1 open callback"
    assert say("report.undeliverable", count=1).startswith("1 survey of")
    with pytest.raises(TypeError):
        say("answers")


def test_every_text_parses_and_plurals_have_both_forms() -> None:
    for key, text in TEXTS.items():
        forms = (text.one, text.other) if isinstance(text, Plural) else (text,)
        for form in forms:
            fields = {f for _, f, _, _ in Formatter().parse(form) if f is not None}
            assert all(f.isidentifier() for f in fields), key
            assert "{count}" in form or not isinstance(text, Plural), key


def test_pieces_keep_a_layout_value_whole_and_join_the_words_around_it() -> None:
    bold = {"type": "TextRun", "text": "INC1"}
    assert pieces("thanks", score="9", ticket=bold) == ["Thank you! You gave 9 for ", bold, "."]
    assert pieces("survey.intro", ticket=bold, by="") == ["Your ticket ", bold, " was closed."]


def test_a_refusal_names_the_owner_or_says_who_in_words() -> None:
    claimed = Callback("cb", "s", "eus", "C1", CallbackStatus.CLAIMED, "U1", AT)
    assert refusal(OwnedByOther(claimed), "Ann").startswith("Ann is already calling back")
    assert refusal(OwnedByOther(claimed), None).startswith("Another lead is already")
    assert refusal(NotOwner(claimed), None).startswith("Only its owner (or an admin)")
    assert refusal(UnknownCallback("cb"), "Ann") == say("callback.gone")


@pytest.mark.parametrize(
    ("header", "seconds"), [("12", 12.0), ("0", 1.0), ("soon", 30.0), (None, 30.0), (2.5, 2.5)]
)
def test_retry_after_is_read_once_for_both_platforms(
    header: str | float | None, seconds: float
) -> None:
    assert retry_after_seconds(header) == seconds
