"""The agent's guess (issue 15 item 1): asked once the requester's survey is out, one click,
only by that agent, once, until the survey closes; never showing the requester's answer."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from pathlib import Path

import pytest

from bot.guesses import sampled
from tests.e2e.test_forget import REMOVED, _forget
from tests.harness import NPS_TOML, RunningBot, SlackUser, running_bot, ticket
from tests.teams_harness import TEAMS_TOML, TeamsUser, actions, invoke_text, teams_user

ASK = "\nask_agent = true\n"
QUESTION = "INC0012345 for Ana is closed. How do you think Ana will rate it? 0–10"


async def _metric(bot: RunningBot, event: str) -> str:
    async with bot.http.get(bot.url + "/metrics") as response:
        text = await response.text()
    return next(
        (line for line in text.splitlines() if f'agent_guesses_total{{event="{event}"}}' in line),
        "",
    )


async def _guess_count(bot: RunningBot) -> int:
    return int(await bot.scalar("SELECT count(*) FROM agent_guess WHERE score IS NOT NULL"))


async def _stored_guess(bot: RunningBot, within: float = 5.0) -> int | None:
    """The guess once stored: Bolt runs a Slack click's listener on after its ack, so the click's
    200 comes before the guess is written (CI once read the row before it was)."""
    deadline = time.monotonic() + within
    while (score := await bot.scalar("SELECT score FROM agent_guess")) is None:
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(0.01)
    return int(score)


# --- Slack -------------------------------------------------------------------------------


def _slack_people(bot: RunningBot) -> tuple[SlackUser, SlackUser]:
    bot.slack.add_user("ana@example.com", "U0ANA", real_name="Ana")
    bot.slack.add_user("carol@example.com", "U0CAROL", real_name="Carol")
    return SlackUser(bot, "ana@example.com", "U0ANA"), SlackUser(
        bot, "carol@example.com", "U0CAROL"
    )


def _texts(user: SlackUser) -> list[str]:
    return [m["text"] + json.dumps(m["blocks"]) for _ts, m in user.messages()]


async def test_slack_agent_guesses_once_and_never_sees_the_answer(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=NPS_TOML + ASK) as bot:
        ana, carol = _slack_people(bot)
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        (question,) = copy.deepcopy(carol.messages())  # the fake updates messages in place
        assert question[1]["text"] == QUESTION
        await ana.click_score(3)  # the requester answers first: the agent must not learn it
        await bot.drain()
        ts = question[0]
        # Someone else clicks the agent's question: refused, nothing stored.
        status, _ = await ana.click_in(carol.dm_channel, ts, "nps.guess.5")
        assert status == 200
        await bot.drain()
        assert await _guess_count(bot) == 0
        (refusal,) = await bot.slack.wait_for("chat.postEphemeral")
        assert "only they can answer" in refusal.params["text"]
        await carol.click_in(carol.dm_channel, ts, "nps.guess.8")
        assert await _stored_guess(bot) == 8
        await bot.drain()
        assert await bot.scalar("SELECT agent_id FROM agent_guess") == "U0CAROL"
        await carol.click("nps.guess.9", question)  # a second guess, on the old card
        (_, told) = await bot.slack.wait_for("chat.postEphemeral", count=2)
        assert "already recorded (you expected 8)" in told.params["text"]
        await bot.drain()
        assert await bot.scalar("SELECT score FROM agent_guess") == 8
        (shown,) = _texts(carol)
        assert "you expect Ana to give 8 for INC0012345" in shown
        assert "3" not in shown.replace("INC0012345", "")  # the requester's score is nowhere
        assert all("expect" not in t and "guess" not in t for t in _texts(ana))
        assert "1.0" in await _metric(bot, "guessed")
        assert bot.slack.invalid == []


async def test_slack_guess_is_refused_once_the_survey_has_closed(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=NPS_TOML + ASK) as bot:
        _ana, carol = _slack_people(bot)
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        bot.clock.advance(days=8)  # SURVEY_EXPIRY_DAYS is 7
        await carol.click_in(carol.dm_channel, carol.messages()[0][0], "nps.guess.7")
        (told,) = await bot.slack.wait_for("chat.postEphemeral")
        assert "survey has closed" in told.params["text"]
        assert await _guess_count(bot) == 0


async def test_slack_agent_unknown_on_the_platform_is_skipped_and_counted(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=NPS_TOML + ASK) as bot:
        bot.slack.add_user("ana@example.com", "U0ANA", real_name="Ana")  # Carol is not in Slack
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        assert await bot.scalar("SELECT count(*) FROM agent_guess") == 0
        assert "1.0" in await _metric(bot, "agent_unknown")
        assert await bot.scalar("SELECT count(*) FROM outbox WHERE status != 'done'") == 0


async def test_ask_agent_rate_samples_the_same_tickets_as_the_hash_says(
    db_url: str, tmp_path: Path
) -> None:
    toml = NPS_TOML + ASK + "ask_agent_rate = 0.5\n"
    async with running_bot(db_url, tmp_path, toml=toml) as bot:
        _slack_people(bot)
        ids = [f"INC{n:07d}" for n in range(12)]
        for ticket_id in ids:
            body = {"type": "ticket.closed", "ticket": ticket(id=ticket_id)}
            assert (await bot.post_ticket(body))[0] == 202
        await bot.drain()
        expected = [t for t in ids if sampled("generic", t, 0.5)]
        assert 0 < len(expected) < len(ids)  # the hand-picked ids do split
        asked = await bot.scalar("SELECT count(*) FROM agent_guess")
        assert asked == len(expected)


def test_sampling_is_a_pure_function_of_the_ticket() -> None:
    assert all(sampled("generic", "INC1", 1.0) for _ in range(3))
    picks = {sampled("servicenow", f"INC{n}", 0.25) for n in range(200)}
    assert picks == {True, False}
    share = sum(sampled("servicenow", f"INC{n}", 0.25) for n in range(4000)) / 4000
    assert 0.22 < share < 0.28


# --- Teams -------------------------------------------------------------------------------


TEAMS_ASK = TEAMS_TOML + "ask_agent = true\n"


async def _teams_people(
    bot: RunningBot, *, agent_installed: bool = True
) -> tuple[TeamsUser, TeamsUser]:
    ana = teams_user(bot, "Ana", "ana@example.com", 1)
    carol = teams_user(bot, "Carol", "carol@example.com", 2)
    await ana.install()
    if agent_installed:
        await carol.install()
    return ana, carol


async def test_teams_agent_guesses_once_and_never_sees_the_answer(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_ASK, teams=True) as bot:
        ana, carol = await _teams_people(bot)
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        ((activity_id, card),) = carol.cards()
        assert QUESTION in json.dumps(card, ensure_ascii=False)
        await ana.click_score(3)
        await bot.drain()
        boxes = {a["data"]["score"]: a for a in actions(card, "nps.guess")}
        assert sorted(boxes) == list(range(11))
        status, answer = await ana.invoke(boxes[5], activity_id)
        assert "only they can answer" in invoke_text(answer)
        assert await _guess_count(bot) == 0
        status, answer = await carol.invoke(boxes[8], activity_id)
        assert status == 200
        assert "to give 8 for INC0012345" in invoke_text(answer)
        _status, again = await carol.invoke(boxes[9], activity_id)
        assert "already recorded (you expected 8)" in invoke_text(again)
        await bot.drain()
        assert await bot.scalar("SELECT score FROM agent_guess") == 8
        assert await bot.scalar("SELECT agent_id FROM agent_guess") == carol.aad
        shown = json.dumps(carol.cards()[-1][1], ensure_ascii=False)
        assert "you expect Ana to give 8 for INC0012345" in shown
        assert "3" not in shown.replace("INC0012345", "")
        assert all("expect" not in json.dumps(c) for _id, c in ana.cards())
        assert bot.teams is not None
        assert bot.teams.connector.invalid == []


async def test_teams_agent_without_the_app_is_skipped_and_counted(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_ASK, teams=True) as bot:
        await _teams_people(bot, agent_installed=False)
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        assert await bot.scalar("SELECT count(*) FROM agent_guess") == 0
        assert "1.0" in await _metric(bot, "agent_unknown")


@pytest.mark.parametrize("toml", [NPS_TOML, NPS_TOML + "\nask_agent = false\n"])
async def test_without_ask_agent_no_agent_is_asked(db_url: str, tmp_path: Path, toml: str) -> None:
    async with running_bot(db_url, tmp_path, toml=toml) as bot:
        _ana, carol = _slack_people(bot)
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        assert carol.messages() == []


async def test_forgetting_the_requester_neutralises_the_agents_question_naming_them(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=NPS_TOML + ASK) as bot:
        _ana, carol = _slack_people(bot)
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        (ts, question) = carol.messages()[0]
        assert "Ana" in question["text"]
        done = await _forget(bot, db_url, tmp_path, "--email", "ana@example.com")
        assert done.returncode == 0, done.stderr
        bot.clock.advance(seconds=30)  # the CLI queued the job at the real clock's time
        await bot.drain()
        assert bot.slack.messages[(carol.dm_channel, ts)]["text"] == REMOVED
        assert await bot.scalar("SELECT message_ts FROM agent_guess") is None
