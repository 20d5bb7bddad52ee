"""One home for the words (issue 10, item 9): no module of bot/ outside bot/texts/ writes a
sentence a chat shows, every key said is in the catalogue, and every text in it is said."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.texts import TEXTS
from bot.texts.en import PARTS

BOT = Path(__file__).parents[2] / "bot"
CATALOGUE = BOT / "texts" / "en"

# Modules whose sentences someone other than the people in a chat reads: no translation of the
# chat replaces them, so the catalogue does not hold them. A new one is added here with a reason.
NOT_CHAT = {
    # Whoever runs npsbot: the CLI and its commands, settings, start-up, metric help texts.
    "cli.py": "operator",
    "cli_commands.py": "operator",
    "configdoc.py": "operator",
    "demo_run.py": "operator",
    "importer.py": "operator",
    "metrics.py": "operator",
    "server.py": "operator",
    "settings.py": "operator",
    "startup.py": "operator",
    # Data, not words the bot says: the demo's sample tickets and comments, stop words, the
    # field names and skip reasons of the ITSM tools.
    "demo.py": "data",
    "scoring/stopwords.py": "data",
    "itsm/jira.py": "data",
    # An HTTP caller (the ITSM tool, Slack, Teams) reads these in a response body.
    "handlers/itsm.py": "http",
    "handlers/tickets.py": "http",
    "handlers/webhook_reply.py": "http",
    "handlers/slack/__init__.py": "http",
    "handlers/slack/slash.py": "http",
    "handlers/teams/auth.py": "http",
    # Why a delivery failed, stored on the survey for the admin.
    "handlers/teams/messenger.py": "admin",
    # `npsbot shell`'s own words outside the chat's panes: its help, banner, notes and typos.
    "handlers/shell/__init__.py": "shell",
    "handlers/shell/help.py": "shell",
    "handlers/shell/messenger.py": "shell",
    "handlers/shell/parse.py": "shell",
    "handlers/shell/requester.py": "shell",
    "handlers/shell/session.py": "shell",
}
WORD = re.compile(r"[A-Za-z][a-z']*")


def is_sentence(text: str) -> bool:
    """Three words or more; identifiers (`score_not_stored`, `Input.ChoiceSet`) are no words."""
    words = (token.strip("()[]\"'`“”.,:;!?") for token in text.split())
    return sum(1 for word in words if WORD.fullmatch(word)) >= 3


def _not_read(tree: ast.Module) -> set[int]:
    """Docstrings, exception messages (for developers) and f-strings' parts, which are read
    whole."""
    out: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            out.add(id(body[0].value))
        if isinstance(node, ast.Raise):
            out.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.JoinedStr):
            out.update(id(part) for part in node.values)
    return out


def literals(path: Path) -> Iterator[tuple[int, str]]:
    """Each string literal with its line; an f-string with `{}` for what it interpolates."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _not_read(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            parts = (p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)
            yield node.lineno, "".join(str(p) for p in parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def _modules(*, catalogue: bool = False) -> Iterator[Path]:
    for path in sorted(BOT.rglob("*.py")):
        if catalogue or not path.is_relative_to(CATALOGUE):
            yield path


def test_no_module_outside_the_catalogue_writes_a_sentence_a_chat_shows() -> None:
    found = [
        f"bot/{path.relative_to(BOT)}:{line}: {text!r}"
        for path in _modules()
        if str(path.relative_to(BOT)) not in NOT_CHAT
        for line, text in literals(path)
        if text not in TEXTS and is_sentence(text)
    ]
    assert not found, "say these by key, from bot/texts/en/:\n" + "\n".join(found)


def test_the_modules_left_out_still_exist() -> None:
    assert [name for name in NOT_CHAT if not (BOT / name).is_file()] == []


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("Sorry, I can't find that survey any more.", True),
        ("(a message was deleted)", True),
        ("score_not_stored", False),
        ("Input.ChoiceSet", False),
        ("application/vnd.microsoft.card.adaptive", False),
        ("%Y-%m-%d %H:%M UTC", False),
        ("Week of|NPS|±", False),
    ],
)
def test_a_sentence_is_three_words_and_an_identifier_none(text: str, sentence: bool) -> None:
    assert is_sentence(text) is sentence


def _said_keys() -> Iterator[tuple[str, str]]:
    """The literal keys passed to say() and pieces() anywhere in bot/."""
    for path in _modules(catalogue=True):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            key = node.args[0]
            if name in ("say", "pieces") and isinstance(key, ast.Constant):
                yield f"bot/{path.relative_to(BOT)}:{node.lineno}", str(key.value)


def test_every_key_said_is_in_the_catalogue() -> None:
    assert [f"{where}: {key}" for where, key in _said_keys() if key not in TEXTS] == []


def test_every_text_of_the_catalogue_is_said_somewhere() -> None:
    """A key appears as a literal outside the catalogue (in a say() call or a table of keys such
    as the lost-time choices), so no text is left behind once its last reader has gone."""
    used = {
        node.value
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert sorted(TEXTS.keys() - used) == []


def test_the_parts_of_the_catalogue_share_no_key() -> None:
    assert sum(len(part.TEXTS) for part in PARTS) == len(TEXTS)
