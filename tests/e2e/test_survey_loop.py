"""A ticket closes, the requester answers in Slack: the whole loop through the real server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tests.harness import RunningBot, SlackUser, running_bot


async def test_closed_ticket_becomes_a_dm_and_a_click_is_stored_once(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        status, body = await bot.post_ticket()
        assert status == 202, body
        await bot.slack.wait_for("chat.postMessage")
        ts, dm = ana.survey_message()
        assert "INC0012345" in dm["blocks"][0]["text"]["text"]
        assert "Carol" in dm["blocks"][0]["text"]["text"]
        labels = [b["text"]["text"] for b in dm["blocks"][1]["elements"]]
        assert labels == [str(n) for n in range(11)]

        status, _ = await ana.click_score(9)
        assert status == 200
        await bot.slack.wait_for("chat.update")
        updated = bot.slack.messages[(ana.dm_channel, ts)]
        assert "You gave *9*" in json.dumps(updated["blocks"])
        assert await bot.scalar("SELECT score FROM answer") == 9
        assert bot.slack.invalid == []


async def test_slack_calls_share_one_kept_alive_connection(db_url: str, tmp_path: Path) -> None:
    """A new connection per call meant a TCP and TLS handshake for every survey and thank-you."""
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _delivered(bot)
        assert (await ana.click_score(9))[0] == 200
        await bot.slack.wait_for("chat.update")
        methods = {call.method for call in bot.slack.calls}
        assert {"users.lookupByEmail", "chat.postMessage", "chat.update"} <= methods
        assert len(bot.slack.peers) == 1, bot.slack.peers


async def _delivered(
    bot: RunningBot, email: str = "ana@example.com", user_id: str = "U0ANA"
) -> SlackUser:
    user = bot.user(email, user_id)
    assert (await bot.post_ticket())[0] == 202
    await bot.slack.wait_for("chat.postMessage")
    return user


async def test_twenty_concurrent_clicks_store_one_answer(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _delivered(bot)
        ts, message = ana.survey_message()
        clicks = [ana.click_score(n % 11, (ts, message)) for n in range(20)]
        assert {status for status, _ in await asyncio.gather(*clicks)} == {200}
        assert await bot.scalar("SELECT count(*) FROM answer") == 1
        stored = await bot.scalar("SELECT score FROM answer")
        await bot.slack.wait_for("chat.postEphemeral", count=19)
        already = [e for e in bot.slack.ephemerals if "already recorded" in e["text"]]
        assert len(already) == 19
        assert all(f"you gave {stored}" in e["text"] for e in already)
        await bot.drain()
        assert f"You gave *{stored}*" in json.dumps(
            bot.slack.messages[(ana.dm_channel, ts)]["blocks"]
        )


async def test_a_later_click_on_the_old_message_keeps_the_first_answer(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _delivered(bot)
        original = ana.survey_message()
        await ana.click_score(3, original)
        await bot.slack.wait_for("chat.update")
        status, _ = await ana.click_score(10, original)
        assert status == 200
        (notice,) = await _ephemerals(bot, 1)
        assert "already recorded (you gave 3)" in notice["text"]
        assert await bot.scalar("SELECT score FROM answer") == 3


async def test_a_click_after_expiry_stores_nothing_and_says_so(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path, env={"SURVEY_EXPIRY_DAYS": "3"}) as bot:
        ana = await _delivered(bot)
        await bot.drain()
        bot.clock.advance(days=3, seconds=1)
        await ana.click_score(8)
        (notice,) = await _ephemerals(bot, 1)
        assert "closed" in notice["text"]
        assert await bot.scalar("SELECT count(*) FROM answer") == 0


async def test_comment_modal_stores_comment_and_drivers_and_shows_them_escaped(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _delivered(bot)
        ts, _ = ana.survey_message()
        view = await ana.score_and_open_comment(4)
        comment = "Nobody told me <!channel> when & why. @channel <https://evil|ok>"
        status, body = await ana.submit_comment(view, comment, ["communication", "timeliness"])
        assert status == 200
        assert body == ""  # an empty ack closes the modal
        assert await bot.scalar("SELECT comment FROM answer") == comment
        assert json.loads(await bot.scalar("SELECT drivers FROM answer")) == [
            "communication",
            "timeliness",
        ]
        await bot.slack.wait_for("chat.update", count=2)
        await bot.drain()
        shown = json.dumps(bot.slack.messages[(ana.dm_channel, ts)]["blocks"])
        assert "&lt;!channel&gt;" in shown
        assert "<!channel>" not in shown
        assert "&amp;" in shown
        assert "Communication, Timeliness" in shown
        assert bot.slack.invalid == []


async def test_a_comment_over_3000_characters_is_refused_in_the_modal(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _delivered(bot)
        view = await ana.score_and_open_comment(9)
        status, body = await ana.submit_comment(view, "x" * 3001, [])
        assert status == 200
        assert json.loads(body)["response_action"] == "errors"
        assert await bot.scalar("SELECT comment FROM answer") is None
        status, body = await ana.submit_comment(view, "y" * 3000, [])
        assert body == ""
        assert await bot.scalar("SELECT length(comment) FROM answer") == 3000


async def _ephemerals(bot: RunningBot, count: int) -> list[dict[str, Any]]:
    await bot.slack.wait_for("chat.postEphemeral", count=count)
    return bot.slack.ephemerals


async def test_a_click_is_stored_even_when_slack_auth_test_is_failing(
    db_url: str, tmp_path: Path
) -> None:
    """Bolt's lazy first auth.test used to refuse the very click that triggered it."""
    async with running_bot(db_url, tmp_path) as bot:
        ana = await _delivered(bot)
        bot.slack.fail_next("auth.test", status=429, retry_after=30, times=10)
        status, _ = await ana.click_score(7)
        assert status == 200
        assert await bot.scalar("SELECT score FROM answer") == 7
