"""Delivery from the database to Slack: rate limits, outages, permanent errors, caching."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.server import WORKER
from tests.harness import RunningBot, running_bot, ticket


def _closed(n: int, email: str = "ana@example.com") -> dict[str, object]:
    return {"type": "ticket.closed", "ticket": ticket(id=f"INC{n:07d}", requester_email=email)}


async def _status(bot: RunningBot) -> tuple[str, str | None]:
    return (
        await bot.scalar("SELECT status FROM survey"),
        await bot.scalar("SELECT failure_reason FROM survey"),
    )


async def test_repeat_requester_costs_one_directory_lookup(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        for n in range(30):
            assert (await bot.post_ticket(_closed(n)))[0] == 202
        await bot.slack.wait_for("chat.postMessage", count=30)
        assert len(bot.slack.calls_to("users.lookupByEmail")) == 1
        assert len(bot.slack.calls_to("conversations.open")) == 1


async def test_unknown_requester_fails_once_with_the_reason(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        assert (await bot.post_ticket(_closed(1, "nobody@example.com")))[0] == 202
        await bot.slack.wait_for("users.lookupByEmail")
        await bot.drain()
        assert await _status(bot) == ("failed", "users_not_found")
        assert len(bot.slack.calls_to("users.lookupByEmail")) == 1
        assert bot.slack.calls_to("chat.postMessage") == []
        async with bot.http.get(bot.url + "/metrics") as response:
            assert 'npsbot_surveys_total{event="failed"} 1.0' in await response.text()


async def test_rate_limit_is_retried_after_retry_after_from_the_database(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        bot.slack.fail_next("chat.postMessage", status=429, retry_after=30, times=1)
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        assert await _status(bot) == ("pending", None)
        bot.clock.advance(seconds=29)
        await bot.drain()
        assert len(bot.slack.calls_to("chat.postMessage")) == 1, "retried before Retry-After"
        bot.clock.advance(seconds=2)
        await bot.drain()
        assert len(bot.slack.calls_to("chat.postMessage")) == 2
        assert (await _status(bot))[0] == "sent"


async def test_slack_outage_loses_nothing_and_gives_up_with_the_last_reason(
    db_url: str, tmp_path: Path
) -> None:
    env = {"DELIVERY_GIVE_UP_HOURS": "1"}
    async with running_bot(db_url, tmp_path, env=env) as bot:
        bot.user("ana@example.com", "U0ANA")
        bot.slack.fail_next("chat.postMessage", status=503, error="service_unavailable", times=3)
        for n in range(2):
            assert (await bot.post_ticket(_closed(n)))[0] == 202
        await bot.slack.wait_for("chat.postMessage", count=2)
        for _ in range(4):
            bot.clock.advance(minutes=5)
            await bot.drain()
        assert await bot.scalar("SELECT count(*) FROM survey WHERE status = 'sent'") == 2
        bot.slack.fail_next("chat.postMessage", status=503, error="service_unavailable", times=99)
        assert (await bot.post_ticket(_closed(9)))[0] == 202
        for _ in range(8):
            bot.clock.advance(minutes=20)
            await bot.drain()
        reason = await bot.scalar(
            "SELECT failure_reason FROM survey WHERE ticket_id = 'INC0000009'"
        )
        assert reason == "service_unavailable"


async def test_dropped_connection_is_retried_and_recorded_as_ambiguous(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        bot.slack.drop_after_processing("chat.postMessage")
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        error = await bot.scalar("SELECT last_error FROM outbox WHERE kind = 'survey_dm'")
        assert error.startswith("connection:")
        bot.clock.advance(minutes=1)
        await bot.drain()
        # At least once: Slack has no idempotency key, so the dropped send shows up twice.
        assert len(ana.messages()) == 2
        assert await bot.scalar("SELECT status FROM survey") == "sent"


async def test_without_slack_configured_tickets_wait_in_the_database(
    db_url: str, tmp_path: Path
) -> None:
    async with running_bot(
        db_url, tmp_path, env={"SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": ""}
    ) as bot:
        assert (await bot.post_ticket())[0] == 202
        assert await bot.app[WORKER].run_once() == 0
        assert await bot.scalar("SELECT status FROM outbox") == "todo"
        assert bot.slack.calls == []
        async with bot.http.post(bot.url + "/slack/events", data=b"x") as response:
            assert response.status == 404


PROXY_PAGES = [
    pytest.param(
        502, ("text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"), id="html"
    ),
    pytest.param(503, ("text/plain", "upstream connect error"), id="text"),
    pytest.param(502, ("application/json", "<html>502 Bad Gateway</html>"), id="html-as-json"),
    pytest.param(500, ("application/json", ""), id="empty"),
]


@pytest.mark.parametrize(("status", "raw"), PROXY_PAGES)
async def test_a_proxy_error_page_is_retried_then_delivered(
    db_url: str, tmp_path: Path, status: int, raw: tuple[str, str]
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        bot.slack.fail_next("chat.postMessage", status=status, raw=raw, times=2)
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        error = await bot.scalar("SELECT last_error FROM outbox WHERE kind = 'survey_dm'")
        assert error == f"http_{status}"
        assert await _status(bot) == ("pending", None)
        for _ in range(2):
            bot.clock.advance(minutes=1)
            await bot.drain()
        assert len(bot.slack.calls_to("chat.postMessage")) == 3
        assert len(ana.messages()) == 1
        assert await _status(bot) == ("sent", None)


async def test_a_client_error_page_fails_the_survey_at_once(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        bot.slack.fail_next("chat.postMessage", status=403, raw=("text/html", "<h1>Forbidden</h1>"))
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        assert await _status(bot) == ("failed", "http_403")
        assert len(bot.slack.calls_to("chat.postMessage")) == 1
