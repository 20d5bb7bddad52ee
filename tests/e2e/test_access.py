"""Only the right person acts: a survey by its requester, a callback from the leads' channel (or
by an admin), Release and Done by the owner (or an admin); everyone else is refused politely."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bot.access import CLAIM_FROM_LEAD_CHANNEL, NOT_YOUR_SURVEY
from tests.harness import NPS_TOML, RunningBot, SlackUser, running_bot, ticket
from tests.teams_harness import LEADS as TEAMS_LEADS
from tests.teams_harness import TEAMS_TOML, TeamsUser, actions, invoke_text, teams_user

LEADS = "C0LEADS"
ADMIN_AAD = "6f1c5e2a-0300-4a2b-9c3d-0123456789ab"  # teams_user(…, 300)


# --- Slack -----------------------------------------------------------------------------------


async def _surveyed(bot: RunningBot, **fields: Any) -> SlackUser:
    ana = bot.user("ana@example.com", "U0ANA")
    sent = len(bot.slack.calls_to("chat.postMessage"))
    body = {"type": "ticket.closed", "ticket": ticket(**fields)}
    assert (await bot.post_ticket(body))[0] == 202
    await bot.slack.wait_for("chat.postMessage", count=sent + 1)
    return ana


async def _refusals(bot: RunningBot, user: str, count: int = 1) -> list[str]:
    await bot.slack.wait_for("chat.postEphemeral", count=count)
    return [e["text"] for e in bot.slack.ephemerals if e["user"] == user]


async def test_slack_a_stranger_cannot_answer_someone_elses_survey(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _surveyed(bot)
        bob = bot.user("bob@example.com", "U0BOB")
        status, _ = await bob.click_score(10, ana.survey_message())
        assert status == 200
        assert await _refusals(bot, "U0BOB") == [NOT_YOUR_SURVEY]
        assert await bot.scalar("SELECT count(*) FROM answer") == 0
        await ana.click_score(3)
        await bot.drain()
        assert await bot.scalar("SELECT score FROM answer") == 3
        assert await bot.scalar("SELECT responder_id FROM answer") == "U0ANA"


async def test_slack_a_stranger_cannot_open_or_submit_someone_elses_comment(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _surveyed(bot)
        view = await ana.score_and_open_comment(9)
        await ana.submit_comment(view, "Quick and kind", ["courtesy"])
        bob = bot.user("bob@example.com", "U0BOB")
        await bob.click("nps.comment.open", ana.survey_message())
        assert NOT_YOUR_SURVEY in await _refusals(bot, "U0BOB")
        assert len(bot.slack.calls_to("views.open")) == 1  # only Ana's
        status, body = await bob.submit_comment(view, "Terrible, fire them", ["timeliness"])
        assert status == 200
        assert json.loads(body) == {
            "response_action": "errors",
            "errors": {"comment": NOT_YOUR_SURVEY},
        }
        assert await bot.scalar("SELECT comment FROM answer") == "Quick and kind"
        assert await bot.scalar("SELECT drivers FROM answer") == '["courtesy"]'


async def test_slack_a_stranger_cannot_opt_someone_out(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _surveyed(bot)
        bob = bot.user("bob@example.com", "U0BOB")
        await bob.click("nps.optout", ana.survey_message())
        assert await _refusals(bot, "U0BOB") == [NOT_YOUR_SURVEY]
        assert await bot.scalar("SELECT count(*) FROM opt_out") == 0
        dms = len(ana.messages())
        await _surveyed(bot, id="INC2")
        assert len(ana.messages()) == dms + 1  # still surveyed


async def _alerted(bot: RunningBot) -> tuple[SlackUser, str, dict[str, Any]]:
    ana = await _surveyed(bot)
    await ana.click_score(2)
    await bot.drain()
    ((ts, alert),) = [(ts, m) for (ch, ts), m in bot.slack.messages.items() if ch == LEADS]
    return ana, ts, copy.deepcopy(alert)  # the fake updates messages in place


async def _click_claim(user: SlackUser, ts: str, alert: dict[str, Any], channel: str) -> None:
    button = user.find_button(alert, "nps.callback.claim")
    payload = user._block_actions(ts, alert, button, channel)
    assert (await user.bot.post_interaction(payload))[0] == 200


@pytest.mark.parametrize("where", ["own DM", "another channel"])
async def test_slack_a_claim_from_outside_the_lead_channel_is_refused(
    db_url: str, tmp_path: Path, where: str
) -> None:
    """Replaying another survey's Call back button claims nothing and shows no e-mail."""
    async with running_bot(db_url, tmp_path) as bot:
        _, ts, alert = await _alerted(bot)
        mallory = bot.user("mallory@example.com", "U0MAL")
        channel = mallory.dm_channel if where == "own DM" else "C0RANDOM"
        await _click_claim(mallory, ts, alert, channel)
        assert await _refusals(bot, "U0MAL") == [CLAIM_FROM_LEAD_CHANNEL]
        assert await bot.scalar("SELECT status FROM callback") == "open"
        assert await bot.scalar("SELECT owner_id FROM callback") is None
        assert "ana@example.com" not in json.dumps(bot.slack.ephemerals)


