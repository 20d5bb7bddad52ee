"""`npsbot forget` as an admin runs it: every trace of one requester goes, others' stay."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy import text as sql
from sqlmodel import SQLModel

import store.tables  # noqa: F401 - registers every table in the metadata the dump reads
from tests.harness import RunningBot, SlackUser, running_bot, ticket

LEADS = "C0LEADS"
ANA_COMMENT = "Nobody listened to Ana-canary-7f3e"
ANA_NOTES = "Called ana@example.com back, she was upset"
BOB_COMMENT = "Bob-kept-comment-91ab"
REMOVED = "This message was removed at the requester's request."


async def _forget(
    bot: RunningBot, db_url: str, tmp_path: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": db_url,
        "NPS_CONFIG": str(tmp_path / "nps.toml"),
    }
    # In a thread: the bot under test shares this event loop, and SQLite's write lock with the CLI.
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "forget", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def _detractor(bot: RunningBot, who: SlackUser, ticket_id: str, score: int, text: str) -> str:
    """Ticket → survey DM → score with comment → alert; returns the alert's ts."""
    alerts = len(_alerts(bot))
    body = {"type": "ticket.closed", "ticket": ticket(id=ticket_id, requester_email=who.email)}
    assert (await bot.post_ticket(body))[0] == 202
    await bot.slack.wait_for("chat.postMessage", count=len(bot.slack.messages) + 1)
    await bot.drain()
    opened = len(bot.slack.calls_to("views.open"))
    await who.click_score(score)
    await bot.drain()
    await who.click("nps.comment.open", who.survey_message())
    views = await bot.slack.wait_for("views.open", count=opened + 1)
    await who.submit_comment(views[-1].params["view"], text, ["communication"])
    await bot.drain()
    (ts,) = [ts for ts, _ in _alerts(bot)][alerts:]
    return ts


def _alerts(bot: RunningBot) -> list[tuple[str, dict[str, Any]]]:
    return [(ts, m) for (ch, ts), m in bot.slack.messages.items() if ch == LEADS]


async def _claim_and_close(bot: RunningBot, ts: str, notes: str) -> None:
    lead = bot.user("lead@example.com", "U0LEAD")
    await lead.click_in(LEADS, ts, "nps.callback.claim")
    await bot.drain()
    views = len(bot.slack.calls_to("views.open"))
    await lead.click_in(LEADS, ts, "nps.callback.done")
    opened = await bot.slack.wait_for("views.open", count=views + 1)
    values = {
        "outcome": {"choice": {"type": "radio_buttons", "selected_option": {"value": "resolved"}}},
        "notes": {"text": {"type": "plain_text_input", "value": notes}},
    }
    assert (await lead.submit_view(opened[-1].params["view"], values))[0] == 200
    await bot.drain()


async def _dump(bot: RunningBot) -> str:
    """Every column of every row of every table, as one text."""
    rows = []
    async with bot.store.read() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows += [repr(tuple(r)) for r in await conn.execute(select(table))]
    return "\n".join(rows)


