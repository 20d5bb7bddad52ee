"""Closing the loop through Slack: detractor alert, one owner under races, release, outcome."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.harness import NPS_TOML, RunningBot, SlackUser, running_bot, ticket
from tests.slash import nps_command

LEADS = "C0LEADS"


async def _answered(bot: RunningBot, score: int, **fields: Any) -> SlackUser:
    ana = bot.user("ana@example.com", "U0ANA")
    dms, posts = len(ana.messages()), len(bot.slack.calls_to("chat.postMessage"))
    assert (await bot.post_ticket({"type": "ticket.closed", "ticket": ticket(**fields)}))[0] == 202
    await bot.slack.wait_for("chat.postMessage", count=posts + 1)
    assert len(ana.messages()) == dms + 1
    await ana.click_score(score)
    await bot.drain()
    return ana


def _alerts(bot: RunningBot, channel: str = LEADS) -> list[tuple[str, dict[str, Any]]]:
    return [(ts, m) for (ch, ts), m in bot.slack.messages.items() if ch == channel]


def _alert(bot: RunningBot) -> tuple[str, str]:
    (found,) = _alerts(bot)
    return found[0], json.dumps(found[1]["blocks"])


async def test_detractor_alert_reaches_the_team_leads_with_a_call_back_button(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        await _answered(bot, 3)
        _, blocks = _alert(bot)
        for expected in (
            "Detractor: 3/10",
            "INC0012345",
            "VPN keeps disconnecting",
            "<@U0ANA>",
            "Carol",
            "End User Services",
            "nps.callback.claim",
            "itsm.example.com",
        ):
            assert expected in blocks
        assert bot.slack.invalid == []


@pytest.mark.parametrize("score", [7, 8, 9, 10])
async def test_passives_and_promoters_raise_no_alert(
    db_url: str, tmp_path: Path, score: int
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        await _answered(bot, score)
        assert _alerts(bot) == []
        assert await bot.scalar("SELECT count(*) FROM callback") == 0


async def test_unknown_team_alert_goes_to_the_default_channel(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        await _answered(bot, 0, team="Network Ops")
        assert len(_alerts(bot, "C0DEFAULT")) == 1
        assert "Network Ops" in json.dumps(_alerts(bot, "C0DEFAULT")[0][1]["blocks"])


async def test_a_comment_after_the_alert_updates_it_escaped(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        view = await ana.score_and_open_comment(2)
        await ana.submit_comment(view, "Nobody called <!here> & I waited", ["communication"])
        await bot.drain()
        _, blocks = _alert(bot)
        assert "Nobody called &lt;!here&gt; &amp; I waited" in blocks
        assert "Communication" in blocks


async def test_claim_shows_the_owner_and_tells_only_them_who_to_call(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        await _answered(bot, 4)
        lead = bot.user("lead1@example.com", "U0LEAD1")
        ts, _ = _alert(bot)
        status, _ = await lead.click_in(LEADS, ts, "nps.callback.claim")
        assert status == 200
        await bot.drain()
        _, blocks = _alert(bot)
        assert "<@U0LEAD1> is calling back" in blocks
        assert "nps.callback.claim" not in blocks
        (private,) = await _ephemerals(bot, 1)
        assert private["user"] == "U0LEAD1"
        assert "ana@example.com" in json.dumps(private)
        assert "ana@example.com" not in blocks  # contact details never go to the channel


async def _ephemerals(bot: RunningBot, count: int) -> list[dict[str, Any]]:
    await bot.slack.wait_for("chat.postEphemeral", count=count)
    return bot.slack.ephemerals


async def _race(bots: list[RunningBot], ts: str) -> set[str]:
    leads = [bots[i % len(bots)].user(f"lead{i}@example.com", f"U0LEAD{i}") for i in range(20)]
    results = await asyncio.gather(
        *(lead.click_in(LEADS, ts, "nps.callback.claim") for lead in leads)
    )
    assert {status for status, _ in results} == {200}
    owners = await bots[0].scalar("SELECT count(DISTINCT owner_id) FROM callback")
    assert owners == 1
    return {await bots[0].scalar("SELECT owner_id FROM callback")}


async def test_twenty_leads_clicking_at_once_make_one_owner(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        await _answered(bot, 1)
        ts, _ = _alert(bot)
        (owner,) = await _race([bot], ts)
        notices = await _ephemerals(bot, 20)
        losers = [n for n in notices if "is already calling back" in n["text"]]
        assert len(losers) == 19
        assert all(f"<@{owner}>" in n["text"] for n in losers)
        await bot.drain()
        assert f"<@{owner}> is calling back" in _alert(bot)[1]


async def test_two_bot_processes_on_one_database_still_make_one_owner(
    db_url: str, tmp_path: Path
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("replicas share PostgreSQL; SQLite is for a single host")
    async with running_bot(db_url, tmp_path) as first:
        (tmp_path / "second").mkdir()
        async with running_bot(db_url, tmp_path / "second", slack=first.slack) as second:
            await _answered(first, 5)
            ts, _ = _alert(first)
            await _race([first, second], ts)


async def test_only_the_owner_can_release_and_release_reopens(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        await _answered(bot, 6)
        owner, other = bot.user("o@example.com", "U0OWNER"), bot.user("x@example.com", "U0OTHER")
        ts, _ = _alert(bot)
        await owner.click_in(LEADS, ts, "nps.callback.claim")
        await bot.drain()
        await other.click_in(LEADS, ts, "nps.callback.release")
        notices = await _ephemerals(bot, 2)  # the owner's contact details, and the refusal
        refusals = [n for n in notices if n["user"] == "U0OTHER"]
        assert len(refusals) == 1
        assert "Only <@U0OWNER>" in refusals[0]["text"]
        assert await bot.scalar("SELECT owner_id FROM callback") == "U0OWNER"
        await owner.click_in(LEADS, ts, "nps.callback.release")
        await bot.drain()
        assert await bot.scalar("SELECT status FROM callback") == "open"
        assert "nps.callback.claim" in _alert(bot)[1]


async def test_done_records_the_outcome_and_closes_the_alert(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        await _answered(bot, 2)
        owner, other = bot.user("o@example.com", "U0OWNER"), bot.user("x@example.com", "U0OTHER")
        ts, _ = _alert(bot)
        await owner.click_in(LEADS, ts, "nps.callback.claim")
        await bot.drain()
        await owner.click_in(LEADS, ts, "nps.callback.done")
        (opened,) = await bot.slack.wait_for("views.open")
        view = opened.params["view"]
        values = {
            "outcome": {
                "choice": {"type": "radio_buttons", "selected_option": {"value": "resolved"}}
            },
            "notes": {"text": {"type": "plain_text_input", "value": "Replaced the VPN client"}},
        }
        status, body = await other.submit_view(view, values)
        assert json.loads(body)["response_action"] == "errors"
        assert await bot.scalar("SELECT status FROM callback") == "claimed"
        status, body = await owner.submit_view(view, values)
        assert (status, body) == (200, "")
        await bot.drain()
        assert await bot.scalar("SELECT outcome FROM callback") == "resolved"
        assert await bot.scalar("SELECT notes FROM callback") == "Replaced the VPN client"
        _, blocks = _alert(bot)
        assert "Closed by <@U0OWNER>" in blocks
        assert "Resolved the issue" in blocks
        assert "nps.callback" not in blocks  # no buttons left on a closed alert


async def _command(bot: RunningBot, text: str, channel: str, user: str) -> dict[str, Any]:
    return await nps_command(bot, text, channel, user)


async def test_nps_callbacks_lists_this_channels_open_callbacks_oldest_first(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        await _answered(bot, 3, id="INC1")
        bot.clock.advance(hours=2)
        await _answered(bot, 5, id="INC2")
        await _answered(bot, 1, id="INC3", team="Network Ops")  # unknown team: default channel
        ts = sorted(ts for ts, _ in _alerts(bot))[1]
        await bot.user("lead@example.com", "U0LEAD").click_in(LEADS, ts, "nps.callback.claim")
        reply = await _command(bot, "callbacks", LEADS, "U0LEAD")
        text = json.dumps(reply["blocks"])
        assert text.index("INC1") < text.index("INC2")
        assert "INC3" not in text
        assert "<@U0LEAD> calling back" in text
        assert "*unclaimed*" in text
        elsewhere = await _command(bot, "callbacks", "C0RANDOM", "U0LEAD")
        assert "lead channel" in elsewhere["text"]
        default = json.dumps((await _command(bot, "callbacks", "C0DEFAULT", "U0LEAD"))["blocks"])
        assert "INC3" in default
        assert "INC1" not in default


async def test_an_admin_can_release_a_callback_that_is_not_theirs(
    db_url: str, tmp_path: Path
) -> None:
    toml = NPS_TOML.replace("[defaults]\n", '[defaults]\nadmins = ["U0ADMIN"]\n')
    async with running_bot(db_url, tmp_path, toml=toml) as bot:
        await _answered(bot, 6)
        owner, admin = bot.user("o@example.com", "U0OWNER"), bot.user("a@example.com", "U0ADMIN")
        ts, _ = _alert(bot)
        await owner.click_in(LEADS, ts, "nps.callback.claim")
        await bot.drain()
        await admin.click_in(LEADS, ts, "nps.callback.release")
        await bot.drain()
        assert await bot.scalar("SELECT status FROM callback") == "open"
        assert await bot.scalar("SELECT owner_id FROM callback") is None
        everything = await _command(bot, "callbacks", "C0RANDOM", "U0ADMIN")
        assert "all teams" in json.dumps(everything["blocks"])
