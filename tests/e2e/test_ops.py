"""/healthz and /metrics, and what the logs may never contain."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import pytest

from tests.harness import BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET, running_bot


async def test_healthz_and_metrics(db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        bot.user("ana@example.com", "U0ANA")
        async with bot.http.get(bot.url + "/healthz") as response:
            assert response.status == 200
            assert (await response.json())["database"] == "ok"
        await bot.post_ticket()
        await bot.slack.wait_for("chat.postMessage")
        await bot.drain()
        await bot.user("ana@example.com", "U0ANA").click_score(10)
        async with bot.http.get(bot.url + "/metrics") as response:
            text = await response.text()
        assert 'npsbot_surveys_total{event="sent"} 1.0' in text
        assert 'npsbot_surveys_total{event="answered"} 1.0' in text
        assert 'npsbot_surveys_total{event="failed"} 0.0' in text
        assert (
            'npsbot_request_seconds_count{method="POST",route="/webhooks/tickets",status="202"} 1.0'
            in text
        )


async def test_metrics_negotiate_openmetrics_and_gzip(tmp_path: Path) -> None:
    """Prometheus' own handler: OpenMetrics when the scraper asks for it, gzip when accepted."""
    async with running_bot(f"sqlite:///{tmp_path / 'npsbot.db'}", tmp_path) as bot:
        headers = {
            "Accept": "application/openmetrics-text; version=1.0.0",
            "Accept-Encoding": "gzip",
        }
        async with bot.http.get(bot.url + "/metrics", headers=headers) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("application/openmetrics-text")
            assert response.headers["Content-Encoding"] == "gzip"
            text = await response.text()
        assert text.rstrip().endswith("# EOF")
        assert 'npsbot_surveys_total{event="received"} 0.0' in text
        async with bot.http.get(bot.url + "/metrics") as response:
            assert response.headers["Content-Type"].startswith("text/plain")


async def test_healthz_is_503_when_the_database_is_gone(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "npsbot.db"
    async with running_bot(f"sqlite:///{missing}", tmp_path) as bot:
        async with bot.http.get(bot.url + "/healthz") as response:
            assert response.status == 503
        status, body = await bot.post_ticket()
        assert status == 503
        assert "retry" in body["error"]


async def test_no_secret_comment_or_email_reaches_the_logs(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    canary = "canary-comment-7f3c"
    caplog.set_level(logging.DEBUG)
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        await bot.post_ticket()
        await bot.slack.wait_for("chat.postMessage")
        view = await ana.score_and_open_comment(2)
        await ana.submit_comment(view, canary, [])
        await bot.post_raw(
            "/slack/events", b"payload=" + canary.encode(), {"x-slack-signature": "v0=x"}
        )
        await bot.drain()
    logged = "\n".join(r.getMessage() + repr(vars(r)) for r in caplog.records)
    for secret in (BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET, canary, "ana@example.com"):
        assert secret not in logged


async def test_the_heap_built_at_start_is_frozen_while_the_server_runs(
    db_url: str, tmp_path: Path
) -> None:
    # Frozen objects are skipped by full collections, which paused the loop up to 125 ms.
    async with running_bot(db_url, tmp_path) as bot:
        assert gc.get_freeze_count() > 10_000  # the libraries, not a handful of objects
        assert (await bot.post_ticket())[0] == 202
    assert gc.get_freeze_count() == 0  # handed back to the collector at shutdown
