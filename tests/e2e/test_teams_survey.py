"""A ticket closes, the requester answers in Teams: the whole loop through the real server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.harness import RunningBot, running_bot
from tests.teams_harness import TEAMS_TOML, actions, invoke_text, teams_user


async def test_installed_requester_gets_the_survey_card_and_a_click_thanks_them(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        status, body = await bot.post_ticket()
        assert status == 202, body
        (sent,) = await bot.teams.connector.wait_for("POST", conversation=ana.chat)
        assert sent.authorization == "Bearer test"
        activity_id, card = ana.survey_card()
        text = json.dumps(card)
        assert "INC0012345 VPN keeps disconnecting" in text
        assert " by Carol" in text
        scores = [a["data"]["score"] for a in actions(card, "nps.score")]
        assert scores == list(range(11))
        status, answer = await ana.click_score(9)
        assert status == 200
        assert "You gave " in invoke_text(answer)
        assert await bot.scalar("SELECT score FROM answer") == 9
        assert await bot.scalar("SELECT responder_id FROM answer") == ana.aad
        await bot.drain()
        assert "Thank you! You gave " in json.dumps(ana.cards()[-1][1])
        assert ana.cards()[-1][0] == activity_id
        assert bot.teams.connector.invalid == []


async def _status(bot: RunningBot) -> tuple[str, str | None]:
    return (
        await bot.scalar("SELECT status FROM survey"),
        await bot.scalar("SELECT failure_reason FROM survey"),
    )


async def test_a_requester_who_never_installed_the_app_is_recorded_undeliverable(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        teams_user(bot, "Ana Requester", "ana@example.com", 1)  # on the roster, no app
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        status, reason = await _status(bot)
        assert status == "failed"
        assert reason is not None
        assert reason.startswith("not installed")
        assert bot.teams.connector.posts() == []
        async with bot.http.get(bot.url + "/metrics") as response:
            assert 'npsbot_surveys_total{event="failed"} 1.0' in await response.text()


async def test_comment_and_drivers_are_stored_and_shown_back_verbatim_never_as_markdown(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        assert (await bot.post_ticket())[0] == 202
        await bot.teams.connector.wait_for("POST", conversation=ana.chat)
        await ana.click_score(4)
        await bot.drain()
        comment = "Nobody [called](https://evil.example) **me** <at>Boss</at> & I waited"
        status, answer = await ana.submit_comment(comment, ["communication", "timeliness"])
        assert status == 200
        assert await bot.scalar("SELECT comment FROM answer") == comment
        assert json.loads(await bot.scalar("SELECT drivers FROM answer")) == [
            "communication",
            "timeliness",
        ]
        await bot.drain()
        for shown in (answer["value"], ana.survey_card()[1]):
            assert [r["text"] for r in _runs(shown) if comment in r["text"]] == [comment]
            assert comment not in json.dumps(_text_blocks(shown))
            assert "Communication, Timeliness" in json.dumps(shown)


def _runs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in _nodes(card) if n.get("type") == "TextRun"]


def _text_blocks(card: dict[str, Any]) -> list[str]:
    return [n["text"] for n in _nodes(card) if n.get("type") == "TextBlock"]


def _nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in _nodes(item)]
    if not isinstance(node, dict):
        return []
    return [node, *(found for value in node.values() for found in _nodes(value))]


async def test_an_older_client_answering_with_action_submit_is_stored_and_its_card_updated(
    db_url: str, tmp_path: Path
) -> None:
    """Clients without Universal Actions send the card's Action.Submit fallback as a message."""
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        assert (await bot.post_ticket())[0] == 202
        await bot.teams.connector.wait_for("POST", conversation=ana.chat)
        activity_id, card = ana.survey_card()
        (box,) = [a for a in actions(card, "nps.score") if a["data"]["score"] == 8]
        submit = ana.activity("message", value=box["fallback"]["data"], replyToId=activity_id)
        status, _ = await ana.post(submit)
        assert status == 201
        assert await bot.scalar("SELECT score FROM answer") == 8
        # The reply replaces the card at once; the outbox's thank-you job may put it again.
        updates = await bot.teams.connector.wait_for("PUT", conversation=ana.chat)
        for updated in updates:
            assert updated.path.endswith(f"/activities/{activity_id}")
            assert "Thank you! You gave " in json.dumps(updated.body)


async def test_dont_ask_me_again_opts_out_and_redraws_the_card(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        assert (await bot.post_ticket())[0] == 202
        await bot.teams.connector.wait_for("POST", conversation=ana.chat)
        activity_id, card = ana.survey_card()
        (opt_out,) = actions(card, "nps.optout")
        status, answer = await ana.invoke(opt_out, activity_id)
        assert status == 200
        assert "won't be asked" in invoke_text(answer)
        assert await bot.scalar("SELECT count(*) FROM opt_out") == 1
        await bot.drain()
        assert "nps optin" in json.dumps(ana.survey_card()[1])
        assert actions(ana.survey_card()[1], "nps.score") == []
        status, _ = await ana.say("nps optin")
        assert status == 201
        assert await bot.scalar("SELECT count(*) FROM opt_out") == 0


async def test_connector_rate_limit_is_retried_by_the_worker_after_retry_after(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        connector = bot.teams.connector
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        connector.fail_next("POST", 429, retry_after=30)
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        assert await _status(bot) == ("pending", None)
        assert len(connector.attempts("POST", ana.chat)) == 1, "msrest retried on its own"
        assert await bot.scalar("SELECT last_error FROM outbox") == "ratelimited"
        bot.clock.advance(seconds=29)
        await bot.drain()
        assert len(connector.attempts("POST", ana.chat)) == 1, "retried before Retry-After"
        bot.clock.advance(seconds=2)
        await bot.drain()
        assert len(connector.posts(ana.chat)) == 1
        assert (await _status(bot))[0] == "sent"


async def test_connector_outage_is_retried_with_backoff_and_never_retried_inline(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        connector = bot.teams.connector
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        connector.fail_next("POST", 502, times=2)
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        assert await bot.scalar("SELECT last_error FROM outbox") == "http_502:Http502"
        assert len(connector.attempts("POST")) == 1
        for _ in range(2):
            bot.clock.advance(minutes=5)
            await bot.drain()
        assert len(connector.attempts("POST")) == 3
        assert (await _status(bot))[0] == "sent"


async def test_a_requester_who_removed_the_app_is_no_longer_surveyed(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path, toml=TEAMS_TOML, teams=True) as bot:
        assert bot.teams is not None
        ana = teams_user(bot, "Ana Requester", "ana@example.com", 1)
        await ana.install()
        status, _ = await ana.post(ana.activity("installationUpdate", action="remove"))
        assert status == 201
        assert await bot.scalar("SELECT count(*) FROM teams_conversation") == 0
        assert (await bot.post_ticket())[0] == 202
        await bot.drain()
        status, reason = await _status(bot)
        assert status == "failed"
        assert reason is not None
        assert reason.startswith("not installed")