async def test_forget_erases_a_requester_everywhere_and_keeps_others(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana, bob = bot.user("ana@example.com", "U0ANA"), bot.user("bob@example.com", "U0BOB")
        ana_alert = await _detractor(bot, ana, "INC1", 3, ANA_COMMENT)
        await _claim_and_close(bot, ana_alert, ANA_NOTES)
        ana_dm = ana.messages()[0][0]
        await _detractor(bot, bob, "INC2", 2, BOB_COMMENT)
        before = await _dump(bot)
        assert "ana@example.com" in before
        assert "U0ANA" in before
        assert ANA_COMMENT in before

        dry = await _forget(bot, db_url, tmp_path, "--email", "ana@example.com", "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert "would remove 1 comments and drivers" in dry.stdout
        assert await _dump(bot) == before

        done = await _forget(bot, db_url, tmp_path, "--email", "ana@example.com")
        assert done.returncode == 0, done.stderr
        assert "removed 1 comments and drivers" in done.stdout
        assert "removed 1 callback notes" in done.stdout
        bot.clock.advance(seconds=30)  # the CLI queued the jobs at the real time, past the bot's
        await bot.drain()

        deleted = [c.params for c in bot.slack.calls_to("chat.delete")]
        assert deleted == [{"channel": ana.dm_channel, "ts": ana_dm}]
        assert ana.messages() == []
        assert bot.slack.messages[(LEADS, ana_alert)]["text"] == REMOVED
        after = await _dump(bot)
        for trace in ("ana@example.com", "U0ANA", ana.dm_channel, ANA_COMMENT, ANA_NOTES):
            assert trace not in after, trace
        for kept in ("bob@example.com", "U0BOB", BOB_COMMENT):
            assert kept in after, kept
        # The scores stay, unattributed: past weeks' figures do not move.
        scores = (
            await bot.scalar("SELECT group_concat(score) FROM answer")
            if (bot.store.dialect == "sqlite")
            else await bot.scalar("SELECT string_agg(score::text, ',' ORDER BY score) FROM answer")
        )
        assert sorted(str(scores).split(",")) == ["2", "3"]

        again = await _forget(bot, db_url, tmp_path, "--email", "ana@example.com")
        assert again.returncode == 0, again.stderr
        assert "removed" not in again.stdout
        assert "nothing to remove" in again.stdout
        assert await _dump(bot) == after
        assert json.dumps(bot.slack.invalid) == "[]"


async def test_forget_by_slack_user_finds_the_e_mail_too(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        await _detractor(bot, ana, "INC1", 1, ANA_COMMENT)
        done = await _forget(bot, db_url, tmp_path, "--slack-user", "U0ANA")
        assert done.returncode == 0, done.stderr
        # A Slack outage outlasted the give-up time: the job failed, its messages are still there.
        async with bot.store.write() as conn:
            await conn.execute(sql("UPDATE outbox SET status = 'failed' WHERE kind = 'erase'"))
        again = await _forget(bot, db_url, tmp_path, "--email", "nobody@example.com")
        assert "queued again the message deletions of 1 earlier erasure(s)" in again.stdout
        bot.clock.advance(seconds=30)
        await bot.drain()
        assert len(bot.slack.calls_to("chat.delete")) == 1
        after = await _dump(bot)
        assert "ana@example.com" not in after
        assert ANA_COMMENT not in after
        assert bot.slack.messages[(LEADS, _alerts(bot)[0][0])]["text"] == REMOVED


async def test_forget_on_teams_deletes_the_survey_card_and_neutralises_the_alert(
    db_url: str, tmp_path: Path
) -> None:
    from tests.teams_harness import LEADS as TEAMS_LEADS
    from tests.teams_harness import TEAMS_TOML, teams_user

    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        connector = bot.teams.connector
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        assert (await lead.say_in_channel(TEAMS_LEADS, "nps help"))[0] == 201
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        assert (await bot.post_ticket())[0] == 202
        await connector.wait_for("POST", conversation=ana.chat)
        survey_card = ana.survey_card()[0]
        assert (await ana.click_score(3))[0] == 200
        await bot.drain()
        (alert,) = [i for i, c in connector.cards(TEAMS_LEADS) if "Detractor" in json.dumps(c)]

        done = await _forget(bot, db_url, tmp_path, "--teams-user", ana.aad)
        assert done.returncode == 0, done.stderr
        bot.clock.advance(seconds=30)
        await bot.drain()

        assert [c.path.rsplit("/", 1)[-1] for c in connector.calls if c.method == "DELETE"] == [
            survey_card
        ]
        assert ana.cards() == []
        assert REMOVED in json.dumps(dict(connector.cards(TEAMS_LEADS))[alert])
        after = await _dump(bot)
        for trace in ("ana@example.com", ana.aad, ana.mri, ana.chat, "Ana Requester"):
            assert trace not in after, trace
        again = await _forget(bot, db_url, tmp_path, "--teams-user", ana.aad)
        assert (again.returncode, "nothing to remove" in again.stdout) == (0, True)