async def test_slack_an_admin_claims_from_anywhere_and_only_the_owner_gets_the_email(
    db_url: str, tmp_path: Path
) -> None:
    toml = NPS_TOML.replace("[defaults]\n", '[defaults]\nadmins = ["U0ADMIN"]\n')
    async with running_bot(db_url, tmp_path, toml=toml) as bot:
        _, ts, alert = await _alerted(bot)
        admin, lead = bot.user("a@example.com", "U0ADMIN"), bot.user("l@example.com", "U0LEAD")
        await _click_claim(admin, ts, alert, admin.dm_channel)
        await bot.slack.wait_for("chat.postEphemeral", count=1)
        assert await bot.scalar("SELECT owner_id FROM callback") == "U0ADMIN"
        await _click_claim(lead, ts, alert, LEADS)  # the old card's button: already taken
        await bot.slack.wait_for("chat.postEphemeral", count=2)
        with_email = [e["user"] for e in bot.slack.ephemerals if "ana@example.com" in json.dumps(e)]
        assert with_email == ["U0ADMIN"]


async def test_slack_done_by_someone_who_is_not_the_owner_opens_no_form(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        _, ts, _ = await _alerted(bot)
        owner, other = bot.user("o@example.com", "U0OWNER"), bot.user("x@example.com", "U0OTHER")
        await owner.click_in(LEADS, ts, "nps.callback.claim")
        await bot.drain()
        await other.click_in(LEADS, ts, "nps.callback.done")
        (refusal,) = await _refusals(bot, "U0OTHER", count=2)
        assert refusal.startswith("Only <@U0OWNER> (or an admin)")
        assert bot.slack.calls_to("views.open") == []
        await owner.click_in(LEADS, ts, "nps.callback.done")
        await bot.slack.wait_for("views.open")


# --- Teams -----------------------------------------------------------------------------------


async def _teams_surveyed(bot: RunningBot) -> tuple[TeamsUser, TeamsUser]:
    assert bot.teams is not None
    ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
    bob = teams_user(bot, "Bob Stranger", "bob@example.com", 2)
    await ana.install()
    await bob.install()
    assert (await bot.post_ticket())[0] == 202
    await bot.teams.connector.wait_for("POST", conversation=ana.chat)
    return ana, bob


async def test_teams_a_stranger_cannot_answer_someone_elses_survey(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        ana, bob = await _teams_surveyed(bot)
        status, body = await bob.click_score(10, ana.survey_card())
        assert status == 200
        assert invoke_text(body) == NOT_YOUR_SURVEY
        assert await bot.scalar("SELECT count(*) FROM answer") == 0
        _, body = await ana.click_score(3)
        assert "Thank" in invoke_text(body)
        assert await bot.scalar("SELECT score FROM answer") == 3


async def test_teams_a_stranger_cannot_comment_or_opt_someone_out(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        ana, bob = await _teams_surveyed(bot)
        activity_id, card = ana.survey_card()
        (opt_out,) = actions(card, "nps.optout")
        _, body = await bob.invoke(opt_out, activity_id)
        assert invoke_text(body) == NOT_YOUR_SURVEY
        assert await bot.scalar("SELECT count(*) FROM opt_out") == 0
        await ana.click_score(9)
        await bot.drain()
        await ana.submit_comment("Quick and kind", ["courtesy"])
        await bot.drain()
        activity_id, card = ana.survey_card()
        (send,) = actions(card, "nps.comment")
        inputs = {"comment": "Terrible", "drivers": "timeliness", "share": "false"}
        _, body = await bob.invoke(send, activity_id, inputs)
        assert invoke_text(body) == NOT_YOUR_SURVEY
        assert await bot.scalar("SELECT comment FROM answer") == "Quick and kind"


async def _teams_alerted(bot: RunningBot) -> tuple[TeamsUser, str, dict[str, Any]]:
    assert bot.teams is not None
    lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
    await lead.install()
    assert (await lead.say_in_channel(TEAMS_LEADS, "nps help"))[0] == 201
    ana, _ = await _teams_surveyed(bot)
    await ana.click_score(2)
    await bot.drain()
    (alert,) = [c for c in bot.teams.connector.cards(TEAMS_LEADS) if "Detractor" in json.dumps(c)]
    return ana, alert[0], copy.deepcopy(alert[1])


async def test_teams_a_claim_from_a_personal_chat_is_refused(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        ana, activity_id, alert = await _teams_alerted(bot)
        (claim,) = actions(alert, "nps.callback.claim")
        _, body = await ana.invoke(claim, activity_id)  # replayed from her own chat
        assert invoke_text(body) == CLAIM_FROM_LEAD_CHANNEL
        assert await bot.scalar("SELECT status FROM callback") == "open"
        assert "ana@example.com" not in json.dumps(body)


async def test_teams_an_admin_claims_from_their_own_chat_and_gets_the_contact(
    db_url: str, tmp_path: Path
) -> None:
    toml = TEAMS_TOML.replace("[defaults]\n", f'[defaults]\nadmins = ["{ADMIN_AAD}"]\n')
    async with running_bot(db_url, tmp_path, toml=toml, teams=True) as bot:
        _, activity_id, alert = await _teams_alerted(bot)
        admin = teams_user(bot, "Ada Admin", "ada@example.com", 300)
        await admin.install()
        (claim,) = actions(alert, "nps.callback.claim")
        _, body = await admin.invoke(claim, activity_id)
        assert "ana@example.com" in invoke_text(body)
        assert await bot.scalar("SELECT owner_id FROM callback") == ADMIN_AAD
        lead = teams_user(bot, "Lead Zero", "lead0@example.com", 100)
        _, late = await lead.invoke(claim, activity_id, channel=TEAMS_LEADS)  # the old card
        assert "is already calling back" in invoke_text(late)
        assert "ana@example.com" not in invoke_text(late)
