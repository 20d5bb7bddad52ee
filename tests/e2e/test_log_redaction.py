"""Every line the installed log handler writes, for a whole flow at DEBUG, is clean (G22)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import configure_logging
from bot.settings import load_settings
from tests.harness import BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET, running_bot

CANARY = "canary-comment-7f3a nobody ever called me back"
EMAILS = ("ana@example.com", "lead1@example.com", "carol.agent@example.com")
DB_PASSWORD = "db-password-0123456789"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """configure_logging as `npsbot serve` installs it, with every logger forced to DEBUG;
    yields what its StreamHandler writes. The previous logging set-up is put back after."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    loggers = [logging.getLogger(n) for n in list(logging.root.manager.loggerDict)]
    saved = {lg.name: lg.level for lg in loggers}
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "TICKET_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "DATABASE_URL": f"postgresql://npsbot:{DB_PASSWORD}@db.internal:5432/nps",
        },
        env_file=Path("/nonexistent.env"),
    )
    configure_logging("DEBUG", settings.secret_values())
    (handler,) = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    out = io.StringIO()
    handler.setStream(out)
    for name in [*saved, "slack_bolt", "slack_sdk", "sqlalchemy", "aiosqlite", "asyncpg"]:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _forced_failure() -> None:
    log = logging.getLogger("bot.test_forced")
    try:
        try:
            raise ValueError(f"lookup of ana@example.com with {BOT_TOKEN} failed")
        except ValueError as exc:
            raise RuntimeError(f"Bearer {BOT_TOKEN} secret={SIGNING_SECRET}") from exc
    except RuntimeError:
        log.exception(
            "forced_failure",
            extra={
                "email": "lead1@example.com",
                "token": BOT_TOKEN,
                "db": DB_PASSWORD,
                "webhook": WEBHOOK_SECRET,
                "app": "xapp-1-A0-123-abcdef",
            },
        )


async def test_a_whole_flow_at_debug_logs_no_secret_email_or_comment(
    db_url: str, tmp_path: Path, log_output: io.StringIO
) -> None:
    async with running_bot(db_url, tmp_path) as bot:
        ana = bot.user("ana@example.com", "U0ANA")
        assert (await bot.post_ticket())[0] == 202
        await bot.slack.wait_for("chat.postMessage")
        view = await ana.score_and_open_comment(2)
        assert (await ana.submit_comment(view, CANARY, ["communication"]))[0] == 200
        await bot.drain()
        (alert_ts,) = [ts for (ch, ts) in bot.slack.messages if ch == "C0LEADS"]
        lead = bot.user("lead1@example.com", "U0LEAD1")
        assert (await lead.click_in("C0LEADS", alert_ts, "nps.callback.claim"))[0] == 200
        await bot.drain()
        assert "ana@example.com" in str(bot.slack.ephemerals)  # the flow really ran
        _forced_failure()
    text = log_output.getvalue()
    assert "surveys_answered" in text
    assert "forced_failure" in text
    assert "Traceback" in text
    assert "RuntimeError" in text
    for leak in (BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET, DB_PASSWORD, "xapp-1", *EMAILS):
        assert leak not in text, leak
    assert "canary-comment" not in text
    assert "@example.com" not in text
