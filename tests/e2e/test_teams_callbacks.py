"""Closing the loop through Teams: detractor alert card, one owner under races, release, outcome."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.escalation import escalate_overdue
from bot.server import DEPS
from tests.harness import FakeClock, RunningBot, running_bot
from tests.teams_harness import LEADS, TEAMS_TOML, TeamsUser, actions, invoke_text, teams_user


async def _team_channel_known(bot: RunningBot, lead: TeamsUser) -> None:
    """The bot is in the team: someone @mentioned it in the leads' channel once."""
    status, _ = await lead.say_in_channel(LEADS, "nps help")
    assert status == 201


async def _answered(bot: RunningBot, score: int) -> TeamsUser:
    assert bot.teams is not None
    ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
    await ana.install()
    assert (await bot.post_ticket())[0] == 202
    await bot.teams.connector.wait_for("POST", conversation=ana.chat)
    status, _ = await ana.click_score(score)
    assert status == 200
    await bot.drain()
    return ana


def _alert(bot: RunningBot) -> tuple[str, dict[str, Any]]:
    assert bot.teams is not None
    alerts = [c for c in bot.teams.connector.cards(LEADS) if "Detractor" in json.dumps(c[1])]
    assert len(alerts) == 1, alerts
    return alerts[0]


async def test_detractor_alert_card_reaches_the_leads_channel_with_a_call_back_button(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        await _team_channel_known(bot, lead)
        await _answered(bot, 3)
        _, card = _alert(bot)
        text = json.dumps(card)
        for expected in (
            "Detractor: 3/10",
            "INC0012345 VPN keeps disconnecting",
            "Carol",
            "End User Services",
            "<at>Ana Requester</at>",
            "itsm.example.com",
        ):
            assert expected in text
        (mention,) = card["msteams"]["entities"]
        assert mention["mentioned"] == {
            "id": "6f1c5e2a-0001-4a2b-9c3d-0123456789ab",
            "name": "Ana Requester",
        }
        assert len(actions(card, "nps.callback.claim")) == 1
        assert "ana@example.com" not in text  # contact details never go to the channel


async def test_an_alert_reaches_a_configured_channel_nobody_has_talked_in_yet(
    db_url: str, tmp_path: Path
) -> None:
    """Installed in the team, the bot may post in any of its channels: the same service URL."""
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        other = "19:general0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
        assert (await lead.say_in_channel(other, "nps help"))[0] == 201
        await _answered(bot, 2)
        assert _alert(bot)


async def _race(bot: RunningBot, activity_id: str, leads: list[TeamsUser]) -> list[str]:
    results = await asyncio.gather(
        *(lead.click_in_channel(LEADS, activity_id, "nps.callback.claim") for lead in leads)
    )
    assert {status for status, _ in results} == {200}
    return [invoke_text(body) for _, body in results]


async def test_twenty_leads_clicking_at_once_make_one_owner_and_the_card_shows_them(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        leads = [teams_user(bot, f"Lead {i}", f"lead{i}@example.com", 100 + i) for i in range(20)]
        for lead in leads:
            await lead.install()
        await _team_channel_known(bot, leads[0])
        await _answered(bot, 1)
        activity_id, _ = _alert(bot)
        answers = await _race(bot, activity_id, leads)
        assert await bot.scalar("SELECT count(DISTINCT owner_id) FROM callback") == 1
        owner_id = await bot.scalar("SELECT owner_id FROM callback")
        (owner,) = [lead for lead in leads if lead.aad == owner_id]
        winners = [a for a in answers if "ana@example.com" in a]
        assert winners == [a for a in answers if "You're calling back" in a]
        assert len(winners) == 1
        losers = [a for a in answers if "is already calling back" in a]
        assert len(losers) == 19
        assert all(a.startswith(owner.name) for a in losers)
        await bot.drain()
        _, card = _alert(bot)
        assert f"<at>{owner.name}</at> is calling back" in json.dumps(card)
        assert actions(card, "nps.callback.claim") == []
        assert len(actions(card, "nps.callback.done")) == 1


async def test_only_the_owner_can_release_and_release_reopens(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        owner = teams_user(bot, "Owen Owner", "owen@example.com", 200)
        other = teams_user(bot, "Olga Other", "olga@example.com", 201)
        await owner.install()
        await _team_channel_known(bot, owner)
        await _answered(bot, 6)
        activity_id, _ = _alert(bot)
        await owner.click_in_channel(LEADS, activity_id, "nps.callback.claim")
        await bot.drain()
        _, refused = await other.click_in_channel(LEADS, activity_id, "nps.callback.release")
        assert invoke_text(refused).startswith("Only Owen Owner (or an admin)")
        assert await bot.scalar("SELECT owner_id FROM callback") == owner.aad
        _, released = await owner.click_in_channel(LEADS, activity_id, "nps.callback.release")
        assert "Released" in invoke_text(released)
        await bot.drain()
        assert await bot.scalar("SELECT status FROM callback") == "open"
        assert len(actions(_alert(bot)[1], "nps.callback.claim")) == 1


async def test_done_records_the_outcome_and_closes_the_card_for_everyone(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        owner = teams_user(bot, "Owen Owner", "owen@example.com", 200)
        other = teams_user(bot, "Olga Other", "olga@example.com", 201)
        await owner.install()
        await _team_channel_known(bot, owner)
        await _answered(bot, 2)
        activity_id, _ = _alert(bot)
        await owner.click_in_channel(LEADS, activity_id, "nps.callback.claim")
        await bot.drain()
        inputs = {"outcome": "resolved", "notes": "Replaced the VPN client"}
        _, refused = await other.click_in_channel(LEADS, activity_id, "nps.callback.done", inputs)
        assert "not yours" in invoke_text(refused)
        assert await bot.scalar("SELECT status FROM callback") == "claimed"
        _, done = await owner.click_in_channel(LEADS, activity_id, "nps.callback.done", inputs)
        assert "closed (Resolved the issue)" in invoke_text(done)
        await bot.drain()
        assert await bot.scalar("SELECT outcome FROM callback") == "resolved"
        assert await bot.scalar("SELECT notes FROM callback") == "Replaced the VPN client"
        _, card = _alert(bot)
        text = json.dumps(card)
        assert "Closed by <at>Owen Owner</at>" in text
        assert "Resolved the issue" in text
        assert "nps.callback" not in text  # no buttons left on a closed alert


async def test_nps_callbacks_in_the_leads_channel_lists_its_open_callbacks(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        await lead.install()
        await _team_channel_known(bot, lead)
        await _answered(bot, 3)
        status, _ = await lead.say_in_channel(LEADS, "nps callbacks")
        assert status == 201
        reply = bot.teams.connector.cards(LEADS)[-1][1]
        text = json.dumps(reply)
        assert "Open callbacks for End User Services" in text
        assert "INC0012345" in text
        assert "unclaimed" in text
        assert (await lead.say("nps callbacks"))[0] == 201
        assert "lead channel" in json.dumps(lead.cards()[-1][1])


ESCALATING_TOML = TEAMS_TOML.replace(
    'digest = "off"', 'digest = "off"\nescalate_after_hours = 4\ntimezone = "Europe/Paris"'
)
MONDAY_10_PARIS = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_reminders_reach_the_leads_channel_and_the_owners_own_chat(
    db_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(MONDAY_10_PARIS)
    async with running_bot(db_url, tmp_path, toml=ESCALATING_TOML, teams=True, clock=clock) as bot:
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        await lead.install()
        await _team_channel_known(bot, lead)
        await _answered(bot, 2)
        first_id, _ = _alert(bot)
        clock.advance(hours=4, minutes=1)
        assert await escalate_overdue(bot.app[DEPS]) == 1
        await bot.drain()
        assert bot.teams is not None
        cards = [c for _, c in bot.teams.connector.cards(LEADS)]
        reminders = [c for c in cards if "Reminder" in json.dumps(c)]
        assert len(reminders) == 1
        assert len(actions(reminders[0], "nps.callback.claim")) == 1
        await lead.click_in_channel(LEADS, first_id, "nps.callback.claim")
        await bot.drain()
        clock.advance(days=3)
        assert await escalate_overdue(bot.app[DEPS]) == 1
        await bot.drain()
        (_, nudge) = lead.cards()[-1]
        assert "You took the callback about" in json.dumps(nudge)
        assert "INC0012345" in json.dumps(nudge)
