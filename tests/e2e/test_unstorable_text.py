"""Words a database cannot hold as they are (NUL, a lone surrogate) reach the use cases from
more than one door (a platform payload, an import, a direct call); they are kept, not lost to
a storage error, and read the same on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from bot import callbacks, surveys
from bot.callbacks_model import Claimed, Closed, Outcome
from bot.model import CommentRecorded
from bot.server import DEPS
from tests.harness import running_bot, ticket


async def test_a_comment_and_a_callback_note_with_nul_and_a_lone_surrogate_are_kept(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        assert (await bot.post_ticket({"type": "ticket.closed", "ticket": ticket()}))[0] == 202
        await bot.slack.wait_for("chat.postMessage", count=1)
        await ana.click_score(3)
        deps = bot.app[DEPS]
        survey = await bot.scalar("SELECT id FROM survey")
        said = "VPN\x00 down \ud800 again"
        outcome = await surveys.record_comment(deps, survey, said, [], actor="U0ANA")
        assert isinstance(outcome, CommentRecorded)
        assert await bot.scalar("SELECT comment FROM answer") == "VPN\ufffd down \ufffd again"

        callback = await bot.scalar("SELECT id FROM callback")
        claim = await callbacks.claim_callback(deps, callback, "U0LEAD", "C0LEADS")
        assert isinstance(claim, Claimed)
        done = await callbacks.record_outcome(deps, callback, "U0LEAD", Outcome.REACHED, "ok\x00")
        assert isinstance(done, Closed)
        assert await bot.scalar("SELECT notes FROM callback") == "ok\ufffd"
